import type { Rag } from '../../domain/delivery/health-score';
/**
 * Everything the mirror knows about the contracts of one tenant and their clients' service history,
 * dated, loaded in one set-based query per table. `buildContractFacts` turns it into the renewal
 * engine's as-of view for any day, so the daily evaluation (today) and the replay (every past day)
 * see the same data the same way.
 */

/** A contract row with its client and the full-record fields the engine needs. */
export interface ContractRow {
  id: number;
  clientId: number | null;
  /** Null when the contract's client is not in the mirror. */
  clientName: string | null;
  accountManagerAgentId: number | null;
  ref: string | null;
  contractType: string | null;
  /** ISO day (UTC) or null. */
  startDate: string | null;
  endDate: string | null;
  periodCharge: number | null;
  billingPeriod: string | null;
  costPerPeriod: number | null;
  hoursPerPeriod: number | null;
  prepayBalance: number | null;
}

/** One service ticket, reduced to what readiness needs (times are ISO timestamps, UTC). */
export interface ServiceTicketRow {
  id: number;
  clientId: number;
  occurredAt: string;
  priorityId: number | null;
  category: string | null;
  /** Fix-by time when the ticket counts for SLA (`excludefromsla` false), else null. */
  fixByAt: string | null;
  /** First time the ticket entered a closed status (from dated actions), or null. */
  firstClosedAt: string | null;
}

/** A dated client event: a reopen, a feedback score (1–5) or a customer-visible note. */
export interface ClientEventRow {
  clientId: number;
  at: string;
}

/** A customer feedback score normalised to 1–5. */
export interface FeedbackRow extends ClientEventRow {
  score: number;
}

/** A customer-visible note's text. */
export interface NoteRow extends ClientEventRow {
  text: string;
}

/** Hours logged on one contract on one day. */
export interface ContractHoursRow {
  contractId: number;
  day: string;
  hours: number;
}

/** An issued invoice and when (if ever) it was paid. */
export interface InvoiceRow {
  clientId: number;
  invoiceDate: string;
  dueDate: string | null;
  total: number;
  /** Day paid, or null while unpaid. */
  paidOn: string | null;
}

/** A billed line of a contract's recurring invoice. */
export interface BilledLineRow {
  contractId: number;
  description: string;
  qty: number;
  unitPrice: number;
}

/** A quantity the client's record says is in use (e.g. a user-count custom field). */
export interface ObservedQuantityRow {
  clientId: number;
  item: string;
  qty: number;
  source: string;
}

/** A project's daily health RAG (from the delivery engine's snapshots). */
export interface ProjectRagRow {
  clientId: number;
  projectId: number;
  day: string;
  rag: Rag;
}

/**
 * One client's service in one calendar month (`YYYY-MM`) as of a day, totalled by the database:
 * the same figures the engine would count from that client's tickets, reopens, feedback and notes
 * dated up to the day (see `ServiceHistoryAsOf`).
 */
export interface ServiceMonthRow {
  clientId: number;
  month: string;
  opened: number;
  p1: number;
  /** Tickets opened per category ('Other' when none). */
  categories: Record<string, number>;
  slaTotal: number;
  slaMet: number;
  reopened: number;
  /** Feedback scores normalised to 1–5, in time order. */
  feedbackScores: number[];
  /** The customer-visible notes of the month (each distinct text once, with how often it came). */
  notes: Array<{ text: string; count: number }>;
}

/**
 * A client service history already totalled per month as of one day: loaded so for the daily
 * evaluation (one day), where the replay loads the dated rows to see every day.
 */
export interface ServiceHistoryAsOf {
  asOf: string;
  months: ServiceMonthRow[];
}

/**
 * The dated renewal history of every contract of a tenant. Loaded as of a day, the service lists
 * (`tickets`, `reopens`, `feedback`, `notes`) are empty and `serviceAsOf` carries their monthly
 * totals instead.
 */
export interface RenewalHistory {
  contracts: ContractRow[];
  serviceAsOf?: ServiceHistoryAsOf;
  tickets: ServiceTicketRow[];
  reopens: ClientEventRow[];
  feedback: FeedbackRow[];
  notes: NoteRow[];
  hours: ContractHoursRow[];
  invoices: InvoiceRow[];
  billedLines: BilledLineRow[];
  observed: ObservedQuantityRow[];
  projectRags: ProjectRagRow[];
  /** Intake problems per contract id found while loading (data-quality exceptions). */
  dataQuality: Map<number, string[]>;
  /** Day of the tenant's earliest service ticket: months before it were never synced. */
  firstTicketDay: string | null;
}

/**
 * A part of the tenant's renewal history: the contracts of some clients (and, when
 * `withoutClient`, the contracts with no client) with those clients' service history. Everything
 * the engine reads about a contract belongs to its client, so a scope's facts are the same as the
 * tenant-wide load's.
 */
export interface RenewalHistoryScope {
  clientIds: number[];
  withoutClient: boolean;
}

/** The port the use cases load renewal history through (the SQL adapter lives in src/store). */
export interface RenewalHistoryReader {
  /**
   * The whole tenant's history, or only `scope`'s (the sync horizon is always the tenant's). With
   * `serviceAsOf`, the clients' service history comes totalled per month as of that day (facts can
   * then be built for that day only).
   */
  load(
    tenantId: string,
    scope?: RenewalHistoryScope,
    options?: { serviceAsOf?: string },
  ): Promise<RenewalHistory>;
  /**
   * Scopes of at most `clientsPerScope` clients covering every contract of the tenant once, so an
   * evaluation can hold one scope's tickets at a time instead of the tenant's. A walk over them
   * starts here: the history the scopes' loads read is brought up to date once, now.
   */
  scopes(tenantId: string, clientsPerScope: number): Promise<RenewalHistoryScope[]>;
}
