/** Which project a HaloPSA task (child ticket) belongs to, from the mirror (SQL adapter in src/store). */
export interface TaskProjects {
  /** The project of the task, or null when the mirror does not know the task or it has none. */
  projectOfTask(tenantId: string, taskId: number): Promise<number | null>;
}
