import { z } from 'zod';
import type { DecideGate } from '../app/gates/decide-gate';
import type { GateForm } from '../app/gates/gate-form';
import type { GateQueries } from '../app/gates/gate-queries';
import type { RequestGate } from '../app/gates/request-gate';
import type { UploadEvidence } from '../app/gates/upload-evidence';
import type { VerifyPack } from '../app/gates/verify-pack';
import type { ReadAccess } from '../app/identity/read-access';
import {
  MAX_EVIDENCE_BASE64_CHARS,
  MAX_EVIDENCE_UPLOAD_BYTES,
} from '../shared/evidence-upload-limits';
import { httpsUrl, recordIdLoose, recordIdText, safeText } from '../shared/input-schemas';
import { ApiError, type ApiRoute } from './api-types';
import { granted } from './read-guard';

/** The gate use cases of one tenant. */
export interface GateApiUseCases {
  form: GateForm;
  upload: UploadEvidence;
  request: RequestGate;
  decide: DecideGate;
  queries: GateQueries;
  /** Re-verifies a frozen pack's files whenever the pack is opened. */
  verify: VerifyPack;
}

export interface GateRoutesDeps {
  /** The tenant's gate use cases (one deployment serves one tenant; the actor's tenant must match). */
  gates: (tenantId: string) => GateApiUseCases | null;
  /** The read rules (SPEC §1), shared with the bot: a gate is read by those who read its project. */
  access: ReadAccess;
}

const id = recordIdLoose;
const text = (max: number) => safeText(max).default('');
/** A gate id as the path names it (our own record id: bounded, clean text). */
const gateIdParam = safeText(100).pipe(z.string().min(1));

const requestBody = z.object({
  projectId: id,
  milestoneId: id,
  links: z
    .array(z.object({ title: text(200), url: httpsUrl }))
    .max(50)
    .default([]),
  fileIds: z.array(safeText(100)).max(50).nullable().default(null),
  qaOutcomes: z
    .array(
      z.object({
        name: safeText(200).pipe(z.string().min(1)),
        outcome: z.enum(['pass', 'fail']),
        notes: text(2000),
      }),
    )
    .max(50)
    .default([]),
  customerAcceptanceNotes: text(4000),
  openRisks: z
    .array(z.object({ description: text(500), owner: text(200), mitigation: text(1000) }))
    .max(50)
    .default([]),
  noOpenRisks: z.boolean().default(false),
});

const uploadBody = z.object({
  projectId: id,
  milestoneId: id,
  fileName: safeText(200).pipe(z.string().min(1)),
  contentType: safeText(200).default('application/octet-stream'),
  /** The file's bytes, base64. */
  contentBase64: z.string().min(1).max(MAX_EVIDENCE_BASE64_CHARS),
});

const decideBody = z.object({
  packVersion: recordIdLoose,
  outcome: z.enum(['approve', 'reject', 'request-changes']),
  comment: text(2000),
});

function parse<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, body: unknown): T {
  const result = schema.safeParse(body ?? {});
  if (!result.success) {
    throw new ApiError(
      400,
      'INVALID_INPUT',
      'The request body is not valid.',
      result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  }
  return result.data;
}

const REFUSAL_STATUS: Record<string, number> = {
  'not-found': 404,
  'not-authorised': 403,
  'own-project': 403,
  'invalid-input': 400,
  'comment-required': 400,
  'missing-evidence': 422,
  'stale-pack': 409,
  'already-decided': 409,
  'already-approved': 409,
};

/**
 * The tab's stage-gate API: gates waiting for me, one gate (pack, files, decisions, audit
 * timeline), request a gate with a pack, upload an evidence file (JSON with base64, capped), decide.
 * Refusals are 4xx `ApiError`s with the service's reason as `code` and the details to show.
 */
export function gateRoutes(deps: GateRoutesDeps): ApiRoute[] {
  const service = (tenantId: string): GateApiUseCases => {
    const gates = deps.gates(tenantId);
    if (!gates)
      throw new ApiError(404, 'NOT_FOUND', 'Stage gates are not available for this tenant.');
    return gates;
  };
  return [
    {
      method: 'get',
      path: '/gates',
      handler: async ({ actor }) => {
        const gates = service(actor.tenantId);
        return {
          status: 200,
          body: await gates.queries.waitingFor(actor),
        };
      },
    },
    {
      method: 'get',
      path: '/gates/:gateId',
      handler: async ({ actor, params }) => {
        const gates = service(actor.tenantId);
        const gateId = parse(gateIdParam, params.gateId);
        const view = await gates.queries.view(gateId);
        if (!view) throw new ApiError(404, 'NOT_FOUND', 'No such gate.');
        granted(await deps.access.project(actor, view.project.id));
        // Verified first, so a mismatch it audits is on the timeline the page shows.
        const integrity = await gates.verify.run(gateId);
        const detail = await gates.queries.detail(gateId);
        if (!detail) throw new ApiError(404, 'NOT_FOUND', 'No such gate.');
        return { status: 200, body: { ...detail, integrity } };
      },
    },
    {
      method: 'get',
      path: '/projects/:projectId/gate-form',
      handler: async ({ actor, params }) => {
        const projectId = parse(recordIdText, params.projectId);
        granted(await deps.access.project(actor, projectId));
        const form = await service(actor.tenantId).form.form(projectId);
        if (!form) throw new ApiError(404, 'NOT_FOUND', 'No such project.');
        return { status: 200, body: form };
      },
    },
    {
      method: 'post',
      path: '/gates',
      // Roles are the service's call, so a refused request is on the audit timeline too.
      handler: async ({ actor, body }) => {
        const input = parse(requestBody, body);
        const gates = service(actor.tenantId);
        const result = await gates.request.run(actor, input);
        if (!result.ok) {
          throw new ApiError(
            REFUSAL_STATUS[result.reason] ?? 400,
            result.reason.toUpperCase().replace(/-/g, '_'),
            result.message,
            result.reason === 'missing-evidence' ? { missing: result.missing } : undefined,
          );
        }
        return { status: 201, body: result.gate };
      },
    },
    {
      method: 'post',
      path: '/gates/evidence',
      roles: ['pm', 'delivery_director', 'admin'],
      handler: async ({ actor, body }) => {
        const input = parse(uploadBody, body);
        const content = Buffer.from(input.contentBase64, 'base64');
        if (content.length > MAX_EVIDENCE_UPLOAD_BYTES) {
          throw new ApiError(
            413,
            'TOO_LARGE',
            `Evidence files are limited to ${MAX_EVIDENCE_UPLOAD_BYTES} bytes here.`,
          );
        }
        const gates = service(actor.tenantId);
        const result = await gates.upload.run(actor, {
          projectId: input.projectId,
          milestoneId: input.milestoneId,
          fileName: input.fileName,
          contentType: input.contentType,
          content,
        });
        if (!result.ok) {
          throw new ApiError(
            REFUSAL_STATUS[result.reason] ?? 400,
            result.reason.toUpperCase().replace(/-/g, '_'),
            result.message,
          );
        }
        return { status: 201, body: result.file };
      },
    },
    {
      method: 'post',
      path: '/gates/:gateId/decisions',
      // Roles are the service's call, so a refused decision is on the audit timeline too.
      handler: async ({ actor, params, body }) => {
        const gateId = parse(gateIdParam, params.gateId);
        const input = parse(decideBody, body);
        const gates = service(actor.tenantId);
        const result = await gates.decide.run(actor, {
          gateId,
          ...input,
        });
        if (!result.ok) {
          throw new ApiError(
            REFUSAL_STATUS[result.reason] ?? 400,
            result.reason.toUpperCase().replace(/-/g, '_'),
            result.message,
            { gate: result.gate },
          );
        }
        return { status: 201, body: { gate: result.gate, notice: result.notice } };
      },
    },
  ];
}
