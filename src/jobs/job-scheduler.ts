import { Cron } from 'croner';
import type { Clock } from '../shared/clock';
import type { Db } from '../store/db';

/** A scheduled job: a name, a cron expression (UTC) and what it does for one scheduled time. */
export interface JobDefinition {
  name: string;
  cron: string;
  run: (scheduledFor: Date) => Promise<void>;
}

/** The outcome of trying to run one occurrence of a job on this instance. */
export type JobOutcome = 'ran' | 'failed' | 'claimed-elsewhere';

/** Logging the scheduler needs. */
export interface JobLogger {
  info(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/**
 * Runs scheduled jobs exactly once per scheduled time across every instance sharing one database:
 * each instance's timer fires, and the first to insert the (job, scheduled time) row runs it.
 */
export class JobScheduler {
  private readonly timers: Cron[] = [];

  constructor(
    private readonly deps: {
      db: Db;
      tenantId: string;
      instanceId: string;
      clock: Clock;
      logger: JobLogger;
    },
  ) {}

  /** Starts the timers; each tick claims and runs the occurrence it was scheduled for. */
  start(jobs: readonly JobDefinition[]): void {
    for (const job of jobs) {
      const timer = new Cron(job.cron, { timezone: 'UTC', protect: true }, async (self: Cron) => {
        const scheduledFor = self.currentRun() ?? this.deps.clock.now();
        await this.runOccurrence(job, truncateToSecond(scheduledFor));
      });
      this.timers.push(timer);
    }
  }

  /** Stops every timer (running jobs finish on their own). */
  stop(): void {
    for (const timer of this.timers.splice(0)) timer.stop();
  }

  /** Claims one occurrence; runs it only if no other instance claimed it first. */
  async runOccurrence(job: JobDefinition, scheduledFor: Date): Promise<JobOutcome> {
    const { db, tenantId, instanceId, logger } = this.deps;
    const claimed = await db.query(
      `INSERT INTO job_runs (tenant_id, job, scheduled_for, instance_id, started_at, status)
       VALUES ($1, $2, $3, $4, $5, 'running') ON CONFLICT DO NOTHING RETURNING job`,
      [
        tenantId,
        job.name,
        scheduledFor.toISOString(),
        instanceId,
        this.deps.clock.now().toISOString(),
      ],
    );
    if (claimed.length === 0) return 'claimed-elsewhere';
    let status: 'succeeded' | 'failed' = 'succeeded';
    let message: string | null = null;
    try {
      await job.run(scheduledFor);
    } catch (error) {
      status = 'failed';
      message = error instanceof Error ? error.message : String(error);
      logger.error({ tenantId, job: job.name, scheduledFor, err: message }, 'scheduled job failed');
    }
    await db.query(
      `UPDATE job_runs SET finished_at = $4, status = $5, error = $6
        WHERE tenant_id = $1 AND job = $2 AND scheduled_for = $3`,
      [
        tenantId,
        job.name,
        scheduledFor.toISOString(),
        this.deps.clock.now().toISOString(),
        status,
        message,
      ],
    );
    logger.info(
      { tenantId, job: job.name, scheduledFor, instanceId, status },
      'scheduled job finished',
    );
    return status === 'succeeded' ? 'ran' : 'failed';
  }
}

function truncateToSecond(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}
