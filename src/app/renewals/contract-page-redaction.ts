/**
 * The contract page as a PM reads it (SPEC §1): commercial figures are the account roles' (cs lead
 * and msp owner all, account managers their clients'), so a PM who manages a project of the client
 * sees the renewal's progress — readiness band and its service, sentiment and delivery drivers,
 * stages and tasks, stakeholders, checkpoint calls, the non-commercial timeline — and none of the
 * commercial terms: no concessions (depth, margin), no uplift (money), no commercial drivers
 * (utilisation, prepay, overdue invoices), no checkpoint notes (customer meetings talk price).
 */
import type { ReadinessDriver } from '../../domain/renewals';
import type { ContractRenewalDetail } from './renewal-queries';

/** How much of a contract page a reader sees. */
export type ContractPageView = 'full' | 'redacted';

/** What a checkpoint's notes read as on the redacted page. */
export const WITHHELD_NOTES = 'Withheld: meeting notes are for the account team.';

const COMMERCIAL_TIMELINE = /^(concession|uplift)\./;

/** The page without commercial figures. */
export function redactContractPage(detail: ContractRenewalDetail): ContractRenewalDetail {
  const readiness = detail.readiness;
  const isCommercial = (d: Pick<ReadinessDriver, 'group'>) => d.group === 'commercial';
  const commercialLabels = (readiness?.assessment.drivers ?? [])
    .filter(isCommercial)
    .map((d) => d.label.toLowerCase());
  const mentionsCommercial = (text: string) =>
    commercialLabels.some((label) => text.toLowerCase().includes(label)) ||
    /invoice|prepay|entitlement|utilisation/i.test(text);
  return {
    ...detail,
    contract: {
      ...detail.contract,
      topDriver:
        detail.contract.topDriver !== null && mentionsCommercial(detail.contract.topDriver)
          ? null
          : detail.contract.topDriver,
    },
    readiness:
      readiness === null
        ? null
        : {
            ...readiness,
            flagCause:
              readiness.flagCause !== null && mentionsCommercial(readiness.flagCause)
                ? 'withheld (commercial)'
                : readiness.flagCause,
            assessment: {
              ...readiness.assessment,
              drivers: readiness.assessment.drivers.filter((d) => !isCommercial(d)),
              bandReasons: readiness.assessment.bandReasons.filter((r) => !mentionsCommercial(r)),
            },
            changes: {
              ...readiness.changes,
              drivers: readiness.changes.drivers.filter(
                (d) => !commercialLabels.includes(d.label.toLowerCase()),
              ),
              summary: readiness.changes.summary.filter((line) => !mentionsCommercial(line)),
            },
          },
    stages: detail.stages.map((stage) => ({
      ...stage,
      tasks: stage.tasks.map((t) =>
        t.checkpoint ? { ...t, checkpoint: { ...t.checkpoint, notes: WITHHELD_NOTES } } : t,
      ),
    })),
    checkpoints: detail.checkpoints.map((c) => ({ ...c, notes: WITHHELD_NOTES })),
    uplift: [],
    concessions: [],
    timeline: detail.timeline.filter(
      (e) => !COMMERCIAL_TIMELINE.test(e.kind) && !mentionsCommercial(e.summary),
    ),
  };
}
