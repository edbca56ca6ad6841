import type {
  GateProjectContext,
  GateProjectMatch,
  GateProjects,
} from '../app/gates/gate-projects.port';
import type { Db } from './db';

const iso = (value: Date | string): string => new Date(value).toISOString();

/** What gates read of the HaloPSA mirror (projects, milestones, closed tasks, agents) and of the roles. */
export class SqlGateProjects implements GateProjects {
  constructor(
    private readonly db: Db,
    private readonly tenantId: string,
  ) {}

  async projectContext(
    projectId: number,
    options: { milestones?: boolean } = {},
  ): Promise<GateProjectContext | null> {
    const [project] = await this.db.query<{
      id: number;
      summary: string | null;
      client_id: number | null;
      client_name: string | null;
      money_budget: number | null;
      agent_id: number | null;
      agent_email: string | null;
      tickettype_id: number | null;
    }>(
      `SELECT p.id, p.summary, p.client_id, c.name AS client_name, p.money_budget, p.agent_id,
              a.email AS agent_email, p.tickettype_id
         FROM halo_projects p
         LEFT JOIN halo_clients c ON c.tenant_id = p.tenant_id AND c.id = p.client_id
         LEFT JOIN halo_agents a ON a.tenant_id = p.tenant_id AND a.id = p.agent_id
        WHERE p.tenant_id = $1 AND p.id = $2`,
      [this.tenantId, projectId],
    );
    if (!project) return null;
    const header = {
      project: { id: Number(project.id), name: project.summary ?? `Project ${project.id}` },
      client: { id: Number(project.client_id ?? 0), name: project.client_name ?? '' },
      moneyBudget: project.money_budget === null ? null : Number(project.money_budget),
      projectManager: {
        agentId: project.agent_id === null ? null : Number(project.agent_id),
        email: project.agent_email,
      },
      ticketTypeId: project.tickettype_id === null ? null : Number(project.tickettype_id),
    };
    if (options.milestones === false) return { ...header, milestones: [] };
    const milestones = await this.db.query<{
      id: number;
      name: string | null;
      target_date: Date | string | null;
      complete: boolean | null;
      sequence: number | null;
    }>(
      `SELECT id, name, target_date, complete, sequence FROM halo_milestones
        WHERE tenant_id = $1 AND project_id = $2 ORDER BY sequence NULLS LAST, id`,
      [this.tenantId, projectId],
    );
    const tasks = await this.db.query<{ id: number; summary: string | null; milestone_id: number }>(
      `SELECT id, summary, milestone_id FROM halo_tasks
        WHERE tenant_id = $1 AND project_id = $2 AND milestone_id IS NOT NULL AND date_closed IS NOT NULL
        ORDER BY id`,
      [this.tenantId, projectId],
    );
    return {
      ...header,
      milestones: milestones.map((m) => ({
        id: Number(m.id),
        name: m.name ?? `Milestone ${m.id}`,
        targetDate: m.target_date === null ? null : iso(m.target_date).slice(0, 10),
        complete: m.complete === true,
        completedTasks: tasks
          .filter((t) => Number(t.milestone_id) === Number(m.id))
          .map((t) => ({ id: Number(t.id), summary: t.summary ?? `Task ${t.id}` })),
      })),
    };
  }

  async findProjects(text: string): Promise<GateProjectMatch[]> {
    const rows = await this.db.query<{
      id: number;
      summary: string | null;
      client_name: string | null;
    }>(
      `SELECT p.id, p.summary, c.name AS client_name FROM halo_projects p
         LEFT JOIN halo_clients c ON c.tenant_id = p.tenant_id AND c.id = p.client_id
        WHERE p.tenant_id = $1 AND p.date_closed IS NULL
          AND (p.id::text = $2 OR p.summary ILIKE '%' || $2 || '%')
        ORDER BY (p.id::text = $2 OR lower(p.summary) = lower($2)) DESC, p.summary LIMIT 10`,
      [this.tenantId, text],
    );
    return rows.map((r) => ({
      id: Number(r.id),
      name: r.summary ?? `Project ${r.id}`,
      clientName: r.client_name ?? '',
      exact: String(r.id) === text || (r.summary ?? '').toLowerCase() === text.toLowerCase(),
    }));
  }

  async approvers(): Promise<{ aadObjectId: string; email: string | null }[]> {
    const rows = await this.db.query<{ aad_object_id: string; email: string | null }>(
      `SELECT aad_object_id, max(email) AS email FROM role_assignments
        WHERE tenant_id = $1 AND role = 'pmo_lead' AND aad_object_id IS NOT NULL
        GROUP BY aad_object_id ORDER BY aad_object_id LIMIT 60`,
      [this.tenantId],
    );
    return rows.map((r) => ({ aadObjectId: r.aad_object_id, email: r.email }));
  }
}
