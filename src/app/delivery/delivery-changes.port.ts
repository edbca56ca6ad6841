/**
 * Projects whose HaloPSA records changed since they were last evaluated: the mirror queues what it
 * writes (a project, a task, their actions, timesheet events and invoices).
 */
export interface DeliveryChanges {
  /** The changed projects (tasks read as their projects) and how far the queue was read. */
  pending(tenantId: string): Promise<{ upto: string | null; projectIds: number[] }>;
  /** How far the queue goes now (null when empty), without reading what is in it. */
  position(tenantId: string): Promise<string | null>;
  /** Clears what was read up to `upto`; anything queued again since stays queued. */
  clear(tenantId: string, upto: string): Promise<void>;
}
