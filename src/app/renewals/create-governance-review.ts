/**
 * The monthly governance review (SPEC §3.6), job `governance-review`: on the first working day of a
 * month (or the first run after it) the review of the month just ended is computed, stored once,
 * audited, and sent to the renewals channel as a card the cs leads act on, and to each cs lead 1:1.
 */
import { governanceReviewNotice } from '../../domain/notifications/personal-notices';
import { addMonths, firstWorkingDayOfMonth, type GovernanceReview } from '../../domain/renewals';
import type { Clock } from '../../shared/clock';
import type { Signal } from '../../shared/signal';
import type { Transactional } from '../ports/transaction.port';
import { peopleKey, personalIntent } from '../notifications/personal-intent';
import type { PilotSettings } from '../settings/tab-settings.port';
import {
  GOVERNANCE_DECIDER_ROLES,
  governanceCardKey,
  governanceReviewView,
  type GovernanceReviewPayload,
} from './governance-review-view';
import type { GovernanceUnitOfWork } from './governance-unit-of-work';

/** What creating the review needs. */
export interface CreateGovernanceReviewDeps {
  /** Computes a month's review from stored data under the current policy. */
  reviews: { governance(month: string): Promise<GovernanceReview> };
  uow: Transactional<GovernanceUnitOfWork>;
  clock: Clock;
  /** Notified after the card was queued in the outbox. */
  outboxChanged: Signal;
  /** Shadow mode: store the review, post nothing (neither to the channel nor to anyone 1:1). */
  shadow?: boolean;
  /**
   * The tenant's pilot settings: with renewals switched off or in shadow mode the review is stored
   * but its card is neither posted nor sent to the cs leads. (The review is tenant-wide, so the
   * client allow-list does not apply.)
   */
  pilot?: { settings: Pick<PilotSettings, 'pilot'>; tenantId: string };
}

/** What one run did. */
export type GovernanceReviewRun =
  | { created: true; month: string }
  | { created: false; month: string; reason: 'before-first-working-day' | 'exists' };

/** Creates the month's governance review once. */
export class CreateGovernanceReview {
  constructor(private readonly deps: CreateGovernanceReviewDeps) {}

  /** Runs as of `asOf` (default today, UTC). */
  async run(options: { asOf?: string } = {}): Promise<GovernanceReviewRun> {
    const { clock } = this.deps;
    const today = options.asOf ?? clock.now().toISOString().slice(0, 10);
    const month = addMonths(today.slice(0, 7), -1);
    if (today < firstWorkingDayOfMonth(today.slice(0, 7))) {
      return { created: false, month, reason: 'before-first-working-day' };
    }
    const review = await this.deps.reviews.governance(month);
    const posts = await this.posts();
    const created = await this.deps.uow.transaction(async (tx) => {
      const at = clock.now();
      if (!(await tx.reviews.create(month, review, at))) return false;
      await tx.audit.append({
        subjectType: 'governance-review',
        subjectId: month,
        action: 'governance-review.created',
        actor: null,
        detail: {
          policyVersion: review.policyVersion,
          suggestions: review.tuningSuggestions.map((s) => s.id),
        },
      });
      const stored = await tx.reviews.review(month);
      if (stored === null || !posts) return true;
      const payload: GovernanceReviewPayload = {
        review: governanceReviewView(stored, null),
        deciderAadObjectIds: await tx.approvers.aadObjectIdsWithRoles(GOVERNANCE_DECIDER_ROLES),
      };
      await tx.outbox.enqueue({
        dedupeKey: governanceCardKey(month),
        kind: 'governance-review',
        payload,
        target: { streams: ['renewals'], clientId: null },
      });
      await tx.outbox.enqueue(
        personalIntent(peopleKey(governanceCardKey(month)), governanceReviewNotice({ month }), {
          kind: 'governance-review',
          payload,
        }),
      );
      return true;
    });
    if (created) this.deps.outboxChanged.notify();
    return created ? { created, month } : { created, month, reason: 'exists' };
  }

  private async posts(): Promise<boolean> {
    if (this.deps.shadow) return false;
    if (!this.deps.pilot) return true;
    const pilot = await this.deps.pilot.settings.pilot(this.deps.pilot.tenantId);
    return pilot.automations.renewals && !pilot.shadowMode;
  }
}
