import { storedEvidenceName, toSafeFileName } from '../../domain/gates/evidence-file-name';
import { gateIdOf, isGateMilestone } from '../../domain/gates/gate-milestone';
import type { Actor } from '../delivery-views';
import { ACCESS_POLICY } from '../identity/access-policy';
import type { AuditTrail } from '../ports/audit.port';
import type { Transactional } from '../ports/transaction.port';
import type { EvidenceStore } from './evidence-store.port';
import { auditActor, gatePerson, mayRequestGates } from './gate-actors';
import type { GateProjects } from './gate-projects.port';
import type { GateFileRow, GateRepository, GateRow } from './gate-repository.port';
import type { GateEvidenceFileView } from './gate-views';
import type { NewId } from './identifiers.port';

export interface GateUploadInput {
  projectId: number;
  milestoneId: number;
  fileName: string;
  contentType: string;
  content: Buffer;
}

export type GateUploadResult =
  | { ok: true; file: GateEvidenceFileView }
  | {
      ok: false;
      reason: 'not-found' | 'not-authorised' | 'invalid-input' | 'already-decided';
      message: string;
    };

export interface UploadEvidenceDeps {
  projects: GateProjects;
  /** Reads outside the transaction (is the gate decided already?). */
  gates: Pick<GateRepository, 'find'>;
  /** Where evidence files go; null when uploads are not configured. */
  evidence: EvidenceStore | null;
  tx: Transactional<{ gates: GateRepository; audit: AuditTrail }>;
  newId: NewId;
  /** Largest evidence upload accepted (bytes). */
  maxUploadBytes?: number;
}

/**
 * Stores an evidence file for a gate milestone and records it, with its audit entry. Write-once: the
 * bytes go under the file's own id (the uploaded name is only its display name), so no upload can
 * land on another's file, and nothing is uploaded to a gate that was approved.
 */
export class UploadEvidence {
  constructor(private readonly deps: UploadEvidenceDeps) {}

  async run(actor: Actor, input: GateUploadInput): Promise<GateUploadResult> {
    const { evidence } = this.deps;
    if (!mayRequestGates(actor)) {
      return {
        ok: false,
        reason: 'not-authorised',
        message: 'Only project managers upload evidence.',
      };
    }
    if (evidence === null) {
      return { ok: false, reason: 'invalid-input', message: 'No evidence store is configured.' };
    }
    const max = this.deps.maxUploadBytes ?? 10 * 1024 * 1024;
    if (input.content.length === 0 || input.content.length > max) {
      return {
        ok: false,
        reason: 'invalid-input',
        message: `An evidence file must hold between 1 byte and ${max} bytes.`,
      };
    }
    const ctx = await this.deps.projects.projectContext(input.projectId);
    const milestone = ctx?.milestones.find((m) => m.id === input.milestoneId);
    if (!ctx || !milestone || !isGateMilestone(milestone.name)) {
      return { ok: false, reason: 'not-found', message: 'No such gate milestone on that project.' };
    }
    if (!ACCESS_POLICY.mayChangeGatesOf(actor, ctx.projectManager)) {
      return {
        ok: false,
        reason: 'not-authorised',
        message: `Only the manager of ${ctx.project.name} (or a delivery director) can upload its evidence.`,
      };
    }
    const gateId = gateIdOf(input.projectId, input.milestoneId);
    const decided = (gate: GateRow | null): GateUploadResult | null =>
      gate?.status === 'approved'
        ? {
            ok: false,
            reason: 'already-decided',
            message: `${milestone.name} was approved with pack #${gate.packHash.slice(0, 12)}: its evidence can no longer change.`,
          }
        : null;
    const before = decided(await this.deps.gates.find(gateId));
    if (before !== null) return before;
    const id = this.deps.newId();
    const displayName = toSafeFileName(input.fileName);
    const stored = await evidence.put(
      {
        clientId: ctx.client.id,
        clientName: ctx.client.name,
        projectId: ctx.project.id,
        projectName: ctx.project.name,
        gateKey: String(input.milestoneId),
      },
      storedEvidenceName(id, displayName),
      input.content,
      contentTypeOf(input.contentType),
    );
    const file: GateFileRow = {
      id,
      gateId,
      projectId: input.projectId,
      milestoneId: input.milestoneId,
      name: displayName,
      path: stored.path,
      size: stored.size,
      sha256: stored.sha256,
      contentType: stored.contentType,
      webUrl: stored.webUrl,
      storedAt: stored.storedAt,
      uploadedBy: gatePerson(actor),
    };
    const refused = await this.deps.tx.transaction(async ({ gates, audit }) => {
      // Approved meanwhile: the stored bytes stay unreferenced; the approved pack never lists them.
      const late = decided(await gates.find(gateId, true));
      if (late !== null) return late;
      await gates.insertFile(file);
      await audit.append({
        subjectType: 'gate',
        subjectId: gateId,
        action: 'gate.evidence.uploaded',
        actor: auditActor(actor),
        detail: {
          fileId: file.id,
          name: file.name,
          path: file.path,
          size: file.size,
          sha256: file.sha256,
        },
      });
      return null;
    });
    if (refused !== null) return refused;
    return { ok: true, file };
  }
}

/** A plain `type/subtype` content type, else application/octet-stream (no parameters, no controls). */
function contentTypeOf(text: string): string {
  const token = '[A-Za-z0-9!#$&^_.+-]{1,100}';
  return new RegExp(`^${token}/${token}$`).test(text.trim())
    ? text.trim().toLowerCase()
    : 'application/octet-stream';
}
