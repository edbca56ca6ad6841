import { ACTORS, GateWorld, seedPendingGate } from '../../../tests/gates/fakes';
import { DEFAULT_GATE_POLICY } from '../../domain/gates/gate-policy';
import { GateQueries } from './gate-queries';

async function setup() {
  const world = new GateWorld();
  world.addProject({ projectId: 10, milestoneId: 11 });
  world.addProject({ projectId: 20, milestoneId: 21 });
  world.projects.approverList = [
    { aadObjectId: 'aad-adele', email: 'adele@msp.example' },
    { aadObjectId: 'aad-lynne', email: 'lynne@msp.example' },
  ];
  const first = await seedPendingGate(world, { projectId: 10, milestoneId: 11 });
  const second = await seedPendingGate(world, { projectId: 20, milestoneId: 21 });
  const queries = new GateQueries({
    gates: world.gates,
    projects: world.projects,
    audit: world.audit,
    policy: DEFAULT_GATE_POLICY,
  });
  return { world, queries, first, second };
}

describe('gate queries', () => {
  test('a gate view: project, summary, approvers and when the reminder falls due', async () => {
    const { queries, first } = await setup();

    expect(await queries.view(first)).toMatchObject({
      id: first,
      project: { id: 10, name: 'Intranet rollout 10' },
      client: { id: 7, name: 'Contoso Ltd' },
      milestone: { id: 11, name: 'Gate: UAT sign-off' },
      shortHash: 'abababababab',
      approverAadObjectIds: ['aad-adele', 'aad-lynne'],
      reminderDueAt: '2025-03-15T09:00:00.000Z',
      decisions: [],
    });
    expect(await queries.view('g-1-1')).toBeNull();
  });

  test('a gate whose project left the mirror still has a view', async () => {
    const { world, queries, first } = await setup();
    world.projects.contexts.delete(10);

    expect(await queries.view(first)).toMatchObject({
      project: { id: 10, name: 'Project 10' },
      client: { id: 0, name: '' },
    });
  });

  test('the detail carries the pack, the files without their keys and the timeline', async () => {
    const { world, queries, first } = await setup();
    await world.audit.append({
      subjectType: 'gate',
      subjectId: first,
      action: 'gate.requested',
      actor: null,
    });

    const detail = await queries.detail(first);

    expect(detail!.pack.deliverables).toHaveLength(1);
    expect(detail!.files).toEqual([]);
    expect(detail!.timeline).toEqual([
      {
        seq: 1,
        at: '2025-03-14T09:00:00.000Z',
        action: 'gate.requested',
        actorName: 'Control Tower',
        detail: {},
        hash: 'h1',
      },
    ]);
    expect(await queries.detail('g-1-1')).toBeNull();
  });

  test('a PMO lead sees the pending gates they may decide; the PM sees what they requested', async () => {
    const { queries, first, second } = await setup();

    const adele = await queries.waitingFor(ACTORS.adele);
    const megan = await queries.waitingFor({ ...ACTORS.megan, roles: ['pm'] });

    expect(adele.toDecide.map((g) => g.id)).toEqual([first, second]);
    expect(adele.requested).toEqual([]);
    expect(megan.toDecide).toEqual([]);
    expect(megan.requested.map((g) => g.id)).toEqual([first, second]);
  });

  test('a PMO lead does not decide gates of projects they manage', async () => {
    const { world, queries, second } = await setup();
    world.projects.contexts.get(10)!.projectManager = { agentId: 6, email: 'other@msp.example' };

    const adele = await queries.waitingFor(ACTORS.adele);

    expect(adele.toDecide.map((g) => g.id)).toEqual([second]);
  });

  test('milestone gates: status and evidence count per milestone', async () => {
    const { queries, first } = await setup();

    expect(await queries.milestoneGates(10)).toEqual(
      new Map([[11, { gateId: first, status: 'pending', evidenceCount: 1, decidedAt: null }]]),
    );
  });
});
