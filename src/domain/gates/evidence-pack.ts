/**
 * The evidence pack a project manager submits at a quality gate (SPEC §2.4): deliverables (files or
 * links), QA outcomes, customer acceptance notes and open risks. Pure: validation against the gate's
 * mandatory items and the frozen, hashed form the approvers decide on.
 */
import { canonicalJson } from '../../shared/canonical-json';

/** The mandatory items a gate's policy can ask for. */
export type EvidenceItem = 'deliverables' | 'qa-outcomes' | 'customer-acceptance' | 'open-risks';

/** Every evidence item, in the order cards and messages list them. */
export const EVIDENCE_ITEMS: readonly EvidenceItem[] = [
  'deliverables',
  'qa-outcomes',
  'customer-acceptance',
  'open-risks',
];

/** A deliverable: an uploaded file (identified by its SHA-256) or a link. */
export type Deliverable =
  | { kind: 'file'; fileId: string; name: string; sha256: string; size: number }
  | { kind: 'link'; title: string; url: string };

/** One QA outcome; completed HaloPSA tasks of the gate's milestone count as passed checks. */
export interface QaOutcome {
  name: string;
  outcome: 'pass' | 'fail';
  notes: string;
  source: 'manual' | 'halo-task';
  /** The HaloPSA task, when the outcome comes from one. */
  taskId?: number;
}

/** An open risk: every one needs an owner and a mitigation. */
export interface OpenRisk {
  description: string;
  owner: string;
  mitigation: string;
}

/** The pack as the PM assembles it. */
export interface EvidencePack {
  deliverables: Deliverable[];
  qaOutcomes: QaOutcome[];
  /** What the customer accepted, in words (who, when, what); empty when none yet. */
  customerAcceptanceNotes: string;
  openRisks: OpenRisk[];
  /** The PM states there are no open risks (an empty risk list alone says nothing). */
  noOpenRisks: boolean;
}

/** One thing missing or wrong in a pack, said so the PM knows what to add. */
export interface MissingEvidence {
  item: EvidenceItem;
  message: string;
}

/** Words for an evidence item. */
export function evidenceLabel(item: EvidenceItem): string {
  switch (item) {
    case 'deliverables':
      return 'Deliverables';
    case 'qa-outcomes':
      return 'QA outcomes';
    case 'customer-acceptance':
      return 'Customer acceptance notes';
    case 'open-risks':
      return 'Open risks';
  }
}

/**
 * What the pack lacks against the gate's mandatory items (empty = complete). Risks are checked
 * whatever the policy says: a listed risk without an owner or a mitigation is never acceptable.
 */
export function missingEvidence(
  pack: EvidencePack,
  required: readonly EvidenceItem[],
): MissingEvidence[] {
  const missing: MissingEvidence[] = [];
  const needs = new Set(required);
  if (needs.has('deliverables') && pack.deliverables.length === 0) {
    missing.push({
      item: 'deliverables',
      message: 'Add at least one deliverable (a file or a link).',
    });
  }
  if (needs.has('qa-outcomes') && pack.qaOutcomes.length === 0) {
    missing.push({
      item: 'qa-outcomes',
      message:
        'Record at least one QA outcome (pass or fail, with notes), or complete the milestone’s QA tasks in HaloPSA.',
    });
  }
  for (const qa of pack.qaOutcomes) {
    if (qa.outcome === 'fail' && qa.notes.trim() === '') {
      missing.push({
        item: 'qa-outcomes',
        message: `QA "${qa.name}" failed: say why in its notes.`,
      });
    }
  }
  if (needs.has('customer-acceptance') && pack.customerAcceptanceNotes.trim() === '') {
    missing.push({
      item: 'customer-acceptance',
      message: 'Add the customer acceptance notes (who accepted what, and when).',
    });
  }
  if (needs.has('open-risks') && pack.openRisks.length === 0 && !pack.noOpenRisks) {
    missing.push({
      item: 'open-risks',
      message: 'List the open risks (each with owner and mitigation), or state there are none.',
    });
  }
  pack.openRisks.forEach((risk, index) => {
    const name =
      risk.description.trim() === '' ? `Risk ${index + 1}` : `Risk "${risk.description}"`;
    if (risk.description.trim() === '') {
      missing.push({ item: 'open-risks', message: `${name} has no description.` });
    }
    if (risk.owner.trim() === '')
      missing.push({ item: 'open-risks', message: `${name} has no owner.` });
    if (risk.mitigation.trim() === '') {
      missing.push({ item: 'open-risks', message: `${name} has no mitigation.` });
    }
  });
  return missing;
}

/** Counts a card shows for a pack. */
export interface PackSummary {
  deliverables: number;
  qaPassed: number;
  qaFailed: number;
  openRisks: number;
  hasCustomerAcceptance: boolean;
}

/** Summarises a pack for cards and lists. */
export function summarisePack(pack: EvidencePack): PackSummary {
  return {
    deliverables: pack.deliverables.length,
    qaPassed: pack.qaOutcomes.filter((q) => q.outcome === 'pass').length,
    qaFailed: pack.qaOutcomes.filter((q) => q.outcome === 'fail').length,
    openRisks: pack.openRisks.length,
    hasCustomerAcceptance: pack.customerAcceptanceNotes.trim() !== '',
  };
}

/** A pack as submitted: the gate and version it belongs to and its canonical JSON and hash. */
export interface FrozenPack {
  canonical: string;
  /** SHA-256 (hex) of `canonical`: file contents enter through their SHA-256s. */
  hash: string;
  /** The first 12 hex digits, shown on cards ("pack #3f9a…"). */
  shortHash: string;
}

/** The identity a frozen pack is bound to, so the same pack on another gate hashes differently. */
export interface PackBinding {
  gateId: string;
  version: number;
  projectId: number;
  milestoneId: number;
}

/** Lower-case hex SHA-256 of a text's UTF-8 bytes (the domain receives it; it does no hashing itself). */
export type Sha256 = (text: string) => string;

/**
 * Freezes a pack: canonical JSON (keys sorted, text trimmed) of the binding and the pack, including
 * each file's SHA-256, then its SHA-256. Equal packs give equal hashes; any change gives another.
 */
export function freezePack(pack: EvidencePack, binding: PackBinding, sha256: Sha256): FrozenPack {
  const canonical = canonicalJson({ binding, pack: normalisePack(pack) });
  const hash = sha256(canonical);
  return { canonical, hash, shortHash: hash.slice(0, 12) };
}

/** Trims text fields so whitespace never changes a hash. */
export function normalisePack(pack: EvidencePack): EvidencePack {
  return {
    deliverables: pack.deliverables.map((d) =>
      d.kind === 'file'
        ? {
            kind: 'file',
            fileId: d.fileId,
            name: d.name.trim(),
            sha256: d.sha256.toLowerCase(),
            size: d.size,
          }
        : { kind: 'link', title: d.title.trim(), url: d.url.trim() },
    ),
    qaOutcomes: pack.qaOutcomes.map((q) => ({
      name: q.name.trim(),
      outcome: q.outcome,
      notes: q.notes.trim(),
      source: q.source,
      ...(q.taskId === undefined ? {} : { taskId: q.taskId }),
    })),
    customerAcceptanceNotes: pack.customerAcceptanceNotes.trim(),
    openRisks: pack.openRisks.map((r) => ({
      description: r.description.trim(),
      owner: r.owner.trim(),
      mitigation: r.mitigation.trim(),
    })),
    noOpenRisks: pack.openRisks.length === 0 && pack.noOpenRisks,
  };
}

/**
 * QA outcomes with the milestone's completed HaloPSA tasks added as passed checks (a task already
 * listed by id is not added twice).
 */
export function withCompletedTasks(
  outcomes: readonly QaOutcome[],
  completedTasks: readonly { id: number; summary: string }[],
): QaOutcome[] {
  const listed = new Set(outcomes.filter((o) => o.taskId !== undefined).map((o) => o.taskId));
  return [
    ...outcomes,
    ...completedTasks
      .filter((task) => !listed.has(task.id))
      .map((task) => ({
        name: task.summary,
        outcome: 'pass' as const,
        notes: `HaloPSA task ${task.id} completed`,
        source: 'halo-task' as const,
        taskId: task.id,
      })),
  ];
}
