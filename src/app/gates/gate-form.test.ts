import { GateWorld, seedPendingGate } from '../../../tests/gates/fakes';
import { DEFAULT_GATE_POLICY } from '../../domain/gates/gate-policy';
import { GateForm } from './gate-form';

function setup() {
  const world = new GateWorld();
  world.addProject({ projectId: 10, milestoneId: 11 });
  const form = new GateForm({
    projects: world.projects,
    gates: world.gates,
    policy: DEFAULT_GATE_POLICY,
  });
  return { world, form };
}

describe('the gate form', () => {
  test('lists only the gate milestones, with their completed tasks and the mandatory evidence', async () => {
    const { form } = setup();

    expect(await form.form(10)).toEqual({
      project: { id: 10, name: 'Intranet rollout 10' },
      client: { id: 7, name: 'Contoso Ltd' },
      milestones: [
        {
          id: 11,
          name: 'Gate: UAT sign-off',
          targetDate: '2025-03-20',
          complete: false,
          completedTasks: [{ id: 101, summary: 'UAT test scripts run' }],
          gate: null,
        },
      ],
      requiredEvidence: ['deliverables', 'qa-outcomes', 'customer-acceptance', 'open-risks'],
    });
  });

  test('shows the gate already requested on a milestone', async () => {
    const { world, form } = setup();
    await seedPendingGate(world, { projectId: 10, milestoneId: 11 });

    expect((await form.form(10))!.milestones[0]!.gate).toEqual({
      id: 'g-10-11',
      status: 'pending',
      packVersion: 1,
    });
  });

  test('an unknown project has no form', async () => {
    expect(await setup().form.form(99)).toBeNull();
  });

  test('finds projects by id or name', async () => {
    const { form } = setup();

    expect(await form.findProjects('10')).toEqual([
      { id: 10, name: 'Intranet rollout 10', clientName: 'Contoso Ltd', exact: true },
    ]);
    expect(await form.findProjects('Extranet')).toEqual([]);
  });
});
