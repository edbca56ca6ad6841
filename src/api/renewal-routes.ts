/**
 * The tab API of the renewal loop (`/api/v1`): the pipeline, one contract's picture and what the
 * caller may do on it, checkpoints, stakeholder map, tasks, owner, concessions (preview / request /
 * list / decide), uplift answers, KPIs and the monthly governance review. Handlers translate HTTP
 * into the use cases; refusals become `ApiError`s with a stable code.
 */
import { z } from 'zod';
import type { ClientContacts } from '../app/renewals/client-contacts.port';
import type { CompleteRenewalTask } from '../app/renewals/complete-renewal-task';
import type { ConcessionResult } from '../app/renewals/concession-outcome';
import { contractActions } from '../app/renewals/contract-actions';
import { redactContractPage } from '../app/renewals/contract-page-redaction';
import type { DecideConcession } from '../app/renewals/decide-concession';
import type { EditStakeholderMap } from '../app/renewals/edit-stakeholder-map';
import type { GetConcession } from '../app/renewals/get-concession';
import type { ListConcessions } from '../app/renewals/list-concessions';
import type { LogCheckpoint } from '../app/renewals/log-checkpoint';
import type { PreviewConcession } from '../app/renewals/preview-concession';
import type { ReassignRenewalOwner } from '../app/renewals/reassign-renewal-owner';
import type { RenewalAgents } from '../app/renewals/renewal-agents.port';
import type { RenewalInsights } from '../app/renewals/renewal-insights';
import type { RenewalQueries } from '../app/renewals/renewal-queries';
import type { WorkflowResult } from '../app/renewals/renewal-step';
import type { RequestConcession } from '../app/renewals/request-concession';
import type { SetUpliftStatus } from '../app/renewals/set-uplift-status';
import { isVisible, type ReadAccess } from '../app/identity/read-access';
import { calendarDay, recordId, recordIdText, safeText, yearMonth } from '../shared/input-schemas';
import { ApiError, type ApiRoute } from './api-types';
import { pageRequest, toPage } from './mount-api';
import { granted } from './read-guard';

/** The renewal use cases the routes call (built once by the renewals module). */
export interface RenewalUseCases {
  queries: RenewalQueries;
  insights: RenewalInsights;
  requestConcession: RequestConcession;
  decideConcession: DecideConcession;
  getConcession: GetConcession;
  logCheckpoint: LogCheckpoint;
  setUpliftStatus: SetUpliftStatus;
  previewConcession: PreviewConcession;
  listConcessions: ListConcessions;
  completeTask: CompleteRenewalTask;
  editStakeholders: EditStakeholderMap;
  reassignOwner: ReassignRenewalOwner;
  /** Who a renewal can be handed to (the owner picker). */
  agents: RenewalAgents;
  /** The client's HaloPSA contacts the stakeholder map offers. */
  contacts: ClientContacts;
}

/** What the renewal routes need. */
export interface RenewalRoutesDeps {
  /** The tenant the use cases serve; a caller of any other tenant is answered 404. */
  tenantId: string;
  useCases: RenewalUseCases;
  /** Today (UTC, YYYY-MM-DD). */
  today: () => string;
  /** The read rules (SPEC §1), shared with the bot: contracts and commercials for account roles. */
  access: ReadAccess;
}

const contractId = recordIdText;
/** An uplift opportunity id as the path names it. */
const opportunityIdParam = safeText(200).pipe(z.string().min(1));
const pipelineQuery = z.object({
  days: z
    .string()
    .regex(/^\d{1,3}$/, 'must be a number of days')
    .transform(Number)
    .pipe(z.number().int().min(1).max(730))
    .default('90'),
  order: z.enum(['soonest', 'latest']).default('soonest'),
});
const checkpointBody = z.object({
  meetingOn: calendarDay,
  notes: safeText(5000).pipe(z.string().trim().min(1, 'meeting notes are required')),
  ownerCall: z.enum(['renew', 'at-risk', 'churn', 'monitor']),
});
const concessionBody = z.object({
  discountPct: z.number().positive().max(100),
  reason: safeText(2000).pipe(z.string().trim().min(1, 'a reason is required')),
});
const decisionBody = z.object({
  decision: z.enum(['approve', 'reject']),
  comment: safeText(2000).optional(),
  expectedVersion: recordId.optional(),
});
const upliftBody = z.object({
  status: z.enum(['accepted', 'declined']),
  reason: safeText(2000).pipe(z.string().trim().min(1, 'say why the customer answered so')),
});
const previewBody = z.object({
  discountPct: z.number().positive().max(100),
  reason: safeText(2000).default(''),
});
const concessionsQuery = z.object({
  status: z.enum(['pending', 'approved', 'rejected', 'expired']).optional(),
  mine: z.enum(['true', 'false']).default('false'),
});
/** A name typed in (someone not in HaloPSA), or one of the client's HaloPSA contacts by id. */
const stakeholder = z.union([
  safeText(200).pipe(z.string().trim().max(200)),
  z.object({ contactId: recordId }).strict(),
]);
const stakeholdersBody = z
  .object({
    'decision-maker': stakeholder.optional(),
    champion: stakeholder.optional(),
    'billing-contact': stakeholder.optional(),
  })
  .strict()
  .refine((m) => Object.keys(m).length > 0, 'name at least one stakeholder');
const taskIdParam = safeText(200).pipe(
  z.string().regex(/^\d+:(90|60|30):[a-z-]+$/, 'not a task id'),
);
const ownerBody = z.object({ agentId: recordId });
const monthQuery = z.object({
  month: yearMonth.optional(),
});

function parse<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, input: unknown, what: string): T {
  const result = schema.safeParse(input ?? {});
  if (!result.success) {
    const details = result.error.issues.map((i) => `${i.path.join('.') || what}: ${i.message}`);
    throw new ApiError(400, 'invalid-input', `Invalid ${what}: ${details.join('; ')}`, details);
  }
  return result.data;
}

const STATUS: Record<string, number> = {
  'not-authorised': 403,
  'wrong-role': 403,
  'own-request': 403,
  'not-found': 404,
  'invalid-input': 400,
  'comment-required': 400,
  'invalid-state': 409,
  'already-decided': 409,
  'stale-version': 409,
  'already-pending': 409,
};

function unwrap<T>(result: WorkflowResult<T>): T {
  if (result.ok) return result.value;
  throw new ApiError(STATUS[result.reason] ?? 400, result.reason, result.message);
}

function concessionOrThrow(result: ConcessionResult) {
  if (result.ok) return result.concession;
  throw new ApiError(STATUS[result.reason] ?? 400, result.reason, result.message, {
    concession: result.concession,
  });
}

/** The renewal routes under `/api/v1`. */
export function renewalRoutes(deps: RenewalRoutesDeps): ApiRoute[] {
  const services = (tenantId: string): RenewalUseCases => {
    if (tenantId !== deps.tenantId) {
      throw new ApiError(404, 'NOT_FOUND', 'Renewals are not available for this tenant.');
    }
    return deps.useCases;
  };
  const { access } = deps;
  return [
    {
      method: 'get',
      path: '/renewals',
      handler: async ({ actor, query }) => {
        const visible = granted(await access.visibleContractClients(actor));
        const q = parse(pipelineQuery, { days: query.days, order: query.order }, 'query');
        const page = pageRequest(query);
        const all = (
          await services(actor.tenantId).queries.pipeline(deps.today(), q.days, q.order)
        ).filter((item) => isVisible(visible, item.clientId));
        return {
          status: 200,
          body: {
            ...toPage(all.slice(page.offset, page.offset + page.pageSize), all.length, page),
            days: q.days,
            order: q.order,
            asOf: deps.today(),
          },
        };
      },
    },
    {
      method: 'get',
      path: '/renewals/kpis',
      handler: async ({ actor }) => {
        granted(access.area(actor, 'renewal-kpis'));
        return { status: 200, body: await services(actor.tenantId).insights.kpis(deps.today()) };
      },
    },
    {
      method: 'get',
      path: '/renewals/governance',
      handler: async ({ actor, query }) => {
        granted(access.area(actor, 'governance'));
        const { month } = parse(monthQuery, { month: query.month }, 'query');
        return {
          status: 200,
          body: await services(actor.tenantId).insights.governance(
            month ?? deps.today().slice(0, 7),
          ),
        };
      },
    },
    {
      method: 'get',
      path: '/contracts/:contractId',
      handler: async ({ actor, params }) => {
        const id = parse(contractId, params.contractId, 'contractId');
        const view = granted(await access.contractPage(actor, id));
        const use = services(actor.tenantId);
        const found = await use.queries.contract(id, deps.today());
        if (!found) throw new ApiError(404, 'NOT_FOUND', `There is no contract ${id}.`);
        // A PM on a project of the client reads the page without commercial figures (SPEC §1).
        const detail = view === 'redacted' ? redactContractPage(found) : found;
        const ownerId = detail.stages[detail.stages.length - 1]?.ownerAgentId ?? null;
        const owner =
          ownerId === null
            ? null
            : ((await use.agents.activeAgents()).find((a) => a.agentId === ownerId) ?? {
                agentId: ownerId,
                name: `Agent ${ownerId}`,
                email: null,
              });
        // The stakeholder map's choices: only those who may edit it see the client's people.
        const actions = contractActions(actor, detail.concessions);
        const clientId = detail.contract.clientId;
        const contacts =
          actions.editStakeholders && clientId !== null
            ? await use.contacts.activeContacts(clientId)
            : [];
        return {
          status: 200,
          body: {
            ...detail,
            renewalOwner: owner,
            clientContacts: contacts,
            view,
            actions,
          },
        };
      },
    },
    {
      method: 'post',
      path: '/contracts/:contractId/checkpoints',
      roles: ['account_manager', 'cs_lead', 'msp_owner'],
      handler: async ({ actor, params, body }) => {
        const id = parse(contractId, params.contractId, 'contractId');
        granted(await access.contract(actor, id));
        const input = parse(checkpointBody, body, 'checkpoint');
        const logged = unwrap(
          await services(actor.tenantId).logCheckpoint.run(actor, {
            contractId: id,
            ...input,
          }),
        );
        return { status: 201, body: logged };
      },
    },
    {
      method: 'post',
      path: '/contracts/:contractId/concessions',
      roles: ['account_manager', 'cs_lead', 'msp_owner'],
      handler: async ({ actor, params, body }) => {
        const id = parse(contractId, params.contractId, 'contractId');
        granted(await access.contract(actor, id));
        const input = parse(concessionBody, body, 'concession');
        const result = await services(actor.tenantId).requestConcession.run(actor, {
          contractId: id,
          ...input,
        });
        return { status: 201, body: concessionOrThrow(result) };
      },
    },
    {
      method: 'post',
      path: '/contracts/:contractId/concessions/preview',
      roles: ['account_manager', 'cs_lead', 'msp_owner'],
      handler: async ({ actor, params, body }) => {
        const id = parse(contractId, params.contractId, 'contractId');
        granted(await access.contract(actor, id));
        const input = parse(previewBody, body, 'concession preview');
        const preview = unwrap(
          await services(actor.tenantId).previewConcession.run(actor, { contractId: id, ...input }),
        );
        return { status: 200, body: preview };
      },
    },
    {
      method: 'put',
      path: '/contracts/:contractId/stakeholders',
      roles: ['account_manager', 'cs_lead', 'msp_owner'],
      handler: async ({ actor, params, body }) => {
        const id = parse(contractId, params.contractId, 'contractId');
        granted(await access.contract(actor, id));
        const input = parse(stakeholdersBody, body, 'stakeholder map');
        const map = unwrap(
          await services(actor.tenantId).editStakeholders.run(actor, {
            contractId: id,
            stakeholders: input,
          }),
        );
        return { status: 200, body: map };
      },
    },
    {
      method: 'post',
      path: '/contracts/:contractId/tasks/:taskId/complete',
      roles: ['account_manager', 'cs_lead', 'msp_owner'],
      handler: async ({ actor, params }) => {
        const id = parse(contractId, params.contractId, 'contractId');
        granted(await access.contract(actor, id));
        const taskId = parse(taskIdParam, params.taskId, 'taskId');
        const task = unwrap(
          await services(actor.tenantId).completeTask.run(actor, { contractId: id, taskId }),
        );
        return { status: 200, body: task };
      },
    },
    {
      method: 'put',
      path: '/contracts/:contractId/owner',
      roles: ['cs_lead', 'msp_owner'],
      handler: async ({ actor, params, body }) => {
        const id = parse(contractId, params.contractId, 'contractId');
        granted(await access.contract(actor, id));
        const input = parse(ownerBody, body, 'owner');
        const owner = unwrap(
          await services(actor.tenantId).reassignOwner.run(actor, {
            contractId: id,
            agentId: input.agentId,
          }),
        );
        return { status: 200, body: owner };
      },
    },
    {
      method: 'get',
      path: '/renewals/owners',
      roles: ['cs_lead', 'msp_owner'],
      handler: async ({ actor }) => {
        const items = await services(actor.tenantId).agents.activeAgents();
        return { status: 200, body: { items } };
      },
    },
    {
      method: 'get',
      path: '/concessions',
      handler: async ({ actor, query }) => {
        const visibleClients = granted(await access.visibleContractClients(actor));
        const q = parse(concessionsQuery, { status: query.status, mine: query.mine }, 'query');
        const items = await services(actor.tenantId).listConcessions.run(actor, {
          status: q.status ?? null,
          mine: q.mine === 'true',
          visibleClients,
        });
        return { status: 200, body: { items, total: items.length } };
      },
    },
    {
      method: 'get',
      path: '/concessions/:concessionId',
      handler: async ({ actor, params }) => {
        const id = parse(contractId, params.concessionId, 'concessionId');
        granted(access.contractScope(actor));
        const view = await services(actor.tenantId).getConcession.run(id);
        if (!view) throw new ApiError(404, 'NOT_FOUND', `There is no concession ${id}.`);
        granted(await access.contract(actor, view.contractId));
        return { status: 200, body: view };
      },
    },
    {
      method: 'post',
      path: '/concessions/:concessionId/decision',
      roles: ['cs_lead', 'msp_owner'],
      handler: async ({ actor, params, body }) => {
        const id = parse(contractId, params.concessionId, 'concessionId');
        const input = parse(decisionBody, body, 'decision');
        const result = await services(actor.tenantId).decideConcession.run(actor, {
          concessionId: id,
          decision: input.decision,
          ...(input.comment !== undefined ? { comment: input.comment } : {}),
          ...(input.expectedVersion !== undefined
            ? { expectedVersion: input.expectedVersion }
            : {}),
        });
        return { status: 200, body: concessionOrThrow(result) };
      },
    },
    {
      method: 'post',
      path: '/uplift/:opportunityId/status',
      roles: ['account_manager', 'cs_lead', 'msp_owner'],
      handler: async ({ actor, params, body }) => {
        const input = parse(upliftBody, body, 'uplift status');
        // The router has already decoded the path segment; decoding again would throw on a '%'.
        const opportunityId = parse(opportunityIdParam, params.opportunityId, 'opportunityId');
        const onContract = Number(opportunityId.split(':')[0]);
        if (Number.isSafeInteger(onContract) && onContract > 0) {
          granted(await access.contract(actor, onContract));
        }
        const result = await services(actor.tenantId).setUpliftStatus.run(actor, {
          opportunityId,
          status: input.status,
          reason: input.reason,
        });
        return { status: 200, body: unwrap(result) };
      },
    },
  ];
}
