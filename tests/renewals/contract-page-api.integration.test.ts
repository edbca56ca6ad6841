/**
 * The contract page's actions over real HTTP against the demo app (X-Demo-User sign-in, fixed
 * clock): each one works for the role that owns it, is refused 403 for a role that does not, answers
 * hostile input with a 4xx that changes nothing, and leaves an audit entry and a timeline entry.
 */
import type {
  ConcessionDto,
  ConcessionPreviewDto,
  ConcessionsDto,
  ContractDetailDto,
  DemoUsersDto,
  RenewalAgentsDto,
  RenewalPipelineDto,
} from '../../src/api/dto';
import type { RunningApp } from '../../src/main';
import { DEMO_AS_OF, startDemoApp, tabTestDatabases, TREND_DAYS } from '../e2e/tab-browser';

type Persona = 'am' | 'cs' | 'owner' | 'pm';

describe.each(tabTestDatabases())('contract page actions over HTTP ($name)', ({ url: dbUrl }) => {
  let app: RunningApp;
  let dispose: () => Promise<void>;
  const as: Record<Persona, string> = { am: '', cs: '', owner: '', pm: '' };
  /**
   * A contract of the account manager's clients in its 90- or 60-day stage (so it has a stakeholder
   * map to fill) with a known band (so a call can disagree with it).
   */
  let contract: ContractDetailDto;
  let id: number;

  const call = async (who: Persona, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${app.url}/api/v1${path}`, {
      method,
      headers: {
        'X-Demo-User': as[who],
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as unknown) : null };
  };
  const detail = async (who: Persona = 'am') =>
    (await call(who, 'GET', `/contracts/${id}`)).body as ContractDetailDto;
  const auditActions = async (subjectType: string, subjectId: number): Promise<string[]> =>
    (
      await app.db.query<{ action: string }>(
        `SELECT action FROM audit_log WHERE subject_type = $1 AND subject_id = $2 ORDER BY seq`,
        [subjectType, String(subjectId)],
      )
    ).map((r) => r.action);
  const timelineKinds = async () => (await detail()).timeline.map((e) => e.kind);

  beforeAll(async () => {
    ({ app, dispose } = await startDemoApp(dbUrl));
    const users = (await (await fetch(`${app.url}/api/v1/demo/users`)).json()) as DemoUsersDto;
    const pick = (name: string) => {
      const user = users.items.find((u) => u.name === name);
      if (!user) throw new Error(`the demo has no ${name}`);
      return user.signInEmail;
    };
    as.am = pick('Isaiah Langer');
    as.cs = pick('Patti Fernandez');
    as.owner = pick('Lynne Robbins');
    as.pm = pick('Megan Bowen');
    const pipeline = (await call('am', 'GET', '/renewals?days=90&pageSize=200'))
      .body as RenewalPipelineDto;
    for (const item of pipeline.items) {
      if ((item.stage !== '90' && item.stage !== '60') || item.band === 'unknown') continue;
      const d = (await call('am', 'GET', `/contracts/${item.contractId}`))
        .body as ContractDetailDto;
      if (d.stages.length > 0 && d.concessions.length === 0) {
        contract = d;
        id = item.contractId;
        break;
      }
    }
    if (!contract) throw new Error('the demo gives the account manager no contract at 90/60 days');
  }, 300_000);

  afterAll(async () => {
    await dispose?.();
  });

  test('the contract page says what each role may do; the PM of a project of the client reads it read-only', async () => {
    expect(contract.actions).toMatchObject({
      logCheckpoint: true,
      editStakeholders: true,
      completeTasks: true,
      requestConcession: true,
      answerUplift: true,
      reassignOwner: false,
    });
    expect((await detail('cs')).actions.reassignOwner).toBe(true);
    expect(contract.readiness?.assessment.drivers.length).toBeGreaterThan(0);
    // One readiness snapshot per day of the demo's daily evaluations.
    expect(contract.trend.map((t) => t.date).at(-1)).toBe(DEMO_AS_OF);
    expect(contract.trend.length).toBe(TREND_DAYS);
    // Megan manages a project of this client: the page without commercial figures, no actions.
    const pm = await call('pm', 'GET', `/contracts/${id}`);
    expect(pm.status).toBe(200);
    expect(pm.body).toMatchObject({
      view: 'redacted',
      uplift: [],
      concessions: [],
      actions: {
        logCheckpoint: false,
        editStakeholders: false,
        completeTasks: false,
        requestConcession: false,
        answerUplift: false,
        reassignOwner: false,
        decideConcessionIds: [],
      },
    });
  });

  test('the account manager logs a checkpoint whose call disagrees with the score', async () => {
    const band = contract.contract.band;
    const call_ = band === 'at-risk' ? 'renew' : 'churn';
    const body = { meetingOn: DEMO_AS_OF, notes: 'QBR with the IT director', ownerCall: call_ };
    expect((await call('pm', 'POST', `/contracts/${id}/checkpoints`, body)).status).toBe(403);
    const hostile = await call('am', 'POST', `/contracts/${id}/checkpoints`, {
      ...body,
      meetingOn: '2026-02-31',
    });
    expect(hostile.status).toBe(400);
    const tooLong = await call('am', 'POST', `/contracts/${id}/checkpoints`, {
      ...body,
      notes: 'x'.repeat(6000),
    });
    expect(tooLong.status).toBe(400);
    expect(await auditActions('contract', id)).not.toContain('renewal.checkpoint.logged');

    const logged = await call('am', 'POST', `/contracts/${id}/checkpoints`, body);
    expect(logged.status).toBe(201);
    expect(logged.body).toMatchObject({ disagrees: true, routedTo: 'cs_lead', ownerCall: call_ });
    expect(await auditActions('contract', id)).toContain('renewal.checkpoint.logged');
    expect(await timelineKinds()).toEqual(
      expect.arrayContaining(['checkpoint.logged', 'checkpoint.disagreement']),
    );
  });

  test('an 8 % concession is previewed, requested, listed for the cs lead and approved by them', async () => {
    const preview = await call('am', 'POST', `/contracts/${id}/concessions/preview`, {
      discountPct: 8,
      reason: 'Three-year commitment',
    });
    expect(preview.status).toBe(200);
    const p = preview.body as ConcessionPreviewDto;
    expect(p.approverTier).toBe('cs_lead');
    expect(p.monthlyRevenueAfter).toBeCloseTo(p.monthlyRevenueBefore * 0.92, 1);
    expect(p.renewalProbabilityAfter).toBeGreaterThan(p.renewalProbabilityBefore);
    expect(p.problems).toEqual([]);
    expect(
      (await call('pm', 'POST', `/contracts/${id}/concessions/preview`, { discountPct: 8 })).status,
    ).toBe(403);
    expect(
      (await call('am', 'POST', `/contracts/${id}/concessions/preview`, { discountPct: '8; DROP' }))
        .status,
    ).toBe(400);
    // A preview stores nothing.
    expect((await detail()).concessions).toEqual([]);

    const requested = await call('am', 'POST', `/contracts/${id}/concessions`, {
      discountPct: 8,
      reason: 'Three-year commitment',
    });
    expect(requested.status).toBe(201);
    const concession = requested.body as ConcessionDto;
    expect(concession.marginAfterPct).toBe(p.marginAfterPct);

    const mine = async (who: Persona) =>
      (
        (await call(who, 'GET', '/concessions?status=pending&mine=true')).body as ConcessionsDto
      ).items.map((c) => c.id);
    expect(await mine('cs')).toContain(concession.id);
    expect(await mine('owner')).toContain(concession.id);
    expect(await mine('am')).not.toContain(concession.id);
    const seen = (await call('am', 'GET', '/concessions?status=pending')).body as ConcessionsDto;
    expect(seen.items.map((c) => c.id)).toContain(concession.id);
    expect((await call('pm', 'GET', '/concessions?status=pending&mine=true')).status).toBe(403);
    expect((await call('cs', 'GET', '/concessions?status=whatever')).status).toBe(400);
    expect((await call('cs', 'GET', '/concessions?status=expired')).status).toBe(200);
    expect((await detail('cs')).actions.decideConcessionIds).toEqual([concession.id]);
    expect((await detail('am')).actions.decideConcessionIds).toEqual([]);

    const decide = (who: Persona, body: unknown) =>
      call(who, 'POST', `/concessions/${concession.id}/decision`, body);
    expect((await decide('am', { decision: 'approve' })).status).toBe(403);
    expect((await decide('pm', { decision: 'approve' })).status).toBe(403);
    expect((await decide('cs', { decision: 'maybe' })).status).toBe(400);
    const approved = await decide('cs', { decision: 'approve', comment: 'Worth it for 3 years' });
    expect(approved.status).toBe(200);
    expect((approved.body as ConcessionDto).status).toBe('approved');
    expect(await mine('cs')).not.toContain(concession.id);
    expect(await auditActions('concession', concession.id)).toEqual([
      'concession.requested',
      'concession.approved',
    ]);
    expect(await timelineKinds()).toEqual(
      expect.arrayContaining(['concession.requested', 'concession.decided']),
    );
  });

  test('the account manager names the stakeholders; the map task is done once all three are named', async () => {
    const path = `/contracts/${id}/stakeholders`;
    expect((await call('pm', 'PUT', path, { champion: 'Dana' })).status).toBe(403);
    expect((await call('am', 'PUT', path, { sponsor: 'Dana' })).status).toBe(400);
    expect((await call('am', 'PUT', path, {})).status).toBe(400);
    expect((await call('am', 'PUT', path, { champion: 'D'.repeat(300) })).status).toBe(400);
    const first = await call('am', 'PUT', path, { champion: 'Dana Scully' });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      stakeholders: { champion: 'Dana Scully' },
      missing: ['decision-maker', 'billing-contact'],
    });
    const full = await call('am', 'PUT', path, {
      'decision-maker': 'Fox Mulder',
      'billing-contact': 'Walter Skinner',
    });
    expect(full.body).toMatchObject({
      stakeholders: {
        champion: 'Dana Scully',
        'decision-maker': 'Fox Mulder',
        'billing-contact': 'Walter Skinner',
      },
      missing: [],
    });
    const d = await detail();
    const current = d.stages.find((s) => s.stage === (full.body as { stage: string }).stage)!;
    expect(current.stakeholders).toMatchObject({ champion: 'Dana Scully' });
    expect(current.tasks.find((t) => t.kind === 'stakeholder-map')?.completedOn).toBe(DEMO_AS_OF);
    expect(
      (await auditActions('contract', id)).filter((a) => a === 'renewal.stakeholders.updated'),
    ).toHaveLength(2);
    expect(await timelineKinds()).toContain('stakeholders.updated');
  });

  test("the account manager picks a stakeholder from the client's HaloPSA contacts; another client's contact is refused 400", async () => {
    const path = `/contracts/${id}/stakeholders`;
    const d = await detail();
    const clientId = d.contract.clientId!;
    // The synced demo's people of this client, and nobody else's; a PM is offered none.
    expect(d.clientContacts.length).toBeGreaterThanOrEqual(3);
    expect(d.clientContacts.every((c) => c.clientId === clientId)).toBe(true);
    expect(
      ((await call('pm', 'GET', `/contracts/${id}`)).body as ContractDetailDto).clientContacts,
    ).toEqual([]);
    const [other] = await app.db.query<{ id: string }>(
      'SELECT id FROM halo_contacts WHERE client_id <> $1 AND NOT inactive ORDER BY id LIMIT 1',
      [clientId],
    );
    const before = (await auditActions('contract', id)).length;
    const refused = await call('am', 'PUT', path, {
      'decision-maker': { contactId: Number(other!.id) },
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: { code: 'invalid-input' } });
    expect((await call('am', 'PUT', path, { champion: { contactId: 'x' } })).status).toBe(400);
    expect((await call('am', 'PUT', path, { champion: { contactId: 1, extra: 1 } })).status).toBe(
      400,
    );
    expect((await auditActions('contract', id)).length).toBe(before);

    const chosen = d.clientContacts[0]!;
    const picked = await call('am', 'PUT', path, {
      'decision-maker': { contactId: chosen.contactId },
      'billing-contact': 'Walter Skinner (external accountant)',
    });
    expect(picked.status).toBe(200);
    expect(picked.body).toMatchObject({
      stakeholders: {
        'decision-maker': chosen.name,
        'billing-contact': 'Walter Skinner (external accountant)',
      },
      contacts: { 'decision-maker': { contactId: chosen.contactId } },
    });
    const [entry] = await app.db.query<{ detail: { contactIds: Record<string, number> } }>(
      `SELECT detail FROM audit_log WHERE subject_type = 'contract' AND subject_id = $1
        AND action = 'renewal.stakeholders.updated' ORDER BY seq DESC LIMIT 1`,
      [String(id)],
    );
    expect(entry!.detail.contactIds).toEqual({ 'decision-maker': chosen.contactId });
  });

  test('the account manager completes a task once; the checkpoint task is logged, not ticked', async () => {
    const d = await detail();
    const tasks = d.stages.flatMap((s) => s.tasks);
    const open = tasks.find(
      (t) =>
        t.completedOn === null && t.kind !== 'customer-checkpoint' && t.kind !== 'stakeholder-map',
    );
    const checkpoint = tasks.find((t) => t.kind === 'customer-checkpoint')!;
    const complete = (who: Persona, taskId: string) =>
      call(who, 'POST', `/contracts/${id}/tasks/${encodeURIComponent(taskId)}/complete`);
    expect((await complete('am', checkpoint.id)).status).toBe(400);
    expect((await complete('am', '../../etc/passwd')).status).toBe(400);
    expect((await complete('am', `${id}:90:no-such-task`)).status).toBe(404);
    if (!open) throw new Error('every stage opens a task besides the checkpoint and the map');
    expect((await complete('pm', open.id)).status).toBe(403);
    const done = await complete('am', open.id);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ id: open.id, completedOn: DEMO_AS_OF });
    expect((await complete('am', open.id)).status).toBe(409);
    expect(await auditActions('contract', id)).toContain('renewal.task.completed');
    expect(await timelineKinds()).toContain('task.completed');
  });

  test('the cs lead reassigns the owner; the account manager may not', async () => {
    const owners = (await call('cs', 'GET', '/renewals/owners')).body as RenewalAgentsDto;
    expect((await call('am', 'GET', '/renewals/owners')).status).toBe(403);
    const before = (await detail('cs')).renewalOwner?.agentId ?? null;
    const next = owners.items.find((a) => a.agentId !== before)!;
    const path = `/contracts/${id}/owner`;
    expect((await call('am', 'PUT', path, { agentId: next.agentId })).status).toBe(403);
    expect((await call('pm', 'PUT', path, { agentId: next.agentId })).status).toBe(403);
    expect((await call('cs', 'PUT', path, { agentId: -4 })).status).toBe(400);
    expect((await call('cs', 'PUT', path, { agentId: 987654321 })).status).toBe(400);
    const moved = await call('cs', 'PUT', path, { agentId: next.agentId });
    expect(moved.status).toBe(200);
    const after = await detail('cs');
    expect(after.renewalOwner).toMatchObject({ agentId: next.agentId, name: next.name });
    expect(after.stages.every((s) => s.ownerAgentId === next.agentId)).toBe(true);
    expect(await auditActions('contract', id)).toContain('renewal.owner.reassigned');
    expect(after.timeline.map((e) => e.kind)).toContain('owner.reassigned');
  });

  test('an uplift is accepted with a reason, once', async () => {
    const pipeline = (await call('cs', 'GET', '/renewals?days=365&pageSize=200'))
      .body as RenewalPipelineDto;
    let found: { contractId: number; opportunityId: string } | null = null;
    for (const item of pipeline.items) {
      const d = (await call('cs', 'GET', `/contracts/${item.contractId}`))
        .body as ContractDetailDto;
      const proposed = d.uplift.find((u) => u.status === 'proposed');
      if (proposed) {
        found = { contractId: item.contractId, opportunityId: proposed.id };
        break;
      }
    }
    expect(found).not.toBeNull();
    const path = `/uplift/${encodeURIComponent(found!.opportunityId)}/status`;
    expect((await call('pm', 'POST', path, { status: 'accepted', reason: 'Yes' })).status).toBe(
      403,
    );
    expect((await call('cs', 'POST', path, { status: 'accepted' })).status).toBe(400);
    expect((await call('cs', 'POST', path, { status: 'sold', reason: 'x' })).status).toBe(400);
    const accepted = await call('cs', 'POST', path, {
      status: 'accepted',
      reason: 'Budget approved for the managed backup add-on',
    });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({
      status: 'accepted',
      decisionReason: 'Budget approved for the managed backup add-on',
    });
    expect((await call('cs', 'POST', path, { status: 'declined', reason: 'x' })).status).toBe(409);
    const d = (await call('cs', 'GET', `/contracts/${found!.contractId}`))
      .body as ContractDetailDto;
    expect(d.uplift.find((u) => u.id === found!.opportunityId)?.decisionReason).toBe(
      'Budget approved for the managed backup add-on',
    );
    expect(d.timeline.find((e) => e.kind === 'uplift.decided')?.summary).toContain(
      'Budget approved',
    );
    expect(await auditActions('contract', found!.contractId)).toContain('uplift.accepted');
  });
});
