/**
 * A dispatcher of personal notifications in a process of its own, for the kill test:
 * `tsx tests/support/personal-outbox-worker.ts <postgres-url | pglite-dir>`.
 * It records a pending gate's personal notice for its approver (one 1:1 message row, one feed row),
 * claims both (they are "sending"), announces `claimed` on stdout and hangs before sending anything,
 * until the test kills it.
 */
import { gatePendingNotice } from '../../src/domain/notifications/personal-notices';
import { enqueue } from '../../src/notifications/outbox';
import { FakeClock } from '../bot/fakes';
import { testDispatcher } from './test-dispatcher';
import { openWorkerDatabase } from './worker-process';

const [target] = process.argv.slice(2);
/** The tenant and approver the kill test checks. */
export const PERSONAL_KILL_TENANT = 'tenant-personal-kill';
export const PERSONAL_KILL_APPROVER = 'aad-priya';

async function main(): Promise<void> {
  const db = await openWorkerDatabase(target!);
  const clock = new FakeClock();
  await db.query(
    `INSERT INTO role_assignments (tenant_id, aad_object_id, email, role)
     VALUES ($1, $2, 'priya@msp.example', 'pmo_lead')`,
    [PERSONAL_KILL_TENANT, PERSONAL_KILL_APPROVER],
  );
  await db.transaction((tx) =>
    enqueue(
      tx,
      PERSONAL_KILL_TENANT,
      {
        dedupeKey: 'gate:g-kill:v1:card:people',
        kind: 'text',
        payload: { text: 'Stage gate Go-live on Apollo waits for your decision' },
        target: {
          people: gatePendingNotice({
            gateId: 'g-kill',
            projectId: 42,
            projectName: 'Apollo',
            milestoneName: 'Go-live',
            eligibleApproverAadObjectIds: [PERSONAL_KILL_APPROVER],
          }),
        },
      },
      clock.now(),
    ),
  );
  const dispatcher = testDispatcher({
    db,
    tenantId: PERSONAL_KILL_TENANT,
    instanceId: 'before-kill',
    clock,
    hooks: {
      afterClaim: async () => {
        process.stdout.write('claimed\n');
        await new Promise(() => undefined);
      },
    },
  });
  await dispatcher.runOnce();
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
