import type { BotFeature } from '../../bot/bot-feature';
import type { ApiRoute } from '../api/api-types';
import type { JobDefinition } from '../jobs/job-scheduler';

/**
 * What a feature module (delivery, gates, renewals, notifications) hands the composition root: built
 * once, from the shared adapters, so the API and the bot call the same use case instances.
 */
export interface FeatureModule {
  /** Routes under /api/v1. */
  routes: readonly ApiRoute[];
  /** Commands, card actions and outbox renderers. */
  bot: BotFeature;
  /** Scheduled jobs (started by main when scheduling is on). */
  jobs: readonly JobDefinition[];
}
