import https from 'node:https';
import { parseRetryAfter } from '../src/shared/retry-after';
import { systemClock, type Clock } from '../src/shared/clock';

/** What a Graph call answered: success, or a failure the outbox can pace and retry by. */
export type GraphAnswer =
  | { ok: true; status: number; body: unknown }
  | { ok: false; status: number; retryAfterMs: number | null; code: string; message: string };

/** What the Teams Graph client needs. */
export interface TeamsGraphClientOptions {
  /** Graph root without version, e.g. https://graph.microsoft.com. */
  graphUrl: string;
  /** An app-only Graph token (TeamsActivity.Send, TeamsAppInstallation.ReadWriteSelfForUser.All). */
  token: () => Promise<string>;
  /** Extra trusted certificate (tests: the Graph double's self-signed one). */
  ca?: string;
  timeoutMs?: number;
  clock?: Clock;
}

/**
 * The two Graph calls that reach a person in Teams: installing the app for them
 * (`POST /users/{id}/teamwork/installedApps`) and their activity feed
 * (`POST /users/{id}/teamwork/sendActivityNotification`). Plain HTTPS so every status and
 * `Retry-After` reaches the outbox, which owns retries.
 */
export class TeamsGraphClient {
  private readonly agent: https.Agent;

  constructor(private readonly options: TeamsGraphClientOptions) {
    this.agent = new https.Agent({ keepAlive: true, ...(options.ca ? { ca: options.ca } : {}) });
  }

  /** Installs the Teams app (catalog id) for the user; a 409 (already installed) counts as done. */
  async installForUser(aadObjectId: string, catalogAppId: string): Promise<GraphAnswer> {
    const root = this.options.graphUrl.replace(/\/+$/, '');
    const answer = await this.post(
      `/v1.0/users/${encodeURIComponent(aadObjectId)}/teamwork/installedApps`,
      { 'teamsApp@odata.bind': `${root}/v1.0/appCatalogs/teamsApps/${catalogAppId}` },
    );
    return !answer.ok && answer.status === 409 ? { ok: true, status: 409, body: null } : answer;
  }

  /** Sends one activity-feed notification to the user. */
  sendActivityNotification(
    aadObjectId: string,
    notification: {
      topic: { source: 'text'; value: string; webUrl: string };
      activityType: string;
      previewText: { content: string };
      templateParameters: Array<{ name: string; value: string }>;
    },
  ): Promise<GraphAnswer> {
    return this.post(
      `/v1.0/users/${encodeURIComponent(aadObjectId)}/teamwork/sendActivityNotification`,
      notification,
    );
  }

  private async post(path: string, body: unknown): Promise<GraphAnswer> {
    let token: string;
    try {
      token = await this.options.token();
    } catch (error) {
      return failure(0, 'tokenUnavailable', (error as Error).message);
    }
    const url = new URL(`${this.options.graphUrl.replace(/\/+$/, '')}${path}`);
    const payload = JSON.stringify(body);
    return new Promise<GraphAnswer>((resolve) => {
      const request = https.request(
        url,
        {
          method: 'POST',
          agent: this.agent,
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(payload),
          },
          timeout: this.options.timeoutMs ?? 15_000,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            const status = response.statusCode ?? 0;
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = null;
            try {
              parsed = text === '' ? null : JSON.parse(text);
            } catch {
              parsed = text;
            }
            if (status >= 200 && status < 300) return resolve({ ok: true, status, body: parsed });
            const error = (parsed as { error?: { code?: string; message?: string } } | null)?.error;
            resolve({
              ...failure(status, error?.code ?? 'unknown', error?.message ?? text.slice(0, 300)),
              retryAfterMs: parseRetryAfter(
                response.headers['retry-after'] as string | undefined,
                (this.options.clock ?? systemClock).now().getTime(),
              ),
            });
          });
          response.on('error', (error) => resolve(failure(0, 'network', error.message)));
        },
      );
      request.on('timeout', () => request.destroy(new Error('Graph request timed out')));
      request.on('error', (error) => resolve(failure(0, 'network', error.message)));
      request.end(payload);
    });
  }
}

function failure(
  status: number,
  code: string,
  message: string,
): Extract<GraphAnswer, { ok: false }> {
  return { ok: false, status, retryAfterMs: null, code, message };
}
