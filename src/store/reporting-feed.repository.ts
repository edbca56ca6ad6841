/**
 * The Power BI feed's rows in SQL: each entity set is a subquery over its table, scoped to the
 * tenant, whose columns are named after the model's properties; filters and ordering apply to those
 * names. Only names from the model and `$n` parameters reach the SQL text.
 */
import type { FeedPageRequest, ReportingFeedRows } from '../app/reporting/reporting-feed.port';
import type { EdmType, EntitySetModel } from '../domain/reporting/odata-model';
import type { Comparison } from '../domain/reporting/odata-query';
import type { Db } from './db';

interface SetSource {
  /** `FROM … WHERE` with `$1` the tenant. */
  from: string;
  /** Property name → SQL expression over the FROM. */
  columns: Record<string, string>;
}

const CLIENT_JOIN = 'LEFT JOIN halo_clients c ON c.tenant_id = t.tenant_id AND c.id = t.client_id';

const SOURCES: Record<string, SetSource> = {
  Projects: {
    from: `halo_projects t ${CLIENT_JOIN} WHERE t.tenant_id = $1`,
    columns: {
      Id: 't.id',
      ClientId: 't.client_id',
      ClientName: 'c.name',
      Summary: 't.summary',
      StatusId: 't.status_id',
      ProjectManagerAgentId: 't.agent_id',
      StartDate: 't.start_date',
      TargetDate: 't.target_date',
      DeadlineDate: 't.deadline_date',
      DateClosed: 't.date_closed',
      TimeBudgetHours: 't.time_budget',
      MoneyBudget: 't.money_budget',
      TimeActualHours: 't.time_actual',
      MoneyActual: 't.money_actual',
      OnHold: 't.on_hold',
      LastUpdate: 't.last_update',
    },
  },
  HealthSnapshots: {
    from: 'health_snapshots t WHERE t.tenant_id = $1',
    columns: {
      ProjectId: 't.project_id',
      SnapshotDate: 't.snapshot_date',
      Score: 't.score',
      Rag: 't.rag',
      Confidence: 't.confidence',
      RiskTags: "array_to_string(t.risk_tags, ',')",
      CreatedAt: 't.created_at',
    },
  },
  Escalations: {
    from: 'escalations t WHERE t.tenant_id = $1',
    columns: {
      Id: 't.id',
      ProjectId: 't.project_id',
      ClientId: 't.client_id',
      Cause: 't.cause',
      Status: 't.status',
      Severity: 't.severity',
      OpenedAt: 't.opened_at',
      UpdatedAt: 't.updated_at',
      ClosedAt: 't.closed_at',
    },
  },
  Gates: {
    from: 'gates t WHERE t.tenant_id = $1',
    columns: {
      Id: 't.id',
      ProjectId: 't.project_id',
      MilestoneId: 't.milestone_id',
      MilestoneName: 't.milestone_name',
      Status: 't.status',
      PackVersion: 't.pack_version',
      RequiredApprovals: 't.required_approvals',
      Approvals: 't.approvals',
      RequestedAt: 't.requested_at',
      DecidedAt: 't.decided_at',
      UpdatedAt: 't.updated_at',
    },
  },
  Contracts: {
    from: `halo_contracts t ${CLIENT_JOIN} WHERE t.tenant_id = $1`,
    columns: {
      Id: 't.id',
      ClientId: 't.client_id',
      ClientName: 'c.name',
      Ref: 't.ref',
      StartDate: 't.start_date',
      EndDate: 't.end_date',
      PeriodCharge: 't.period_charge',
      HoursPerPeriod: 't.hours_per_period',
      PrepayBalance: 't.prepay_balance',
      CostPerPeriod: 't.cost_per_period',
      BillingPeriod: 't.billing_period',
      Active: 't.active',
      LastUpdate: 't.last_update',
    },
  },
  RenewalSnapshots: {
    from: 'renewal_snapshots t WHERE t.tenant_id = $1',
    columns: {
      ContractId: 't.contract_id',
      SnapshotDate: 't.snapshot_date',
      ClientId: 't.client_id',
      Score: 't.score',
      Band: 't.band',
      Confidence: 't.confidence',
      Flagged: 't.flagged',
      FlagCause: 't.flag_cause',
      FlagSeverity: 't.flag_severity',
      EndDate: 't.end_date',
      Stage: 't.stage',
      CreatedAt: 't.created_at',
    },
  },
  KpiSnapshots: {
    from: 'renewal_kpi_snapshots t WHERE t.tenant_id = $1',
    columns: {
      CapturedOn: 't.captured_on',
      GrossRetentionRate: "(t.kpis->>'grr')::double precision",
      UpliftConversionRate: "(t.kpis->>'upliftConversion')::double precision",
      AverageConcessionDepthPct: "(t.kpis->>'avgConcessionDepthPct')::double precision",
    },
  },
  DeliveryKpiSnapshots: {
    from: 'delivery_kpi_snapshots t WHERE t.tenant_id = $1',
    columns: {
      CapturedOn: 't.captured_on',
      OnTimeMilestoneRate: "(t.kpis->>'onTimeMilestoneRate')::double precision",
      BudgetVariance: "(t.kpis->>'budgetVariance')::double precision",
      GrossMarginAccuracy: "(t.kpis->>'grossMarginAccuracy')::double precision",
    },
  },
};

const SQL_TYPES: Record<EdmType, string> = {
  'Edm.String': 'text',
  'Edm.Int32': 'integer',
  'Edm.Int64': 'bigint',
  'Edm.Double': 'double precision',
  'Edm.Boolean': 'boolean',
  'Edm.Date': 'date',
  'Edm.DateTimeOffset': 'timestamptz',
};

const SQL_OPERATORS = { eq: '=', ne: 'IS DISTINCT FROM', gt: '>', ge: '>=', lt: '<', le: '<=' };

function source(set: EntitySetModel): SetSource {
  const found = SOURCES[set.name];
  if (!found) throw new Error(`the reporting feed has no SQL source for ${set.name}`);
  return found;
}

/** A model property name as a quoted SQL identifier (names are `[A-Za-z]+` by construction). */
function column(set: EntitySetModel, name: string): string {
  if (!set.properties.some((prop) => prop.name === name) || !/^[A-Za-z]+$/.test(name)) {
    throw new Error(`${set.name} has no property ${name}`);
  }
  return `s."${name}"`;
}

/** The subquery and WHERE clause shared by a page and a count; params start with the tenant. */
function filtered(set: EntitySetModel, tenantId: string, filter: readonly Comparison[]) {
  const { from, columns } = source(set);
  const inner = set.properties
    .map((prop) => `${columns[prop.name] ?? 'NULL'} AS "${prop.name}"`)
    .join(', ');
  const params: unknown[] = [tenantId];
  const conditions = filter.map((c) => {
    const name = column(set, c.property);
    if (c.value === null) return `${name} IS ${c.operator === 'eq' ? '' : 'NOT '}NULL`;
    params.push(c.value);
    return `${name} ${SQL_OPERATORS[c.operator]} $${params.length}::${SQL_TYPES[c.type]}`;
  });
  const where = conditions.length === 0 ? '' : ` WHERE ${conditions.join(' AND ')}`;
  return { sql: `FROM (SELECT ${inner} FROM ${from}) s${where}`, params };
}

/** The feed's rows, typed for JSON: numbers, booleans, ISO dates and date-times. */
export class SqlReportingFeedRows implements ReportingFeedRows {
  constructor(private readonly db: Db) {}

  async page(
    tenantId: string,
    set: EntitySetModel,
    request: FeedPageRequest,
  ): Promise<Array<Record<string, unknown>>> {
    const { sql, params } = filtered(set, tenantId, request.filter);
    const types = new Map(set.properties.map((prop) => [prop.name, prop.type]));
    const selected = request.select.map((name) =>
      types.get(name) === 'Edm.Date'
        ? `${column(set, name)}::text AS "${name}"`
        : `${column(set, name)} AS "${name}"`,
    );
    const ordered = [
      ...request.orderBy.map((o) => `${column(set, o.property)} ${o.descending ? 'DESC' : 'ASC'}`),
      ...set.key.map((name) => `${column(set, name)} ASC`),
    ];
    params.push(request.limit, request.offset);
    const rows = await this.db.query(
      `SELECT ${selected.join(', ')} ${sql} ORDER BY ${ordered.join(', ')} LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    );
    return rows.map((row) => {
      const out: Record<string, unknown> = {};
      for (const name of request.select) out[name] = jsonValue(types.get(name)!, row[name]);
      return out;
    });
  }

  async count(tenantId: string, set: EntitySetModel, filter: readonly Comparison[]) {
    const { sql, params } = filtered(set, tenantId, filter);
    const [row] = await this.db.query<{ n: string | number }>(
      `SELECT count(*) AS n ${sql}`,
      params,
    );
    return Number(row?.n ?? 0);
  }
}

function jsonValue(type: EdmType, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'Edm.Int32':
    case 'Edm.Int64':
    case 'Edm.Double':
      return Number(value);
    case 'Edm.DateTimeOffset':
      return new Date(value as string | Date).toISOString();
    case 'Edm.Date':
      return String(value).slice(0, 10);
    default:
      return value;
  }
}
