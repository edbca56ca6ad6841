/**
 * The delivery loop's composition: its repositories, the daily evaluation and the after-webhook one,
 * the bot's and the tab's read sides, escalation actions, settings use cases and tab sign-in, built
 * once so the API, the bot and the jobs share the same instances.
 */
import type { BotFeature } from '../../bot/bot-feature';
import { createDeliveryBotFeature } from '../../bot/delivery-handlers';
import { createReviewBotFeature } from '../../bot/review-handlers';
import type { TabLinks } from '../../bot/tab-links';
import type { ApiRoute } from '../api/api-types';
import { deliveryRoutes, type MilestoneGates } from '../api/delivery-routes';
import { reviewRoutes } from '../api/review-routes';
import type { DemoUsersDto } from '../api/dto';
import { settingsRoutes } from '../api/settings-routes';
import { TabAuthenticator, type TabSsoSettings } from '../api/tab-auth';
import type { DeliveryQueries, EscalationActions } from '../app/delivery-views';
import { AcceptPolicyTuning } from '../app/delivery/accept-policy-tuning';
import { DecideRebaseline } from '../app/delivery/decide-rebaseline';
import { DeliveryJudgement } from '../app/delivery/delivery-judgement';
import { DeliveryKpis } from '../app/delivery/delivery-kpis';
import type { DemoCast } from '../app/delivery/demo-cast.port';
import { EscalationActionsService } from '../app/delivery/escalation-actions';
import { EvaluateChanged } from '../app/delivery/evaluate-changed';
import { SqlDeliveryChanges } from '../store/delivery-changes.repository';
import { EvaluateAfterChange, type ChangedTicketKind } from '../app/delivery/evaluate-after-change';
import { EvaluateDelivery } from '../app/delivery/evaluate-delivery';
import { RunEscalationSla } from '../app/delivery/run-escalation-sla';
import { RequestRebaseline } from '../app/delivery/request-rebaseline';
import { ReviewClosedProjects } from '../app/delivery/review-closed-projects';
import type { RoleDirectory } from '../app/identity/identity.port';
import { ReadAccess } from '../app/identity/read-access';
import { ActOnEscalation } from '../app/notifications/act-on-escalation';
import type { LiveCardRouter } from '../app/notifications/live-card-router.port';
import { PostWeeklyReport } from '../app/notifications/post-weekly-report';
import { SubscribeChannel } from '../app/notifications/subscribe-channel';
import type { NotificationStream } from '../app/ports/notifications.port';
import { SaveDeliveryPolicy } from '../app/settings/save-delivery-policy';
import { SavePilotSettings } from '../app/settings/save-pilot-settings';
import { SaveRoles } from '../app/settings/save-roles';
import { SaveRouting } from '../app/settings/save-routing';
import { AuditLog } from '../audit/audit-log';
import type { Mode } from '../config';
import { SqlDemoCast } from '../demo/demo-personas';
import { escalationNotifier } from '../notifications/escalation-notifier';
import { outboxOn } from '../notifications/outbox';
import type { AppLogger } from '../observability/logger';
import type { Clock } from '../shared/clock';
import type { Signal } from '../shared/signal';
import { batchedBotActionLogOn, botActionLogOn } from '../store/action-log.repository';
import { channelRoutesOn } from '../store/conversation-routes.repository';
import type { Db } from '../store/db';
import { SqlEscalationHistory } from '../store/delivery-escalation-history.repository';
import { SqlDeliveryHistoryReader } from '../store/delivery-history.repository';
import { SqlDeliveryQueries } from '../store/delivery-queries.repository';
import { SqlDeliveryStore } from '../store/delivery.repository';
import { SqlEscalationRecords } from '../store/escalation-records.repository';
import { SqlOwnership } from '../store/ownership.repository';
import { postProjectReviewsOn } from '../store/post-project-reviews.repository';
import { rebaselineRequestsOn } from '../store/rebaseline-requests.repository';
import { SqlTabQueries } from '../store/tab-queries.repository';
import { SqlTabSettings } from '../store/tab-settings.repository';
import { SqlTaskProjects } from '../store/task-projects.repository';
import { transactional } from '../store/transactional';
import type { FeatureModule } from './feature-module';

/** What the delivery module is built from (shared adapters and settings from the composition root). */
export interface DeliveryModuleDeps {
  db: Db;
  tenantId: string;
  mode: Mode;
  clock: Clock;
  logger: AppLogger;
  /** The one identity resolver (tab sign-in resolves actors through it). */
  roles: RoleDirectory;
  /** Teams SSO token validation settings (`AppConfig.tabAuth`). */
  sso: TabSsoSettings;
  /** Notified after work queued outbox rows (evaluation decisions, the weekly report). */
  outbox: Signal;
  /** Cron expressions of the delivery jobs (`AppConfig.schedules`); the SLA timer defaults to 5 min. */
  schedules: { evaluate: string; weeklyReport: string; slaTimer?: string };
  /** Gate states per milestone, for the project page (the gates module provides it). */
  milestoneGates?: MilestoneGates;
  /** Deep links of the bot's cards into the tab. */
  links: TabLinks;
  /** Per stream, what posts live unrouted cards to a newly subscribed channel (renewals). */
  liveCards: Partial<Record<NotificationStream, LiveCardRouter>>;
}

/** The delivery feature: routes, bot feature, jobs, plus what main and the bot plug in. */
export interface DeliveryModule extends FeatureModule {
  /** The bot's read side (`/health`, `/report`, `/subscribe`). */
  queries: DeliveryQueries;
  /** Decisions on escalation cards. */
  escalations: EscalationActions;
  evaluation: EvaluateDelivery;
  /** Tab API sign-in (Teams SSO, or `X-Demo-User` in demo mode). */
  auth: TabAuthenticator;
  /** Demo mode only: the users one can sign in as (`GET /api/v1/demo/users`). */
  demoUsers: (() => Promise<DemoUsersDto>) | undefined;
  demoCast: DemoCast;
  /** Evaluates every project as of today, then notifies the outbox. */
  evaluateAll(): Promise<void>;
  /**
   * After a sync: evaluates only the projects whose HaloPSA records changed since they were last
   * evaluated (then reviews those of them just closed).
   */
  evaluateChanged(): Promise<{ projects: number }>;
  /** The webhook's hook: re-evaluates the project a HaloPSA change touched. */
  evaluateAfterChange(ticketId: number, kind: ChangedTicketKind): Promise<void>;
  /** Produces the post-project reviews of recently closed projects (all, or only `projectIds`). */
  reviewClosedProjects(projectIds?: readonly number[]): Promise<{ reviewed: number[] }>;
  /** Resolves when the work escalation clicks left for after their answers (log entries) is done. */
  idle(): Promise<void>;
}

/** Builds the delivery feature once. */
export function createDeliveryModule(deps: DeliveryModuleDeps): DeliveryModule {
  const { db, tenantId, clock, outbox } = deps;
  const history = new SqlDeliveryHistoryReader(db);
  // An escalation decision writes its log entry and card update in its own transaction.
  const escalationRecords = new SqlEscalationRecords(db, (tx) => ({
    outbox: outboxOn(tx, tenantId, clock),
    actions: botActionLogOn(tx, tenantId),
  }));
  const notifier = escalationNotifier({
    tenantId,
    records: escalationRecords,
    clock,
    logger: deps.logger.child({ component: 'notifications' }),
  });
  const store = new SqlDeliveryStore(db, tenantId, clock, notifier);
  const owners = { deliveryDirectorAgentId: null, incidentCommanderAgentId: null };
  const evaluation = new EvaluateDelivery({ history, store, tenantId, clock, owners });
  const escalationSla = new RunEscalationSla({ store, clock, owners });
  const afterChange = new EvaluateAfterChange({
    tenantId,
    tasks: new SqlTaskProjects(db),
    evaluation,
    outbox,
  });
  // The loop's ends: post-project reviews at closure, policy tunings, re-baseline requests.
  const auditLog = new AuditLog(tenantId, clock);
  const loopTx = transactional(db, (tx) => ({
    reviews: postProjectReviewsOn(tx, tenantId),
    requests: rebaselineRequestsOn(tx, tenantId),
    outbox: outboxOn(tx, tenantId, clock),
    audit: auditLog.on(tx),
  }));
  const escalationHistory = new SqlEscalationHistory(db);
  const reviewClosed = new ReviewClosedProjects({
    ...{ tenantId, history, clock, tx: loopTx, outboxSignal: outbox },
    delivery: new SqlDeliveryStore(db, tenantId, clock),
    escalations: escalationHistory,
  });
  const loopEnds = {
    acceptTuning: new AcceptPolicyTuning({
      ...{ tx: loopTx, clock, outboxSignal: outbox },
      policies: new SqlDeliveryStore(db, tenantId, clock),
    }),
    requestRebaseline: new RequestRebaseline({
      ...{ tenantId, history, tx: loopTx, clock, outboxSignal: outbox },
    }),
    decideRebaseline: new DecideRebaseline({
      ...{ tenantId, history, tx: loopTx, clock, outboxSignal: outbox },
    }),
  };
  const queries = new SqlDeliveryQueries(db, clock);
  const escalations = new EscalationActionsService(escalationRecords, clock);
  const kpis = new DeliveryKpis(history, clock);
  const judgement = new DeliveryJudgement(history, escalationHistory, clock);
  const settings = new SqlTabSettings(db, clock);
  const demoCast = new SqlDemoCast(db, tenantId);
  const access = new ReadAccess(new SqlOwnership(db, tenantId));
  const auth = new TabAuthenticator({
    mode: deps.mode,
    tenantId,
    roles: deps.roles,
    demoCast,
    sso: deps.sso,
    clock,
  });

  const routes: ApiRoute[] = [
    ...deliveryRoutes({
      mode: deps.mode,
      tab: new SqlTabQueries(db),
      queries,
      kpis: (tenant, weeks) => kpis.run(tenant, weeks),
      access,
      governance: (tenant) => judgement.run(tenant),
      ...(deps.milestoneGates ? { milestoneGates: deps.milestoneGates } : {}),
    }),
    ...settingsRoutes({
      settings,
      savePolicy: new SaveDeliveryPolicy(
        settings,
        (tenant) => new SqlDeliveryStore(db, tenant, clock),
      ),
      saveRouting: new SaveRouting(settings, new AuditLog(tenantId, clock).on(db)),
      saveRoles: new SaveRoles(settings),
      savePilot: new SavePilotSettings(settings),
    }),
    ...reviewRoutes({ useCases: (tenant) => (tenant === tenantId ? loopEnds : null) }),
  ];

  const scheduled = new EvaluateChanged({
    tenantId,
    changes: new SqlDeliveryChanges(db),
    evaluation,
    outbox,
  });
  const evaluateAll = async () => {
    await scheduled.all();
    await reviewClosed.run();
    outbox.notify();
  };
  const outboxes = transactional(db, (tx) => ({ outbox: outboxOn(tx, tenantId, clock) }));
  const actions = batchedBotActionLogOn(db, tenantId);
  const postWeeklyReport = new PostWeeklyReport({
    tenantId,
    reports: queries,
    outbox: outboxes,
    outboxSignal: outbox,
    pilot: settings,
  });
  const notificationsLog = deps.logger.child({ component: 'notifications' });
  const actOnEscalation = new ActOnEscalation({
    tenantId,
    escalations,
    actions,
    outboxSignal: outbox,
    clock,
    followUpFailed: (error) =>
      deps.logger.error({ err: error }, 'escalation: log entry after the answer not written'),
  });
  const deliveryBot: BotFeature = createDeliveryBotFeature({
    tenantId,
    queries,
    identity: deps.roles,
    access,
    subscribe: new SubscribeChannel({
      tenantId,
      clients: queries,
      routes: channelRoutesOn(db, tenantId),
      actions,
      liveCards: deps.liveCards,
      outboxSignal: outbox,
      clock,
    }),
    actOnEscalation,
    links: deps.links,
    logger: deps.logger.child({ component: 'bot' }),
  });
  const reviewBot = createReviewBotFeature({
    ...{ identity: deps.roles, links: deps.links, ...loopEnds },
    logger: deps.logger.child({ component: 'bot' }),
  });
  const bot: BotFeature = {
    commands: [...deliveryBot.commands, ...reviewBot.commands],
    cardActions: { ...deliveryBot.cardActions, ...reviewBot.cardActions },
    renderers: { ...deliveryBot.renderers, ...reviewBot.renderers },
  };

  return {
    routes,
    bot,
    jobs: [
      { name: 'delivery-evaluate', cron: deps.schedules.evaluate, run: evaluateAll },
      {
        name: 'escalation-sla',
        cron: deps.schedules.slaTimer ?? '*/5 * * * *',
        run: async () => {
          if ((await escalationSla.run()).reescalated.length > 0) outbox.notify();
        },
      },
      {
        name: 'weekly-report',
        cron: deps.schedules.weeklyReport,
        run: async () => {
          const posting = await postWeeklyReport.run();
          if (posting.status === 'held') {
            notificationsLog.info(
              { tenantId, ...posting },
              'pilot settings: weekly report not posted',
            );
          }
        },
      },
    ],
    queries,
    escalations,
    evaluation,
    auth,
    demoUsers: deps.mode === 'demo' ? () => auth.demoUsers() : undefined,
    demoCast,
    idle: () => actOnEscalation.idle(),
    evaluateAll,
    evaluateChanged: async () => {
      const { projectIds } = await scheduled.changed();
      if (projectIds.length > 0) await reviewClosed.run({ projectIds });
      return { projects: projectIds.length };
    },
    evaluateAfterChange: async (ticketId, kind) => {
      await afterChange.run(ticketId, kind);
      // A project's closure arrives as a change of the project itself.
      if (kind === 'project') await reviewClosed.run({ projectIds: [ticketId] });
    },
    reviewClosedProjects: (projectIds) => reviewClosed.run(projectIds ? { projectIds } : {}),
  };
}
