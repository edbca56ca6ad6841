import { z } from 'zod';
import type { AcceptPolicyTuning } from '../app/delivery/accept-policy-tuning';
import type { DecideRebaseline } from '../app/delivery/decide-rebaseline';
import { MAX_REBASELINE_REASON, type RequestRebaseline } from '../app/delivery/request-rebaseline';
import { recordIdLoose, safeText } from '../shared/input-schemas';
import { ApiError, type ApiRoute } from './api-types';

/** The delivery loop's ends of one tenant (null for another tenant). */
export interface ReviewRoutesDeps {
  useCases: (tenantId: string) => {
    acceptTuning: AcceptPolicyTuning;
    requestRebaseline: RequestRebaseline;
    decideRebaseline: DecideRebaseline;
  } | null;
}

const REFUSAL_STATUS: Record<string, number> = {
  'not-found': 404,
  'not-authorised': 403,
  'invalid-input': 400,
  'invalid-state': 409,
};

const projectIdParam = recordIdLoose;
const tuningIdParam = safeText(60).pipe(z.string().min(1));
const requestIdParam = safeText(100).pipe(z.string().min(1));
const requestBody = z.object({ reason: safeText(MAX_REBASELINE_REASON + 1) });
const decideBody = z.object({
  outcome: z.enum(['approve', 'reject']),
  comment: safeText(2000).default(''),
});

function parse<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, value: unknown): T {
  const result = schema.safeParse(value ?? {});
  if (!result.success) {
    throw new ApiError(400, 'INVALID_INPUT', 'The request is not valid.', result.error.issues);
  }
  return result.data;
}

function refusal(outcome: { reason: string; message: string }, details?: unknown): ApiError {
  return new ApiError(
    REFUSAL_STATUS[outcome.reason] ?? 400,
    outcome.reason.toUpperCase().replace(/-/g, '_'),
    outcome.message,
    details,
  );
}

/**
 * Accepting a post-project review's policy tuning, requesting a re-baseline and deciding one. The
 * use cases judge the roles (and audit refusals), so no route-level role list narrows them.
 */
export function reviewRoutes(deps: ReviewRoutesDeps): ApiRoute[] {
  const of = (tenantId: string) => {
    const useCases = deps.useCases(tenantId);
    if (!useCases) throw new ApiError(404, 'NOT_FOUND', 'Not found.');
    return useCases;
  };
  return [
    {
      method: 'post',
      path: '/projects/:projectId/review/tunings/:tuningId/accept',
      handler: async ({ actor, params }) => {
        const projectId = Number(parse(projectIdParam, params.projectId));
        const tuningId = parse(tuningIdParam, params.tuningId);
        const outcome = await of(actor.tenantId).acceptTuning.run(actor, projectId, tuningId);
        if (!outcome.ok) throw refusal(outcome);
        return { status: 201, body: outcome };
      },
    },
    {
      method: 'post',
      path: '/projects/:projectId/rebaseline-requests',
      handler: async ({ actor, params, body }) => {
        const projectId = Number(parse(projectIdParam, params.projectId));
        const { reason } = parse(requestBody, body);
        const outcome = await of(actor.tenantId).requestRebaseline.run(actor, projectId, reason);
        if (!outcome.ok) throw refusal(outcome);
        return { status: 201, body: { request: outcome.request, notice: outcome.notice } };
      },
    },
    {
      method: 'post',
      path: '/rebaseline-requests/:requestId/decisions',
      handler: async ({ actor, params, body }) => {
        const requestId = parse(requestIdParam, params.requestId);
        const { outcome: verdict, comment } = parse(decideBody, body);
        const outcome = await of(actor.tenantId).decideRebaseline.run(
          actor,
          requestId,
          verdict,
          comment,
        );
        if (!outcome.ok) throw refusal(outcome, { request: outcome.request });
        return { status: 201, body: { request: outcome.request, notice: outcome.notice } };
      },
    },
  ];
}
