import { createHash } from 'node:crypto';
import { canonicalJson } from '../shared/canonical-json';

/** SHA-256 (hex) of a value's canonical JSON: the content checksum of a stored record. */
export function contentHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}
