import { classifyStatus } from '../domain/delivery/status-class';
import { NEGATIVE_TERMS } from '../domain/renewals/sentiment-lexicon';
import type {
  BilledLineRow,
  ClientEventRow,
  ContractHoursRow,
  ContractRow,
  FeedbackRow,
  InvoiceRow,
  NoteRow,
  ObservedQuantityRow,
  ProjectRagRow,
  RenewalHistory,
  RenewalHistoryReader,
  RenewalHistoryScope,
  ServiceMonthRow,
  ServiceTicketRow,
} from '../app/renewals/renewal-history.port';
import type { Db } from './db';

const iso = (v: unknown): string | null =>
  v === null || v === undefined ? null : new Date(v as string).toISOString();
const day = (v: unknown): string | null => iso(v)?.slice(0, 10) ?? null;
const num = (v: unknown): number | null => {
  if (v === null || v === undefined || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
};

/**
 * Only notes containing the first word of some lexicon phrase can score: a superset the database
 * filters cheaply (the lexicon itself runs on the loaded text).
 */
const LEXICON_PREFILTER = `\\m(${[
  ...new Set(NEGATIVE_TERMS.map((t) => t.phrase.split(' ')[0]!.replace(/[^a-z0-9']/g, ''))),
].join('|')})`;

/** Client custom fields that count what the MSP manages (HaloPSA names, case-insensitive). */
const OBSERVED_FIELDS: ReadonlyArray<{ pattern: RegExp; item: string }> = [
  { pattern: /user/i, item: 'user' },
  { pattern: /device|endpoint|workstation/i, item: 'device' },
];

/**
 * The scope filters the queries below share: `$2` the scope's client ids (null: the whole tenant)
 * and, where contracts are filtered, `$3` whether contracts without a client belong to it.
 */
const SCOPED_CLIENT = (column: string) => `($2::bigint[] IS NULL OR ${column} = ANY($2::bigint[]))`;
const SCOPED_CONTRACT = (column: string) =>
  `($2::bigint[] IS NULL OR ${column} IN (SELECT sc.id FROM halo_contracts sc
     WHERE sc.tenant_id = $1 AND (sc.client_id = ANY($2::bigint[]) OR ($3::boolean AND sc.client_id IS NULL))))`;

/**
 * Loads a tenant's renewal history from the HaloPSA mirror: one set-based query per table (the
 * large benchmark dataset has 3,000 contracts and 300,000 tickets), aggregated where the engine
 * only needs totals (hours per contract per day). A scope limits every query to some clients, so
 * the evaluation holds one scope's tickets at a time (see `RenewalHistoryReader.scopes`).
 */
export class SqlRenewalHistoryReader implements RenewalHistoryReader {
  constructor(private readonly db: Db) {}

  async scopes(tenantId: string, clientsPerScope: number): Promise<RenewalHistoryScope[]> {
    const rows = await this.db.query(
      `SELECT DISTINCT client_id FROM halo_contracts
        WHERE tenant_id = $1 AND client_id IS NOT NULL ORDER BY client_id`,
      [tenantId],
    );
    const ids = rows.map((r) => Number(r.client_id));
    const size = Math.max(1, Math.floor(clientsPerScope));
    const out: RenewalHistoryScope[] = [];
    for (let i = 0; i < ids.length || out.length === 0; i += size) {
      // The first scope also carries the contracts without a client (they have no history).
      out.push({ clientIds: ids.slice(i, i + size), withoutClient: out.length === 0 });
    }
    return out;
  }

  async load(
    tenantId: string,
    scope?: RenewalHistoryScope,
    options: { serviceAsOf?: string } = {},
  ): Promise<RenewalHistory> {
    const { db } = this;
    const ids = scope ? scope.clientIds : null;
    const withoutClient = scope ? scope.withoutClient : true;
    const statuses = await db.query('SELECT id, name FROM halo_statuses WHERE tenant_id = $1', [
      tenantId,
    ]);
    const closedIds = statuses
      .filter((s) => classifyStatus(String(s.name ?? '')) === 'closed')
      .map((s) => Number(s.id));
    const asOf = options.serviceAsOf;

    const [contracts, service, hours, invoices, lines, clients, rags, issues, first] =
      await Promise.all([
        db.query(
          `SELECT c.id, c.client_id, cl.name AS client_name, cl.account_manager_id, c.ref,
                c.raw->>'contracttype_name' AS contract_type, c.start_date, c.end_date,
                c.period_charge, c.billing_period, c.cost_per_period, c.hours_per_period,
                c.prepay_balance
           FROM halo_contracts c
           LEFT JOIN halo_clients cl ON cl.tenant_id = c.tenant_id AND cl.id = c.client_id
          WHERE c.tenant_id = $1
            AND ($2::bigint[] IS NULL OR c.client_id = ANY($2::bigint[])
                 OR ($3::boolean AND c.client_id IS NULL))
          ORDER BY c.id`,
          [tenantId, ids, withoutClient],
        ),
        asOf === undefined
          ? serviceRows(db, tenantId, ids, closedIds)
          : serviceMonths(db, tenantId, ids, closedIds, asOf).then((months) => ({
              tickets: [],
              reopens: [],
              feedback: [],
              notes: [],
              serviceAsOf: { asOf, months },
            })),
        db.query(
          `SELECT contract_id, to_char(start_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, sum(hours) AS hours
           FROM halo_timesheet_events
          WHERE tenant_id = $1 AND contract_id IS NOT NULL AND start_at IS NOT NULL AND hours IS NOT NULL
            AND ${SCOPED_CONTRACT('contract_id')}
          GROUP BY 1, 2`,
          [tenantId, ids, withoutClient],
        ),
        db.query(
          `SELECT client_id, invoice_date, due_date, total, amount_due, raw->>'datepaid' AS date_paid, last_update
           FROM halo_invoices
          WHERE tenant_id = $1 AND client_id IS NOT NULL AND invoice_date IS NOT NULL
            AND coalesce(raw->>'is_recurring_invoice', 'false') NOT IN ('true', '1')
            AND ${SCOPED_CLIENT('client_id')}`,
          [tenantId, ids],
        ),
        db.query(
          `SELECT r.contract_id, l.value->>'item_shortdescription' AS description,
                l.value->>'qty_order' AS qty, l.value->>'unit_price' AS unit_price
           FROM halo_recurring_invoices r
           CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(r.raw->'lines') = 'array'
                                                        THEN r.raw->'lines' ELSE '[]'::jsonb END) l
          WHERE r.tenant_id = $1 AND r.contract_id IS NOT NULL AND ${SCOPED_CONTRACT('r.contract_id')}`,
          [tenantId, ids, withoutClient],
        ),
        db.query(
          `SELECT id, raw->'customfields' AS customfields FROM halo_clients
          WHERE tenant_id = $1 AND jsonb_typeof(raw->'customfields') = 'array'
            AND ${SCOPED_CLIENT('id')}`,
          [tenantId, ids],
        ),
        // Only the days a project's RAG changed: enough to know its RAG on any day.
        db.query(
          `SELECT client_id, project_id, to_char(snapshot_date, 'YYYY-MM-DD') AS day, rag FROM (
            SELECT p.client_id, h.project_id, h.snapshot_date, h.rag,
                   lag(h.rag) OVER (PARTITION BY h.project_id ORDER BY h.snapshot_date) AS prev
              FROM health_snapshots h
              JOIN halo_projects p ON p.tenant_id = h.tenant_id AND p.id = h.project_id
             WHERE h.tenant_id = $1 AND p.client_id IS NOT NULL
               AND ${SCOPED_CLIENT('p.client_id')}) s
          WHERE prev IS DISTINCT FROM rag`,
          [tenantId, ids],
        ),
        db.query(
          `SELECT record_id, field, problem FROM data_quality_exceptions
          WHERE tenant_id = $1 AND resource = 'contracts' AND resolved_at IS NULL AND record_id ~ '^[0-9]+$'
            AND ($2::bigint[] IS NULL OR record_id IN (SELECT sc.id::text FROM halo_contracts sc
              WHERE sc.tenant_id = $1 AND (sc.client_id = ANY($2::bigint[]) OR ($3::boolean AND sc.client_id IS NULL))))`,
          [tenantId, ids, withoutClient],
        ),
        db.query('SELECT min(date_occurred) AS first FROM halo_tickets WHERE tenant_id = $1', [
          tenantId,
        ]),
      ]);

    const dataQuality = new Map<number, string[]>();
    for (const r of issues) {
      const id = Number(r.record_id);
      dataQuality.set(id, [
        ...(dataQuality.get(id) ?? []),
        `${String(r.field)}: ${String(r.problem)}`,
      ]);
    }
    const observed: ObservedQuantityRow[] = [];
    for (const c of clients) {
      const fields = Array.isArray(c.customfields) ? (c.customfields as unknown[]) : [];
      for (const f of fields) {
        if (typeof f !== 'object' || f === null) continue;
        const field = f as Record<string, unknown>;
        const name = String(field.name ?? '');
        const qty = num(field.value);
        const match = OBSERVED_FIELDS.find((o) => o.pattern.test(name));
        if (!match || qty === null || qty < 0) continue;
        observed.push({
          clientId: Number(c.id),
          item: match.item,
          qty,
          source: `client record ${name}`,
        });
      }
    }

    return {
      ...service,
      contracts: contracts.map((r): ContractRow => ({
        id: Number(r.id),
        clientId: num(r.client_id),
        clientName: (r.client_name as string | null) ?? null,
        accountManagerAgentId: num(r.account_manager_id),
        ref: (r.ref as string | null) ?? null,
        contractType: (r.contract_type as string | null) ?? null,
        startDate: day(r.start_date),
        endDate: day(r.end_date),
        periodCharge: num(r.period_charge),
        billingPeriod: (r.billing_period as string | null) ?? null,
        costPerPeriod: num(r.cost_per_period),
        hoursPerPeriod: num(r.hours_per_period),
        prepayBalance: num(r.prepay_balance),
      })),
      hours: hours.map((r): ContractHoursRow => ({
        contractId: Number(r.contract_id),
        day: String(r.day),
        hours: Number(r.hours),
      })),
      invoices: invoices.map((r): InvoiceRow => {
        const due = num(r.amount_due);
        // Paid without a payment date: the record's last change is when it was marked paid.
        const paidOn =
          parseHaloDate(r.date_paid)?.slice(0, 10) ?? (due === 0 ? day(r.last_update) : null);
        return {
          clientId: Number(r.client_id),
          invoiceDate: day(r.invoice_date)!,
          dueDate: day(r.due_date),
          total: num(r.total) ?? 0,
          paidOn,
        };
      }),
      billedLines: lines.flatMap((r): BilledLineRow[] => {
        const qty = num(r.qty);
        const unitPrice = num(r.unit_price);
        if (qty === null || unitPrice === null) return [];
        return [
          {
            contractId: Number(r.contract_id),
            description: String(r.description ?? ''),
            qty,
            unitPrice,
          },
        ];
      }),
      observed,
      projectRags: rags.map((r): ProjectRagRow => ({
        clientId: Number(r.client_id),
        projectId: Number(r.project_id),
        day: String(r.day),
        rag: String(r.rag) as ProjectRagRow['rag'],
      })),
      dataQuality,
      firstTicketDay: day(first[0]?.first),
    };
  }
}

/*
 * The clients' service history. Every query below takes `$1` the tenant and `$2` the scope's client
 * ids (null: the whole tenant); those reading statuses take `$3` the ids of the closed statuses;
 * totalled as of a day, the day comes last. Each is written once and read either as dated rows (the replay) or totalled per
 * client and month by the database (the daily evaluation).
 */

/** Tickets of the scope's clients. */
const CLIENT_TICKETS = `t.tenant_id = $1 AND t.client_id IS NOT NULL AND ${SCOPED_CLIENT('t.client_id')}`;
/** …with an open date: the service tickets. */
const SERVICE_TICKETS = `${CLIENT_TICKETS} AND t.date_occurred IS NOT NULL`;

/** The fix-by time HaloPSA set, unless the ticket is excluded from SLA. */
const FIX_BY = `CASE WHEN coalesce(t.raw->>'excludefromsla', 'false') IN ('true', '1') THEN NULL
  ELSE t.raw->>'fixbydate' END`;

/** When the ticket first entered a closed status (`fc.first_closed`). */
const FIRST_CLOSED = `LEFT JOIN LATERAL (SELECT min(a.action_at) AS first_closed FROM halo_actions a
   WHERE a.tenant_id = $1 AND a.ticket_id = t.id AND a.new_status = ANY($3::bigint[])) fc ON true`;

/** A reopen: a status change to an open status after the ticket had been closed. */
const REOPENS = `SELECT t.client_id, s.action_at
   FROM halo_tickets t
   CROSS JOIN LATERAL (
    SELECT a.action_at, a.new_status = ANY($3::bigint[]) AS closes,
           bool_or(a.new_status = ANY($3::bigint[])) OVER (
             ORDER BY a.action_at, a.id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS was_closed
      FROM halo_actions a
     WHERE a.tenant_id = $1 AND a.ticket_id = t.id
       AND a.new_status IS NOT NULL AND a.action_at IS NOT NULL) s
  WHERE s.was_closed AND NOT s.closes AND ${CLIENT_TICKETS}`;

/** A score in a feedback note: "4/5", "8 / 10", "4.5/5". */
const FEEDBACK_SCORE = '([0-9]+(?:\\.[0-9]+)?)\\s*/\\s*([0-9]+)';

/** Feedback scores written in an action's note ("4/5", "8/10"). */
const FEEDBACK = `SELECT t.client_id, a.id, a.action_at, m.parts[1] AS score, m.parts[2] AS scale
   FROM halo_tickets t
   CROSS JOIN LATERAL (SELECT a.id, a.action_at, a.raw->>'note' AS note FROM halo_actions a
                        WHERE a.tenant_id = t.tenant_id AND a.ticket_id = t.id
                          AND a.action_at IS NOT NULL AND a.outcome ILIKE '%feedback%'
                        OFFSET 0) a
   CROSS JOIN LATERAL (SELECT regexp_match(a.note, '${FEEDBACK_SCORE}') AS parts) m
  WHERE m.parts IS NOT NULL AND ${CLIENT_TICKETS}`;

/** Customer-visible notes written by the customer (no agent) that may hold lexicon terms. */
const NOTES = `SELECT t.client_id, a.action_at, a.note
   FROM halo_tickets t
   CROSS JOIN LATERAL (SELECT a.action_at, a.raw->>'note' AS note FROM halo_actions a
                        WHERE a.tenant_id = t.tenant_id AND a.ticket_id = t.id
                          AND a.action_at IS NOT NULL AND a.who_agent_id IS NULL
                          AND coalesce(a.raw->>'hiddenfromuser', 'false') NOT IN ('true', '1')
                          AND a.raw->>'note' ~* '${LEXICON_PREFILTER.replace(/'/g, "''")}'
                        OFFSET 0) a
  WHERE ${CLIENT_TICKETS}`;

/** Dated up to the day (`$n`, a date) in UTC: a bound the database computes once, not per row. */
const upToDay = (column: string, n: number) =>
  `${column} < ($${n}::date + 1)::timestamp AT TIME ZONE 'UTC'`;
/** The UTC calendar month of a timestamp column (a group key; `monthKey` formats it). */
const monthOfColumn = (column: string) => `date_trunc('month', ${column} AT TIME ZONE 'UTC')`;
const monthKey = (column: string) => `to_char(${column}, 'YYYY-MM')`;

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

/** A feedback score normalised to 1–5, or null when it is not a score ("4/5" on 1–5, "8/10" on 0–10). */
function normalisedScore(score: number | null, scale: number | null): number | null {
  if (score === null || scale === null || scale < 2 || score > scale) return null;
  const min = scale === 5 ? 1 : 0;
  return Math.min(5, Math.max(1, 1 + (4 * (score - min)) / (scale - min)));
}

type ServiceLists = Pick<RenewalHistory, 'tickets' | 'reopens' | 'feedback' | 'notes'>;

/** The clients' service history as dated rows. */
async function serviceRows(
  db: Db,
  tenantId: string,
  ids: number[] | null,
  closedIds: number[],
): Promise<ServiceLists> {
  const params = [tenantId, ids];
  const withStatuses = [tenantId, ids, closedIds];
  const [tickets, reopens, feedback, notes] = await Promise.all([
    db.query(
      `SELECT t.id, t.client_id, t.date_occurred, t.priority_id, t.category,
              ${FIX_BY} AS fix_by, fc.first_closed
         FROM halo_tickets t ${FIRST_CLOSED}
        WHERE ${SERVICE_TICKETS}`,
      withStatuses,
    ),
    db.query(REOPENS, withStatuses),
    // In time order: a month's scores are listed (and averaged) the same way whatever the plan.
    db.query(`${FEEDBACK} ORDER BY a.action_at, a.id`, params),
    db.query(NOTES, params),
  ]);
  return {
    tickets: tickets.map((r): ServiceTicketRow => ({
      id: Number(r.id),
      clientId: Number(r.client_id),
      occurredAt: iso(r.date_occurred)!,
      priorityId: num(r.priority_id),
      category: (r.category as string | null) ?? null,
      fixByAt: parseHaloDate(r.fix_by),
      firstClosedAt: iso(r.first_closed),
    })),
    reopens: reopens.map((r): ClientEventRow => ({
      clientId: Number(r.client_id),
      at: iso(r.action_at)!,
    })),
    feedback: feedback.flatMap((r): FeedbackRow[] => {
      const score = normalisedScore(num(r.score), num(r.scale));
      return score === null
        ? []
        : [{ clientId: Number(r.client_id), at: iso(r.action_at)!, score }];
    }),
    notes: notes.map((r): NoteRow => ({
      clientId: Number(r.client_id),
      at: iso(r.action_at)!,
      text: String(r.note ?? ''),
    })),
  };
}

/**
 * The clients' service history totalled per client and month as of `$4` (a day): what the engine
 * counts from the dated rows for that day — tickets opened up to the day, SLA judged on fix-by
 * days before it (or on it, when already met), reopens, feedback and notes up to the day — so the
 * daily evaluation moves a few rows per client and month instead of every ticket.
 */
async function serviceMonths(
  db: Db,
  tenantId: string,
  ids: number[] | null,
  closedIds: number[],
  asOf: string,
): Promise<ServiceMonthRow[]> {
  const params = [tenantId, ids, asOf];
  const withStatuses = [tenantId, ids, closedIds, asOf];
  // Each ticket's actions are read twice, not once per figure: its status changes (first close,
  // reopens) in one query, its notes (feedback scores, customer notes) in the other.
  const [opened, statuses, notes] = await Promise.all([
    db.query(
      `SELECT client_id, ${monthKey('month')} AS month, category, n, p1
         FROM (SELECT t.client_id, ${monthOfColumn('t.date_occurred')} AS month,
                      coalesce(t.category, 'Other') AS category, count(*) AS n,
                      count(*) FILTER (WHERE t.priority_id = 1) AS p1
                 FROM halo_tickets t
                WHERE ${SERVICE_TICKETS} AND ${upToDay('t.date_occurred', 3)}
                GROUP BY 1, 2, 3) m`,
      params,
    ),
    // SLA: fix-by times the database reads are totalled (judged on days before $4, or on it when
    // met; HaloPSA's 1900 "none" left out); any other shape comes back as is (odd_*).
    // Reopens: a status change to an open status after the ticket had been closed.
    db.query(
      `WITH ticket AS MATERIALIZED (
         SELECT t.client_id, t.date_occurred IS NOT NULL AS served, x.fix_by, p.at,
                st.first_closed, st.reopens
           FROM halo_tickets t
           CROSS JOIN LATERAL (SELECT ${FIX_BY} AS fix_by OFFSET 0) x
           CROSS JOIN LATERAL (SELECT ${CANONICAL_FIX_BY} AS at OFFSET 0) p
           CROSS JOIN LATERAL (
             SELECT min(s.action_at) FILTER (WHERE s.closes) AS first_closed,
                    array_agg(s.action_at) FILTER (WHERE s.was_closed AND NOT s.closes) AS reopens
               FROM (SELECT a.action_at, a.new_status = ANY($3::bigint[]) AS closes,
                            bool_or(a.new_status = ANY($3::bigint[])) OVER (
                              ORDER BY a.action_at, a.id
                              ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS was_closed
                       FROM halo_actions a
                      WHERE a.tenant_id = $1 AND a.ticket_id = t.id
                        AND a.new_status IS NOT NULL AND a.action_at IS NOT NULL) s) st
          WHERE ${CLIENT_TICKETS})
       SELECT 'sla' AS kind, client_id, ${monthKey(monthOfColumn('at'))} AS month,
              CASE WHEN at IS NULL THEN fix_by END AS odd_fix_by,
              CASE WHEN at IS NULL THEN first_closed END AS odd_first_closed,
              count(*) AS total, count(*) FILTER (WHERE first_closed <= at) AS met
         FROM ticket
        WHERE served AND fix_by IS NOT NULL AND btrim(fix_by) <> ''
          AND (at IS NULL
               OR (at >= '1901-01-01T00:00:00Z'
                   AND (at < $4::timestamp AT TIME ZONE 'UTC'
                        OR (${upToDay('at', 4)} AND first_closed <= at))))
        GROUP BY 2, 3, 4, 5
       UNION ALL
       SELECT 'reopen', client_id, ${monthKey(monthOfColumn('r.at'))}, NULL, NULL, count(*), NULL
         FROM ticket CROSS JOIN LATERAL unnest(reopens) r(at)
        WHERE ${upToDay('r.at', 4)}
        GROUP BY 2, 3`,
      withStatuses,
    ),
    // Feedback scores ("4/5", "8/10") in time order; customer-visible notes by the customer (no
    // agent) that may hold lexicon terms, each distinct text once with its count.
    db.query(
      `WITH action AS MATERIALIZED (
         SELECT t.client_id, a.id, a.action_at, a.feedback, a.customer, a.note
           FROM halo_tickets t
           CROSS JOIN LATERAL (
             SELECT * FROM (
               SELECT a.id, a.action_at, a.outcome ILIKE '%feedback%' AS feedback,
                      a.who_agent_id IS NULL
                        AND coalesce(a.raw->>'hiddenfromuser', 'false') NOT IN ('true', '1')
                        AND a.raw->>'note' ~* '${LEXICON_PREFILTER.replace(/'/g, "''")}' AS customer,
                      a.raw->>'note' AS note
                 FROM halo_actions a
                WHERE a.tenant_id = t.tenant_id AND a.ticket_id = t.id AND a.action_at IS NOT NULL
                  AND (a.outcome ILIKE '%feedback%' OR a.who_agent_id IS NULL)
               OFFSET 0) a
              WHERE a.feedback OR a.customer) a
          WHERE ${CLIENT_TICKETS} AND ${upToDay('a.action_at', 3)})
       SELECT 'feedback' AS kind, client_id, ${monthKey(monthOfColumn('action_at'))} AS month,
              NULL AS note, NULL::bigint AS n,
              array_agg(m.parts[1] ORDER BY action_at, id) AS scores,
              array_agg(m.parts[2] ORDER BY action_at, id) AS scales
         FROM action
         CROSS JOIN LATERAL (SELECT regexp_match(note, '${FEEDBACK_SCORE}') AS parts) m
        WHERE feedback AND m.parts IS NOT NULL
        GROUP BY 2, 3
       UNION ALL
       SELECT 'note', client_id, ${monthKey(monthOfColumn('action_at'))}, note, count(*), NULL, NULL
         FROM action
        WHERE customer
        GROUP BY 2, 3, 4`,
      params,
    ),
  ]);
  const sla = statuses.filter((r) => r.kind === 'sla');
  const reopens = statuses.filter((r) => r.kind === 'reopen');
  const feedback = notes.filter((r) => r.kind === 'feedback');
  const customerNotes = notes.filter((r) => r.kind === 'note');

  const months = new Map<string, ServiceMonthRow>();
  const monthRow = (clientId: number, month: string): ServiceMonthRow => {
    const key = `${clientId}|${month}`;
    let row = months.get(key);
    if (!row) {
      row = {
        clientId,
        month,
        opened: 0,
        p1: 0,
        categories: {},
        slaTotal: 0,
        slaMet: 0,
        reopened: 0,
        feedbackScores: [],
        notes: [],
      };
      months.set(key, row);
    }
    return row;
  };
  for (const r of opened) {
    const row = monthRow(Number(r.client_id), String(r.month));
    const n = Number(r.n);
    row.opened += n;
    row.p1 += Number(r.p1);
    row.categories[String(r.category)] = n;
  }
  for (const r of sla) {
    let month = r.month as string | null;
    let met = Number(r.met);
    const total = Number(r.total);
    if (r.odd_fix_by !== null && r.odd_fix_by !== undefined) {
      // Read the way the dated rows are: met when first closed by the fix-by time.
      const fixByAt = parseHaloDate(r.odd_fix_by);
      if (fixByAt === null) continue;
      const firstClosedAt = iso(r.odd_first_closed);
      const isMet = firstClosedAt !== null && firstClosedAt <= fixByAt;
      const fixDay = fixByAt.slice(0, 10);
      if (!(fixDay < asOf || (fixDay === asOf && isMet))) continue;
      month = fixDay.slice(0, 7);
      met = isMet ? total : 0;
    }
    const row = monthRow(Number(r.client_id), String(month));
    row.slaTotal += total;
    row.slaMet += met;
  }
  for (const r of reopens) {
    monthRow(Number(r.client_id), String(r.month)).reopened += Number(r.total);
  }
  for (const r of feedback) {
    const row = monthRow(Number(r.client_id), String(r.month));
    const scales = r.scales as unknown[];
    (r.scores as unknown[]).forEach((score, i) => {
      const normalised = normalisedScore(num(score), num(scales[i]));
      if (normalised !== null) row.feedbackScores.push(normalised);
    });
  }
  for (const r of customerNotes) {
    monthRow(Number(r.client_id), String(r.month)).notes.push({
      text: String(r.note ?? ''),
      count: Number(r.n),
    });
  }
  return [...months.values()];
}

/** A HaloPSA date string (zone-less means UTC; year ≤ 1900 means none) as an ISO timestamp. */
function parseHaloDate(value: unknown): string | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  const text = /[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) return null;
  const date = new Date(ms);
  return date.getUTCFullYear() <= 1900 ? null : date.toISOString();
}
