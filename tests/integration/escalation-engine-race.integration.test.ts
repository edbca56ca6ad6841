/**
 * A person's decision on an escalation against an evaluation run that read the escalation before it
 * (PGlite and PostgreSQL): the engine decides on the state it reads under the escalation's lock, so an
 * acknowledgement the PM was told about is never written over by a decision made on an older read.
 */
import { EscalationActionsService } from '../../src/app/delivery/escalation-actions';
import { EvaluateDelivery } from '../../src/app/delivery/evaluate-delivery';
import type { Actor } from '../../src/app/delivery-views';
import type { Escalation } from '../../src/domain/delivery/escalation';
import type { Db } from '../../src/store/db';
import { SqlDeliveryHistoryReader } from '../../src/store/delivery-history.repository';
import { SqlDeliveryStore } from '../../src/store/delivery.repository';
import { SqlEscalationRecords } from '../../src/store/escalation-records.repository';
import { HaloMirrorRepository, type MirrorRecord } from '../../src/store/halo-mirror.repository';
import { FakeClock } from '../bot/fakes';
import { testDatabases, type TestDatabaseHandle } from '../support/databases';
import { anEscalation } from '../support/escalations';

const TENANT = 'tenant-escalation-race';
const PROJECT = 610;
const SYNCED = '2025-03-14T08:00:00Z';
const MEGAN: Actor = {
  aadObjectId: 'aad-megan',
  name: 'megan',
  email: 'megan@msp.example',
  roles: ['pm'],
  haloAgentId: 5,
};
const rec = (data: Record<string, unknown>): MirrorRecord => ({
  id: Number(data.id),
  data,
  raw: data,
});

/** An open escalation, as the engine opened it. */
function openEscalation(cause: Escalation['cause'], at: string): Escalation {
  return anEscalation({
    id: `esc-${PROJECT}-${cause}`,
    projectId: String(PROJECT),
    cause,
    openedAt: at,
    ownerAgentId: '5',
    acknowledgeBy: '2025-03-20T09:00:00.000Z',
  });
}

describe.each(testDatabases())(
  'an escalation decision racing an evaluation ($name)',
  (database) => {
    let handle: TestDatabaseHandle;
    let db: Db;
    let clock: FakeClock;

    beforeAll(async () => {
      handle = await database.open();
      db = handle.db;
      clock = new FakeClock('2025-03-14T09:00:00Z');
      const mirror = new HaloMirrorRepository(TENANT);
      await mirror.upsert(
        db,
        'statuses',
        [rec({ id: 2, name: 'In Progress' }), rec({ id: 9, name: 'Closed' })],
        SYNCED,
      );
      await mirror.upsert(
        db,
        'projects',
        [
          rec({
            id: PROJECT,
            summary: 'Switch refresh',
            client_id: 7,
            agent_id: 5,
            // Closed today: the engine resolves its open escalations whatever the data says.
            status_id: 9,
            dateclosed: '2025-03-14T08:00:00',
            dateoccurred: '2025-01-02T00:00:00',
            startdate: '2025-01-06T00:00:00',
            targetdate: '2025-06-30T00:00:00',
            projecttimebudget: 400,
            projectmoneybudget: 40_000,
          }),
        ],
        SYNCED,
      );
      await mirror.upsertDetail(
        db,
        'projects',
        PROJECT,
        {
          milestones: [
            {
              id: 71,
              name: 'Build',
              sequence: 1,
              target_date: '2025-06-30T00:00:00',
              milestone_value: 40_000,
            },
          ],
        },
        SYNCED,
      );
      await mirror.upsert(
        db,
        'tasks',
        [
          rec({
            id: 7101,
            parent_id: PROJECT,
            milestone_id: 71,
            summary: 'Install',
            tickettype_name: 'Install',
            agent_id: 4,
            estimate: 400,
            status_id: 2,
            dateoccurred: '2025-01-02T00:00:00',
          }),
        ],
        SYNCED,
      );
      await mirror.upsert(
        db,
        'timesheetEvents',
        Array.from({ length: 10 }, (_, i) =>
          rec({
            id: 71_000 + i,
            ticket_id: 7101,
            agent_id: 4,
            start_date: `2025-02-${String(3 + i).padStart(2, '0')}T09:00:00`,
            timetaken: 5,
            charge_rate: 100,
          }),
        ),
        SYNCED,
      );
    });
    afterAll(async () => {
      await handle.dispose();
    });

    test('an acknowledgement committed after the evaluation read the escalation survives its decision', async () => {
      const store = new SqlDeliveryStore(db, TENANT, clock);
      const seeded = openEscalation('dependency', '2025-03-13T09:00:00.000Z');
      await store.inTransaction((uow) =>
        uow.applyDecision({
          kind: 'open',
          escalation: seeded,
          shadow: false,
          reason: 'seeded',
          notification: null as never,
        }),
      );
      const actions = new EscalationActionsService(new SqlEscalationRecords(db), clock);
      // The PM acknowledges after the run read the live escalations, before it writes its decisions.
      let acknowledged: unknown = null;
      const racing = Object.create(store) as SqlDeliveryStore;
      racing.inTransaction = async (work) => {
        if (acknowledged === null)
          acknowledged = await actions.acknowledge(TENANT, seeded.id, MEGAN);
        return store.inTransaction(work);
      };
      clock.advance(60_000);
      const report = await new EvaluateDelivery({
        history: new SqlDeliveryHistoryReader(db),
        store: racing,
        tenantId: TENANT,
        clock,
        owners: { deliveryDirectorAgentId: null, incidentCommanderAgentId: null },
      }).run();
      expect(acknowledged).toMatchObject({ ok: true });
      expect(report.decisions).toEqual([expect.objectContaining({ cause: 'dependency' })]);
      const [row] = await db.query<{ state: Escalation }>(
        'SELECT state FROM escalations WHERE tenant_id = $1 AND id = $2',
        [TENANT, seeded.id],
      );
      expect(row!.state.events.map((e) => e.action)).toEqual([
        'opened',
        'acknowledged',
        'resolved',
      ]);
      expect(row!.state.acknowledgedBy).toBe('5');
    });
  },
);
