import { randomBytes } from 'node:crypto';
import { channelConversation, CountingSignal, FakeClock } from '../../../tests/bot/fakes';
import { ConnectorDouble } from '../../../tests/support/connector-double';
import { CountingDb } from '../../../tests/support/counting-db';
import { reusedDatabase, testDatabases } from '../../../tests/support/databases';
import { anEscalation } from '../../../tests/support/escalations';
import { testDispatcher } from '../../../tests/support/test-dispatcher';
import { outboxOn } from '../../notifications/outbox';
import { botActionLogOn } from '../../store/action-log.repository';
import type { Db } from '../../store/db';
import { ActOnEscalation, type EscalationClick } from '../notifications/act-on-escalation';
import type { Actor, EscalationDecisionPorts } from '../delivery-views';
import type { Escalation } from '../../domain/delivery/escalation';
import { SqlEscalationRecords } from '../../store/escalation-records.repository';
import { EscalationActionsService } from './escalation-actions';

const TENANT = 't1';
const now = () => new Date('2026-11-23T09:00:00Z');

const escalation: Escalation = anEscalation({ lastValue: 0.18, lastScore: 64 });

const actor = (haloAgentId: number | null, roles: Actor['roles'] = ['pm']): Actor => ({
  aadObjectId: `aad-${haloAgentId}`,
  name: `Agent ${haloAgentId}`,
  email: null,
  roles,
  haloAgentId,
});

/** Escalation records whose decisions write their log entry and card update in their transaction. */
const recordsOn = (db: Db) =>
  new SqlEscalationRecords(db, (tx) => ({
    outbox: outboxOn(tx, TENANT, { now }),
    actions: botActionLogOn(tx, TENANT),
  }));

/** How many times the stored escalation's timeline says it was acknowledged. */
async function acknowledgements(db: Db): Promise<number> {
  const [row] = await db.query<{ state: Escalation }>(
    'SELECT state FROM escalations WHERE tenant_id = $1 AND id = $2',
    [TENANT, escalation.id],
  );
  return row!.state.events.filter((e) => e.action === 'acknowledged').length;
}

describe.each(testDatabases())('escalation actions on $name', (database) => {
  // One database for the block, reset for each test (tests/support/databases.ts).
  const target = reusedDatabase(database);
  test('askers of one escalation at once share one read and one frozen view of it as read', async () => {
    const handle = await target.open();
    try {
      await seed(handle.db);
      const records = new SqlEscalationRecords(handle.db);
      // The first asker's read starts at once; the two asking while it runs share the next one.
      const [, a, b] = await Promise.all([
        records.find(TENANT, escalation.id),
        records.find(TENANT, escalation.id),
        records.find(TENANT, escalation.id),
      ]);
      expect(b).toBe(a);
      const asRead = a!.view(a!.escalation);
      expect(a!.view(a!.escalation)).toBe(asRead);
      expect(Object.isFrozen(asRead.history)).toBe(true);
      expect(asRead).toEqual(await records.view(TENANT, a!.escalation));
      // Any other state of it gets its own view, as callers build from it.
      const later = { ...a!.escalation, status: 'acknowledged' as const };
      const laterView = a!.view(later);
      expect(laterView).not.toBe(asRead);
      expect(Object.isFrozen(laterView)).toBe(false);
      expect(laterView.state).toBe('acknowledged');
      // A later read of it unchanged answers as before, view and all; once it changed, anew.
      expect(await records.find(TENANT, escalation.id)).toBe(a);
      expect(await records.compareAndSet(TENANT, later, a!.escalation.updatedAt)).toBe(true);
      const changed = await records.find(TENANT, escalation.id);
      expect(changed).not.toBe(a);
      expect(changed!.escalation.status).toBe('acknowledged');
      expect(changed!.view(changed!.escalation)).toEqual(laterView);
    } finally {
      await handle.dispose();
    }
  });

  test('refuses a person who neither manages the project nor owns the escalation, and lets the PM act', async () => {
    const handle = await target.open();
    try {
      await seed(handle.db);
      const service = new EscalationActionsService(new SqlEscalationRecords(handle.db), { now });

      const refused = await service.acknowledge(TENANT, escalation.id, actor(99));
      expect(refused).toEqual(expect.objectContaining({ ok: false, reason: 'not-authorised' }));

      const done = await service.acknowledge(TENANT, escalation.id, actor(40));
      expect(done.ok).toBe(true);
      const [row] = await handle.db.query<{ status: string }>(
        'SELECT status FROM escalations WHERE id = $1',
        [escalation.id],
      );
      expect(row?.status).toBe('acknowledged');

      const director = await service.snooze(
        TENANT,
        escalation.id,
        actor(null, ['delivery_director']),
        '2026-12-01',
        'vendor ships on the 30th',
      );
      expect(director.ok).toBe(true);
      const noReason = await service.markFalsePositive(TENANT, escalation.id, actor(40), ' ');
      expect(noReason).toEqual(expect.objectContaining({ ok: false, reason: 'invalid-input' }));
    } finally {
      await handle.dispose();
    }
  });

  test("a click's card shows the project's latest score and the escalation's own driver, as the full view does", async () => {
    const handle = await target.open();
    try {
      await seed(handle.db);
      const driver = (key: string, value: number, explanation: string) => ({
        key,
        label: key,
        value,
        unit: 'fraction',
        threshold: { amber: 0.05, red: 0.15 },
        level: 'red',
        weight: 0.3,
        contribution: 12,
        explanation,
      });
      const snapshot = (date: string, score: number, burn: string) =>
        handle.db.query(
          `INSERT INTO health_snapshots (tenant_id, project_id, snapshot_date, score, rag, confidence, risk_tags, assessment, changes, created_at)
           VALUES ($1, 501, $2, $3, 'red', 1, '{}', $4, '[]', now())`,
          [
            TENANT,
            date,
            score,
            JSON.stringify({
              assessment: {
                score,
                rag: score < 50 ? 'red' : 'amber',
                drivers: [
                  driver('schedule', 0.4, 'Two milestones are late'),
                  driver('burn', 0.22, burn),
                  driver('scope', 0.1, 'Scope grew'),
                ],
              },
            }),
          ],
        );
      await snapshot('2026-11-21', 70, 'Burn was fine then');
      await snapshot('2026-11-22', 41, 'Actual hours 592 exceed the budget of 430');
      const records = new SqlEscalationRecords(handle.db);
      const done = await new EscalationActionsService(records, { now }).acknowledge(
        TENANT,
        escalation.id,
        actor(40),
      );
      if (!done.ok) throw new Error(done.message);
      expect(done.escalation.score).toBe(41);
      expect(done.escalation.rag).toBe('red');
      expect(done.escalation.details[0]).toBe('Actual hours 592 exceed the budget of 430');
      const [row] = await handle.db.query<{ state: Escalation }>(
        'SELECT state FROM escalations WHERE id = $1',
        [escalation.id],
      );
      expect(done.escalation).toEqual(await records.view(TENANT, row!.state));
    } finally {
      await handle.dispose();
    }
  });

  test('concurrent clicks end in one consistent state with every action on the timeline once', async () => {
    const handle = await target.open();
    try {
      await seed(handle.db);
      const service = new EscalationActionsService(new SqlEscalationRecords(handle.db), { now });
      const results = await Promise.all([
        service.acknowledge(TENANT, escalation.id, actor(40)),
        service.acknowledge(TENANT, escalation.id, actor(12)),
        service.assign(TENANT, escalation.id, actor(40), 33),
        service.acknowledge(TENANT, escalation.id, actor(40)),
      ]);
      expect(results.every((r) => r.ok)).toBe(true);
      const [row] = await handle.db.query<{ state: Escalation }>(
        'SELECT state FROM escalations WHERE id = $1',
        [escalation.id],
      );
      const actions = row!.state.events.map((e) => e.action);
      expect(actions.filter((a) => a === 'acknowledged')).toHaveLength(1);
      expect(actions.filter((a) => a === 'assigned')).toHaveLength(1);
      expect(row!.state.mitigationOwnerAgentId).toBe('33');
    } finally {
      await handle.dispose();
    }
  });
  test('fifty Acknowledge clicks at once on an open escalation: one compare-and-set decides, the others judge again on what it left', async () => {
    const handle = await target.open();
    try {
      await seed(handle.db);
      const counting = new CountingDb(handle.db);
      const service = new EscalationActionsService(new SqlEscalationRecords(counting), { now });
      const results = await Promise.all(
        Array.from({ length: 50 }, () =>
          service.acknowledge(TENANT, escalation.id, actor(null, ['delivery_director'])),
        ),
      );
      const changed = results.filter((r) => r.ok && r.changed);
      expect(changed).toHaveLength(1);
      for (const result of results) {
        expect(result).toEqual(expect.objectContaining({ ok: true }));
        if (result.ok) expect(result.escalation.state).toBe('acknowledged');
      }
      // The clicks share frozen views of the escalation (and so the cards built from them): the
      // decision's own, or, when the second read (of the forty-nine asking while the first read
      // ran) began after the decision committed, that read's view of it as acknowledged. Never a
      // view per click.
      const views = new Set(results.map((r) => r.escalation));
      expect(views.size).toBeLessThanOrEqual(2);
      for (const view of views) {
        expect(Object.isFrozen(view)).toBe(true);
        expect(view).toEqual(results[0]!.escalation);
      }
      // The forty-nine waited for the first decision instead of each losing a compare-and-set.
      const swaps = counting.statements.filter((s) =>
        s.trimStart().startsWith('UPDATE escalations'),
      );
      expect(swaps).toHaveLength(1);
      expect(await acknowledgements(handle.db)).toBe(1);
    } finally {
      await handle.dispose();
    }
  });
  test('decisions on several escalations at once are written together: the first alone, the rest in one transaction, each with what it writes alongside', async () => {
    const handle = await target.open();
    try {
      await seed(handle.db);
      const others = await seedMore(handle.db, 5);
      const counting = new CountingDb(handle.db);
      const records = recordsOn(counting);
      const all = [escalation, ...others];
      const results = await Promise.all(
        all.map((e) => records.compareAndSet(TENANT, acknowledged(e), e.updatedAt, logged(e))),
      );
      expect(results).toEqual(all.map(() => true));
      expect(counting.statements.filter((s) => s === 'BEGIN')).toHaveLength(2);
      expect(counting.statements.filter((s) => s.startsWith('UPDATE escalations'))).toHaveLength(2);
      expect(await statuses(handle.db)).toEqual(
        Object.fromEntries(all.map((e) => [e.id, 'acknowledged'])),
      );
      expect(await loggedTargets(handle.db)).toEqual(all.map((e) => e.id).sort());
    } finally {
      await handle.dispose();
    }
  });

  test('a decision whose writes fail fails alone: the others of its batch are written, it is not', async () => {
    const handle = await target.open();
    try {
      await seed(handle.db);
      const others = await seedMore(handle.db, 3);
      const records = recordsOn(handle.db);
      const all = [escalation, ...others];
      // The second is in the batch after the first (written alone), with the third and fourth.
      const failing = all[1]!;
      const results = await Promise.allSettled(
        all.map((e) =>
          records.compareAndSet(
            TENANT,
            acknowledged(e),
            e.updatedAt,
            e === failing
              ? async () => {
                  throw new Error('the card update could not be queued');
                }
              : logged(e),
          ),
        ),
      );
      expect(results.map((r) => r.status)).toEqual([
        'fulfilled',
        'rejected',
        'fulfilled',
        'fulfilled',
      ]);
      const stored = await statuses(handle.db);
      expect(stored[failing.id]).toBe('open');
      for (const e of all) if (e !== failing) expect(stored[e.id]).toBe('acknowledged');
      expect(await loggedTargets(handle.db)).toEqual(
        all
          .filter((e) => e !== failing)
          .map((e) => e.id)
          .sort(),
      );
    } finally {
      await handle.dispose();
    }
  });

  test('one escalation twice in a batch: the second compare-and-set is judged on what the first left', async () => {
    const handle = await target.open();
    try {
      await seed(handle.db);
      const [other] = await seedMore(handle.db, 1);
      const records = recordsOn(handle.db);
      const first = acknowledged(escalation);
      const second: Escalation = {
        ...first,
        mitigationOwnerAgentId: '33',
        updatedAt: '2026-11-23T09:05:00.000Z',
      };
      const stale: Escalation = { ...first, mitigationOwnerAgentId: '40' };
      const results = await Promise.all([
        // Written alone: the three after it wait and go together.
        records.compareAndSet(TENANT, acknowledged(other!), other!.updatedAt, logged(other!)),
        records.compareAndSet(TENANT, first, escalation.updatedAt, logged(escalation)),
        records.compareAndSet(TENANT, second, first.updatedAt, logged(escalation)),
        records.compareAndSet(TENANT, stale, escalation.updatedAt, logged(escalation)),
      ]);
      expect(results).toEqual([true, true, true, false]);
      const [row] = await handle.db.query<{ state: Escalation }>(
        'SELECT state FROM escalations WHERE tenant_id = $1 AND id = $2',
        [TENANT, escalation.id],
      );
      expect(row!.state).toEqual(second);
      expect(await loggedTargets(handle.db)).toEqual(
        [other!.id, escalation.id, escalation.id].sort(),
      );
    } finally {
      await handle.dispose();
    }
  });

  test("clicks at once read their escalations together, each seeing its own, none another tenant's", async () => {
    const handle = await target.open();
    try {
      await seed(handle.db);
      const other = anEscalation({ id: 'esc-other-tenant', lastValue: 0.2, lastScore: 60 });
      await handle.db.query(
        `INSERT INTO escalations (tenant_id, id, project_id, client_id, cause, status, severity, state, opened_at, updated_at)
         VALUES ('t2', $1, 501, '7', 'burn', 'open', 'medium', $2, $3, $3)`,
        [other.id, JSON.stringify(other), other.openedAt],
      );
      // Acknowledged already: the clicks below decide nothing, so each reads once.
      const first = new EscalationActionsService(new SqlEscalationRecords(handle.db), { now });
      expect((await first.acknowledge(TENANT, escalation.id, actor(40))).ok).toBe(true);
      const counting = new CountingDb(handle.db);
      const service = new EscalationActionsService(new SqlEscalationRecords(counting), { now });
      const ids = [escalation.id, 'esc-missing', other.id];
      const results = await Promise.all(
        Array.from({ length: 48 }, (_, i) =>
          service.acknowledge(TENANT, ids[i % 3]!, actor(null, ['delivery_director'])),
        ),
      );
      results.forEach((result, i) => {
        if (i % 3 === 0) {
          expect(result).toEqual(expect.objectContaining({ ok: true, changed: false }));
          if (result.ok) {
            expect(result.escalation.project.name).toBe('Firewall replacement');
            expect(result.escalation.state).toBe('acknowledged');
          }
        } else {
          expect(result).toEqual(expect.objectContaining({ ok: false, reason: 'not-found' }));
        }
      });
      const reads = counting.statements.filter((s) => s.startsWith('WITH asked'));
      // The first click's read alone (nothing was being read yet); every other click's in the next.
      expect(reads).toHaveLength(2);
      expect(await acknowledgements(handle.db)).toBe(1);
    } finally {
      await handle.dispose();
    }
  });
});

describe.each(testDatabases())('an escalation click on $name', (database) => {
  // One database for the block, reset for each test (tests/support/databases.ts).
  const target = reusedDatabase(database);
  const click = (act: ActOnEscalation, serviceUrl: string) =>
    act.run({
      actor: actor(40),
      verb: 'escalation.acknowledge',
      escalationId: escalation.id,
      inputs: { agentId: '', snoozeUntil: '', snoozeReason: '', falsePositiveReason: '' },
      clickedCard: { conversation: channelConversation({ serviceUrl }), activityId: 'card-1' },
    });
  const acting = (db: Db, records: SqlEscalationRecords, signal = new CountingSignal()) =>
    new ActOnEscalation({
      tenantId: TENANT,
      escalations: new EscalationActionsService(records, { now }),
      actions: botActionLogOn(db, TENANT),
      outboxSignal: signal,
      clock: { now },
    });
  test('answered, then the process dies: the decision, its log entry and the card update for everyone are all stored, and a new process delivers the update', async () => {
    const handle = await target.open();
    const connector = await new ConnectorDouble().start();
    try {
      await seed(handle.db);
      const records = recordsOn(handle.db);
      const outcome = await click(acting(handle.db, records), connector.url);
      expect(outcome).toMatchObject({ ok: true, escalation: { state: 'acknowledged' } });
      // Nothing was delivered by the process that answered (it is gone): a new one finds the update.
      expect(connector.delivered()).toHaveLength(0);
      const log = await handle.db.query<{ outcome: string }>(
        `SELECT outcome FROM action_log WHERE tenant_id = $1 AND target_id = $2`,
        [TENANT, escalation.id],
      );
      expect(log.map((l) => l.outcome)).toEqual(['done']);

      const clock = new FakeClock(now().toISOString());
      await testDispatcher({
        db: handle.db,
        tenantId: TENANT,
        instanceId: 'after-restart',
        clock,
      }).drain();
      const updates = connector.delivered().filter((r) => r.operation === 'update');
      expect(updates).toHaveLength(1);
      expect(updates[0]!.activityId).toBe('card-1');
      expect(JSON.stringify(updates[0]!.body)).toContain('Acknowledged by Agent 40');
    } finally {
      await connector.stop();
      await handle.dispose();
    }
  });

  test('a second Acknowledge changes nothing: its click is logged, and no card update is queued or signalled', async () => {
    const handle = await target.open();
    try {
      await seed(handle.db);
      const signal = new CountingSignal();
      const act = acting(handle.db, recordsOn(handle.db), signal);
      await click(act, 'https://smba.example');
      const second = await click(act, 'https://smba.example');
      expect(second).toMatchObject({ ok: true, escalation: { state: 'acknowledged' } });
      // A click that changed nothing is logged after its answer.
      await act.idle();
      const log = await handle.db.query<{ outcome: string }>(
        `SELECT outcome FROM action_log WHERE tenant_id = $1 AND target_id = $2 ORDER BY id`,
        [TENANT, escalation.id],
      );
      expect(log.map((l) => l.outcome)).toEqual(['done', 'done']);
      const [queued] = await handle.db.query<{ n: string }>(
        'SELECT count(*) AS n FROM outbox WHERE tenant_id = $1',
        [TENANT],
      );
      expect(Number(queued!.n)).toBe(1);
      expect(signal.count).toBe(1);
    } finally {
      await handle.dispose();
    }
  });

  test('a card update that cannot be queued undoes the decision: nothing is acknowledged that the channel will not see', async () => {
    const handle = await target.open();
    try {
      await seed(handle.db);
      const records = new SqlEscalationRecords(handle.db, (tx) => ({
        outbox: {
          enqueue: async () => {
            await tx.query('SELECT 1');
            throw new Error('outbox unavailable');
          },
        },
        actions: botActionLogOn(tx, TENANT),
      }));
      await expect(click(acting(handle.db, records), 'http://127.0.0.1:9')).rejects.toThrow(
        'outbox unavailable',
      );
      const [row] = await handle.db.query<{ status: string }>(
        'SELECT status FROM escalations WHERE id = $1',
        [escalation.id],
      );
      expect(row?.status).toBe('open');
      const log = await handle.db.query(`SELECT 1 FROM action_log WHERE tenant_id = $1`, [TENANT]);
      expect(log).toHaveLength(0);
    } finally {
      await handle.dispose();
    }
  });
  test('forged ids in a click (an escalation id or card activity id too long for any index) are answered, never thrown', async () => {
    const handle = await target.open();
    try {
      await seed(handle.db);
      const records = recordsOn(handle.db);
      const act = acting(handle.db, records);
      const incompressible = randomBytes(4500).toString('base64');
      const forged = (over: Partial<EscalationClick>) =>
        act.run({
          actor: actor(40),
          verb: 'escalation.acknowledge',
          escalationId: escalation.id,
          inputs: { agentId: '', snoozeUntil: '', snoozeReason: '', falsePositiveReason: '' },
          clickedCard: { conversation: channelConversation(), activityId: 'card-1' },
          ...over,
        });
      await expect(forged({ escalationId: incompressible })).resolves.toMatchObject({
        ok: false,
      });
      // The PM's own click, with a forged card id: the decision stands, no card is updated in place.
      await expect(
        forged({
          clickedCard: { conversation: channelConversation(), activityId: incompressible },
        }),
      ).resolves.toMatchObject({ ok: true, escalation: { state: 'acknowledged' } });
      const outbox = await handle.db.query(`SELECT 1 FROM outbox WHERE tenant_id = $1`, [TENANT]);
      expect(outbox).toHaveLength(0);
    } finally {
      await handle.dispose();
    }
  });
});

/** `count` more open escalations of the tenant, on projects of their own. */
async function seedMore(db: Db, count: number): Promise<Escalation[]> {
  const more = Array.from({ length: count }, (_, i) =>
    anEscalation({ projectId: String(601 + i) }),
  );
  for (const e of more) {
    await db.query(
      `INSERT INTO escalations (tenant_id, id, project_id, client_id, cause, status, severity, state, opened_at, updated_at)
       VALUES ($1, $2, $3, '7', 'burn', 'open', 'medium', $4, $5, $5)`,
      [TENANT, e.id, Number(e.projectId), JSON.stringify(e), e.openedAt],
    );
  }
  return more;
}

/** `e` acknowledged by agent 40 at the test's now. */
function acknowledged(e: Escalation): Escalation {
  const at = now().toISOString();
  return {
    ...e,
    status: 'acknowledged',
    acknowledgedAt: at,
    acknowledgedBy: '40',
    updatedAt: at,
    events: [...e.events, { at, by: '40', action: 'acknowledged', note: null }],
  };
}

/** What a decision on `e` writes alongside: its action log entry. */
function logged(e: Escalation) {
  return (ports: EscalationDecisionPorts) =>
    ports.actions.record({
      at: now(),
      actorAadObjectId: 'aad-40',
      actorName: 'Agent 40',
      action: 'escalation.acknowledge',
      targetKind: 'escalation',
      targetId: e.id,
      outcome: 'done',
      reason: null,
      details: {},
    });
}

/** The tenant's escalations' stored statuses, by id. */
async function statuses(db: Db): Promise<Record<string, string>> {
  const rows = await db.query<{ id: string; status: string }>(
    'SELECT id, status FROM escalations WHERE tenant_id = $1',
    [TENANT],
  );
  return Object.fromEntries(rows.map((r) => [r.id, r.status]));
}

/** The targets of the tenant's action log entries, sorted. */
async function loggedTargets(db: Db): Promise<string[]> {
  const rows = await db.query<{ target_id: string }>(
    'SELECT target_id FROM action_log WHERE tenant_id = $1',
    [TENANT],
  );
  return rows.map((r) => r.target_id).sort();
}

async function seed(db: import('../../store/db').Db): Promise<void> {
  await db.query(
    `INSERT INTO halo_projects (tenant_id, id, client_id, summary, agent_id, raw, hash, synced_at)
     VALUES ($1, 501, 7, 'Firewall replacement', 40, '{}', 'h', now())`,
    [TENANT],
  );
  await db.query(
    `INSERT INTO halo_agents (tenant_id, id, name, email, raw, hash, synced_at) VALUES
       ($1, 40, 'Megan Bowen', 'megan@msp.example', '{}', 'h', now()),
       ($1, 33, 'Isaiah Langer', 'isaiah@msp.example', '{}', 'h', now())`,
    [TENANT],
  );
  await db.query(
    `INSERT INTO escalations (tenant_id, id, project_id, client_id, cause, status, severity, state, opened_at, updated_at)
     VALUES ($1, $2, 501, '7', 'burn', 'open', 'medium', $3, $4, $4)`,
    [TENANT, escalation.id, JSON.stringify(escalation), escalation.openedAt],
  );
}
