import { buildProjectFacts, indexDeliveryHistory } from '../domain/delivery/build-project-facts';
import { testDatabases, type TestDatabaseHandle } from '../../tests/support/databases';
import { SqlDeliveryHistoryReader } from './delivery-history.repository';
import { HaloMirrorRepository, type MirrorRecord } from './halo-mirror.repository';

const TENANT = 'tenant-history';
const SYNCED = '2025-02-01T00:00:00Z';
const rec = (data: Record<string, unknown>): MirrorRecord => ({
  id: Number(data.id),
  data,
  raw: data,
});

describe.each(testDatabases())(
  'the delivery history from the HaloPSA mirror ($name)',
  (database) => {
    let handle: TestDatabaseHandle;

    beforeAll(async () => {
      handle = await database.open();
      const mirror = new HaloMirrorRepository(TENANT);
      const { db } = handle;
      await mirror.upsert(
        db,
        'projects',
        [
          rec({
            id: 500,
            summary: 'Firewall refresh',
            client_id: 7,
            agent_id: 5,
            status_id: 2,
            startdate: '2025-01-06T00:00:00',
            targetdate: '2025-03-31T00:00:00',
            projecttimebudget: 100,
            projectmoneybudget: 10_000,
          }),
        ],
        SYNCED,
      );
      await mirror.upsertDetail(
        db,
        'projects',
        500,
        {
          milestones: [
            {
              id: 51,
              name: 'Design',
              sequence: 1,
              target_date: '2025-01-31T00:00:00',
              agent_id: 9,
              milestone_value: 5_000,
            },
            {
              id: 52,
              name: 'Build',
              sequence: 2,
              target_date: '2025-02-28T00:00:00',
              agent_id: 'abc',
              milestone_value: '7000',
            },
            {
              id: 53,
              name: 'Handover',
              sequence: 3,
              target_date: '2025-03-31T00:00:00',
              agent_id: -1,
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
            id: 5001,
            parent_id: 500,
            milestone_id: 52,
            summary: 'Rack',
            agent_id: 4,
            estimate: 8,
            dateoccurred: '2025-01-06T00:00:00',
          }),
          rec({
            id: 5002,
            parent_id: 500,
            milestone_id: 52,
            summary: 'Cable',
            agent_id: 6,
            estimate: 3,
            dateoccurred: '2025-01-06T00:00:00',
          }),
        ],
        SYNCED,
      );
      await mirror.upsert(
        db,
        'invoices',
        [
          rec({
            id: 801,
            client_id: 7,
            ticket_id: 500,
            invoice_date: '2025-01-31T00:00:00',
            total: 5_000,
          }),
          rec({
            id: 802,
            client_id: 7,
            ticket_id: '500',
            invoice_date: '2025-03-05T00:00:00',
            total: 2_500,
          }),
          rec({ id: 803, client_id: 7, invoice_date: '2025-01-31T00:00:00', total: 1_200 }),
          rec({
            id: 804,
            client_id: 7,
            ticket_id: 'not-a-ticket',
            invoice_date: '2025-01-31T00:00:00',
            total: 99,
          }),
        ],
        SYNCED,
      );
    });
    afterAll(async () => {
      await handle.dispose();
    });

    test('milestone owners come from the milestone agent, else its tasks; malformed agents are null', async () => {
      const history = await new SqlDeliveryHistoryReader(handle.db).load(TENANT);
      const facts = buildProjectFacts(
        indexDeliveryHistory(history).get(500)!,
        history,
        '2025-02-03',
      )!;
      expect(facts.baseline.milestones.map((m) => [m.name, m.ownerAgentId])).toEqual([
        ['Design', '9'],
        ['Build', '4'],
        ['Handover', null],
      ]);
      expect(facts.baseline.workstreamOwners).toEqual([
        { workstream: 'Design', agentId: '9' },
        { workstream: 'Build', agentId: '4' },
      ]);
    });

    test('planned revenue is the milestones billing values and actual revenue the project invoices to the day', async () => {
      const history = await new SqlDeliveryHistoryReader(handle.db).load(TENANT);
      const project = indexDeliveryHistory(history).get(500)!;
      const feb = buildProjectFacts(project, history, '2025-02-03')!;
      expect(feb.baseline.plannedRevenue).toBe(12_000);
      expect(feb.baseline.plannedMoney).toBe(10_000);
      expect(feb.actualRevenue).toBe(5_000);
      expect(buildProjectFacts(project, history, '2025-03-10')!.actualRevenue).toBe(7_500);
    });
  },
);
