/**
 * The tab's only way to the server: JSON over `/api/v1`, signed in with the Teams SSO token
 * (`Authorization: Bearer`) or, in demo mode outside Teams, the chosen demo user (`X-Demo-User`).
 */
import type { ApiErrorBody } from '../../src/api/dto';

/** A refused or failed API call, with the server's stable error code when it sent one. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }

  /** True when the server has no such route (the feature is not deployed yet). */
  get routeMissing(): boolean {
    return this.status === 404 || this.status === 405 || this.status === 501;
  }
}

/** Who the calls are made as. */
export type ApiCredentials =
  | { kind: 'sso'; token: () => Promise<string | null> }
  | { kind: 'demo'; email: string }
  | { kind: 'none' };

/** Fetches `/api/v1` paths as the signed-in user. */
export class ApiClient {
  constructor(
    private readonly credentials: ApiCredentials,
    private readonly base = '/api/v1',
  ) {}

  /** GET a JSON resource; `query` values that are null or empty are left out. */
  get<T>(path: string, query: Record<string, string | number | null | undefined> = {}): Promise<T> {
    return this.request<T>('GET', withQuery(path, query));
  }

  /** PUT a JSON body and read the JSON answer. */
  put<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PUT', path, body);
  }

  /** POST a JSON body and read the JSON answer. */
  post<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  /** GET a non-JSON resource (an export) as a Blob. */
  async download(path: string, query: Record<string, string> = {}): Promise<Blob> {
    const response = await this.send('GET', withQuery(path, query));
    if (!response.ok) throw await failureOf(response);
    return response.blob();
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.send(method, path, body);
    if (!response.ok) throw await failureOf(response);
    return (await response.json()) as T;
  }

  private async send(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (this.credentials.kind === 'sso') {
      const token = await this.credentials.token();
      if (token) headers.Authorization = `Bearer ${token}`;
    } else if (this.credentials.kind === 'demo') {
      headers['X-Demo-User'] = this.credentials.email;
    }
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    try {
      return await fetch(`${this.base}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      throw new ApiFailure(0, 'NETWORK', `The server did not answer (${String(error)}).`);
    }
  }
}

function withQuery(
  path: string,
  query: Record<string, string | number | null | undefined>,
): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query))
    if (value !== null && value !== undefined && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

async function failureOf(response: Response): Promise<ApiFailure> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as Partial<ApiErrorBody>;
    if (body.error && typeof body.error === 'object')
      return new ApiFailure(
        response.status,
        body.error.code ?? `HTTP_${response.status}`,
        body.error.message ?? response.statusText,
        body.error.details,
      );
  } catch {
    // Not JSON: fall through to the status line.
  }
  return new ApiFailure(
    response.status,
    `HTTP_${response.status}`,
    text.slice(0, 200) || response.statusText,
  );
}
