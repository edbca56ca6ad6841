/** What the governance review's steps (answer a suggestion, sign off) come to. */
import type { GovernanceReviewView } from './governance-review-view';

/** Why a governance step was refused. */
export type GovernanceRefusal =
  'not-authorised' | 'not-found' | 'invalid-state' | 'already-decided' | 'invalid-policy';

/** The review after the step, or why nothing changed. */
export type GovernanceResult =
  | { ok: true; review: GovernanceReviewView }
  | { ok: false; reason: GovernanceRefusal; message: string; problems?: string[] };

/** Thrown inside a transaction to roll it back when a concurrent save won; never leaves the use case. */
export class GovernanceConflict extends Error {
  readonly code = 'GOVERNANCE_CONFLICT';
  constructor(message: string) {
    super(message);
    this.name = 'GovernanceConflict';
  }
}
