/** Seeded HaloPSA mirror rows, roles and a gate service over a real database, for the gate tests. */
import type { EvidenceStore } from '../../src/app/gates/evidence-store.port';
import type { GateUseCases } from '../../src/app/gates/gate-use-cases';
import type { GateRequestInput } from '../../src/app/gates/gate-views';
import type { Actor } from '../../src/app/delivery-views';
import { DEFAULT_GATE_POLICY } from '../../src/domain/gates/gate-policy';
import { createGateUseCases } from '../../src/modules/gates.module';
import { ChangeSignal } from '../../src/shared/signal';
import { ConversationRoutesRepository } from '../../src/store/conversation-routes.repository';
import type { ConversationRef } from '../../src/app/ports/notifications.port';
import { SqlRoleDirectory } from '../../src/store/role-directory.repository';
import type { Clock } from '../../src/shared/clock';
import type { Db } from '../../src/store/db';

/** Projects the fixtures seed: a big one (two approvers) and a small one (one approver). */
export const BIG = { projectId: 4100, milestoneId: 41001, taskId: 41101, budget: 120_000 };
export const SMALL = { projectId: 4200, milestoneId: 42001, taskId: 42101, budget: 15_000 };
export const CLIENT = { id: 77, name: 'Contoso Ltd' };

/** The people of the gate tests. */
export const PEOPLE = {
  // The project manager of both projects, also a PMO lead (segregation of duties must still hold).
  megan: {
    aadObjectId: 'aad-megan',
    name: 'Megan Bowen',
    email: 'megan@msp.example',
    roles: ['pm', 'pmo_lead'],
  },
  adele: {
    aadObjectId: 'aad-adele',
    name: 'Adele Vance',
    email: 'adele@msp.example',
    roles: ['pmo_lead'],
  },
  lynne: {
    aadObjectId: 'aad-lynne',
    name: 'Lynne Robbins',
    email: 'lynne@msp.example',
    roles: ['pmo_lead'],
  },
  patti: {
    aadObjectId: 'aad-patti',
    name: 'Patti Fernandez',
    email: 'patti@msp.example',
    roles: ['cs_lead'],
  },
} as const;

/** An actor as the role directory resolves them. */
export async function actorOf(db: Db, tenantId: string, who: keyof typeof PEOPLE): Promise<Actor> {
  const p = PEOPLE[who];
  return new SqlRoleDirectory(db, tenantId).resolve({ aadObjectId: p.aadObjectId, name: p.name });
}

/** Seeds clients, agents, two projects with a gate milestone and a completed task each, and roles. */
export async function seedGateWorld(
  db: Db,
  tenantId: string,
  projects: { projectId: number; milestoneId: number; taskId: number; budget: number }[] = [
    BIG,
    SMALL,
  ],
): Promise<void> {
  const now = '2025-03-01T00:00:00Z';
  await db.query(
    `INSERT INTO halo_clients (tenant_id, id, name, raw, hash, synced_at) VALUES ($1, $2, $3, '{}', 'h', $4)
     ON CONFLICT DO NOTHING`,
    [tenantId, CLIENT.id, CLIENT.name, now],
  );
  await db.query(
    `INSERT INTO halo_agents (tenant_id, id, name, email, raw, hash, synced_at)
     VALUES ($1, 5, 'Megan Bowen', 'megan@msp.example', '{}', 'h', $2),
            ($1, 6, 'Adele Vance', 'adele@msp.example', '{}', 'h', $2)
     ON CONFLICT DO NOTHING`,
    [tenantId, now],
  );
  for (const p of projects) {
    await db.query(
      `INSERT INTO halo_projects (tenant_id, id, client_id, summary, agent_id, tickettype_id, money_budget, raw, hash, synced_at)
       VALUES ($1, $2, $3, $4, 5, 3, $5, '{}', 'h', $6) ON CONFLICT DO NOTHING`,
      [tenantId, p.projectId, CLIENT.id, `Intranet rollout ${p.projectId}`, p.budget, now],
    );
    await db.query(
      `INSERT INTO halo_milestones (tenant_id, id, project_id, name, sequence, target_date, complete, raw, synced_at)
       VALUES ($1, $2, $3, 'Build', 1, '2025-03-01', true, '{}', $4),
              ($1, $5, $3, 'Gate: UAT sign-off', 2, '2025-03-20', false, '{}', $4)
       ON CONFLICT DO NOTHING`,
      [tenantId, p.milestoneId - 1000, p.projectId, now, p.milestoneId],
    );
    await db.query(
      `INSERT INTO halo_tasks (tenant_id, id, project_id, milestone_id, summary, date_closed, raw, hash, synced_at)
       VALUES ($1, $2, $3, $4, 'UAT test scripts run', '2025-03-10', '{}', 'h', $5) ON CONFLICT DO NOTHING`,
      [tenantId, p.taskId, p.projectId, p.milestoneId, now],
    );
  }
  await new SqlRoleDirectory(db, tenantId).grant(
    Object.values(PEOPLE).flatMap((p) =>
      p.roles.map((role) => ({ aadObjectId: p.aadObjectId, email: p.email, role })),
    ),
  );
}

/** Routes the gates stream to a channel served by the connector double at `serviceUrl`. */
export async function routeGates(
  db: Db,
  tenantId: string,
  serviceUrl: string,
  now: Date,
): Promise<ConversationRef> {
  const conversation: ConversationRef = {
    serviceUrl,
    conversationId: '19:gates@thread.tacv2',
    channelId: 'msteams',
    tenantId: 'entra',
    botId: '28:bot',
    conversationType: 'channel',
    label: 'Gates',
  };
  await new ConversationRoutesRepository(tenantId).upsert(
    db,
    { stream: 'gates', clientId: null, conversation },
    'admin',
    now,
  );
  return conversation;
}

/** The gate use cases over the database (nothing listens to their signals). */
export function gateService(
  db: Db,
  tenantId: string,
  clock: Clock,
  evidence: EvidenceStore | null = null,
): GateUseCases {
  return createGateUseCases({
    db,
    tenantId,
    clock,
    policy: DEFAULT_GATE_POLICY,
    evidence,
    outboxChanged: new ChangeSignal(),
    writebackQueued: new ChangeSignal(),
  });
}

/** A complete pack request for a project. */
export function completeRequest(
  p: { projectId: number; milestoneId: number },
  overrides: Partial<GateRequestInput> = {},
): GateRequestInput {
  return {
    projectId: p.projectId,
    milestoneId: p.milestoneId,
    links: [{ title: 'UAT report', url: 'https://sharepoint.example/uat.pdf' }],
    fileIds: null,
    qaOutcomes: [{ name: 'UAT', outcome: 'pass', notes: 'All 42 scripts passed' }],
    customerAcceptanceNotes: 'Accepted by J. Doe (Contoso IT) on 2025-03-12',
    openRisks: [
      { description: 'Licences arrive late', owner: 'Megan Bowen', mitigation: 'Order this week' },
    ],
    noOpenRisks: false,
    ...overrides,
  };
}
