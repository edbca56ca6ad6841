import { createHash, randomUUID } from 'node:crypto';
import { GateBotHandlers, gateBotFeature } from '../../bot/gate-handlers';
import type { BotLogger } from '../../bot/bot-adapter';
import type { TabLinks } from '../../bot/tab-links';
import { gateRoutes } from '../api/gate-routes';
import { DecideGate } from '../app/gates/decide-gate';
import type { EvidenceStore } from '../app/gates/evidence-store.port';
import { GateForm } from '../app/gates/gate-form';
import { GateQueries } from '../app/gates/gate-queries';
import type { GatePilot } from '../app/gates/gate-pilot.port';
import type { GateTxPorts } from '../app/gates/gate-transaction.port';
import type { MilestoneGateState } from '../app/gates/gate-views';
import type { GateUseCases } from '../app/gates/gate-use-cases';
import { RequestGate } from '../app/gates/request-gate';
import { RunGateSla } from '../app/gates/run-gate-sla';
import { UploadEvidence } from '../app/gates/upload-evidence';
import { VerifyPack } from '../app/gates/verify-pack';
import type { RoleDirectory } from '../app/identity/identity.port';
import { ReadAccess } from '../app/identity/read-access';
import { batchedAuditTrail } from '../audit/audit-batch';
import { AuditLog, auditSeqSince, sharedAuditChainChecks } from '../audit/audit-log';
import type { DocumentRenderer } from '../app/exports/document-renderer.port';
import { ExportEvidencePack } from '../app/exports/export-evidence-pack';
import type { AppConfig } from '../config';
import { DEFAULT_GATE_POLICY, type GatePolicy } from '../domain/gates/gate-policy';
import { createEvidenceStore } from '../evidence/create-evidence-store';
import { pilotVerdict } from '../domain/shared/pilot';
import { outboxOn } from '../notifications/outbox';
import type { Clock } from '../shared/clock';
import type { Signal } from '../shared/signal';
import type { Db } from '../store/db';
import { SqlGateProjects } from '../store/gate-projects.repository';
import { SqlGateRepository } from '../store/gate.repository';
import { SqlGateWritebacks } from '../store/gate-writebacks.repository';
import { SqlOwnership } from '../store/ownership.repository';
import { SqlPackArchives } from '../store/pack-archives.repository';
import { SqlTabSettings } from '../store/tab-settings.repository';
import { transactional } from '../store/transactional';
import type { FeatureModule } from './feature-module';

export interface GateUseCaseDeps {
  db: Db;
  tenantId: string;
  clock: Clock;
  policy: GatePolicy;
  /** Where evidence files go; null when uploads are not configured. */
  evidence: EvidenceStore | null;
  /** Notified after a commit that queued outbox rows. */
  outboxChanged: Signal;
  /** Notified after a commit that queued HaloPSA write-backs. */
  writebackQueued: Signal;
  /** Renders the evidence pack PDF archived on approval; omitted: no archive. */
  packDocuments?: { renderer: DocumentRenderer; tenantName: string };
  /** Told when work done after answering failed (a refusal's audit entry was not written). */
  followUpFailed?: (error: unknown) => void;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Builds the gate use cases over the database (the module's core; tests and tools use it alone). */
export function createGateUseCases(deps: GateUseCaseDeps): GateUseCases {
  const { db, tenantId, clock, policy } = deps;
  const gates = new SqlGateRepository(db, tenantId);
  const projects = new SqlGateProjects(db, tenantId);
  const auditLog = new AuditLog(tenantId, clock);
  const audit = auditLog.on(db);
  const pilotOn = (on: Db): GatePilot => ({
    verdict: async (target) =>
      pilotVerdict(await new SqlTabSettings(on, clock).pilot(tenantId), 'gates', target),
  });
  const tx = transactional<GateTxPorts>(db, (t) => ({
    gates: new SqlGateRepository(t, tenantId),
    projects: new SqlGateProjects(t, tenantId),
    audit: auditLog.on(t),
    outbox: outboxOn(t, tenantId, clock),
    writebacks: new SqlGateWritebacks(t, tenantId),
    pilot: pilotOn(t),
  }));
  const queries = new GateQueries({ gates, projects, audit, policy });
  const checkChain = sharedAuditChainChecks(db, tenantId);
  const verify = new VerifyPack({ gates, evidence: deps.evidence, audit, clock });
  const evidencePack = deps.packDocuments
    ? new ExportEvidencePack({
        access: new ReadAccess(new SqlOwnership(db, tenantId)),
        gates: queries,
        verify,
        chain: {
          verify: async (since) => {
            // Entries carry the appending process's clock: a minute's margin before `since`.
            const margin = new Date(Date.parse(since) - 60_000).toISOString();
            const from = await auditSeqSince(db, tenantId, margin);
            const result = await checkChain(from);
            return result.ok
              ? { ok: true, entries: result.entries, problem: null, from }
              : { ok: false, entries: result.entries, problem: result.problem, from };
          },
        },
        renderer: deps.packDocuments.renderer,
        evidence: deps.evidence,
        archives: new SqlPackArchives(db, tenantId),
        audit,
        clock,
        tenantName: deps.packDocuments.tenantName,
      })
    : undefined;
  return {
    form: new GateForm({ projects, gates, policy }),
    upload: new UploadEvidence({
      projects,
      gates,
      evidence: deps.evidence,
      tx,
      newId: randomUUID,
    }),
    request: new RequestGate({
      projects,
      gates,
      audit,
      tx,
      policy,
      clock,
      sha256,
      outboxChanged: deps.outboxChanged,
    }),
    decide: new DecideGate({
      audit: batchedAuditTrail(auditLog, db),
      reads: { gates, projects },
      tx,
      pilot: pilotOn(db),
      policy,
      clock,
      outboxChanged: deps.outboxChanged,
      writebackQueued: deps.writebackQueued,
      ...(deps.followUpFailed ? { followUpFailed: deps.followUpFailed } : {}),
      ...(evidencePack
        ? {
            afterApproval: async (gateId: string) => {
              const archived = await evidencePack.archive(gateId);
              if (!archived.ok && archived.reason !== 'no-store') throw new Error(archived.message);
            },
          }
        : {}),
    }),
    sla: new RunGateSla({ gates, tx, policy, clock, outboxChanged: deps.outboxChanged }),
    queries,
    verify,
    ...(evidencePack ? { evidencePack } : {}),
  };
}

export function gatePolicyOf(gates: AppConfig['gates']): GatePolicy {
  return {
    ...DEFAULT_GATE_POLICY,
    twoApproversFromBudget: gates.twoApproversFromBudget,
    reminderAfterHours: gates.reminderAfterHours,
    escalateAfterHours: gates.escalateAfterHours,
  };
}

export interface GatesModuleDeps {
  config: Pick<
    AppConfig,
    'tenantId' | 'mode' | 'database' | 'sharepointSiteId' | 'evidence' | 'gates'
  >;
  db: Db;
  clock: Clock;
  outboxChanged: Signal;
  writebackQueued: Signal;
  /** The one identity resolver (the bot resolves gate actors through it). */
  roles: RoleDirectory;
  links: TabLinks;
  logger: BotLogger;
  /** Replaces the evidence store built from the configuration (tests). */
  evidence?: EvidenceStore | null;
  /** Renders the evidence pack PDF archived on approval. */
  packDocuments?: { renderer: DocumentRenderer; tenantName: string };
}

/** The gates feature: its routes, bot feature and SLA job, plus what other features read of it. */
export interface GatesModule extends FeatureModule {
  useCases: GateUseCases;
  /** The bot's gate handlers, for `mountBot` until the bot routes to features. */
  botHandlers: GateBotHandlers;
  /** Gate state per milestone of a project, for the delivery routes (empty for another tenant). */
  milestoneGates(tenantId: string, projectId: number): Promise<Map<number, MilestoneGateState>>;
}

/** Builds the stage-gate feature once: the API and the bot share these use-case instances. */
export function createGatesModule(deps: GatesModuleDeps): GatesModule {
  const { config } = deps;
  const useCases = createGateUseCases({
    db: deps.db,
    tenantId: config.tenantId,
    clock: deps.clock,
    policy: gatePolicyOf(config.gates),
    evidence:
      deps.evidence === undefined
        ? createEvidenceStore(config, {
            clock: deps.clock,
            graphBaseUrl: `${config.evidence.graphUrl.replace(/\/+$/, '')}/`,
          })
        : deps.evidence,
    outboxChanged: deps.outboxChanged,
    writebackQueued: deps.writebackQueued,
    ...(deps.packDocuments ? { packDocuments: deps.packDocuments } : {}),
    followUpFailed: (error) =>
      deps.logger.error({ err: error }, 'gate: work after the answer failed'),
  });
  const access = new ReadAccess(new SqlOwnership(deps.db, config.tenantId));
  const botHandlers = new GateBotHandlers({
    gates: useCases,
    roles: deps.roles,
    access,
    links: deps.links,
    logger: deps.logger,
  });
  const mine = (tenantId: string) => tenantId === config.tenantId;
  return {
    useCases,
    botHandlers,
    routes: gateRoutes({ gates: (tenantId) => (mine(tenantId) ? useCases : null), access }),
    bot: gateBotFeature(botHandlers, deps.links),
    jobs: [
      {
        name: 'gate-sla',
        cron: config.gates.slaCron,
        run: async () => void (await useCases.sla.run()),
      },
      ...(useCases.evidencePack
        ? [
            {
              // Retries the evidence pack archives an approval could not store.
              name: 'gate-pack-archive',
              cron: config.gates.slaCron,
              run: async () => void (await useCases.evidencePack?.archiveMissing()),
            },
          ]
        : []),
    ],
    milestoneGates: async (tenantId, projectId) =>
      mine(tenantId) ? useCases.queries.milestoneGates(projectId) : new Map(),
  };
}
