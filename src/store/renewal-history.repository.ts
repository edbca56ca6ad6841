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
import { isoOf as iso, isoTimestamp } from './iso-timestamp';
import { serviceFactsUpToDate } from './service-facts';

const day = (v: unknown): string | null => iso(v)?.slice(0, 10) ?? null;
const num = (v: unknown): number | null => {
  if (v === null || v === undefined || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
};

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
    // A walk over the scopes starts here: the service history its loads read is derived up to
    // now once, not once per scope (each check locks the tenant's basis row and reads the queue).
    await serviceFactsUpToDate(this.db, tenantId);
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
    // The service history is read from facts derived when tickets change: any still queued are
    // derived first (nothing to do after a sync, which derives what it wrote); for a scope, when
    // its walk began (`scopes`).
    if (!scope) await serviceFactsUpToDate(db, tenantId);
    const asOf = options.serviceAsOf;

    const [contracts, service, hours, invoices, lines, clients, rags, issues, first] =
      await Promise.all([
        db.query(
          `SELECT c.id, c.client_id, cl.name AS client_name, cl.account_manager_id, c.ref,
                c.raw->>'contracttype_name' AS contract_type,
                ${isoTimestamp('c.start_date')} AS start_date, ${isoTimestamp('c.end_date')} AS end_date,
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
          ? serviceRows(db, tenantId, ids)
          : serviceMonths(db, tenantId, ids, asOf).then((months) => ({
              tickets: [],
              reopens: [],
              feedback: [],
              notes: [],
              serviceAsOf: { asOf, months },
            })),
        // Hours per contract and day, derived when timesheet events are written.
        db.query(
          `SELECT contract_id, to_char(day, 'YYYY-MM-DD') AS day, hours FROM contract_day_hours
          WHERE tenant_id = $1 AND ${SCOPED_CONTRACT('contract_id')}`,
          [tenantId, ids, withoutClient],
        ),
        db.query(
          `SELECT client_id, ${isoTimestamp('invoice_date')} AS invoice_date,
                ${isoTimestamp('due_date')} AS due_date, total, amount_due, raw->>'datepaid' AS date_paid,
                ${isoTimestamp('last_update')} AS last_update
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
 * The clients' service history, read from the service facts derived when tickets change
 * (`service-facts.ts`: each client ticket's row, and the reopens, feedback scores and customer
 * notes in its actions). Every query below takes `$1` the tenant and `$2` the scope's client ids
 * (null: the whole tenant); totalled as of a day, the day comes last. Read either as dated rows
 * (the replay) or totalled per client and month by the database (the daily evaluation).
 */

/** Service facts of the scope's client tickets (`f`). */
const CLIENT_FACTS = `f.tenant_id = $1 AND ${SCOPED_CLIENT('f.client_id')}`;
/** Signals of one kind in the scope's client tickets (`s`). */
const SIGNALS = (kind: 'reopen' | 'feedback' | 'note') =>
  `s.tenant_id = $1 AND ${SCOPED_CLIENT('s.client_id')} AND s.kind = '${kind}'`;

/** Dated up to the day (`$n`, a date) in UTC: a bound the database computes once, not per row. */
const upToDay = (column: string, n: number) =>
  `${column} < ($${n}::date + 1)::timestamp AT TIME ZONE 'UTC'`;
/** The UTC calendar month of a timestamp column (a group key; `monthKey` formats it). */
const monthOfColumn = (column: string) => `date_trunc('month', ${column} AT TIME ZONE 'UTC')`;
const monthKey = (column: string) => `to_char(${column}, 'YYYY-MM')`;

/** A feedback score normalised to 1–5, or null when it is not a score ("4/5" on 1–5, "8/10" on 0–10). */
function normalisedScore(score: number | null, scale: number | null): number | null {
  if (score === null || scale === null || scale < 2 || score > scale) return null;
  const min = scale === 5 ? 1 : 0;
  return Math.min(5, Math.max(1, 1 + (4 * (score - min)) / (scale - min)));
}

type ServiceLists = Pick<RenewalHistory, 'tickets' | 'reopens' | 'feedback' | 'notes'>;

/** The clients' service history as dated rows. */
async function serviceRows(db: Db, tenantId: string, ids: number[] | null): Promise<ServiceLists> {
  const params = [tenantId, ids];
  const [tickets, reopens, feedback, notes] = await Promise.all([
    db.query(
      `SELECT f.ticket_id AS id, f.client_id, f.occurred_at AS date_occurred, f.priority_id,
              f.category, f.fix_by, f.first_closed_at AS first_closed
         FROM service_ticket_facts f
        WHERE ${CLIENT_FACTS} AND f.occurred_at IS NOT NULL`,
      params,
    ),
    db.query(
      `SELECT s.client_id, s.at AS action_at FROM service_signals s WHERE ${SIGNALS('reopen')}`,
      params,
    ),
    // In time order: a month's scores are listed (and averaged) the same way whatever the plan.
    db.query(
      `SELECT s.client_id, s.at AS action_at, s.score, s.scale FROM service_signals s
        WHERE ${SIGNALS('feedback')} ORDER BY s.at, s.action_id`,
      params,
    ),
    db.query(
      `SELECT s.client_id, s.at AS action_at, s.note FROM service_signals s WHERE ${SIGNALS('note')}`,
      params,
    ),
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

/** From the start of the month `$n` (a date) names, in UTC. */
const fromMonth = (column: string, n: number) =>
  `${column} >= $${n}::date::timestamp AT TIME ZONE 'UTC'`;

/**
 * The clients' service history totalled per client and month as of `$3` (a day): what the engine
 * counts from the dated rows for that day — tickets opened up to the day, SLA judged on fix-by
 * days before it (or on it, when already met), reopens, feedback and notes up to the day — so the
 * daily evaluation moves a few rows per client and month instead of every ticket. The months
 * before the day's month count in full on that day: they are read as kept totalled with the facts
 * (`service_month_totals`, `service-facts.ts`); the day's month and any fix-by time the database
 * cannot read are totalled from the facts (`$4`, the month's first day).
 */
async function serviceMonths(
  db: Db,
  tenantId: string,
  ids: number[] | null,
  asOf: string,
): Promise<ServiceMonthRow[]> {
  const month = `${asOf.slice(0, 7)}-01`;
  const params = [tenantId, ids, asOf, month];
  const [kept, opened, statuses, notes] = await Promise.all([
    db.query(
      `SELECT client_id, ${monthKey('month')} AS month, kind, key, n, p1, met, scores, scales
         FROM service_month_totals
        WHERE tenant_id = $1 AND ${SCOPED_CLIENT('client_id')} AND month < $3::date`,
      [tenantId, ids, month],
    ),
    db.query(
      `SELECT client_id, ${monthKey('month')} AS month, category, n, p1
         FROM (SELECT f.client_id, ${monthOfColumn('f.occurred_at')} AS month,
                      coalesce(f.category, 'Other') AS category, count(*) AS n,
                      count(*) FILTER (WHERE f.priority_id = 1) AS p1
                 FROM service_ticket_facts f
                WHERE ${CLIENT_FACTS} AND f.occurred_at IS NOT NULL
                  AND ${fromMonth('f.occurred_at', 4)} AND ${upToDay('f.occurred_at', 3)}
                GROUP BY 1, 2, 3) m
        ORDER BY 1, 2, 3`,
      params,
    ),
    // SLA: fix-by times the database reads are totalled (judged on days before $3, or on it when
    // met; HaloPSA's 1900 "none" left out); any other shape comes back as is (odd_*).
    db.query(
      `SELECT 'sla' AS kind, f.client_id, ${monthKey(monthOfColumn('f.fix_by_at'))} AS month,
              CASE WHEN f.fix_by_at IS NULL THEN f.fix_by END AS odd_fix_by,
              CASE WHEN f.fix_by_at IS NULL THEN f.first_closed_at END AS odd_first_closed,
              count(*) AS total, count(*) FILTER (WHERE f.first_closed_at <= f.fix_by_at) AS met
         FROM service_ticket_facts f
        WHERE ${CLIENT_FACTS} AND f.occurred_at IS NOT NULL
          AND f.fix_by IS NOT NULL AND btrim(f.fix_by) <> ''
          AND (f.fix_by_at IS NULL
               OR (f.fix_by_at >= '1901-01-01T00:00:00Z' AND ${fromMonth('f.fix_by_at', 4)}
                   AND (f.fix_by_at < $3::timestamp AT TIME ZONE 'UTC'
                        OR (${upToDay('f.fix_by_at', 3)} AND f.first_closed_at <= f.fix_by_at))))
        GROUP BY 2, 3, 4, 5
       UNION ALL
       SELECT 'reopen', s.client_id, ${monthKey(monthOfColumn('s.at'))}, NULL, NULL, count(*), NULL
         FROM service_signals s
        WHERE ${SIGNALS('reopen')} AND ${fromMonth('s.at', 4)} AND ${upToDay('s.at', 3)}
        GROUP BY 2, 3`,
      params,
    ),
    // Feedback scores ("4/5", "8/10") in time order; customer notes, each distinct text once with
    // its count.
    db.query(
      `SELECT 'feedback' AS kind, s.client_id, ${monthKey(monthOfColumn('s.at'))} AS month,
              NULL AS note, NULL::bigint AS n,
              array_agg(s.score ORDER BY s.at, s.action_id) AS scores,
              array_agg(s.scale ORDER BY s.at, s.action_id) AS scales
         FROM service_signals s
        WHERE ${SIGNALS('feedback')} AND ${fromMonth('s.at', 4)} AND ${upToDay('s.at', 3)}
        GROUP BY 2, 3
       UNION ALL
       SELECT 'note', s.client_id, ${monthKey(monthOfColumn('s.at'))}, s.note, count(*), NULL, NULL
         FROM service_signals s
        WHERE ${SIGNALS('note')} AND ${fromMonth('s.at', 4)} AND ${upToDay('s.at', 3)}
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
  // The kept months, in no particular order (sorting them cost more than reading them): nothing
  // read from a month depends on the order of its rows (its categories are a count each, its
  // notes are summed, its feedback scores come in one row).
  for (const r of kept) {
    const row = monthRow(Number(r.client_id), String(r.month));
    const n = Number(r.n);
    switch (r.kind) {
      case 'opened':
        row.opened += n;
        row.p1 += Number(r.p1);
        row.categories[String(r.key)] = n;
        break;
      case 'sla':
        row.slaTotal += n;
        row.slaMet += Number(r.met);
        break;
      case 'reopen':
        row.reopened += n;
        break;
      case 'feedback':
        pushScores(row, r.scores as unknown[], r.scales as unknown[]);
        break;
      default:
        row.notes.push({ text: String(r.key ?? ''), count: n });
    }
  }
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
    pushScores(
      monthRow(Number(r.client_id), String(r.month)),
      r.scores as unknown[],
      r.scales as unknown[],
    );
  }
  for (const r of customerNotes) {
    monthRow(Number(r.client_id), String(r.month)).notes.push({
      text: String(r.note ?? ''),
      count: Number(r.n),
    });
  }
  return [...months.values()];
}

/** A month's feedback scores (as written, with their scales) added normalised, in their order. */
function pushScores(row: ServiceMonthRow, scores: unknown[], scales: unknown[]): void {
  scores.forEach((score, i) => {
    const normalised = normalisedScore(num(score), num(scales[i]));
    if (normalised !== null) row.feedbackScores.push(normalised);
  });
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
