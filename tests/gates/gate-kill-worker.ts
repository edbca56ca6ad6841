/**
 * A gate decision in a process of its own, for the kill test:
 * `tsx tests/gates/gate-kill-worker.ts <db> <connector-url> <halo-url> <projectId> <mode>`.
 * It requests a gate, posts its card, records an approval (the card update and the HaloPSA note are
 * queued in the deciding transaction) and then, by mode:
 * - `decided`: announces `decided` and hangs before delivering anything;
 * - `noted`: performs the HaloPSA note, announces `noted` after HaloPSA accepted it but before it is
 *   recorded as done, and hangs.
 * The test kills it either way.
 */
import { AuditLog } from '../../src/audit/audit-log';
import {
  HaloWritebackDispatcher,
  haloWriterOf,
} from '../../src/notifications/halo-writeback-dispatcher';
import { FakeClock } from '../bot/fakes';
import { testDispatcher } from '../support/test-dispatcher';
import { openWorkerDatabase } from '../support/worker-process';
import { actorOf, completeRequest, gateService, routeGates, seedGateWorld } from './gate-fixtures';
import { gateHaloClient } from './gate-halo';

const [target, connectorUrl, haloUrl, projectIdArg, mode] = process.argv.slice(2);
export const GATE_KILL_TENANT = 'tenant-gate-kill';

async function main(): Promise<void> {
  const db = await openWorkerDatabase(target!);
  const clock = new FakeClock();
  const project = {
    projectId: Number(projectIdArg),
    milestoneId: 9_000_001,
    taskId: 9_000_101,
    budget: 10_000,
  };
  await seedGateWorld(db, GATE_KILL_TENANT, [project]);
  await routeGates(db, GATE_KILL_TENANT, connectorUrl!, clock.now());
  const gates = gateService(db, GATE_KILL_TENANT, clock);
  const requested = await gates.request.run(
    await actorOf(db, GATE_KILL_TENANT, 'megan'),
    completeRequest(project),
  );
  if (!requested.ok) throw new Error(`request refused: ${requested.message}`);
  await testDispatcher({
    db,
    tenantId: GATE_KILL_TENANT,
    instanceId: 'before-kill',
    clock,
  }).drain();
  const decided = await gates.decide.run(await actorOf(db, GATE_KILL_TENANT, 'adele'), {
    gateId: requested.gate.id,
    packVersion: 1,
    outcome: 'approve',
    comment: '',
  });
  if (!decided.ok) throw new Error(`decision refused: ${decided.message}`);
  if (mode === 'decided') {
    process.stdout.write('decided\n');
    await new Promise(() => undefined);
  }
  const writeback = new HaloWritebackDispatcher({
    db,
    tenantId: GATE_KILL_TENANT,
    instanceId: 'before-kill',
    writer: haloWriterOf(gateHaloClient(haloUrl!)),
    audit: new AuditLog(GATE_KILL_TENANT, clock),
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    clock,
    sleep: clock.sleep,
    hooks: {
      afterPost: async () => {
        process.stdout.write('noted\n');
        await new Promise(() => undefined);
      },
    },
  });
  await writeback.runOnce();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
