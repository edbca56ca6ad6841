/**
 * The renewal timeline: every intervention and outcome on a contract — stages opened, checkpoints,
 * readiness changes, risk flags, uplift proposals and answers, concession requests and decisions,
 * escalations, the renewal outcome — merged from their sources into one ordered list per contract.
 */

/** Kinds of timeline entries. */
export type RenewalTimelineKind =
  | 'stage.opened'
  | 'task.completed'
  | 'stakeholders.updated'
  | 'owner.reassigned'
  | 'checkpoint.logged'
  | 'checkpoint.disagreement'
  | 'readiness.changed'
  | 'renewal.flagged'
  | 'renewal.unflagged'
  | 'escalation.opened'
  | 'uplift.proposed'
  | 'uplift.decided'
  | 'concession.requested'
  | 'concession.decided'
  | 'concession.refused'
  | 'concession.expired'
  | 'note.written-back'
  | 'outcome';

/** One entry. `at` is an ISO timestamp or date; dates sort as the start of that day. */
export interface RenewalTimelineEntry {
  /** Stable id; an entry seen from two sources is kept once. */
  id: string;
  contractId: string;
  at: string;
  kind: RenewalTimelineKind;
  /** Who acted (agent / user id); null for the engine. */
  actor: string | null;
  summary: string;
  /** Id of the task, opportunity, concession… the entry is about. */
  ref: string | null;
}

/** Within the same instant, causes come before their effects. */
const KIND_ORDER: Record<RenewalTimelineKind, number> = {
  'readiness.changed': 0,
  'renewal.flagged': 1,
  'renewal.unflagged': 2,
  'stage.opened': 3,
  'escalation.opened': 4,
  'owner.reassigned': 5,
  'stakeholders.updated': 6,
  'task.completed': 7,
  'checkpoint.logged': 8,
  'checkpoint.disagreement': 9,
  'uplift.proposed': 10,
  'uplift.decided': 11,
  'concession.requested': 12,
  'concession.decided': 13,
  'concession.refused': 14,
  'concession.expired': 15,
  'note.written-back': 16,
  outcome: 17,
};

function instant(at: string): number {
  // HaloPSA timestamps may lack a zone: those are UTC, as are bare dates.
  const iso = at.length === 10 ? `${at}T00:00:00Z` : /(Z|[+-]\d\d:?\d\d)$/.test(at) ? at : `${at}Z`;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? Number.POSITIVE_INFINITY : t;
}

/**
 * Merge entries from any number of sources into one timeline per contract: duplicates (same id)
 * dropped, ordered by time, then cause-before-effect kind order, then id, so the order is total and
 * the same on every instance.
 */
export function buildRenewalTimelines(
  ...sources: readonly (readonly RenewalTimelineEntry[])[]
): Map<string, RenewalTimelineEntry[]> {
  const seen = new Map<string, RenewalTimelineEntry>();
  for (const source of sources) for (const e of source) if (!seen.has(e.id)) seen.set(e.id, e);
  const out = new Map<string, RenewalTimelineEntry[]>();
  const sorted = [...seen.values()].sort(
    (a, b) =>
      instant(a.at) - instant(b.at) ||
      KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
      a.id.localeCompare(b.id),
  );
  for (const e of sorted) {
    const list = out.get(e.contractId);
    if (list) list.push(e);
    else out.set(e.contractId, [e]);
  }
  return out;
}

/** The ordered timeline of one contract. */
export function renewalTimeline(
  contractId: string,
  ...sources: readonly (readonly RenewalTimelineEntry[])[]
): RenewalTimelineEntry[] {
  return (
    buildRenewalTimelines(...sources.map((s) => s.filter((e) => e.contractId === contractId))).get(
      contractId,
    ) ?? []
  );
}
