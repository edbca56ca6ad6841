import type { AccessToken, TokenCredential } from '@azure/identity';
import { entraPassword, POSTGRES_ENTRA_SCOPE } from './pg-entra-password';

/** A credential that hands out numbered tokens, each valid for an hour from the clock's now. */
class CountingCredential implements TokenCredential {
  readonly scopes: string[] = [];
  failNext = false;
  constructor(private readonly now: () => number) {}
  async getToken(scopes: string | string[]): Promise<AccessToken | null> {
    this.scopes.push(...(Array.isArray(scopes) ? scopes : [scopes]));
    if (this.failNext) {
      this.failNext = false;
      throw new Error('IMDS unavailable');
    }
    return { token: `token-${this.scopes.length}`, expiresOnTimestamp: this.now() + 3_600_000 };
  }
}

describe('entraPassword', () => {
  let time = Date.parse('2026-12-03T08:00:00Z');
  const clock = { now: () => new Date(time) };
  beforeEach(() => {
    time = Date.parse('2026-12-03T08:00:00Z');
  });

  test('asks for the PostgreSQL scope and reuses the token until five minutes before it expires', async () => {
    const credential = new CountingCredential(() => time);
    const password = entraPassword(credential, clock);

    expect(await password()).toBe('token-1');
    time += 54 * 60_000;
    expect(await password()).toBe('token-1');
    time += 2 * 60_000;
    expect(await password()).toBe('token-2');
    expect(credential.scopes).toEqual([POSTGRES_ENTRA_SCOPE, POSTGRES_ENTRA_SCOPE]);
  });

  test('connections opening together share one token request', async () => {
    const credential = new CountingCredential(() => time);
    const password = entraPassword(credential, clock);

    const tokens = await Promise.all([password(), password(), password()]);

    expect(tokens).toEqual(['token-1', 'token-1', 'token-1']);
    expect(credential.scopes).toHaveLength(1);
  });

  test('a failed request fails that connection only; the next one asks again', async () => {
    const credential = new CountingCredential(() => time);
    credential.failNext = true;
    const password = entraPassword(credential, clock);

    await expect(password()).rejects.toThrow('IMDS unavailable');
    expect(await password()).toBe('token-2');
  });

  test('a credential that returns no token is an error, not an empty password', async () => {
    const password = entraPassword({ getToken: async () => null }, clock);
    await expect(password()).rejects.toThrow(/no access token/);
  });
});
