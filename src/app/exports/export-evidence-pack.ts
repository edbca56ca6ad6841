import type { Clock } from '../../shared/clock';
import type { Actor } from '../delivery-views';
import type { EvidenceStore, StoredEvidenceFile } from '../gates/evidence-store.port';
import type { GateDetail, PackIntegrity } from '../gates/gate-views';
import type { ReadAccess, ReadRefusal } from '../identity/read-access';
import type { AuditTrail } from '../ports/audit.port';
import {
  PDF_CONTENT_TYPE,
  type DocumentBlock,
  type DocumentRenderer,
  type ExportedFile,
} from './document-renderer.port';
import type { AuditChainCheck, PackArchive, PackArchives } from './pack-archives.port';

export interface ExportEvidencePackDeps {
  access: ReadAccess;
  gates: { detail(gateId: string): Promise<GateDetail | null> };
  verify: { run(gateId: string): Promise<PackIntegrity | null> };
  chain: AuditChainCheck;
  renderer: DocumentRenderer;
  /** Where the archived PDF goes, next to the evidence; null when no store is configured. */
  evidence: EvidenceStore | null;
  archives: PackArchives;
  audit: AuditTrail;
  clock: Clock;
  tenantName: string;
}

/** Why a pack cannot be exported: the read rules, no such gate, or not decided yet. */
export type PackRefusal =
  ReadRefusal | { ok: false; reason: 'not-found' | 'not-decided'; message: string };

/** What archiving a pack did. */
export type PackArchiveOutcome =
  | { ok: true; archive: PackArchive; created: boolean }
  | { ok: false; reason: 'not-found' | 'not-decided' | 'no-store'; message: string };

/**
 * The evidence pack of a decided gate as a PDF: the pack, the file hashes (re-verified against the
 * store now), every decision, the gate's audit entries and the audit chain check from the gate's
 * request to the newest entry. On approval it is archived into the gate's evidence folder and its
 * SHA-256 recorded and audited.
 */
export class ExportEvidencePack {
  constructor(private readonly deps: ExportEvidencePackDeps) {}

  async run(actor: Actor, gateId: string): Promise<{ ok: true; file: ExportedFile } | PackRefusal> {
    const detail = await this.deps.gates.detail(gateId);
    if (detail === null) {
      const any = this.deps.access.anyRole(actor);
      return any.ok
        ? { ok: false, reason: 'not-found', message: `There is no gate ${gateId}.` }
        : any;
    }
    const grant = await this.deps.access.project(actor, detail.gate.project.id);
    if (!grant.ok) return grant;
    if (detail.gate.status === 'pending') {
      return {
        ok: false,
        reason: 'not-decided',
        message: 'This gate is still pending: its evidence pack is exported once it is decided.',
      };
    }
    return { ok: true, file: await this.render(detail) };
  }

  /** Archives the decided gate's pack PDF next to its evidence (once per pack version). */
  async archive(gateId: string): Promise<PackArchiveOutcome> {
    const { evidence, archives } = this.deps;
    const detail = await this.deps.gates.detail(gateId);
    if (detail === null) return { ok: false, reason: 'not-found', message: `No gate ${gateId}.` };
    const { gate } = detail;
    if (gate.status === 'pending') {
      return { ok: false, reason: 'not-decided', message: `Gate ${gateId} is pending.` };
    }
    const existing = await archives.find(gateId, gate.packVersion);
    if (existing !== null) return { ok: true, archive: existing, created: false };
    if (evidence === null) {
      return { ok: false, reason: 'no-store', message: 'No evidence store is configured.' };
    }
    const file = await this.render(detail);
    const location = {
      clientId: gate.client.id,
      clientName: gate.client.name,
      projectId: gate.project.id,
      projectName: gate.project.name,
      gateKey: String(gate.milestone.id),
    };
    let stored: StoredEvidenceFile;
    try {
      stored = await evidence.put(location, file.fileName, file.bytes, file.contentType);
    } catch (error) {
      // A put whose answer was lost stored the file: evidence is write-once, so record what is there.
      const existing =
        errorCode(error) === 'EVIDENCE_EXISTS'
          ? (await evidence.list(location)).find((f) => f.name === file.fileName)
          : undefined;
      if (existing === undefined) throw error;
      stored = existing;
    }
    const archive: PackArchive = {
      gateId,
      packVersion: gate.packVersion,
      path: stored.path,
      webUrl: stored.webUrl,
      size: stored.size,
      sha256: stored.sha256,
      archivedAt: stored.storedAt,
    };
    const created = await archives.record(archive);
    if (created) {
      await this.deps.audit.append({
        subjectType: 'gate',
        subjectId: gateId,
        action: 'gate.pack.archived',
        actor: null,
        detail: { packVersion: gate.packVersion, path: stored.path, sha256: stored.sha256 },
      });
    }
    return { ok: true, archive, created };
  }

  /**
   * Archives the approved gates an approval could not archive (the store was down): the retry of the
   * after-approval hook, run by the gates module's job. Failures are audited and left for next time.
   */
  async archiveMissing(limit = 50): Promise<{ archived: number; failed: number }> {
    let archived = 0;
    let failed = 0;
    for (const gateId of await this.deps.archives.unarchived(limit)) {
      try {
        const outcome = await this.archive(gateId);
        if (outcome.ok) archived += 1;
        else if (outcome.reason === 'no-store') break;
        else failed += 1;
      } catch (error) {
        failed += 1;
        await this.deps.audit.append({
          subjectType: 'gate',
          subjectId: gateId,
          action: 'gate.pack.archive-failed',
          actor: null,
          detail: { error: error instanceof Error ? error.message : String(error) },
        });
      }
    }
    return { archived, failed };
  }

  private async render(detail: GateDetail): Promise<ExportedFile> {
    const { gate, pack, files, decisions, timeline } = detail;
    // The chain from the gate's request to the head.
    const [integrity, chain] = await Promise.all([
      this.deps.verify.run(gate.id),
      this.deps.chain.verify(gate.requestedAt),
    ]);
    const date = this.deps.clock.now().toISOString().slice(0, 10);
    const stored = new Map(integrity?.files.map((f) => [f.fileId, f]) ?? []);
    const blocks: DocumentBlock[] = [
      {
        kind: 'facts',
        items: [
          { label: 'Client', value: gate.client.name },
          { label: 'Project', value: `${gate.project.name} (${gate.project.id})` },
          { label: 'Gate milestone', value: gate.milestone.name },
          { label: 'Status', value: gate.status },
          { label: 'Pack version', value: String(gate.packVersion) },
          { label: 'Pack SHA-256', value: gate.packHash },
          { label: 'Requested', value: `${gate.requestedAt} by ${gate.requestedBy.name}` },
          { label: 'Decided', value: gate.decidedAt ?? 'not yet' },
        ],
      },
      { kind: 'heading', level: 1, text: 'Deliverables' },
      pack.deliverables.length === 0
        ? { kind: 'paragraph', text: 'No deliverables.' }
        : {
            kind: 'list',
            items: pack.deliverables.map((d) =>
              d.kind === 'file'
                ? `${d.name} (file, ${d.size} bytes): SHA-256 ${d.sha256}, stored bytes ${storedWord(stored.get(d.fileId)?.ok, integrity)}`
                : `${d.title} (link): ${d.url}`,
            ),
          },
      { kind: 'heading', level: 1, text: 'QA outcomes' },
      pack.qaOutcomes.length === 0
        ? { kind: 'paragraph', text: 'No QA outcomes.' }
        : {
            kind: 'table',
            columns: ['Check', 'Outcome', 'Notes', 'Source'],
            rows: pack.qaOutcomes.map((q) => [q.name, q.outcome, q.notes, q.source]),
          },
      { kind: 'heading', level: 1, text: 'Customer acceptance' },
      { kind: 'paragraph', text: pack.customerAcceptanceNotes || 'None recorded.' },
      { kind: 'heading', level: 1, text: 'Open risks' },
      pack.openRisks.length === 0
        ? {
            kind: 'paragraph',
            text: pack.noOpenRisks ? 'The PM stated there are no open risks.' : 'None listed.',
          }
        : {
            kind: 'table',
            columns: ['Risk', 'Owner', 'Mitigation'],
            rows: pack.openRisks.map((r) => [r.description, r.owner, r.mitigation]),
          },
      { kind: 'heading', level: 1, text: 'Evidence files' },
      files.length === 0
        ? { kind: 'paragraph', text: 'No files uploaded.' }
        : {
            kind: 'list',
            items: files.map(
              (f) =>
                `${f.name}, ${f.size} bytes, stored ${f.storedAt} at ${f.path}: SHA-256 ${f.sha256}`,
            ),
          },
      {
        kind: 'paragraph',
        text: `File hash check at ${integrity?.checkedAt ?? date}: ${integrity?.status ?? 'unavailable'}.`,
      },
      { kind: 'heading', level: 1, text: 'Decisions' },
      decisions.length === 0
        ? { kind: 'paragraph', text: 'No decisions.' }
        : {
            kind: 'table',
            columns: ['Version', 'Decision', 'By', 'At', 'Comment'],
            rows: decisions.map((d) => [
              String(d.packVersion),
              d.outcome,
              d.by.name,
              d.at,
              d.comment,
            ]),
          },
      { kind: 'heading', level: 1, text: 'Audit entries' },
      {
        kind: 'list',
        items: timeline.map(
          (e) => `#${e.seq} ${e.at} ${e.action} by ${e.actorName}: entry hash ${e.hash}`,
        ),
      },
      { kind: 'heading', level: 1, text: 'Audit chain check' },
      {
        kind: 'paragraph',
        text: chain.ok
          ? `Audit chain intact from entry #${chain.from} (the first written since the gate was requested) to the newest: ${chain.entries} entries verified.`
          : `Audit chain BROKEN: ${chain.problem ?? 'unknown problem'}.`,
      },
    ];
    const bytes = await this.deps.renderer.render({
      title: `Evidence pack: ${gate.project.name}, ${gate.milestone.name}`,
      tenantName: this.deps.tenantName,
      date,
      blocks,
    });
    return {
      fileName: `evidence-pack-${gate.id}-v${gate.packVersion}.pdf`,
      contentType: PDF_CONTENT_TYPE,
      bytes,
    };
  }
}

function storedWord(ok: boolean | undefined, integrity: PackIntegrity | null): string {
  if (ok === true) return 'verified';
  if (ok === false) return 'CHANGED OR GONE';
  return integrity?.status ?? 'unavailable';
}

/** The stable `code` of an adapter's error (the evidence stores' `EVIDENCE_EXISTS`), if any. */
function errorCode(error: unknown): string | null {
  const code: unknown =
    typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : null;
}
