import { buildProjectFacts, indexDeliveryHistory } from '../../domain/delivery/build-project-facts';
import { buildPostProjectReview } from '../../domain/delivery/post-project-review';
import { resolvePolicy } from '../../domain/delivery/policy';
import type { Clock } from '../../shared/clock';
import type { Actor } from '../delivery-views';
import type { DeliveryHistoryReader } from '../delivery/delivery-history.port';
import type { DeliveryStore } from '../delivery/delivery-store.port';
import type { EscalationHistory } from '../delivery/escalation-history.port';
import { DEFAULT_POLICY_CONFIG } from '../delivery/evaluate-delivery';
import type { ReadAccess, ReadRefusal } from '../identity/read-access';
import {
  PDF_CONTENT_TYPE,
  type DocumentBlock,
  type DocumentRenderer,
  type ExportedFile,
} from './document-renderer.port';
import type { ExportRecords } from './export-records.port';

export interface ExportPostProjectReviewDeps {
  access: ReadAccess;
  history: DeliveryHistoryReader;
  escalations: EscalationHistory;
  /** The tenant's delivery policy and frozen baselines. */
  delivery: Pick<DeliveryStore, 'currentPolicy' | 'baselines'>;
  records: Pick<ExportRecords, 'agentNames'>;
  renderer: DocumentRenderer;
  clock: Clock;
  tenantName: string;
}

const pct = (ratio: number | null) => (ratio === null ? 'n/a' : `${Math.round(ratio * 100)} %`);

/**
 * The post-project review (SPEC §2.6, src/domain/delivery/post-project-review.ts) as a PDF: estimate
 * accuracy by task type, risk misses, false positives, corrective actions with owners, and the
 * template and policy suggestions. A project still open gets an interim review, said so.
 */
export class ExportPostProjectReview {
  constructor(private readonly deps: ExportPostProjectReviewDeps) {}

  async run(
    actor: Actor & { tenantId: string },
    projectId: number,
  ): Promise<
    | { ok: true; file: ExportedFile }
    | ReadRefusal
    | { ok: false; reason: 'not-found'; message: string }
  > {
    const grant = await this.deps.access.project(actor, projectId);
    if (!grant.ok) return grant;
    const now = this.deps.clock.now();
    const today = now.toISOString().slice(0, 10);
    const history = await this.deps.history.load(actor.tenantId, { projectIds: [projectId] });
    const project = indexDeliveryHistory(history).get(projectId);
    const facts = project ? buildProjectFacts(project, history, today) : null;
    if (facts === null) {
      return { ok: false, reason: 'not-found', message: `There is no project ${projectId}.` };
    }
    const [config, baselines, escalations, agents] = await Promise.all([
      this.deps.delivery.currentPolicy(),
      this.deps.delivery.baselines(),
      this.deps.escalations.all(actor.tenantId),
      this.deps.records.agentNames(),
    ]);
    // Judged against the frozen baseline, as the evaluation judged it.
    const frozen = baselines.get(projectId);
    if (frozen) facts.baseline = frozen;
    const policy = resolvePolicy(config ?? DEFAULT_POLICY_CONFIG, {
      clientId: facts.clientId,
      projectType: facts.projectType,
    });
    const review = buildPostProjectReview(facts, escalations, policy);
    const owner = (id: string | null) => (id === null ? 'unassigned' : (agents.get(id) ?? id));
    const blocks: DocumentBlock[] = [
      {
        kind: 'facts',
        items: [
          { label: 'Project', value: `${review.name} (${review.projectId})` },
          {
            label: 'Closed',
            value: review.closedOn ?? `not yet: interim review as of ${today}`,
          },
          {
            label: 'Budget hours',
            value: review.budgetHours === null ? 'none' : String(review.budgetHours),
          },
          { label: 'Actual hours', value: String(review.actualHours) },
          { label: 'Actual / budget', value: pct(review.budgetRatio) },
          { label: 'Slips and overruns caught in time', value: String(review.caughtInTime) },
        ],
      },
      { kind: 'heading', level: 1, text: 'Estimate accuracy by task type' },
      review.estimateAccuracy.length === 0
        ? { kind: 'paragraph', text: 'No closed task has both an estimate and logged hours.' }
        : {
            kind: 'table',
            columns: [
              'Task type',
              'Tasks',
              'Estimated h',
              'Actual h',
              'Actual / estimate',
              'Mean abs. error',
            ],
            rows: review.estimateAccuracy.map((a) => [
              a.taskType,
              String(a.tasks),
              String(a.estimatedHours),
              String(a.actualHours),
              pct(a.ratio),
              pct(a.meanAbsoluteError),
            ]),
          },
      { kind: 'heading', level: 1, text: 'Risk misses' },
      review.riskMisses.length === 0
        ? { kind: 'paragraph', text: 'Every slip and overrun was escalated before it was visible.' }
        : {
            kind: 'table',
            columns: ['Kind', 'Subject', 'Visible on', 'Escalated on', 'Verdict'],
            rows: review.riskMisses.map((m) => [
              m.kind,
              m.subject,
              m.visibleOn,
              m.escalatedOn ?? 'never',
              m.verdict,
            ]),
          },
      { kind: 'heading', level: 1, text: 'False positives' },
      review.falsePositives.length === 0
        ? { kind: 'paragraph', text: 'No escalation was marked "not a real issue".' }
        : {
            kind: 'list',
            items: review.falsePositives.map(
              (f) => `${f.cause} at ${f.at}: ${f.reason ?? 'no reason given'}`,
            ),
          },
      { kind: 'heading', level: 1, text: 'Corrective actions' },
      review.correctiveActions.length === 0
        ? { kind: 'paragraph', text: 'None.' }
        : {
            kind: 'table',
            columns: ['Action', 'Owner', 'From'],
            rows: review.correctiveActions.map((a) => [a.action, owner(a.ownerAgentId), a.source]),
          },
      { kind: 'heading', level: 1, text: 'Suggested template adjustments' },
      review.templateSuggestions.length === 0
        ? { kind: 'paragraph', text: 'None.' }
        : { kind: 'list', items: review.templateSuggestions },
      { kind: 'heading', level: 1, text: 'Suggested policy adjustments' },
      review.policySuggestions.length === 0
        ? { kind: 'paragraph', text: 'None.' }
        : { kind: 'list', items: review.policySuggestions },
    ];
    const bytes = await this.deps.renderer.render({
      title: `Post-project review: ${review.name}`,
      tenantName: this.deps.tenantName,
      date: today,
      blocks,
    });
    return {
      ok: true,
      file: {
        fileName: `post-project-review-${projectId}-${today}.pdf`,
        contentType: PDF_CONTENT_TYPE,
        bytes,
      },
    };
  }
}
