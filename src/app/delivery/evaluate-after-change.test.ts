import { EvaluateAfterChange } from './evaluate-after-change';
import type { EvaluationReport } from './evaluate-delivery';
import type { TaskProjects } from './task-projects.port';
import type { Signal } from '../../shared/signal';

class FakeTaskProjects implements TaskProjects {
  constructor(private readonly projects: Map<number, number>) {}
  async projectOfTask(_tenantId: string, taskId: number): Promise<number | null> {
    return this.projects.get(taskId) ?? null;
  }
}

function setUp() {
  const runs: (readonly number[] | undefined)[] = [];
  const evaluation = {
    run: async (options: { projectIds?: readonly number[] } = {}): Promise<EvaluationReport> => {
      runs.push(options.projectIds);
      return {
        asOf: '2026-01-05',
        projects: 1,
        byRag: { green: 1, amber: 0, red: 0, unknown: 0 },
        decisions: [],
      };
    },
  };
  let notified = 0;
  const outbox: Signal = { notify: () => void (notified += 1) };
  const useCase = new EvaluateAfterChange({
    tenantId: 't1',
    tasks: new FakeTaskProjects(new Map([[501, 77]])),
    evaluation,
    outbox,
  });
  return { useCase, runs, notified: () => notified };
}

describe('EvaluateAfterChange', () => {
  test('a changed project is re-evaluated alone, then the outbox is told', async () => {
    const { useCase, runs, notified } = setUp();
    await useCase.run(12, 'project');
    expect(runs).toEqual([[12]]);
    expect(notified()).toBe(1);
  });

  test('a changed task re-evaluates the project it belongs to', async () => {
    const { useCase, runs } = setUp();
    await useCase.run(501, 'task');
    expect(runs).toEqual([[77]]);
  });

  test('a task the mirror does not know evaluates nothing but still tells the outbox', async () => {
    const { useCase, runs, notified } = setUp();
    await useCase.run(999, 'task');
    expect(runs).toEqual([]);
    expect(notified()).toBe(1);
  });

  test('a plain ticket is not delivery work: nothing runs and the outbox is not told', async () => {
    const { useCase, runs, notified } = setUp();
    await useCase.run(12, 'ticket');
    expect(runs).toEqual([]);
    expect(notified()).toBe(0);
  });
});
