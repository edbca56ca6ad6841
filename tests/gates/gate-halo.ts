/** A HaloPSA simulator and a client for the gate write-back tests. */
import { HaloClient } from '../../src/halo/halo-client';
import { HALO_SCOPES } from '../../src/halo/halo-scopes';
import { generateDataset } from '../../src/halo/simulator/generator';
import { startSimulator, type HaloSimulator } from '../../src/halo/simulator/server';

/** Starts the demo simulator on a free port. */
export function startGateSimulator(): Promise<HaloSimulator> {
  return startSimulator({
    dataset: generateDataset({ profile: 'demo', seed: 7, asOf: '2025-03-14' }),
    port: 0,
    clientId: 'demo',
    clientSecret: 'demo',
  });
}

/** A HaloPSA client with the write scope against `url`. */
export function gateHaloClient(url: string): HaloClient {
  return new HaloClient({
    baseUrl: url,
    clientId: 'demo',
    clientSecret: 'demo',
    scopes: [...HALO_SCOPES],
    pageSize: 1000,
    budget: { requests: 300, windowMs: 300_000 },
  });
}

/** The notes in the simulator that carry `marker`. */
export function notesWith(sim: HaloSimulator, ticketId: number, marker: string): unknown[] {
  return sim
    .records('Actions')
    .filter((a) => Number(a.ticket_id) === ticketId && String(a.note ?? '').includes(marker));
}

/** A project of the simulator's dataset with the ids the gate fixtures need. */
export function simulatorProject(sim: HaloSimulator): {
  projectId: number;
  milestoneId: number;
  taskId: number;
  budget: number;
} {
  const project = sim.records('Projects')[0]!;
  const projectId = Number(project.id);
  // Milestone and task ids only live in our mirror: any ids not used by the seeded fixtures.
  return { projectId, milestoneId: 9_000_001, taskId: 9_000_101, budget: 10_000 };
}

/** A simulator project other than `simulatorProject`'s and its first open milestone, with real ids. */
export function simulatorOpenMilestone(sim: HaloSimulator): {
  projectId: number;
  milestoneId: number;
  taskId: number;
  budget: number;
} {
  for (const row of sim.records('Projects').slice(1)) {
    const projectId = Number(row.id);
    const milestones = (sim.record('Projects', projectId)?.milestones ?? []) as {
      id: number;
      _complete: boolean;
    }[];
    const open = milestones.find((m) => !m._complete);
    if (open) return { projectId, milestoneId: Number(open.id), taskId: 9_000_201, budget: 10_000 };
  }
  throw new Error('the demo dataset has no project with an open milestone');
}

/** The milestone as `GET /api/Projects/{id}` serves it now. */
export function simulatorMilestone(
  sim: HaloSimulator,
  projectId: number,
  milestoneId: number,
): Record<string, unknown> | undefined {
  const milestones = (sim.record('Projects', projectId)?.milestones ?? []) as Record<
    string,
    unknown
  >[];
  return milestones.find((m) => Number(m.id) === milestoneId);
}
