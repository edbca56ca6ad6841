/** What gates read of the HaloPSA mirror and the role table (the SQL adapter is src/store/gate-projects.repository.ts). */
import type { GateMilestoneOption } from './gate-views';

/** The project around a gate, from the HaloPSA mirror. */
export interface GateProjectContext {
  project: { id: number; name: string };
  client: { id: number; name: string };
  moneyBudget: number | null;
  projectManager: { agentId: number | null; email: string | null };
  ticketTypeId: number | null;
  milestones: Omit<GateMilestoneOption, 'gate'>[];
}

/** A project matching a `/gate <text>` search. */
export interface GateProjectMatch {
  id: number;
  name: string;
  clientName: string;
  /** The id or the whole name equals the text. */
  exact: boolean;
}

/** Reads around gates, bound to one connection (a transaction's, inside one). */
export interface GateProjects {
  /** With `milestones: false`, the project alone (`milestones` empty): two reads fewer, for views. */
  projectContext(
    projectId: number,
    options?: { milestones?: boolean },
  ): Promise<GateProjectContext | null>;
  /** Open projects whose id or name matches `text`, exact matches first, at most 10. */
  findProjects(text: string): Promise<GateProjectMatch[]>;
  /** The PMO leads who may decide gates. */
  approvers(): Promise<{ aadObjectId: string; email: string | null }[]>;
}
