import type { AccessToken, TokenCredential } from '@azure/identity';
import { systemClock, type Clock } from '../shared/clock';

/** The scope of Azure Database for PostgreSQL's Microsoft Entra tokens (all servers, all clouds' public one). */
export const POSTGRES_ENTRA_SCOPE = 'https://ossrdbms-aad.database.windows.net/.default';

/** A token is renewed this long before it expires, so a connection never opens with a dying one. */
const RENEW_BEFORE_MS = 5 * 60_000;

/**
 * The `password` function of a `pg` pool that signs in with a Microsoft Entra access token: PostgreSQL
 * reads the token as the password when a connection opens (open connections outlive it). The token is
 * shared by every connection until five minutes before it expires; connections opening together wait
 * for one request, and a failed request is not cached (the next connection asks again).
 */
export function entraPassword(
  credential: TokenCredential,
  clock: Clock = systemClock,
): () => Promise<string> {
  let current: AccessToken | null = null;
  let pending: Promise<AccessToken> | null = null;
  return async () => {
    if (current && current.expiresOnTimestamp - RENEW_BEFORE_MS > clock.now().getTime()) {
      return current.token;
    }
    pending ??= credential
      .getToken(POSTGRES_ENTRA_SCOPE)
      .then((token) => {
        if (!token) throw new Error('Microsoft Entra returned no access token for PostgreSQL');
        current = token;
        return token;
      })
      .finally(() => {
        pending = null;
      });
    return (await pending).token;
  };
}
