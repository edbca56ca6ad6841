/**
 * Concession expiry (issue 17, item 3), run by the 5-minute renewals timer: a pending request nobody
 * decided within the policy's `concession.expiryDays` is marked expired (compare-and-set, so a
 * decision that lands first wins and a second tick finds nothing), audited, written on the contract's
 * timeline, its posted card updated for everyone and its requester told, all in one transaction.
 */
import { concessionExpiredNotice } from '../../domain/notifications/personal-notices';
import { isConcessionExpired } from '../../domain/renewals';
import type { Clock } from '../../shared/clock';
import { peopleKey, personalIntent } from '../notifications/personal-intent';
import type { AuditActor } from '../ports/audit.port';
import type { Transactional } from '../ports/transaction.port';
import { concessionCardKey, concessionStateOf } from './concession-outcome';
import { presentConcession } from './present-concession';
import { policyNow, type RenewalPolicySource } from './renewal-policies.port';
import type { ConcessionPayload } from './renewal-payloads';
import type { RenewalStore, RenewalUnitOfWork } from './renewal-store.port';

/** Who the audit trail names for an expiry: nobody decided, the timer did. */
export const EXPIRY_ACTOR: AuditActor = {
  aadObjectId: null,
  email: null,
  name: 'Control Tower (renewal timer)',
};

/** What expiring concessions needs. */
export interface ExpireConcessionsDeps {
  store: Pick<RenewalStore, 'concessions'>;
  uow: Transactional<RenewalUnitOfWork>;
  clock: Clock;
  policy: RenewalPolicySource;
}

/** Expires the pending concessions past the policy's expiry; returns the ids it expired. */
export class ExpireConcessions {
  constructor(private readonly deps: ExpireConcessionsDeps) {}

  async run(): Promise<number[]> {
    const { store, clock } = this.deps;
    const now = clock.now().toISOString();
    const { expiryDays } = (await policyNow(this.deps.policy)).concession;
    const due = (await store.concessions.concessions(null)).filter((row) =>
      isConcessionExpired(concessionStateOf(row), now, expiryDays),
    );
    const expired: number[] = [];
    for (const row of due) {
      const done = await this.deps.uow.transaction(async (tx) => {
        if (!(await tx.concessions.expireConcession(row.id, row.version, now))) return false;
        const summary = `The ${row.discountPct} % concession requested by ${row.requestedBy.name} expired: nobody decided within ${expiryDays} days`;
        await tx.events.addEvent({
          contractId: row.contractId,
          at: now,
          kind: 'concession.expired',
          actor: null,
          summary,
          detail: { concessionId: row.id, expiryDays, requestedAt: row.requestedAt },
        });
        await tx.audit.append({
          subjectType: 'concession',
          subjectId: String(row.id),
          action: 'concession.expired',
          actor: EXPIRY_ACTOR,
          detail: {
            contractId: row.contractId,
            discountPct: row.discountPct,
            approverTier: row.approverTier,
            requestedAt: row.requestedAt,
            expiryDays,
          },
        });
        const view = await presentConcession(tx, (await tx.concessions.concession(row.id))!);
        const payload: ConcessionPayload = {
          concession: view,
          notice: { tone: 'refused', text: `Expired: nobody decided within ${expiryDays} days` },
        };
        const cardKey = await tx.concessions.concessionCard(row.id);
        if (cardKey !== null) {
          await tx.outbox.enqueue({
            dedupeKey: `${cardKey}:expired`,
            kind: 'concession',
            payload,
            updateOf: cardKey,
          });
        }
        await tx.outbox.enqueue(
          personalIntent(
            peopleKey(`${concessionCardKey(row.id)}:expired`),
            concessionExpiredNotice({
              contractId: row.contractId,
              clientName: view.clientName,
              discountPct: row.discountPct,
              expiryDays,
              requesterAadObjectId: row.requestedBy.aadObjectId,
            }),
            { kind: 'concession', payload },
          ),
        );
        return true;
      });
      if (done) expired.push(row.id);
    }
    return expired;
  }
}
