import { gateIdOf, isGateMilestone } from '../../domain/gates/gate-milestone';
import type { GatePolicy } from '../../domain/gates/gate-policy';
import type { GateProjectMatch, GateProjects } from './gate-projects.port';
import type { GateRepository } from './gate-repository.port';
import type { GateFormView } from './gate-views';

export interface GateFormDeps {
  projects: GateProjects;
  gates: GateRepository;
  policy: GatePolicy;
}

/** The gate form: which project (`/gate <project>`), then its gate milestones and their gates. */
export class GateForm {
  constructor(private readonly deps: GateFormDeps) {}

  /** Projects matching `text` (id or part of the name), for `/gate <project>`. */
  findProjects(text: string): Promise<GateProjectMatch[]> {
    return this.deps.projects.findProjects(text);
  }

  /** The gate form of a project: its gate milestones, their gates and completed tasks. */
  async form(projectId: number): Promise<GateFormView | null> {
    const ctx = await this.deps.projects.projectContext(projectId);
    if (!ctx) return null;
    const milestones = [];
    for (const m of ctx.milestones.filter((m) => isGateMilestone(m.name))) {
      const gate = await this.deps.gates.find(gateIdOf(projectId, m.id));
      milestones.push({
        ...m,
        gate: gate ? { id: gate.id, status: gate.status, packVersion: gate.packVersion } : null,
      });
    }
    return {
      project: ctx.project,
      client: ctx.client,
      milestones,
      requiredEvidence: [...this.deps.policy.requiredEvidence],
    };
  }
}
