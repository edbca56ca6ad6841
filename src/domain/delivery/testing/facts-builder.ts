/**
 * Test support: a small hand-made project whose EVM figures are easy to compute by hand, plus
 * helpers to vary it.
 */
import { addDays, isWorkingDay, type IsoDate } from '../../shared/dates';
import type { DailyEffort, ProjectFacts, ProjectTask } from '../project-facts';

/** A task with sensible defaults. */
export function task(id: string, patch: Partial<ProjectTask> = {}): ProjectTask {
  return {
    id,
    name: `Task ${id}`,
    taskType: 'build',
    milestoneId: 'm1',
    estimateHours: 10,
    loggedHours: null,
    status: 'open',
    createdOn: '2025-01-06',
    startedOn: null,
    closedOn: null,
    onHoldSince: null,
    targetDate: null,
    agentId: 'a1',
    ...patch,
  };
}

/** Working-day effort rows from `from` to `to` inclusive at `hours` a day and 100 per hour. */
export function effort(from: IsoDate, to: IsoDate, hours: number): DailyEffort[] {
  const out: DailyEffort[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) {
    if (isWorkingDay(d)) out.push({ date: d, hours, cost: hours * 100 });
  }
  return out;
}

/**
 * The reference project (as of Saturday 2025-01-11): budget 100 h / 10,000; m1 (01-06 → 01-16)
 * holds t1 (30 h, closed 01-10) and t2 (20 h, in progress); m2 (01-16 → 01-26) holds t3 (50 h).
 * 40 h booked. By hand: % complete 0.3, EV 30, PV 25, AC 40, CPI 0.75, SPI 1.2.
 */
export function referenceFacts(patch: Partial<ProjectFacts> = {}): ProjectFacts {
  return {
    projectId: 'p1',
    name: 'Firewall refresh',
    clientId: 'c1',
    projectType: 'implementation',
    pmAgentId: 'pm1',
    status: 'active',
    onHoldSince: null,
    startDate: '2025-01-06',
    targetEndDate: '2025-01-26',
    closedOn: null,
    asOf: '2025-01-11',
    baseline: {
      version: 1,
      capturedOn: '2025-01-06',
      plannedHours: 100,
      plannedMoney: 10_000,
      blendedRate: 100,
      plannedRevenue: 14_000,
      milestones: [
        {
          id: 'm1',
          name: 'Design',
          sequence: 1,
          plannedStart: '2025-01-06',
          plannedEnd: '2025-01-16',
          isGate: false,
          requiredEvidence: [],
          ownerAgentId: 'owner1',
          weight: 1,
        },
        {
          id: 'm2',
          name: 'Cutover',
          sequence: 2,
          plannedStart: '2025-01-16',
          plannedEnd: '2025-01-26',
          isGate: true,
          requiredEvidence: ['deliverables', 'customer-acceptance'],
          ownerAgentId: 'owner2',
          weight: 1,
        },
      ],
      workstreamOwners: [{ workstream: 'network', agentId: 'owner1' }],
    },
    tasks: [
      task('t1', {
        estimateHours: 30,
        status: 'closed',
        startedOn: '2025-01-06',
        closedOn: '2025-01-10',
      }),
      task('t2', { estimateHours: 20, status: 'in-progress', startedOn: '2025-01-09' }),
      task('t3', { estimateHours: 50, milestoneId: 'm2' }),
    ],
    dailyHours: effort('2025-01-06', '2025-01-10', 8),
    assignedAgents: [{ agentId: 'a1', lastTimesheetDate: '2025-01-10' }],
    actualRevenue: null,
    dataAsOf: '2025-01-11',
    dataQualityIssues: [],
    ...patch,
  };
}
