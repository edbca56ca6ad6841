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

  async load(tenantId: string, scope?: RenewalHistoryScope): Promise<RenewalHistory> {
    const { db } = this;
    const ids = scope ? scope.clientIds : null;
    const withoutClient = scope ? scope.withoutClient : true;
    const statuses = await db.query('SELECT id, name FROM halo_statuses WHERE tenant_id = $1', [
      tenantId,
    ]);
    const closedIds = statuses
      .filter((s) => classifyStatus(String(s.name ?? '')) === 'closed')
      .map((s) => Number(s.id));

    const [
      contracts,
      tickets,
      reopens,
      feedback,
      notes,
      hours,
      invoices,
      lines,
      clients,
      rags,
      issues,
      first,
    ] = await Promise.all([
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
      db.query(
        `SELECT t.id, t.client_id, t.date_occurred, t.priority_id, t.category,
                CASE WHEN coalesce(t.raw->>'excludefromsla', 'false') IN ('true', '1') THEN NULL
                     ELSE t.raw->>'fixbydate' END AS fix_by,
                fc.first_closed
           FROM halo_tickets t
           LEFT JOIN LATERAL (SELECT min(a.action_at) AS first_closed FROM halo_actions a
                       WHERE a.tenant_id = $1 AND a.ticket_id = t.id
                         AND a.new_status = ANY($3::bigint[])) fc ON true
          WHERE t.tenant_id = $1 AND t.client_id IS NOT NULL AND t.date_occurred IS NOT NULL
            AND ${SCOPED_CLIENT('t.client_id')}`,
        [tenantId, ids, closedIds],
      ),
      // A reopen: a status change to an open status after the ticket had been closed.
      db.query(
        `SELECT t.client_id, s.action_at
           FROM halo_tickets t
           CROSS JOIN LATERAL (
            SELECT a.action_at, a.new_status = ANY($3::bigint[]) AS closes,
                   bool_or(a.new_status = ANY($3::bigint[])) OVER (
                     ORDER BY a.action_at, a.id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS was_closed
              FROM halo_actions a
             WHERE a.tenant_id = $1 AND a.ticket_id = t.id
               AND a.new_status IS NOT NULL AND a.action_at IS NOT NULL) s
          WHERE t.tenant_id = $1 AND s.was_closed AND NOT s.closes AND t.client_id IS NOT NULL
            AND ${SCOPED_CLIENT('t.client_id')}`,
        [tenantId, ids, closedIds],
      ),
      // In time order: a month's scores are listed (and averaged) the same way whatever the plan.
      db.query(
        `SELECT t.client_id, a.action_at, m.parts[1] AS score, m.parts[2] AS scale
           FROM halo_tickets t
           CROSS JOIN LATERAL (SELECT a.id, a.action_at, a.raw->>'note' AS note FROM halo_actions a
                                WHERE a.tenant_id = t.tenant_id AND a.ticket_id = t.id
                                  AND a.action_at IS NOT NULL AND a.outcome ILIKE '%feedback%'
                                OFFSET 0) a
           CROSS JOIN LATERAL (SELECT regexp_match(a.note, '([0-9]+(?:\\.[0-9]+)?)\\s*/\\s*([0-9]+)') AS parts) m
          WHERE t.tenant_id = $1 AND m.parts IS NOT NULL AND t.client_id IS NOT NULL
            AND ${SCOPED_CLIENT('t.client_id')}
          ORDER BY a.action_at, a.id`,
        [tenantId, ids],
      ),
      // Customer-visible notes written by the customer (no agent), for the negative-language lexicon.
      db.query(
        `SELECT t.client_id, a.action_at, a.note
           FROM halo_tickets t
           CROSS JOIN LATERAL (SELECT a.action_at, a.raw->>'note' AS note FROM halo_actions a
                                WHERE a.tenant_id = t.tenant_id AND a.ticket_id = t.id
                                  AND a.action_at IS NOT NULL AND a.who_agent_id IS NULL
                                  AND coalesce(a.raw->>'hiddenfromuser', 'false') NOT IN ('true', '1')
                                  AND a.raw->>'note' ~* $3
                                OFFSET 0) a
          WHERE t.tenant_id = $1 AND t.client_id IS NOT NULL AND ${SCOPED_CLIENT('t.client_id')}`,
        [tenantId, ids, LEXICON_PREFILTER],
      ),
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
        const score = num(r.score);
        const scale = num(r.scale);
        if (score === null || scale === null || scale < 2 || score > scale) return [];
        // "4/5" on a 1–5 scale, "8/10" on 0–10; the domain normalises to 1–5.
        const min = scale === 5 ? 1 : 0;
        const normalised = 1 + (4 * (score - min)) / (scale - min);
        return [
          {
            clientId: Number(r.client_id),
            at: iso(r.action_at)!,
            score: Math.min(5, Math.max(1, normalised)),
          },
        ];
      }),
      notes: notes.map((r): NoteRow => ({
        clientId: Number(r.client_id),
        at: iso(r.action_at)!,
        text: String(r.note ?? ''),
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

/** A HaloPSA date string (zone-less means UTC; year ≤ 1900 means none) as an ISO timestamp. */
function parseHaloDate(value: unknown): string | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  const text = /[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) return null;
  const date = new Date(ms);
  return date.getUTCFullYear() <= 1900 ? null : date.toISOString();
}
