import { testDatabases, type TestDatabaseHandle } from '../../tests/support/databases';
import type { GateDecisionRow } from '../app/gates/gate-repository.port';
import type { GateWritebackIntent } from '../app/gates/gate-writebacks.port';
import { SqlGateWritebacks } from './gate-writebacks.repository';
import { SqlGateRepository } from './gate.repository';

const NOW = '2026-03-02T09:00:00.000Z';
const MEGAN = { aadObjectId: 'aad-megan', name: 'Megan Bowen', email: 'megan@msp.example' };

function decision(slot: number, aadObjectId: string): GateDecisionRow {
  return {
    packVersion: 1,
    slot,
    outcome: 'approve',
    by: { aadObjectId, name: aadObjectId, email: null },
    at: NOW,
    comment: '',
  };
}

function writeback(kind: GateWritebackIntent['kind'], key: string): GateWritebackIntent {
  return {
    dedupeKey: key,
    kind,
    subjectType: 'gate',
    subjectId: 'g1',
    ticketId: 10,
    payload: { kind },
    marker: `[${key}]`,
  };
}

describe.each(testDatabases())('the writes of a gate decision on %s', (engine) => {
  let handle: TestDatabaseHandle;
  let gates: SqlGateRepository;

  beforeAll(async () => {
    handle = await engine.open();
  });
  afterAll(async () => handle.dispose());
  beforeEach(async () => {
    await handle.reset();
    gates = new SqlGateRepository(handle.db, 't1');
    await gates.saveRequest(
      {
        id: 'g1',
        projectId: 10,
        milestoneId: 11,
        milestoneName: 'Go-live',
        packVersion: 1,
        packHash: 'hash-1',
        requiredApprovals: 2,
        requestedBy: MEGAN,
        requestedAt: NOW,
      },
      {
        deliverables: [],
        qaOutcomes: [],
        customerAcceptanceNotes: '',
        openRisks: [],
        noOpenRisks: true,
      },
      '{}',
      NOW,
    );
  });

  const pending = { status: 'pending' as const, packVersion: 1, approvals: 0 };
  const oneApproval = { status: 'pending' as const, approvals: 1, decidedAt: null, updatedAt: NOW };

  test('records the gate change and the decision row together, only from the state expected', async () => {
    expect(await gates.recordDecision('g1', pending, oneApproval, decision(1, 'aad-adele'))).toBe(
      true,
    );
    // Someone else's view of the gate is stale now: nothing is written for it.
    expect(await gates.recordDecision('g1', pending, oneApproval, decision(1, 'aad-lynne'))).toBe(
      false,
    );
    expect(await gates.recordDecision('nope', pending, oneApproval, decision(1, 'x'))).toBe(false);
    const current = await gates.findCurrent('g1');
    expect(current?.gate).toMatchObject({ status: 'pending', approvals: 1 });
    expect(current?.decisions.map((d) => d.by.aadObjectId)).toEqual(['aad-adele']);
  });

  test('a taken slot writes no decision row and answers false (the caller rolls back)', async () => {
    await gates.recordDecision('g1', pending, oneApproval, decision(1, 'aad-adele'));
    const again = await handle.db
      .transaction(async (tx) => {
        const recorded = await new SqlGateRepository(tx, 't1').recordDecision(
          'g1',
          { status: 'pending', packVersion: 1, approvals: 1 },
          { status: 'approved', approvals: 2, decidedAt: NOW, updatedAt: NOW },
          // The approver of slot 1 again, in slot 2: the unique approver key refuses the row.
          decision(2, 'aad-adele'),
        );
        if (!recorded) throw new Error('lost');
        return recorded;
      })
      .catch((error: Error) => error.message);
    expect(again).toBe('lost');
    const current = await gates.findCurrent('g1');
    expect(current?.gate).toMatchObject({ status: 'pending', approvals: 1 });
    expect(current?.decisions).toHaveLength(1);
  });

  test('queues write-backs in one insert, in order, each dedupe key once', async () => {
    const writebacks = new SqlGateWritebacks(handle.db, 't1');
    await writebacks.enqueue(
      [writeback('note', 'k-note'), writeback('milestone-complete', 'k-ms')],
      NOW,
    );
    await writebacks.enqueue([writeback('note', 'k-note')], NOW);
    await writebacks.enqueue([], NOW);
    const rows = await handle.db.query<{
      dedupe_key: string;
      kind: string;
      status: string;
      ticket_id: string | number;
    }>(
      `SELECT dedupe_key, kind, status, ticket_id FROM halo_writebacks WHERE tenant_id = 't1' ORDER BY id`,
    );
    expect(rows.map((r) => [r.dedupe_key, r.kind, r.status, Number(r.ticket_id)])).toEqual([
      ['k-note', 'note', 'pending', 10],
      ['k-ms', 'milestone-complete', 'pending', 10],
    ]);
  });
});
