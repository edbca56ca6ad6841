import type { Clock } from '../../shared/clock';
import type { AuditTrail } from '../ports/audit.port';
import type { EvidenceStore } from './evidence-store.port';
import type { GateRepository } from './gate-repository.port';
import type { PackIntegrity } from './gate-views';

export interface VerifyPackDeps {
  gates: Pick<GateRepository, 'find' | 'pack' | 'files'>;
  /** Where the files are; null when no store is configured (nothing can be checked). */
  evidence: EvidenceStore | null;
  audit: AuditTrail;
  clock: Clock;
}

/** Audit action of a frozen file whose stored bytes no longer match the pack. */
export const EVIDENCE_MISMATCH = 'gate.evidence.mismatch';

/**
 * Re-verifies a gate's frozen pack whenever it is opened (tab or card): each file deliverable's
 * stored bytes are hashed again and compared with the SHA-256 the pack froze. A file changed or gone
 * is reported, and audited once per pack version, file and stored hash (opening the pack again does
 * not flood the timeline).
 */
export class VerifyPack {
  constructor(private readonly deps: VerifyPackDeps) {}

  /** Null when there is no such gate. */
  async run(gateId: string): Promise<PackIntegrity | null> {
    const { gates, evidence } = this.deps;
    const gate = await gates.find(gateId);
    if (!gate) return null;
    const checkedAt = this.deps.clock.now().toISOString();
    const pack = await gates.pack(gateId, gate.packVersion);
    const frozen = (pack?.deliverables ?? []).filter((d) => d.kind === 'file');
    if (frozen.length === 0) return { status: 'verified', checkedAt, files: [] };
    if (evidence === null) return { status: 'unavailable', checkedAt, files: [] };
    const paths = new Map((await gates.files(gateId)).map((f) => [f.id, f.path]));
    const files: PackIntegrity['files'] = [];
    try {
      for (const d of frozen) {
        const path = paths.get(d.fileId);
        const stored = path === undefined ? null : await evidence.sha256Of(path);
        files.push({
          fileId: d.fileId,
          name: d.name,
          frozenSha256: d.sha256,
          storedSha256: stored,
          ok: stored === d.sha256,
        });
      }
    } catch {
      // The store could not be read (SharePoint down): neither verified nor known to be changed.
      return { status: 'unavailable', checkedAt, files: [] };
    }
    const changed = files.filter((f) => !f.ok);
    if (changed.length > 0) await this.audit(gateId, gate.packVersion, changed);
    return { status: changed.length === 0 ? 'verified' : 'mismatch', checkedAt, files };
  }

  private async audit(
    gateId: string,
    packVersion: number,
    changed: PackIntegrity['files'],
  ): Promise<void> {
    const seen = (await this.deps.audit.timeline('gate', gateId)).filter(
      (e) => e.action === EVIDENCE_MISMATCH,
    );
    for (const f of changed) {
      const known = seen.some(
        (e) =>
          e.detail.packVersion === packVersion &&
          e.detail.fileId === f.fileId &&
          e.detail.storedSha256 === f.storedSha256,
      );
      if (known) continue;
      await this.deps.audit.append({
        subjectType: 'gate',
        subjectId: gateId,
        action: EVIDENCE_MISMATCH,
        actor: null,
        detail: {
          packVersion,
          fileId: f.fileId,
          name: f.name,
          frozenSha256: f.frozenSha256,
          storedSha256: f.storedSha256,
        },
      });
    }
  }
}
