import { z } from 'zod';
import type { DeliveryQueries, WeeklyReportView } from '../app/delivery-views';
import type { TabQueries } from '../app/delivery/tab-queries.port';
import { isVisible, reportForOwned, type ReadAccess } from '../app/identity/read-access';
import type { Mode } from '../config';
import { recordIdText, safeText } from '../shared/input-schemas';
import { ApiError, type ApiRoute } from './api-types';
import type {
  ClientsDto,
  DeliveryGovernanceDto,
  ExceptionDto,
  KpisDto,
  MeDto,
  MilestoneGateDto,
  ProjectDetailDto,
  Rag,
} from './dto';
import { pageRequest } from './mount-api';
import { granted } from './read-guard';

/** Gate states per milestone id of one project; the gates module provides it when it is wired. */
export type MilestoneGates = (
  tenantId: string,
  projectId: number,
) => Promise<Map<number, MilestoneGateDto>>;

/** What the delivery routes read from. */
export interface DeliveryRoutesDeps {
  mode: Mode;
  tab: TabQueries;
  /** The bot's read side, for the weekly report (same content as `/report`). */
  queries: Pick<DeliveryQueries, 'weeklyReport'>;
  /** Weekly delivery KPIs of the last `weeks` ISO weeks, oldest first, with their movement. */
  kpis: (tenantId: string, weeks: number) => Promise<KpisDto>;
  /** The delivery judgement's record on the tenant's own history (governance view). */
  governance?: (tenantId: string) => Promise<DeliveryGovernanceDto>;
  milestoneGates?: MilestoneGates;
  /** The read rules (SPEC §1), shared with the bot. */
  access: ReadAccess;
}

const RAG_VALUES = ['red', 'amber', 'green', 'unknown'] as const;

const projectsQuery = z.object({
  rag: z
    .string()
    .transform((text) => text.split(',').map((r) => r.trim()))
    .pipe(z.array(z.enum(RAG_VALUES)).min(1))
    .optional(),
  clientId: recordIdText.optional(),
  q: safeText(200).optional(),
  status: z.enum(['open', 'all']).default('open'),
});

const projectId = recordIdText;

/** `GET /delivery/governance`, for the roles that oversee all projects. */
function governanceRoute(run: (tenantId: string) => Promise<DeliveryGovernanceDto>): ApiRoute {
  return {
    method: 'get',
    path: '/delivery/governance',
    roles: ['pmo_lead', 'delivery_director', 'msp_owner', 'admin'],
    handler: async ({ actor }) => ({ status: 200, body: await run(actor.tenantId) }),
  };
}

/** `/me` and the delivery read side of the tab: portfolio, project detail, clients, KPIs, report, exceptions. */
export function deliveryRoutes(deps: DeliveryRoutesDeps): ApiRoute[] {
  return [
    {
      method: 'get',
      path: '/me',
      signedIn: true,
      handler: async ({ actor }) => {
        const body: MeDto = {
          tenantId: actor.tenantId,
          user: { aadObjectId: actor.aadObjectId, email: actor.email, name: actor.name },
          roles: actor.roles,
          mode: deps.mode,
        };
        return { status: 200, body };
      },
    },
    {
      method: 'get',
      path: '/projects',
      handler: async ({ actor, query }) => {
        const scope = granted(deps.access.projectScope(actor));
        const page = pageRequest(query);
        const filter = projectsQuery.parse(query);
        const body = await deps.tab.projectsPage(
          actor.tenantId,
          {
            rags: (filter.rag as Rag[] | undefined) ?? null,
            clientId: filter.clientId ?? null,
            text: filter.q ?? null,
            includeClosed: filter.status === 'all',
            owners:
              scope.kind === 'all'
                ? null
                : {
                    pmAgentId: scope.pmAgentId,
                    accountManagerAgentId: scope.accountManagerAgentId,
                  },
          },
          { offset: page.offset, limit: page.pageSize },
        );
        return { status: 200, body };
      },
    },
    {
      method: 'get',
      path: '/projects/:id',
      handler: async ({ actor, params, query }) => {
        const id = projectId.parse(params.id);
        granted(await deps.access.project(actor, id));
        const days = z.coerce.number().int().min(1).max(366).default(90).parse(query.days);
        const detail: ProjectDetailDto | null = await deps.tab.projectDetail(
          actor.tenantId,
          id,
          days,
        );
        if (!detail) throw new ApiError(404, 'not-found', `There is no project ${id}.`);
        if (deps.milestoneGates) {
          const gates = await deps.milestoneGates(actor.tenantId, id);
          for (const m of detail.milestones) m.gate = gates.get(m.id) ?? null;
        }
        return { status: 200, body: detail };
      },
    },
    {
      method: 'get',
      path: '/clients',
      handler: async ({ actor }) => {
        const visible = granted(await deps.access.visibleProjectClients(actor));
        const items = await deps.tab.clients(actor.tenantId);
        const body: ClientsDto = { items: items.filter((c) => isVisible(visible, c.id)) };
        return { status: 200, body };
      },
    },
    {
      method: 'get',
      path: '/kpis',
      handler: async ({ actor, query }) => {
        granted(deps.access.area(actor, 'delivery-kpis'));
        const weeks = z.coerce.number().int().min(1).max(52).default(9).parse(query.weeks);
        return { status: 200, body: await deps.kpis(actor.tenantId, weeks) };
      },
    },
    ...(deps.governance ? [governanceRoute(deps.governance)] : []),
    {
      method: 'get',
      path: '/report/weekly',
      handler: async ({ actor, query }) => {
        const scope = granted(await deps.access.reportScope(actor));
        const format = z.enum(['json', 'csv']).default('json').parse(query.format);
        const whole = await deps.queries.weeklyReport(actor.tenantId);
        const report = scope === 'all' ? whole : reportForOwned(whole, scope);
        if (format === 'json') return { status: 200, body: report };
        return {
          status: 200,
          body: weeklyReportCsv(report),
          headers: {
            'Content-Type': 'text/csv; charset=utf-8',
            'Content-Disposition': `attachment; filename="weekly-report-${report.weekOf}.csv"`,
          },
        };
      },
    },
    {
      method: 'get',
      path: '/exceptions',
      handler: async ({ actor, query }) => {
        granted(deps.access.area(actor, 'exceptions'));
        const page = pageRequest(query);
        const type = z
          .enum(['data-quality', 'failed-delivery'])
          .optional()
          .parse(query.type || undefined) as ExceptionDto['type'] | undefined;
        const body = await deps.tab.exceptions(actor.tenantId, type ?? null, {
          offset: page.offset,
          limit: page.pageSize,
        });
        return { status: 200, body };
      },
    },
  ];
}

/** The weekly report as CSV (RFC 4180, UTF-8 with a BOM): one line per red or amber project. */
export function weeklyReportCsv(report: WeeklyReportView): string {
  const header = [
    'week_of',
    'project_id',
    'project',
    'client',
    'rag',
    'score',
    'causes',
    'mitigation_owner',
    'recovery_date',
    'change_since_last_week',
  ];
  const lines = report.lines.map((l) => [
    report.weekOf,
    String(l.projectId),
    l.projectName,
    l.clientName,
    l.rag,
    l.score === null ? '' : String(l.score),
    l.causes.join('; '),
    l.mitigationOwner ?? '',
    l.recoveryDate ?? '',
    l.changeSinceLastWeek ?? '',
  ]);
  // The byte-order mark makes Excel read the file as UTF-8 (accented client names stay intact).
  return `\uFEFF${[header, ...lines].map((cells) => cells.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

function csvCell(value: string): string {
  // A leading =, +, - or @ would run as a formula in a spreadsheet: quote it as text.
  const safe = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) || safe !== value ? `"${safe.replace(/"/g, '""')}"` : safe;
}
