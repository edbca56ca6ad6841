import type { ReadGrant } from '../app/identity/read-access';
import { ApiError } from './api-types';

/** What a granted read may see; a refused one becomes a 403 with its reason as the code. */
export function granted<T>(grant: ReadGrant<T>): T {
  if (grant.ok) return grant.value;
  throw new ApiError(403, grant.reason, grant.message);
}
