import { isDeepStrictEqual } from 'node:util';
import type {
  EscalationDecisionPorts,
  EscalationRecords,
} from '../app/delivery/escalation-records.port';
import type { EscalationView } from '../app/delivery-views';
import type { Escalation } from '../domain/delivery/escalation';
import type { ProjectAssessment } from '../domain/delivery/health-score';
import { deepFreeze } from '../shared/deep-freeze';
import { groupCommit, groupRead } from '../shared/group-commit';
import type { Db } from './db';
import { driverView } from './delivery-queries.repository';

const ACTION_WORDS: Record<Escalation['events'][number]['action'], string> = {
  opened: 'opened',
  updated: 'updated',
  resolved: 'resolved',
  're-escalated': 're-escalated to the delivery director',
  acknowledged: 'acknowledged',
  assigned: 'assigned a mitigation owner',
  snoozed: 'snoozed',
  'snooze-ended': 'snooze ended',
  'false-positive': 'marked it not a real issue',
};

/** Escalations read in one statement at most (two array parameters). */
const FIND_BATCH = 200;

/** Escalations whose last `find` answer is kept, to be given again while they read the same. */
const LAST_FOUND = 64;

/** Decisions written in one transaction at most. */
const DECIDE_BATCH = 100;

/** A compare-and-set: `next` is saved if the stored escalation still has `expectedUpdatedAt`. */
interface Swap {
  tenantId: string;
  next: Escalation;
  expectedUpdatedAt: string;
}

/** A decision: its compare-and-set and what it writes alongside when it wins. */
interface Decision extends Swap {
  alongside: (ports: EscalationDecisionPorts) => Promise<void>;
}

/** What the card shows of the project's latest assessment: its score and the escalation's driver. */
type CardAssessment = Pick<ProjectAssessment, 'score' | 'rag' | 'drivers'>;

/** What an escalation's card shows besides the escalation itself, as read from the mirror. */
interface CardContext {
  project: { summary: string | null; client_id: number | null; client_name: string | null } | null;
  /** Its drivers may be only the one the escalation is about (as `find` reads them). */
  assessment: CardAssessment | null;
  agents: { id: number; name: string }[];
}

/** An escalation as `find` reads it (a row of nulls when there is none). */
type FindRow = {
  state: Escalation | null;
  agent_id: number | null;
  summary: string | null;
  client_id: number | null;
  client_name: string | null;
  has_project: boolean;
  assessment: CardAssessment | null;
  agents: { id: number; name: string }[] | string;
};

/** What `find` answers, by the row it was read from. */
type Found = NonNullable<Awaited<ReturnType<EscalationRecords['find']>>>;
const foundOfRow = new WeakMap<FindRow, Found>();

/**
 * `find`'s answer for `row` (one with an escalation): the escalation as read gets one view, frozen;
 * any other its own.
 */
function foundIn(row: FindRow): Found {
  const escalation = row.state!;
  const context: CardContext = {
    project: row.has_project
      ? { summary: row.summary, client_id: row.client_id, client_name: row.client_name }
      : null,
    assessment: row.assessment,
    agents: typeof row.agents === 'string' ? JSON.parse(row.agents) : row.agents,
  };
  let asRead: EscalationView | undefined;
  return {
    escalation,
    pmAgentId: row.agent_id === null ? null : Number(row.agent_id),
    view: (e: Escalation) =>
      e === escalation
        ? (asRead ??= deepFreeze(escalationViewOf(e, context)))
        : escalationViewOf(e, context),
  };
}

/**
 * Escalations as the bot's actions read and write them, with compare-and-set on `updatedAt`.
 * `bind` gives the ports a decision writes in its own transaction (the card update, the action log).
 */
export class SqlEscalationRecords implements EscalationRecords {
  constructor(
    private readonly db: Db,
    private readonly bind?: (tx: Db) => EscalationDecisionPorts,
  ) {}

  /**
   * The escalation, its project's manager and everything its card shows, in one round trip. Askers
   * of one escalation at once (fifty clicks on one card) share one read, one answer and one view of
   * it as read, frozen (its card is then keyed without serialising the view again for each click).
   */
  async find(tenantId: string, escalationId: string) {
    const row = await this.findRow({ tenantId, escalationId });
    if (row.state === null) return null;
    let found = foundOfRow.get(row);
    if (found === undefined) {
      found = this.answerFor(JSON.stringify([tenantId, escalationId]), row);
      foundOfRow.set(row, found);
    }
    return found;
  }

  /**
   * The last answers of `find`, by escalation, with the rows they were read from (at most
   * `LAST_FOUND` escalations, the least recently read going first).
   */
  private readonly lastFound = new Map<string, { row: FindRow; found: Found }>();

  /**
   * `find`'s answer for the escalation `key` read as `row`: the answer last given when `row` reads
   * the same as the row that answer came from, else a new one, kept in its place. Clicks on a card
   * nobody changed since (fifty people clicking again, a card refreshed again) then share its view
   * and that view's card, instead of serialising an equal view anew to look the card up.
   */
  private answerFor(key: string, row: FindRow): Found {
    const last = this.lastFound.get(key);
    this.lastFound.delete(key);
    const same = last !== undefined && isDeepStrictEqual(last.row, row);
    const kept = same ? last : { row, found: foundIn(row) };
    this.lastFound.set(key, kept);
    if (this.lastFound.size > LAST_FOUND)
      this.lastFound.delete(this.lastFound.keys().next().value!);
    return kept.found;
  }

  /**
   * Escalations asked for together (fifty clicks at once) are read in one round trip, in the order
   * asked, with each tenant's assignable agents read once; one that does not exist reads as a row
   * of nulls.
   */
  private readonly findRow = groupRead(
    (asked: readonly { tenantId: string; escalationId: string }[]) =>
      this.db.query<FindRow>(
        `WITH asked AS (
           SELECT k.tenant_id, k.id, k.ord
             FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS k(tenant_id, id, ord)),
         assignable AS (
           SELECT t.tenant_id,
                  (SELECT coalesce(json_agg(json_build_object('id', a.id, 'name', a.name) ORDER BY a.name), '[]')
                     FROM halo_agents a WHERE a.tenant_id = t.tenant_id AND NOT a.inactive) AS agents
             FROM (SELECT DISTINCT tenant_id FROM asked) t)
         SELECT e.state, p.agent_id, p.summary, p.client_id, c.name AS client_name,
                p.id IS NOT NULL AS has_project,
                (SELECT jsonb_build_object('score', a->'score', 'rag', a->'rag', 'drivers',
                          coalesce((SELECT jsonb_agg(d) FROM jsonb_array_elements(a->'drivers') d
                                     WHERE d->>'key' = e.state->>'cause'), '[]'::jsonb))
                   FROM (SELECT s.assessment->'assessment' AS a FROM health_snapshots s
                          WHERE s.tenant_id = e.tenant_id AND s.project_id = e.project_id
                          ORDER BY s.snapshot_date DESC LIMIT 1) latest) AS assessment,
                coalesce(g.agents, '[]') AS agents
           FROM asked k
           LEFT JOIN escalations e ON e.tenant_id = k.tenant_id AND e.id = k.id
           LEFT JOIN halo_projects p ON p.tenant_id = e.tenant_id AND p.id = e.project_id
           LEFT JOIN halo_clients c ON c.tenant_id = p.tenant_id AND c.id = p.client_id
           LEFT JOIN assignable g ON g.tenant_id = e.tenant_id
          ORDER BY k.ord`,
        [asked.map((k) => k.tenantId), asked.map((k) => k.escalationId)],
      ),
    (asked) => JSON.stringify([asked.tenantId, asked.escalationId]),
    FIND_BATCH,
  );

  /**
   * Saves `next` if the stored escalation still has `expectedUpdatedAt`. With `alongside`, the
   * compare-and-set and what it writes commit together, group-committed (`decide`).
   */
  async compareAndSet(
    tenantId: string,
    next: Escalation,
    expectedUpdatedAt: string,
    alongside?: (ports: EscalationDecisionPorts) => Promise<void>,
  ): Promise<boolean> {
    if (!alongside) {
      const [saved] = await this.swapMany(this.db, [{ tenantId, next, expectedUpdatedAt }]);
      return saved!;
    }
    if (!this.bind) throw new Error('SqlEscalationRecords: no ports to write a decision alongside');
    return this.decide({ tenantId, next, expectedUpdatedAt, alongside });
  }

  /**
   * Decisions asked for while a batch is being written (the demo's two dozen open escalations
   * acknowledged at once) are written together in the next transaction: one statement for their
   * compare-and-sets, then what each that won writes alongside, in the order asked. One that
   * fails the transaction (a hostile value) rolls back the batch, which is then written decision
   * by decision, so it fails alone.
   */
  private readonly decide = groupCommit(
    (decisions: readonly Decision[]) => this.decideMany(decisions),
    async (decision: Decision) => (await this.decideMany([decision]))[0]!,
    DECIDE_BATCH,
  );

  private decideMany(decisions: readonly Decision[]): Promise<boolean[]> {
    const ports = this.bind!;
    return this.db.transaction(async (tx) => {
      const saved = await this.swapMany(tx, decisions);
      const bound = ports(tx);
      for (const [i, decision] of decisions.entries())
        if (saved[i]) await decision.alongside(bound);
      return saved;
    });
  }

  /**
   * The compare-and-sets of `swaps`, in the order given, one statement per round: an escalation
   * given twice has its second swap in the next round, judged on what the first left.
   */
  private async swapMany(db: Db, swaps: readonly Swap[]): Promise<boolean[]> {
    const saved = swaps.map(() => false);
    let rest = swaps.map((swap, at) => ({ swap, at }));
    while (rest.length > 0) {
      const keys = new Set<string>();
      const round: typeof rest = [];
      const later: typeof rest = [];
      for (const item of rest) {
        const key = JSON.stringify([item.swap.tenantId, item.swap.next.id]);
        (keys.has(key) ? later : round).push(item);
        keys.add(key);
      }
      const won = await db.query<{ ord: string | number }>(
        `UPDATE escalations e
            SET state = k.state::jsonb, status = k.status, severity = k.severity,
                updated_at = k.updated_at::timestamptz, closed_at = k.closed_at::timestamptz
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                       $7::text[], $8::text[])
                WITH ORDINALITY AS k(tenant_id, id, state, status, severity, updated_at, closed_at,
                                     expected, ord)
          WHERE e.tenant_id = k.tenant_id AND e.id = k.id AND e.state->>'updatedAt' = k.expected
          RETURNING k.ord`,
        [
          round.map(({ swap }) => swap.tenantId),
          round.map(({ swap }) => swap.next.id),
          round.map(({ swap }) => JSON.stringify(swap.next)),
          round.map(({ swap }) => swap.next.status),
          round.map(({ swap }) => swap.next.severity),
          round.map(({ swap }) => swap.next.updatedAt),
          round.map(({ swap }) => swap.next.closedAt),
          round.map(({ swap }) => swap.expectedUpdatedAt),
        ],
      );
      for (const { ord } of won) saved[round[Number(ord) - 1]!.at] = true;
      rest = later;
    }
    return saved;
  }

  /** The card's view; `db` lets a caller build it inside its own transaction. */
  async view(tenantId: string, e: Escalation, db: Db = this.db): Promise<EscalationView> {
    const [project] = await db.query<{
      summary: string | null;
      client_id: number | null;
      client_name: string | null;
    }>(
      `SELECT p.summary, p.client_id, c.name AS client_name FROM halo_projects p
         LEFT JOIN halo_clients c ON c.tenant_id = p.tenant_id AND c.id = p.client_id
        WHERE p.tenant_id = $1 AND p.id = $2`,
      [tenantId, Number(e.projectId)],
    );
    const [snapshot] = await db.query<{ assessment: { assessment: ProjectAssessment } }>(
      `SELECT assessment FROM health_snapshots WHERE tenant_id = $1 AND project_id = $2
        ORDER BY snapshot_date DESC LIMIT 1`,
      [tenantId, Number(e.projectId)],
    );
    const agents = await db.query<{ id: number; name: string }>(
      `SELECT id, name FROM halo_agents WHERE tenant_id = $1 AND NOT inactive ORDER BY name`,
      [tenantId],
    );
    return escalationViewOf(e, {
      project: project ?? null,
      assessment: snapshot?.assessment.assessment ?? null,
      agents,
    });
  }
}

/** The card's view of an escalation from what the card shows besides it; pure. */
function escalationViewOf(e: Escalation, context: CardContext): EscalationView {
  const { project, agents } = context;
  const name = new Map(agents.map((a) => [String(a.id), a.name]));
  const nameOf = (id: string | null) => (id === null ? null : (name.get(id) ?? id));
  const a = context.assessment ?? undefined;
  const driver = a?.drivers.find((d) => d.key === e.cause);
  return {
    id: e.id,
    project: { id: Number(e.projectId), name: project?.summary ?? `Project ${e.projectId}` },
    client: { id: Number(project?.client_id ?? 0), name: project?.client_name ?? '' },
    cause: e.cause,
    severity: e.severity,
    state: e.status === 'acknowledged' && e.mitigationOwnerAgentId ? 'assigned' : e.status,
    details: driver
      ? [driver.explanation, `${driverView(driver).value} (${driverView(driver).threshold})`]
      : [],
    score: a && a.rag !== 'unknown' ? a.score : null,
    rag: a?.rag ?? 'unknown',
    ownerName: nameOf(e.ownerAgentId),
    mitigationOwnerName: nameOf(e.mitigationOwnerAgentId),
    acknowledgeBy: e.acknowledgeBy,
    snoozedUntil: e.snoozedUntil,
    assignableAgents: agents.map((ag) => ({ id: Number(ag.id), name: ag.name })),
    history: e.events.map((ev) => ({
      at: ev.at,
      actorName: ev.by === 'engine' ? 'Control Tower' : (nameOf(ev.by) ?? ev.by),
      action: ev.note ? `${ACTION_WORDS[ev.action]}: ${ev.note}` : ACTION_WORDS[ev.action],
    })),
    openedAt: e.openedAt,
  };
}
