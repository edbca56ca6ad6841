/** What Settings shows of a tenant's reporting key (never the key itself). */
export interface ReportingKeyView {
  /** The key's last four characters, so an admin can tell which key a report uses. */
  hint: string;
  createdAt: string;
  createdBy: string;
}

/**
 * The per-tenant reporting key of the Power BI feed: stored only as a hash; issuing a key replaces
 * the previous one, which stops working at once.
 */
export interface ReportingKeys {
  describe(tenantId: string): Promise<ReportingKeyView | null>;
  /** Creates a new key (replacing any), returning it once in clear text. */
  issue(tenantId: string, by: string): Promise<{ key: string; view: ReportingKeyView }>;
  /** True when `key` is the tenant's current key. */
  verify(tenantId: string, key: string): Promise<boolean>;
}
