import type { Actor } from '../delivery-views';
import type { AuditTrail } from '../ports/audit.port';
import type { ReportingKeyView, ReportingKeys } from './reporting-keys.port';

/**
 * An admin creates or rotates the tenant's Power BI reporting key: the new key is shown once, the
 * old one stops working, and the audit log records who did it (never the key).
 */
export class RotateReportingKey {
  constructor(
    private readonly keys: ReportingKeys,
    private readonly audit: Pick<AuditTrail, 'append'>,
  ) {}

  async run(
    tenantId: string,
    actor: Actor,
  ): Promise<{ key: string; view: ReportingKeyView; replaced: boolean }> {
    const before = await this.keys.describe(tenantId);
    const issued = await this.keys.issue(tenantId, actor.email ?? actor.aadObjectId ?? actor.name);
    await this.audit.append({
      subjectType: 'reporting-key',
      subjectId: tenantId,
      action: before ? 'reporting-key.rotated' : 'reporting-key.created',
      actor: { aadObjectId: actor.aadObjectId, email: actor.email, name: actor.name },
      detail: { hint: issued.view.hint, ...(before ? { replacedHint: before.hint } : {}) },
    });
    return { ...issued, replaced: before !== null };
  }
}
