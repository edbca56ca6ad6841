import { toSafeFileName } from '../../domain/gates/evidence-file-name';
import { gateIdOf, isGateMilestone } from '../../domain/gates/gate-milestone';
import type { Actor } from '../delivery-views';
import { ACCESS_POLICY } from '../identity/access-policy';
import type { AuditTrail } from '../ports/audit.port';
import type { Transactional } from '../ports/transaction.port';
import type { EvidenceStore } from './evidence-store.port';
import { auditActor, gatePerson, mayRequestGates } from './gate-actors';
import type { GateProjects } from './gate-projects.port';
import type { GateFileRow, GateRepository } from './gate-repository.port';
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
  | { ok: false; reason: 'not-found' | 'not-authorised' | 'invalid-input'; message: string };

export interface UploadEvidenceDeps {
  projects: GateProjects;
  /** Where evidence files go; null when uploads are not configured. */
  evidence: EvidenceStore | null;
  tx: Transactional<{ gates: GateRepository; audit: AuditTrail }>;
  newId: NewId;
  /** Largest evidence upload accepted (bytes). */
  maxUploadBytes?: number;
}

/** Stores an evidence file for a gate milestone and records it, with its audit entry. */
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
    const stored = await evidence.put(
      {
        clientId: ctx.client.id,
        clientName: ctx.client.name,
        projectId: ctx.project.id,
        projectName: ctx.project.name,
        gateKey: String(input.milestoneId),
      },
      toSafeFileName(input.fileName),
      input.content,
      input.contentType || 'application/octet-stream',
    );
    const file: GateFileRow = {
      id: this.deps.newId(),
      gateId,
      projectId: input.projectId,
      milestoneId: input.milestoneId,
      name: stored.name,
      path: stored.path,
      size: stored.size,
      sha256: stored.sha256,
      contentType: stored.contentType,
      webUrl: stored.webUrl,
      storedAt: stored.storedAt,
      uploadedBy: gatePerson(actor),
    };
    await this.deps.tx.transaction(async ({ gates, audit }) => {
      await gates.insertFile(file);
      await audit.append({
        subjectType: 'gate',
        subjectId: gateId,
        action: 'gate.evidence.uploaded',
        actor: auditActor(actor),
        detail: { fileId: file.id, name: file.name, size: file.size, sha256: file.sha256 },
      });
    });
    return { ok: true, file };
  }
}
