import type { TurnContext } from 'botbuilder';
import { COMMAND_PATTERNS } from '../../bot/commands';
import { GATE_VERBS, GateBotHandlers, gateBotFeature } from '../../bot/gate-handlers';
import { TabLinks } from '../../bot/tab-links';
import type { Actor } from '../../src/app/delivery-views';
import { DecideGate } from '../../src/app/gates/decide-gate';
import { GateForm } from '../../src/app/gates/gate-form';
import { GateQueries } from '../../src/app/gates/gate-queries';
import { RequestGate } from '../../src/app/gates/request-gate';
import { VerifyPack } from '../../src/app/gates/verify-pack';
import type { RoleDirectory, TeamsUser } from '../../src/app/identity/identity.port';
import { ReadAccess } from '../../src/app/identity/read-access';
import { DEFAULT_GATE_POLICY } from '../../src/domain/gates/gate-policy';
import { FakeOwnership } from '../bot/fakes';
import { ACTORS, GateWorld, seedPendingGate, sha256 } from './fakes';

const links = new TabLinks({
  teamsAppId: 'app-id',
  entityId: 'portfolio',
  webBaseUrl: 'https://tower.example.com',
});

/** Resolves the people of the fakes by Entra object id. */
class FakeRoleDirectory implements RoleDirectory {
  async resolve(user: TeamsUser): Promise<Actor> {
    const known = Object.values(ACTORS).find((a) => a.aadObjectId === user.aadObjectId);
    return (
      known ?? {
        aadObjectId: user.aadObjectId,
        name: user.name,
        email: null,
        roles: [],
        haloAgentId: null,
      }
    );
  }
  async grant(): Promise<void> {}
}

function setup() {
  const world = new GateWorld();
  world.addProject({ projectId: 10, milestoneId: 11 });
  world.projects.approverList = [{ aadObjectId: 'aad-adele', email: 'adele@msp.example' }];
  const ownership = new FakeOwnership();
  ownership.projects.set(10, {
    clientId: 7,
    pmAgentId: 5,
    pmEmail: 'megan@msp.example',
    accountManagerAgentId: null,
  });
  const common = {
    audit: world.audit,
    tx: world.tx,
    policy: DEFAULT_GATE_POLICY,
    clock: world.clock,
  };
  const handlers = new GateBotHandlers({
    gates: {
      form: new GateForm({
        projects: world.projects,
        gates: world.gates,
        policy: DEFAULT_GATE_POLICY,
      }),
      request: new RequestGate({
        ...common,
        projects: world.projects,
        gates: world.gates,
        sha256,
        outboxChanged: world.outboxChanged,
      }),
      decide: new DecideGate({
        ...common,
        reads: { gates: world.gates, projects: world.projects },
        pilot: world.ports.pilot,
        outboxChanged: world.outboxChanged,
        writebackQueued: world.writebackQueued,
      }),
      queries: new GateQueries({
        gates: world.gates,
        projects: world.projects,
        audit: world.audit,
        policy: DEFAULT_GATE_POLICY,
      }),
      verify: new VerifyPack({
        gates: world.gates,
        evidence: world.evidence,
        audit: world.audit,
        clock: world.clock,
      }),
    },
    roles: new FakeRoleDirectory(),
    access: new ReadAccess(ownership),
    links,
    logger: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });
  return { world, feature: gateBotFeature(handlers, links) };
}

const clickBy = (aadObjectId: string) =>
  ({
    activity: { from: { id: '29:x', aadObjectId, name: 'Someone' } },
    turnState: new Map(),
  }) as unknown as TurnContext;

describe('the gate bot feature', () => {
  test('answers /gates before /gate (the longer command must win)', () => {
    const { feature } = setup();

    expect(feature.commands.map((c) => c.pattern)).toEqual([
      COMMAND_PATTERNS.gates,
      COMMAND_PATTERNS.gate,
    ]);
  });

  test('answers every gate card verb and renders the gate outbox kind', () => {
    const { feature } = setup();

    expect(Object.keys(feature.cardActions).sort()).toEqual([...GATE_VERBS].sort());
    expect(Object.keys(feature.renderers)).toEqual(['gate']);
  });

  test('an approver clicking Approve gets the decided card; the decision went through the use case', async () => {
    const { world, feature } = setup();
    const gateId = await seedPendingGate(world, { projectId: 10, milestoneId: 11 });

    const card = await feature.cardActions['gate.approve']!(clickBy('aad-adele'), {
      gateId,
      packVersion: 1,
    });

    expect(JSON.stringify(card)).toContain('Approved by Adele Vance');
    expect(world.state.gates[0]!.status).toBe('approved');
  });

  test('a button without a gate says so', async () => {
    const { feature } = setup();

    const card = await feature.cardActions['gate.open']!(clickBy('aad-adele'), {});

    expect(JSON.stringify(card)).toContain('That button has no gate.');
  });

  test('the renderer posts the read-only approval card, and refuses a payload without a gate', async () => {
    const { world, feature } = setup();
    await seedPendingGate(world, { projectId: 10, milestoneId: 11 });
    const view = await new GateQueries({
      gates: world.gates,
      projects: world.projects,
      audit: world.audit,
      policy: DEFAULT_GATE_POLICY,
    }).view('g-10-11');

    const rendered = feature.renderers.gate!({ gate: view, notice: null });

    expect(rendered.ok && rendered.activity.summary).toBe(
      'Stage gate: Intranet rollout 10 — Gate: UAT sign-off',
    );
    expect(JSON.stringify(rendered)).not.toContain('"verb":"gate.approve"');
    expect(feature.renderers.gate!({})).toEqual({ ok: false, reason: 'gate payload without gate' });
  });
});
