import { classifyStatus } from '../domain/delivery/status-class';
import { NEGATIVE_TERMS } from '../domain/renewals/sentiment-lexicon';
import type { Db } from './db';
import { clearChanges } from './mirror-changes';

/*
 * Facts the renewal engine reads, derived from the HaloPSA mirror when it changes: each client
 * ticket's service facts (open date, priority, category, fix-by time, first close), the dated
 * signals in its actions (reopens, feedback scores, customer notes that may hold lexicon terms),
 * those totalled per client and month, and each contract's hours per day. The engine reads these
 * narrow rows per client (`renewal-history.repository.ts`) instead of every ticket's actions and
 * every timesheet on each evaluation: those are read once, when they arrive.
 *
 * The mirror queues (`mirror-changes.ts`) a ticket whenever it writes the ticket or its actions, and a contract whenever
 * it writes a timesheet event booked to it (before or after); `serviceFactsUpToDate` derives what is
 * queued (the sync calls it when it finishes; the reader before it reads, so it never reads a
 * stale fact).
 */

/**
 * Only notes containing the first word of some lexicon phrase can score: a superset the database
 * filters cheaply (the lexicon itself runs on the loaded text).
 */
const LEXICON_PREFILTER = `\\m(${[
  ...new Set(NEGATIVE_TERMS.map((t) => t.phrase.split(' ')[0]!.replace(/[^a-z0-9']/g, ''))),
].join('|')})`;

/** A score in a feedback note: "4/5", "8 / 10", "4.5/5". */
const FEEDBACK_SCORE = '([0-9]+(?:\\.[0-9]+)?)\\s*/\\s*([0-9]+)';

/**
 * What the facts are derived with; stored facts derived with anything else are derived again for
 * the whole tenant. Bump the version when a definition below changes.
 */
function basisOf(closedIds: readonly number[]): string {
  return JSON.stringify({
    version: 4,
    closed: [...closedIds].sort((a, b) => a - b),
    lexicon: LEXICON_PREFILTER,
  });
}

/**
 * A fix-by string as a timestamp where the database reads it exactly as `parseHaloDate` does (ISO
 * date and time, optional milliseconds and offset, a real calendar day); null for any other
 * shape, which is then read by `parseHaloDate` itself.
 */
const CANONICAL_FIX_BY = `CASE
  WHEN x.fix_by !~ '^[1-9][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,3})?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])?$'
    THEN NULL
  WHEN substr(x.fix_by, 9, 2) > '28' AND substr(x.fix_by, 9, 2)::int > extract(day from
         make_date(substr(x.fix_by, 1, 4)::int, substr(x.fix_by, 6, 2)::int, 1) + interval '1 month - 1 day')
    THEN NULL
  WHEN right(x.fix_by, 1) = 'Z' OR substr(x.fix_by, length(x.fix_by) - 5, 1) IN ('+', '-')
    THEN x.fix_by::timestamptz
  ELSE x.fix_by::timestamp AT TIME ZONE 'UTC' END`;

/** Derivations of at least this many queued tickets and contracts refresh the planner's statistics. */
const STATISTICS_AFTER_SUBJECTS = 50_000;

/** What is derived here: a ticket's service facts and signals, a contract's hours per day. */
type FactSubject = 'ticket' | 'contract';
const SUBJECTS: readonly FactSubject[] = ['ticket', 'contract'];

/*
 * The derivations. `$1` the tenant, `$2` the queue position up to which queued subjects are derived
 * (null: every one of the tenant) and, where statuses matter, `$3` the closed status ids.
 */
const QUEUED = (subject: FactSubject, column: string) =>
  `($2::bigint IS NULL OR ${column} IN (SELECT q.id FROM mirror_changes q
     WHERE q.tenant_id = $1 AND q.subject = '${subject}' AND q.seq <= $2))`;
/** The client tickets being derived. */
const TICKETS = `t.tenant_id = $1 AND t.client_id IS NOT NULL AND ${QUEUED('ticket', 't.id')}`;
/** Their actions (with a time). */
const ACTIONS = `a.tenant_id = $1 AND a.action_at IS NOT NULL AND ${QUEUED('ticket', 'a.ticket_id')}`;

/** Clearing what is derived again, before `DERIVE`. */
const CLEAR = [
  `DELETE FROM service_ticket_facts WHERE tenant_id = $1 AND ${QUEUED('ticket', 'ticket_id')}`,
  `DELETE FROM service_signals WHERE tenant_id = $1 AND ${QUEUED('ticket', 'ticket_id')}`,
  `DELETE FROM contract_day_hours WHERE tenant_id = $1 AND ${QUEUED('contract', 'contract_id')}`,
];

/** Each derivation, and whether it takes the closed status ids (`$3`). */
const DERIVE: ReadonlyArray<{ sql: string; closedStatuses: boolean }> = [
  // The ticket: the fix-by time HaloPSA set unless it is excluded from SLA, and when it first
  // entered a closed status.
  {
    sql: `INSERT INTO service_ticket_facts (tenant_id, ticket_id, client_id, occurred_at, priority_id,
                                     category, fix_by, fix_by_at, first_closed_at)
   SELECT t.tenant_id, t.id, t.client_id, t.date_occurred, t.priority_id, t.category,
          x.fix_by, ${CANONICAL_FIX_BY}, fc.first_closed
     FROM halo_tickets t
     CROSS JOIN LATERAL (SELECT CASE WHEN coalesce(t.raw->>'excludefromsla', 'false') IN ('true', '1')
                                     THEN NULL ELSE t.raw->>'fixbydate' END AS fix_by) x
     LEFT JOIN (SELECT a.ticket_id, min(a.action_at) AS first_closed FROM halo_actions a
                 WHERE ${ACTIONS} AND a.new_status = ANY($3::bigint[])
                 GROUP BY a.ticket_id) fc ON fc.ticket_id = t.id
    WHERE ${TICKETS}`,
    closedStatuses: true,
  },
  // A reopen: a status change to an open status after the ticket had been closed.
  {
    sql: `INSERT INTO service_signals (tenant_id, action_id, kind, ticket_id, client_id, at)
   SELECT t.tenant_id, s.id, 'reopen', t.id, t.client_id, s.action_at
     FROM (SELECT a.id, a.ticket_id, a.action_at, a.new_status = ANY($3::bigint[]) AS closes,
                  bool_or(a.new_status = ANY($3::bigint[])) OVER (
                    PARTITION BY a.ticket_id ORDER BY a.action_at, a.id
                    ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS was_closed
             FROM halo_actions a
            WHERE ${ACTIONS} AND a.new_status IS NOT NULL) s
     JOIN halo_tickets t ON t.tenant_id = $1 AND t.id = s.ticket_id
    WHERE s.was_closed AND NOT s.closes AND ${TICKETS}`,
    closedStatuses: true,
  },
  // A feedback score written in an action's note ("4/5", "8/10").
  {
    sql: `INSERT INTO service_signals (tenant_id, action_id, kind, ticket_id, client_id, at, score, scale)
   SELECT t.tenant_id, a.id, 'feedback', t.id, t.client_id, a.action_at, m.parts[1], m.parts[2]
     FROM halo_actions a
     CROSS JOIN LATERAL (SELECT regexp_match(a.raw->>'note', '${FEEDBACK_SCORE}') AS parts) m
     JOIN halo_tickets t ON t.tenant_id = $1 AND t.id = a.ticket_id
    WHERE ${ACTIONS} AND a.outcome ILIKE '%feedback%' AND m.parts IS NOT NULL AND ${TICKETS}`,
    closedStatuses: false,
  },
  // A customer-visible note written by the customer (no agent) that may hold lexicon terms.
  {
    sql: `INSERT INTO service_signals (tenant_id, action_id, kind, ticket_id, client_id, at, note)
   SELECT t.tenant_id, a.id, 'note', t.id, t.client_id, a.action_at, a.raw->>'note'
     FROM halo_actions a
     JOIN halo_tickets t ON t.tenant_id = $1 AND t.id = a.ticket_id
    WHERE ${ACTIONS} AND a.who_agent_id IS NULL
      AND coalesce(a.raw->>'hiddenfromuser', 'false') NOT IN ('true', '1')
      AND a.raw->>'note' ~* '${LEXICON_PREFILTER.replace(/'/g, "''")}'
      AND ${TICKETS}`,
    closedStatuses: false,
  },
  // A contract's hours per UTC day.
  {
    sql: `INSERT INTO contract_day_hours (tenant_id, contract_id, day, hours)
   SELECT e.tenant_id, e.contract_id, (e.start_at AT TIME ZONE 'UTC')::date, sum(e.hours)
     FROM halo_timesheet_events e
    WHERE e.tenant_id = $1 AND e.contract_id IS NOT NULL AND e.start_at IS NOT NULL
      AND e.hours IS NOT NULL AND ${QUEUED('contract', 'e.contract_id')}
    GROUP BY 1, 2, 3`,
    closedStatuses: false,
  },
];

/** The UTC calendar month of a timestamp column, as a date (the month totals' key). */
const MONTH = (column: string) => `date_trunc('month', ${column} AT TIME ZONE 'UTC')::date`;

/**
 * The (client, month) groups the facts of the queued tickets fall in (`$2` the queue position): the
 * month each was opened, its fix-by month and the months of its signals. Read before the facts are
 * cleared and after they are derived again, they are the groups whose totals may have changed.
 */
const TOUCHED_MONTHS = `SELECT DISTINCT client_id, to_char(month, 'YYYY-MM-DD') AS month FROM (
    SELECT f.client_id, ${MONTH('f.occurred_at')} AS month FROM service_ticket_facts f
     WHERE f.tenant_id = $1 AND f.occurred_at IS NOT NULL AND ${QUEUED('ticket', 'f.ticket_id')}
    UNION ALL
    SELECT f.client_id, ${MONTH('f.fix_by_at')} FROM service_ticket_facts f
     WHERE f.tenant_id = $1 AND f.fix_by_at IS NOT NULL AND ${QUEUED('ticket', 'f.ticket_id')}
    UNION ALL
    SELECT s.client_id, ${MONTH('s.at')} FROM service_signals s
     WHERE s.tenant_id = $1 AND ${QUEUED('ticket', 's.ticket_id')}) k`;

/**
 * The month totals (migration 028), each totalled from the facts: of the whole tenant, or (`keyed`)
 * only of the (client, month) groups `$2` (client ids) and `$3` (months) name pairwise.
 */
function monthTotals(keyed: boolean): string[] {
  const groups = (client: string, month: string) =>
    keyed
      ? `AND ${client} = ANY($2::bigint[])
         AND (${client}, ${month}) IN (SELECT k.c, k.m FROM unnest($2::bigint[], $3::date[]) AS k(c, m))`
      : '';
  const insert = `INSERT INTO service_month_totals
    (tenant_id, client_id, month, kind, key, n, p1, met, scores, scales)`;
  const signals = (kind: string) =>
    `s.tenant_id = $1 AND s.kind = '${kind}' ${groups('s.client_id', MONTH('s.at'))}`;
  return [
    `${insert}
     SELECT $1, f.client_id, ${MONTH('f.occurred_at')}, 'opened', coalesce(f.category, 'Other'),
            count(*), count(*) FILTER (WHERE f.priority_id = 1), NULL, NULL, NULL
       FROM service_ticket_facts f
      WHERE f.tenant_id = $1 AND f.occurred_at IS NOT NULL
            ${groups('f.client_id', MONTH('f.occurred_at'))}
      GROUP BY 2, 3, 5`,
    // Judged in full: fix-by times the database reads, HaloPSA's 1900 "none" left out.
    `${insert}
     SELECT $1, f.client_id, ${MONTH('f.fix_by_at')}, 'sla', NULL, count(*), NULL,
            count(*) FILTER (WHERE f.first_closed_at <= f.fix_by_at), NULL, NULL
       FROM service_ticket_facts f
      WHERE f.tenant_id = $1 AND f.occurred_at IS NOT NULL
        AND f.fix_by IS NOT NULL AND btrim(f.fix_by) <> ''
        AND f.fix_by_at >= '1901-01-01T00:00:00Z' ${groups('f.client_id', MONTH('f.fix_by_at'))}
      GROUP BY 2, 3`,
    `${insert}
     SELECT $1, s.client_id, ${MONTH('s.at')}, 'reopen', NULL, count(*), NULL, NULL, NULL, NULL
       FROM service_signals s WHERE ${signals('reopen')}
      GROUP BY 2, 3`,
    `${insert}
     SELECT $1, s.client_id, ${MONTH('s.at')}, 'feedback', NULL, count(*), NULL, NULL,
            array_agg(s.score ORDER BY s.at, s.action_id), array_agg(s.scale ORDER BY s.at, s.action_id)
       FROM service_signals s WHERE ${signals('feedback')}
      GROUP BY 2, 3`,
    `${insert}
     SELECT $1, s.client_id, ${MONTH('s.at')}, 'note', s.note, count(*), NULL, NULL, NULL, NULL
       FROM service_signals s WHERE ${signals('note')}
      GROUP BY 2, 3, 5`,
  ];
}
const ALL_MONTH_TOTALS = monthTotals(false);
const SOME_MONTH_TOTALS = monthTotals(true);

/** The (client, month) groups of `TOUCHED_MONTHS` rows, each once, as two parallel arrays. */
function groupsOf(...reads: ReadonlyArray<Record<string, unknown>>[]): [number[], string[]] {
  const seen = new Set<string>();
  const clients: number[] = [];
  const months: string[] = [];
  for (const rows of reads) {
    for (const r of rows) {
      const key = `${String(r.client_id)}|${String(r.month)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      clients.push(Number(r.client_id));
      months.push(String(r.month));
    }
  }
  return [clients, months];
}

/**
 * Derives the queued tickets' and contracts' facts again, or the whole tenant's when the stored
 * facts were derived with other closed statuses or another lexicon; one caller at a time per tenant
 * (the basis row is locked), and a subject queued again meanwhile waits for this to commit and
 * stays queued. Cheap when nothing is queued (four short statements).
 */
export async function serviceFactsUpToDate(
  db: Db,
  tenantId: string,
): Promise<{ derived: 'none' | 'queued' | 'all'; subjects: number }> {
  return db.transaction(async (tx) => {
    const statuses = await tx.query('SELECT id, name FROM halo_statuses WHERE tenant_id = $1', [
      tenantId,
    ]);
    const closedIds = statuses
      .filter((s) => classifyStatus(String(s.name ?? '')) === 'closed')
      .map((s) => Number(s.id));
    const basis = basisOf(closedIds);
    await tx.query(
      `INSERT INTO service_facts_basis (tenant_id, basis) VALUES ($1, '') ON CONFLICT DO NOTHING`,
      [tenantId],
    );
    const [stored] = await tx.query<{ basis: string }>(
      'SELECT basis FROM service_facts_basis WHERE tenant_id = $1 FOR UPDATE',
      [tenantId],
    );
    const all = stored!.basis !== basis;
    const [queue] = await tx.query<{ upto: string | null }>(
      `SELECT max(seq) AS upto FROM (SELECT seq FROM mirror_changes
        WHERE tenant_id = $1 AND subject = ANY($2::text[]) FOR UPDATE) q`,
      [tenantId, SUBJECTS],
    );
    const upto = queue!.upto;
    if (!all && upto === null) return { derived: 'none', subjects: 0 };
    // Derived again: everything of the tenant, or what is queued.
    const scope = all ? null : upto;
    const touchedBefore = all ? [] : await tx.query(TOUCHED_MONTHS, [tenantId, scope]);
    for (const sql of CLEAR) await tx.query(sql, [tenantId, scope]);
    for (const { sql, closedStatuses } of DERIVE) {
      await tx.query(sql, closedStatuses ? [tenantId, scope, closedIds] : [tenantId, scope]);
    }
    // The month totals of every group the derived facts left or entered, totalled again.
    if (all) {
      await tx.query('DELETE FROM service_month_totals WHERE tenant_id = $1', [tenantId]);
      for (const sql of ALL_MONTH_TOTALS) await tx.query(sql, [tenantId]);
    } else {
      const [clients, months] = groupsOf(
        touchedBefore,
        await tx.query(TOUCHED_MONTHS, [tenantId, scope]),
      );
      if (clients.length > 0) {
        await tx.query(
          `DELETE FROM service_month_totals WHERE tenant_id = $1
              AND (client_id, month) IN (SELECT k.c, k.m FROM unnest($2::bigint[], $3::date[]) AS k(c, m))`,
          [tenantId, clients, months],
        );
        for (const sql of SOME_MONTH_TOTALS) await tx.query(sql, [tenantId, clients, months]);
      }
    }
    const subjects = upto === null ? 0 : await clearChanges(tx, tenantId, SUBJECTS, upto);
    if (all) {
      await tx.query('UPDATE service_facts_basis SET basis = $2 WHERE tenant_id = $1', [
        tenantId,
        basis,
      ]);
    }
    // Derived for the whole tenant (or a large catch-up), the tables' sizes change by orders of
    // magnitude: the planner learns it now.
    if (all || subjects >= STATISTICS_AFTER_SUBJECTS) {
      await tx.exec(
        'ANALYZE service_ticket_facts, service_signals, contract_day_hours, service_month_totals',
      );
    }
    return { derived: all ? 'all' : 'queued', subjects };
  });
}
