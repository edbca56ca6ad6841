/**
 * The renewal loop's composition: its adapters, use cases, routes, bot feature and the daily
 * `renewal-evaluate` job, built once so the tab API and the bot share the same instances.
 */
import { governanceBotFeature } from '../../bot/governance-handlers';
import { renewalBotFeature } from '../../bot/renewal-handlers';
import type { BotLogger } from '../../bot/bot-adapter';
import type { BotFeature } from '../../bot/bot-feature';
import type { TabLinks } from '../../bot/tab-links';
import { governanceRoutes, type GovernanceUseCases } from '../api/governance-routes';
import { renewalRoutes, type RenewalUseCases } from '../api/renewal-routes';
import type { RoleDirectory } from '../app/identity/identity.port';
import { ReadAccess } from '../app/identity/read-access';
import { batchedAuditTrail } from '../audit/audit-batch';
import { AnswerConcessionCard } from '../app/renewals/answer-concession-card';
import { CompleteRenewalTask } from '../app/renewals/complete-renewal-task';
import { CreateGovernanceReview } from '../app/renewals/create-governance-review';
import { DecideGovernanceSuggestion } from '../app/renewals/decide-governance-suggestion';
import type { GovernanceUnitOfWork } from '../app/renewals/governance-unit-of-work';
import { ReadGovernance } from '../app/renewals/read-governance';
import { SignOffGovernanceReview } from '../app/renewals/sign-off-governance-review';
import { TenantRenewalPolicy } from '../app/renewals/tenant-renewal-policy';
import { DecideConcession } from '../app/renewals/decide-concession';
import { EditStakeholderMap } from '../app/renewals/edit-stakeholder-map';
import { EvaluateRenewals, type RenewalEvaluationReport } from '../app/renewals/evaluate-renewals';
import { ExpireConcessions } from '../app/renewals/expire-concessions';
import { GetConcession } from '../app/renewals/get-concession';
import { ListConcessions } from '../app/renewals/list-concessions';
import { LogCheckpoint } from '../app/renewals/log-checkpoint';
import { PreviewConcession } from '../app/renewals/preview-concession';
import { ReassignRenewalOwner } from '../app/renewals/reassign-renewal-owner';
import { RenewalContractCards } from '../app/renewals/renewal-contract-cards';
import { RenewalInsights } from '../app/renewals/renewal-insights';
import { RenewalQueries } from '../app/renewals/renewal-queries';
import type { RenewalStore, RenewalUnitOfWork } from '../app/renewals/renewal-store.port';
import { RequestConcession } from '../app/renewals/request-concession';
import { RouteLiveRenewalCards } from '../app/renewals/route-live-renewal-cards';
import { RunCheckpointEscalations } from '../app/renewals/run-checkpoint-escalations';
import { SetUpliftStatus } from '../app/renewals/set-uplift-status';
import { AuditLog } from '../audit/audit-log';
import { DEFAULT_RENEWAL_POLICY, type RenewalPolicy } from '../domain/renewals';
import { batchedBotActionLogOn } from '../store/action-log.repository';
import { outboxOn } from '../notifications/outbox';
import type { Clock } from '../shared/clock';
import type { Signal } from '../shared/signal';
import { ConcessionApproverRepository } from '../store/concession-approver.repository';
import { ConcessionRepository } from '../store/concession.repository';
import { ContractCatalogRepository } from '../store/contract-catalog.repository';
import { GovernanceReviewRepository } from '../store/governance-review.repository';
import type { Db } from '../store/db';
import { LiveRenewalCardsRepository } from '../store/live-renewal-cards.repository';
import { SqlOwnership } from '../store/ownership.repository';
import { ReadinessSnapshotRepository } from '../store/readiness-snapshot.repository';
import { RenewalAgentsRepository } from '../store/renewal-agents.repository';
import { ClientContactsRepository } from '../store/client-contacts.repository';
import { RenewalCheckpointRepository } from '../store/renewal-checkpoint.repository';
import { RenewalEventRepository } from '../store/renewal-event.repository';
import { SqlRenewalHistoryReader } from '../store/renewal-history.repository';
import { RenewalKpiRepository } from '../store/renewal-kpi.repository';
import { RenewalOutcomeRepository } from '../store/renewal-outcome.repository';
import { RenewalPolicyRepository } from '../store/renewal-policy.repository';
import { SqlTabSettings } from '../store/tab-settings.repository';
import { RenewalStageRepository } from '../store/renewal-stage.repository';
import { transactional } from '../store/transactional';
import { UpliftRepository } from '../store/uplift.repository';
import type { FeatureModule } from './feature-module';

/** What the renewals module is built from. */
export interface RenewalsModuleDeps {
  db: Db;
  tenantId: string;
  clock: Clock;
  /** Notified after renewal work was queued in the outbox (the dispatcher subscribes). */
  outboxChanged: Signal;
  /** The one identity resolver (bot actors). */
  roles: RoleDirectory;
  links: TabLinks;
  logger: BotLogger;
  /** Cron of the daily `renewal-evaluate` job. */
  evaluateCron: string;
  /** Cron of the daily `governance-review` job (it creates the review on the month's first working day). */
  governanceCron?: string;
  /**
   * Cron of the `renewal-timers` job (missed checkpoints between daily runs, concession expiry);
   * every 5 minutes by default.
   */
  timersCron?: string;
  /** A fixed policy (tests); by default the tenant's newest stored version, else the built-in one. */
  policy?: RenewalPolicy;
  /** Shadow mode: the evaluation computes and stores, but posts nothing. */
  shadow?: boolean;
}

/** The renewals feature, plus what main and the bot call directly. */
export interface RenewalsModule extends FeatureModule {
  /** The monthly governance review's creation (the job's body; tests drive it with `asOf`). */
  createGovernanceReview: CreateGovernanceReview;
  /** The daily evaluation (main runs it once at start-up after the initial sync). */
  evaluate(options?: { asOf?: string }): Promise<RenewalEvaluationReport>;
  /** The subscribe hook: live renewal cards to a channel newly subscribed to `renewals`. */
  routeLiveCards: RouteLiveRenewalCards;
  /** The use cases (the routes' and the bot's, shared). */
  useCases: RenewalUseCases & GovernanceUseCases & { answerConcessionCard: AnswerConcessionCard };
  /** Resolves when the concession refusals recorded after their answers so far are written. */
  idle(): Promise<void>;
}

/** The renewal store of one tenant bound to `db` (the pool, or one transaction). */
export function renewalStoreOn(db: Db, tenantId: string): RenewalStore {
  return {
    snapshots: new ReadinessSnapshotRepository(db, tenantId),
    stages: new RenewalStageRepository(db, tenantId),
    checkpoints: new RenewalCheckpointRepository(db, tenantId),
    uplift: new UpliftRepository(db, tenantId),
    concessions: new ConcessionRepository(db, tenantId),
    approvers: new ConcessionApproverRepository(db, tenantId),
    contracts: new ContractCatalogRepository(db, tenantId),
    events: new RenewalEventRepository(db, tenantId),
    kpis: new RenewalKpiRepository(db, tenantId),
    outcomes: new RenewalOutcomeRepository(db, tenantId),
  };
}

/** Builds the renewal loop once. */
export function createRenewalsModule(deps: RenewalsModuleDeps): RenewalsModule {
  const { db, tenantId, clock, outboxChanged } = deps;
  const audit = new AuditLog(tenantId, clock);
  const policyVersions = new RenewalPolicyRepository(db, tenantId);
  const policy = deps.policy ?? new TenantRenewalPolicy(policyVersions, DEFAULT_RENEWAL_POLICY);
  const governanceUow = transactional<GovernanceUnitOfWork>(db, (tx) => ({
    reviews: new GovernanceReviewRepository(tx, tenantId),
    policies: new RenewalPolicyRepository(tx, tenantId),
    approvers: new ConcessionApproverRepository(tx, tenantId),
    audit: audit.on(tx),
    outbox: outboxOn(tx, tenantId, clock),
  }));
  const store = renewalStoreOn(db, tenantId);
  const uow = transactional<RenewalUnitOfWork>(db, (tx) => ({
    ...renewalStoreOn(tx, tenantId),
    audit: audit.on(tx),
    outbox: outboxOn(tx, tenantId, clock),
  }));

  const insights = new RenewalInsights(store, policy);
  const agents = new RenewalAgentsRepository(db, tenantId);
  const contacts = new ClientContactsRepository(db, tenantId);
  const followUpFailed = (error: unknown) =>
    deps.logger.error({ err: error }, 'concession: refusal record after the answer not written');
  const decideConcession = new DecideConcession({
    store,
    // Refusals come in bursts when several approvers click at once: appended in batches.
    audit: batchedAuditTrail(audit, db),
    uow,
    clock,
    outboxChanged,
    followUpFailed,
  });
  const answerConcessionCard = new AnswerConcessionCard({
    decide: decideConcession,
    actions: batchedBotActionLogOn(db, tenantId),
    clock,
    followUpFailed,
  });
  const useCases = {
    queries: new RenewalQueries(store, insights),
    insights,
    requestConcession: new RequestConcession({
      store,
      audit: audit.on(db),
      uow,
      clock,
      policy,
      outboxChanged,
    }),
    decideConcession,
    getConcession: new GetConcession(store),
    logCheckpoint: new LogCheckpoint({ store, uow, clock, outboxChanged }),
    setUpliftStatus: new SetUpliftStatus({ store, uow, clock }),
    previewConcession: new PreviewConcession({ store, clock, policy }),
    listConcessions: new ListConcessions(store),
    completeTask: new CompleteRenewalTask({ store, uow, clock }),
    editStakeholders: new EditStakeholderMap({ store, contacts, uow, clock }),
    reassignOwner: new ReassignRenewalOwner({ store, agents, uow, clock }),
    agents,
    contacts,
    governance: new ReadGovernance(
      new GovernanceReviewRepository(db, tenantId),
      policyVersions,
      deps.policy ?? DEFAULT_RENEWAL_POLICY,
    ),
    decideSuggestion: new DecideGovernanceSuggestion({
      uow: governanceUow,
      audit: audit.on(db),
      clock,
      outboxChanged,
      defaultPolicy: deps.policy ?? DEFAULT_RENEWAL_POLICY,
    }),
    signOffReview: new SignOffGovernanceReview({
      uow: governanceUow,
      audit: audit.on(db),
      clock,
      outboxChanged,
    }),
    answerConcessionCard,
  };
  const evaluation = new EvaluateRenewals({
    store,
    uow,
    history: new SqlRenewalHistoryReader(db),
    pilot: new SqlTabSettings(db, clock),
    tenantId,
    clock,
    policy,
    outboxChanged,
    ...(deps.shadow !== undefined ? { shadow: deps.shadow } : {}),
  });
  const createGovernanceReview = new CreateGovernanceReview({
    reviews: insights,
    uow: governanceUow,
    clock,
    outboxChanged,
    pilot: { settings: new SqlTabSettings(db, clock), tenantId },
    ...(deps.shadow !== undefined ? { shadow: deps.shadow } : {}),
  });
  const checkpointTimer = new RunCheckpointEscalations({
    store,
    uow,
    pilot: new SqlTabSettings(db, clock),
    tenantId,
    clock,
    policy,
    ...(deps.shadow !== undefined ? { shadow: deps.shadow } : {}),
  });
  const expireConcessions = new ExpireConcessions({ store, uow, clock, policy });
  const access = new ReadAccess(new SqlOwnership(db, tenantId));
  return {
    routes: [
      ...renewalRoutes({
        tenantId,
        useCases,
        today: () => clock.now().toISOString().slice(0, 10),
        access,
      }),
      ...governanceRoutes({ tenantId, useCases, access }),
    ],
    bot: withGovernance(
      renewalBotFeature({
        contractCards: new RenewalContractCards({ store, policy }),
        logCheckpoint: useCases.logCheckpoint,
        requestConcession: useCases.requestConcession,
        setUpliftStatus: useCases.setUpliftStatus,
        queries: useCases.queries,
        getConcession: useCases.getConcession,
        answerConcessionCard: useCases.answerConcessionCard,
        roles: deps.roles,
        access,
        links: deps.links,
        logger: deps.logger,
        clock,
      }),
      governanceBotFeature({
        read: useCases.governance,
        decide: useCases.decideSuggestion,
        signOff: useCases.signOffReview,
        roles: deps.roles,
        access,
        links: deps.links,
        logger: deps.logger,
      }),
    ),
    jobs: [
      {
        name: 'renewal-evaluate',
        cron: deps.evaluateCron,
        run: async () => void (await evaluation.run()),
      },
      {
        name: 'governance-review',
        cron: deps.governanceCron ?? '0 7 * * 1-5',
        run: async () => void (await createGovernanceReview.run()),
      },
      {
        name: 'renewal-timers',
        cron: deps.timersCron ?? '*/5 * * * *',
        run: async () => {
          const escalated = (await checkpointTimer.run()).escalated;
          const expired = await expireConcessions.run();
          if (escalated.length > 0 || expired.length > 0) outboxChanged.notify();
        },
      },
    ],
    createGovernanceReview,
    evaluate: (options) => evaluation.run(options),
    routeLiveCards: new RouteLiveRenewalCards({
      cards: new LiveRenewalCardsRepository(db, tenantId),
      clock,
    }),
    useCases,
    idle: async () => {
      await Promise.all([decideConcession.idle(), answerConcessionCard.idle()]);
    },
  };
}

/** The renewal bot feature with the governance review's card actions and renderer added. */
function withGovernance(renewal: BotFeature, governance: BotFeature): BotFeature {
  return {
    commands: [...renewal.commands, ...governance.commands],
    cardActions: { ...renewal.cardActions, ...governance.cardActions },
    renderers: { ...renewal.renderers, ...governance.renderers },
  };
}
