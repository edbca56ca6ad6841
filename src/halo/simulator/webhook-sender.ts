/** Sends HaloPSA-shaped webhook deliveries (JSON POST, optional Basic auth). */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** A HaloPSA webhook delivery ("small object" form). */
export interface HaloWebhookPayload {
  id: string;
  webhook_id: string;
  notification_id?: number;
  escmsg_id?: number;
  event: string;
  message?: string;
  object_id: number;
  agent_id?: number;
  timestamp: string;
  ticket?: Record<string, unknown>;
}

/** Basic-auth credentials for a delivery. */
export interface BasicAuth {
  username: string;
  password: string;
}

/** POSTs a delivery (or a batch of them, as an array) and resolves with the HTTP status. */
export function postWebhook(
  targetUrl: string,
  basic: BasicAuth | undefined,
  payload: HaloWebhookPayload | HaloWebhookPayload[],
  timeoutMs = 10_000,
): Promise<number> {
  const url = new URL(targetUrl);
  const body = JSON.stringify(payload);
  const headers: Record<string, string | number> = {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'user-agent': 'HaloPSA-Webhook',
  };
  if (basic) {
    headers.authorization = `Basic ${Buffer.from(`${basic.username}:${basic.password}`).toString('base64')}`;
  }
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, { method: 'POST', headers, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy(new Error(`Webhook to ${targetUrl} timed out`)));
    req.on('error', reject);
    req.end(body);
  });
}
