import { GateWorld, seedPendingGate } from '../../../tests/gates/fakes';
import { DEFAULT_GATE_POLICY } from '../../domain/gates/gate-policy';
import { RunGateSla } from './run-gate-sla';

const P = { projectId: 10, milestoneId: 11 };

async function setup() {
  const world = new GateWorld();
  world.addProject(P);
  const gateId = await seedPendingGate(world, P);
  const sla = new RunGateSla({
    gates: world.gates,
    tx: world.tx,
    policy: DEFAULT_GATE_POLICY,
    clock: world.clock,
    outboxChanged: world.outboxChanged,
  });
  return { world, sla, gateId };
}

describe('the gate SLA job', () => {
  test('sends nothing and does not signal while the gate is within its SLA', async () => {
    const { world, sla } = await setup();
    world.clock.advanceHours(23);

    expect(await sla.run()).toEqual({ reminders: 0, escalations: 0 });
    expect(world.state.outbox).toEqual([]);
    expect(world.outboxChanged.count).toBe(0);
  });

  test('past the reminder time: one reminder to the gates channel, audited as the system, once', async () => {
    const { world, sla, gateId } = await setup();
    world.clock.advanceHours(25);

    expect(await sla.run()).toEqual({ reminders: 1, escalations: 0 });
    expect(await sla.run()).toEqual({ reminders: 0, escalations: 0 });

    expect(world.state.outbox).toEqual([
      expect.objectContaining({
        dedupeKey: `gate:${gateId}:v1:sla:reminder`,
        target: { streams: ['gates'], clientId: 7 },
        payload: expect.objectContaining({
          notice: {
            tone: 'refused',
            text: 'Reminder: this gate has waited 25 h for a decision (SLA 24 h).',
          },
        }),
      }),
    ]);
    expect(world.state.audit).toEqual([
      expect.objectContaining({
        action: 'gate.sla.reminder',
        actor: null,
        detail: { packVersion: 1, waitedHours: 25 },
      }),
    ]);
    expect(world.outboxChanged.count).toBe(1);
  });

  test('past the escalation time: the reminder and the escalation (escalations channel first)', async () => {
    const { world, sla, gateId } = await setup();
    world.clock.advanceHours(49);

    expect(await sla.run()).toEqual({ reminders: 1, escalations: 1 });

    expect(world.state.outbox.map((i) => [i.dedupeKey, i.target])).toEqual([
      [`gate:${gateId}:v1:sla:reminder`, { streams: ['gates'], clientId: 7 }],
      [`gate:${gateId}:v1:sla:escalation`, { streams: ['escalations', 'gates'], clientId: 7 }],
    ]);
    expect(world.state.audit.map((e) => e.action)).toEqual([
      'gate.sla.reminder',
      'gate.sla.escalated',
    ]);
  });

  test('decided gates get no notices', async () => {
    const { world, sla } = await setup();
    world.state.gates[0]!.status = 'approved';
    world.clock.advanceHours(72);

    expect(await sla.run()).toEqual({ reminders: 0, escalations: 0 });
  });
});
