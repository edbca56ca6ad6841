/**
 * The entity data model of the read-only Power BI feed (`/odata`, issue 19): one entity set per
 * table Power BI reports on, each with its key and typed properties. The CSDL document, the query
 * parser and the SQL adapter all read this one list, so a property exists everywhere or nowhere.
 */

/** The EDM primitive types the feed uses. */
export type EdmType =
  | 'Edm.String'
  | 'Edm.Int32'
  | 'Edm.Int64'
  | 'Edm.Double'
  | 'Edm.Boolean'
  | 'Edm.Date'
  | 'Edm.DateTimeOffset';

/** One property of an entity type. */
export interface EdmProperty {
  name: string;
  type: EdmType;
  /** False for key properties and columns the database declares NOT NULL. */
  nullable: boolean;
}

/** One entity set and its entity type. */
export interface EntitySetModel {
  /** The set's name in URLs (`/odata/Projects`). */
  name: string;
  /** The entity type's unqualified name (`Project`). */
  entityType: string;
  /** Key property names, in key order (also the stable paging order). */
  key: readonly string[];
  properties: readonly EdmProperty[];
}

/** The schema namespace of every type. */
export const ODATA_NAMESPACE = 'ControlTower';
/** The entity container's name. */
export const ODATA_CONTAINER = 'Reporting';

const p = (name: string, type: EdmType, nullable = true): EdmProperty => ({ name, type, nullable });
const key = (name: string, type: EdmType): EdmProperty => p(name, type, false);

/** Every entity set of the feed, in the order the service document lists them. */
export const ENTITY_SETS: readonly EntitySetModel[] = [
  {
    name: 'Projects',
    entityType: 'Project',
    key: ['Id'],
    properties: [
      key('Id', 'Edm.Int64'),
      p('ClientId', 'Edm.Int64'),
      p('ClientName', 'Edm.String'),
      p('Summary', 'Edm.String'),
      p('StatusId', 'Edm.Int64'),
      p('ProjectManagerAgentId', 'Edm.Int64'),
      p('StartDate', 'Edm.DateTimeOffset'),
      p('TargetDate', 'Edm.DateTimeOffset'),
      p('DeadlineDate', 'Edm.DateTimeOffset'),
      p('DateClosed', 'Edm.DateTimeOffset'),
      p('TimeBudgetHours', 'Edm.Double'),
      p('MoneyBudget', 'Edm.Double'),
      p('TimeActualHours', 'Edm.Double'),
      p('MoneyActual', 'Edm.Double'),
      p('OnHold', 'Edm.Boolean'),
      p('LastUpdate', 'Edm.DateTimeOffset'),
    ],
  },
  {
    name: 'HealthSnapshots',
    entityType: 'HealthSnapshot',
    key: ['ProjectId', 'SnapshotDate'],
    properties: [
      key('ProjectId', 'Edm.Int64'),
      key('SnapshotDate', 'Edm.Date'),
      p('Score', 'Edm.Double', false),
      p('Rag', 'Edm.String', false),
      p('Confidence', 'Edm.Double', false),
      p('RiskTags', 'Edm.String', false),
      p('CreatedAt', 'Edm.DateTimeOffset', false),
    ],
  },
  {
    name: 'Escalations',
    entityType: 'Escalation',
    key: ['Id'],
    properties: [
      key('Id', 'Edm.String'),
      p('ProjectId', 'Edm.Int64', false),
      p('ClientId', 'Edm.String'),
      p('Cause', 'Edm.String', false),
      p('Status', 'Edm.String', false),
      p('Severity', 'Edm.String', false),
      p('OpenedAt', 'Edm.DateTimeOffset', false),
      p('UpdatedAt', 'Edm.DateTimeOffset', false),
      p('ClosedAt', 'Edm.DateTimeOffset'),
    ],
  },
  {
    name: 'Gates',
    entityType: 'Gate',
    key: ['Id'],
    properties: [
      key('Id', 'Edm.String'),
      p('ProjectId', 'Edm.Int64', false),
      p('MilestoneId', 'Edm.Int64', false),
      p('MilestoneName', 'Edm.String', false),
      p('Status', 'Edm.String', false),
      p('PackVersion', 'Edm.Int32', false),
      p('RequiredApprovals', 'Edm.Int32', false),
      p('Approvals', 'Edm.Int32', false),
      p('RequestedAt', 'Edm.DateTimeOffset', false),
      p('DecidedAt', 'Edm.DateTimeOffset'),
      p('UpdatedAt', 'Edm.DateTimeOffset', false),
    ],
  },
  {
    name: 'Contracts',
    entityType: 'Contract',
    key: ['Id'],
    properties: [
      key('Id', 'Edm.Int64'),
      p('ClientId', 'Edm.Int64'),
      p('ClientName', 'Edm.String'),
      p('Ref', 'Edm.String'),
      p('StartDate', 'Edm.DateTimeOffset'),
      p('EndDate', 'Edm.DateTimeOffset'),
      p('PeriodCharge', 'Edm.Double'),
      p('HoursPerPeriod', 'Edm.Double'),
      p('PrepayBalance', 'Edm.Double'),
      p('CostPerPeriod', 'Edm.Double'),
      p('BillingPeriod', 'Edm.String'),
      p('Active', 'Edm.Boolean'),
      p('LastUpdate', 'Edm.DateTimeOffset'),
    ],
  },
  {
    name: 'RenewalSnapshots',
    entityType: 'RenewalSnapshot',
    key: ['ContractId', 'SnapshotDate'],
    properties: [
      key('ContractId', 'Edm.Int64'),
      key('SnapshotDate', 'Edm.Date'),
      p('ClientId', 'Edm.Int64'),
      p('Score', 'Edm.Double', false),
      p('Band', 'Edm.String', false),
      p('Confidence', 'Edm.Double', false),
      p('Flagged', 'Edm.Boolean', false),
      p('FlagCause', 'Edm.String'),
      p('FlagSeverity', 'Edm.String'),
      p('EndDate', 'Edm.Date'),
      p('Stage', 'Edm.String', false),
      p('CreatedAt', 'Edm.DateTimeOffset', false),
    ],
  },
  {
    name: 'KpiSnapshots',
    entityType: 'KpiSnapshot',
    key: ['CapturedOn'],
    properties: [
      key('CapturedOn', 'Edm.Date'),
      p('GrossRetentionRate', 'Edm.Double'),
      p('UpliftConversionRate', 'Edm.Double'),
      p('AverageConcessionDepthPct', 'Edm.Double'),
    ],
  },
  {
    name: 'DeliveryKpiSnapshots',
    entityType: 'DeliveryKpiSnapshot',
    key: ['CapturedOn'],
    properties: [
      key('CapturedOn', 'Edm.Date'),
      p('OnTimeMilestoneRate', 'Edm.Double'),
      p('BudgetVariance', 'Edm.Double'),
      p('GrossMarginAccuracy', 'Edm.Double'),
    ],
  },
];

/** The entity set named `name` (case-sensitive, as OData identifiers are), or undefined. */
export function entitySet(name: string): EntitySetModel | undefined {
  return ENTITY_SETS.find((s) => s.name === name);
}
