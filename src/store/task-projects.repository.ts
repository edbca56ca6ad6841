import type { TaskProjects } from '../app/delivery/task-projects.port';
import type { Db } from './db';

/** The project of a mirrored HaloPSA task. */
export class SqlTaskProjects implements TaskProjects {
  constructor(private readonly db: Db) {}

  async projectOfTask(tenantId: string, taskId: number): Promise<number | null> {
    const rows = await this.db.query<{ project_id: number | string | null }>(
      'SELECT project_id FROM halo_tasks WHERE tenant_id = $1 AND id = $2',
      [tenantId, taskId],
    );
    const projectId = rows[0]?.project_id;
    return projectId ? Number(projectId) : null;
  }
}
