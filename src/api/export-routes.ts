/**
 * `GET /api/v1/exports/...`: the KPI and risk register workbook and each of its lists (`.xlsx`),
 * and the PDF documents. Every file holds only what the caller's role reads (the read rules of
 * src/app/identity); a refused export is a 403, an unknown file name a 404.
 */
import { z } from 'zod';
import type { ExportedFile } from '../app/exports/document-renderer.port';
import type { ExportEvidencePack } from '../app/exports/export-evidence-pack';
import type { ExportPilotBrief } from '../app/exports/export-pilot-brief';
import type { ExportPostProjectReview } from '../app/exports/export-post-project-review';
import type { ExportWeeklyReport } from '../app/exports/export-weekly-report';
import { WORKBOOK_LISTS, type ExportWorkbook } from '../app/exports/export-workbook';
import type { ReadRefusal } from '../app/identity/read-access';
import { recordIdText, safeText } from '../shared/input-schemas';
import { ApiError, type ApiResult, type ApiRoute } from './api-types';

/** The export use cases (built once by the exports module). */
export interface ExportUseCases {
  workbook: ExportWorkbook;
  weeklyReport: ExportWeeklyReport;
  pilotBrief: ExportPilotBrief;
  /** Absent when the gates feature renders no packs: the route is then not offered. */
  evidencePack?: ExportEvidencePack;
  postProjectReview: ExportPostProjectReview;
}

export interface ExportRoutesDeps {
  /** The tenant the use cases serve; a caller of another tenant is answered 404. */
  tenantId: string;
  useCases: ExportUseCases;
}

const DOCUMENTS = ['weekly-report', 'pilot-proof-brief'] as const;
const exportFile = z.union([
  z
    .string()
    .regex(/^[a-z-]+\.xlsx$/)
    .transform((f) => ({ kind: 'xlsx' as const, name: f.slice(0, -5) }))
    .pipe(z.object({ kind: z.literal('xlsx'), name: z.enum(WORKBOOK_LISTS) })),
  z
    .string()
    .regex(/^[a-z-]+\.pdf$/)
    .transform((f) => ({ kind: 'pdf' as const, name: f.slice(0, -4) }))
    .pipe(z.object({ kind: z.literal('pdf'), name: z.enum(DOCUMENTS) })),
]);
const gateIdParam = safeText(200).pipe(z.string().min(1));

/** The file as a download. */
function download(file: ExportedFile): ApiResult {
  return {
    status: 200,
    body: file.bytes,
    headers: {
      'Content-Type': file.contentType,
      'Content-Disposition': `attachment; filename="${file.fileName}"`,
      'Content-Length': String(file.bytes.length),
    },
  };
}

type Refusal = ReadRefusal | { ok: false; reason: 'not-found' | 'not-decided'; message: string };

function refused(refusal: Refusal): never {
  const status =
    refusal.reason === 'not-found' ? 404 : refusal.reason === 'not-decided' ? 409 : 403;
  throw new ApiError(status, refusal.reason, refusal.message);
}

export function exportRoutes(deps: ExportRoutesDeps): ApiRoute[] {
  const services = (tenantId: string): ExportUseCases => {
    if (tenantId !== deps.tenantId) {
      throw new ApiError(404, 'not-found', 'Exports are not available for this tenant.');
    }
    return deps.useCases;
  };
  const { evidencePack } = deps.useCases;
  return [
    ...(evidencePack ? [evidencePackRoute(evidencePack, services)] : []),
    {
      method: 'get',
      path: '/exports/:file',
      handler: async ({ actor, params }) => {
        const parsed = exportFile.safeParse(params.file);
        if (!parsed.success) {
          throw new ApiError(
            404,
            'not-found',
            `No such export. Workbooks: ${WORKBOOK_LISTS.map((l) => `${l}.xlsx`).join(', ')}; documents: ${DOCUMENTS.map((d) => `${d}.pdf`).join(', ')}.`,
          );
        }
        const use = services(actor.tenantId);
        const file = parsed.data;
        const result =
          file.kind === 'xlsx'
            ? await use.workbook.run(actor, file.name)
            : file.name === 'weekly-report'
              ? await use.weeklyReport.run(actor)
              : await use.pilotBrief.run(actor);
        if (!result.ok) refused(result);
        return download(result.file);
      },
    },
    {
      method: 'get',
      path: '/exports/projects/:projectId/post-project-review.pdf',
      handler: async ({ actor, params }) => {
        const projectId = recordIdText.parse(params.projectId);
        const result = await services(actor.tenantId).postProjectReview.run(actor, projectId);
        if (!result.ok) refused(result);
        return download(result.file);
      },
    },
  ];
}

/** `GET /exports/gates/:gateId/evidence-pack.pdf`: a decided gate's pack, for who reads its project. */
function evidencePackRoute(
  evidencePack: ExportEvidencePack,
  services: (tenantId: string) => ExportUseCases,
): ApiRoute {
  return {
    method: 'get',
    path: '/exports/gates/:gateId/evidence-pack.pdf',
    handler: async ({ actor, params }) => {
      services(actor.tenantId);
      const gateId = gateIdParam.parse(params.gateId);
      const result = await evidencePack.run(actor, gateId);
      if (!result.ok) refused(result);
      return download(result.file);
    },
  };
}
