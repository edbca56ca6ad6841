/**
 * What the gate panel says about the frozen pack's files, re-verified by the server as the pack was
 * opened: verified, a mismatch (which files changed or are gone — flagged, as it is audited on the
 * gate's timeline), or a store that could not be read.
 */
import type { PackIntegrityDto } from '../../../src/api/dto';

/** The integrity notice: its tone (a Fluent message bar intent), a title and one line per file. */
export interface IntegrityNotice {
  intent: 'success' | 'error' | 'warning';
  title: string;
  lines: string[];
}

/** The notice for a pack's integrity check; null when the gate has no frozen pack to check. */
export function integrityNotice(integrity: PackIntegrityDto | null): IntegrityNotice | null {
  if (integrity === null) return null;
  const short = (sha: string) => sha.slice(0, 12);
  switch (integrity.status) {
    case 'verified':
      return {
        intent: 'success',
        title:
          integrity.files.length === 0
            ? 'Evidence verified: the pack holds no stored file.'
            : `Evidence verified: ${files(integrity.files.length)} ${integrity.files.length === 1 ? 'matches' : 'match'} the frozen pack.`,
        lines: [],
      };
    case 'mismatch': {
      const changed = integrity.files.filter((f) => !f.ok);
      return {
        intent: 'error',
        title: `Evidence mismatch: ${files(changed.length)} no longer ${changed.length === 1 ? 'matches' : 'match'} the frozen pack. Do not rely on this pack; the mismatch is on the audit timeline.`,
        lines: changed.map((f) =>
          f.storedSha256 === null
            ? `${f.name}: gone from the store (frozen sha256 ${short(f.frozenSha256)})`
            : `${f.name}: stored sha256 ${short(f.storedSha256)} ≠ frozen ${short(f.frozenSha256)}`,
        ),
      };
    }
    case 'unavailable':
      return {
        intent: 'warning',
        title: 'Evidence not verified: the file store could not be read. Try again later.',
        lines: [],
      };
  }
}

function files(n: number): string {
  return `${n} file${n === 1 ? '' : 's'}`;
}
