/** What a HaloPSA status means for delivery (derived from its name; see `classifyStatus`). */
export type StatusClass = 'open' | 'in-progress' | 'on-hold' | 'blocked' | 'closed';

/**
 * Classifies a HaloPSA status by its name. HaloPSA statuses are tenant-defined; these patterns cover
 * the stock names ("New", "In Progress", "On Hold", "Waiting on …", "Closed", "Resolved", "Cancelled").
 */
export function classifyStatus(name: string | undefined): StatusClass {
  const n = (name ?? '').toLowerCase();
  if (/clos|resolv|complet|cancel|done/.test(n)) return 'closed';
  if (/block|dependen/.test(n)) return 'blocked';
  if (/hold|wait|pend|suspend/.test(n)) return 'on-hold';
  if (/progress|working|active|action/.test(n)) return 'in-progress';
  return 'open';
}
