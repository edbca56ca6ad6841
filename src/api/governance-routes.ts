/**
 * The tab API of the monthly governance review (`/api/v1/governance`): the stored reviews, the cs
 * lead's answers to tuning suggestions and the sign-off, and the renewal policy versions they made.
 * Reads follow the governance area rule (SPEC §1); answers are the cs lead's (and msp owner's).
 */
import { z } from 'zod';
import type { DecideGovernanceSuggestion } from '../app/renewals/decide-governance-suggestion';
import type { GovernanceResult } from '../app/renewals/governance-outcome';
import type { ReadGovernance } from '../app/renewals/read-governance';
import type { SignOffGovernanceReview } from '../app/renewals/sign-off-governance-review';
import type { ReadAccess } from '../app/identity/read-access';
import { safeText, yearMonth } from '../shared/input-schemas';
import { ApiError, type ApiRoute } from './api-types';
import { granted } from './read-guard';

/** The governance use cases the routes call (built once by the renewals module). */
export interface GovernanceUseCases {
  governance: ReadGovernance;
  decideSuggestion: DecideGovernanceSuggestion;
  signOffReview: SignOffGovernanceReview;
}

/** What the governance routes need. */
export interface GovernanceRoutesDeps {
  /** The tenant the use cases serve; a caller of any other tenant is answered 404. */
  tenantId: string;
  useCases: GovernanceUseCases;
  access: ReadAccess;
}

const suggestionIdParam = safeText(100).pipe(
  z.string().regex(/^[a-z][a-z-]{0,99}$/, 'not a suggestion id'),
);
const answerBody = z.object({
  decision: z.enum(['accept', 'reject']),
  comment: safeText(2000).optional(),
});

const STATUS: Record<string, number> = {
  'not-authorised': 403,
  'not-found': 404,
  'invalid-state': 409,
  'already-decided': 409,
  'invalid-policy': 409,
};

function parse<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, input: unknown, what: string): T {
  const result = schema.safeParse(input);
  if (!result.success) {
    const details = result.error.issues.map((i) => `${i.path.join('.') || what}: ${i.message}`);
    throw new ApiError(400, 'invalid-input', `Invalid ${what}: ${details.join('; ')}`, details);
  }
  return result.data;
}

function reviewOrThrow(result: GovernanceResult) {
  if (result.ok) return result.review;
  throw new ApiError(STATUS[result.reason] ?? 400, result.reason, result.message, result.problems);
}

/** The governance routes under `/api/v1`. */
export function governanceRoutes(deps: GovernanceRoutesDeps): ApiRoute[] {
  const services = (tenantId: string): GovernanceUseCases => {
    if (tenantId !== deps.tenantId) {
      throw new ApiError(404, 'NOT_FOUND', 'Governance is not available for this tenant.');
    }
    return deps.useCases;
  };
  const { access } = deps;
  return [
    {
      method: 'get',
      path: '/governance/reviews',
      handler: async ({ actor }) => {
        granted(access.area(actor, 'governance'));
        const months = await services(actor.tenantId).governance.months();
        return { status: 200, body: { items: months.map((month) => ({ month })) } };
      },
    },
    {
      method: 'get',
      path: '/governance/reviews/:month',
      handler: async ({ actor, params }) => {
        granted(access.area(actor, 'governance'));
        const month = parse(yearMonth, params.month, 'month');
        const view = await services(actor.tenantId).governance.review(month, actor);
        if (!view) {
          throw new ApiError(404, 'NOT_FOUND', `There is no governance review for ${month} yet.`);
        }
        return { status: 200, body: view };
      },
    },
    {
      method: 'post',
      path: '/governance/reviews/:month/suggestions/:suggestionId/decision',
      roles: ['cs_lead', 'msp_owner'],
      handler: async ({ actor, params, body }) => {
        const month = parse(yearMonth, params.month, 'month');
        const suggestionId = parse(suggestionIdParam, params.suggestionId, 'suggestionId');
        const input = parse(answerBody, body ?? {}, 'answer');
        const result = await services(actor.tenantId).decideSuggestion.run(actor, {
          month,
          suggestionId,
          decision: input.decision,
          ...(input.comment !== undefined ? { comment: input.comment } : {}),
        });
        return { status: 200, body: reviewOrThrow(result) };
      },
    },
    {
      method: 'post',
      path: '/governance/reviews/:month/sign-off',
      roles: ['cs_lead', 'msp_owner'],
      handler: async ({ actor, params }) => {
        const month = parse(yearMonth, params.month, 'month');
        const result = await services(actor.tenantId).signOffReview.run(actor, { month });
        return { status: 200, body: reviewOrThrow(result) };
      },
    },
    {
      method: 'get',
      path: '/renewals/policy/versions',
      handler: async ({ actor }) => {
        granted(access.area(actor, 'governance'));
        const items = await services(actor.tenantId).governance.policyVersions();
        return { status: 200, body: { items } };
      },
    },
  ];
}
