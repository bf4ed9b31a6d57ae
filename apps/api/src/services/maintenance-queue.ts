import { Queue, type ConnectionOptions } from 'bullmq';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Config } from '../config.js';

export const MAINTENANCE_QUEUE = 'maintenance';

export const maintenanceTasks = ['failure-notifier', 'reconciler', 'retention'] as const;
export const maintenanceTaskSchema = z.enum(maintenanceTasks);
export type MaintenanceTask = z.infer<typeof maintenanceTaskSchema>;

/** Jobs carry no data: the job name is the task, the scheduler id too. */
export type MaintenanceQueue = Queue<Record<string, never>, unknown, MaintenanceTask>;

export function createMaintenanceQueue(connection: ConnectionOptions, config: Pick<Config, 'QUEUE_PREFIX'>): MaintenanceQueue {
  const queue: MaintenanceQueue = new Queue(MAINTENANCE_QUEUE, {
    connection,
    prefix: config.QUEUE_PREFIX,
    defaultJobOptions: { attempts: 1, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
  });
  // The connection logs its own outages (see createScanQueues).
  queue.on('error', () => undefined);
  return queue;
}

/** The cron pattern of each task, from NOTIFIER_CRON, RECONCILER_CRON and RETENTION_CRON. */
export function maintenanceSchedules(config: Pick<Config, 'NOTIFIER_CRON' | 'RECONCILER_CRON' | 'RETENTION_CRON'>): Record<MaintenanceTask, string> {
  return { 'failure-notifier': config.NOTIFIER_CRON, reconciler: config.RECONCILER_CRON, retention: config.RETENTION_CRON };
}

type ScheduleConfig = Pick<Config, 'NOTIFIER_CRON' | 'RECONCILER_CRON' | 'RETENTION_CRON' | 'CRON_TIMEZONE'>;

/**
 * Creates or updates one job scheduler per task (id = task name). Every
 * process does this at start: a job scheduler is one Redis entry per id, so
 * any number of processes upserting the same ids keep one schedule each, and
 * a changed pattern or time zone replaces the old one.
 */
export async function upsertMaintenanceSchedulers(queue: MaintenanceQueue, config: ScheduleConfig): Promise<void> {
  for (const [task, pattern] of Object.entries(maintenanceSchedules(config)) as [MaintenanceTask, string][]) {
    await queue.upsertJobScheduler(task, { pattern, tz: config.CRON_TIMEZONE }, { name: task, data: {} });
  }
}

const UPSERT_RETRY_MS = 30_000;

/**
 * Upserts the schedulers now and, while that fails (Redis down at start),
 * again every 30 s, so a process that started during an outage still gets
 * them. After that it checks every 30 s that the schedulers still exist: a
 * Redis that lost its data (restart without persistence, failover, flush)
 * lost them too, and without them the reconciler that re-queues the lost
 * jobs would never run again. `stop` ends both; `ready` settles after the
 * first success.
 */
export function scheduleMaintenance(queue: MaintenanceQueue, config: ScheduleConfig, logger: Logger): { ready: Promise<void>; stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const keepSchedules = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      queue
        .getJobSchedulersCount()
        .then(async (count) => {
          if (count >= maintenanceTasks.length) return;
          await upsertMaintenanceSchedulers(queue, config);
          logger.warn({ found: count }, 'maintenance schedules were missing from Redis; upserted them again');
        })
        // Redis down: the next check tries again.
        .catch(() => undefined)
        .finally(keepSchedules);
    }, UPSERT_RETRY_MS).unref();
  };
  const ready = new Promise<void>((resolve) => {
    const attempt = () => {
      upsertMaintenanceSchedulers(queue, config).then(
        () => {
          logger.info({ schedules: maintenanceSchedules(config), tz: config.CRON_TIMEZONE }, 'maintenance schedules upserted');
          resolve();
          keepSchedules();
        },
        (error: unknown) => {
          if (stopped) return resolve();
          logger.error({ err: error }, 'could not upsert the maintenance schedules; retrying in 30 s');
          timer = setTimeout(attempt, UPSERT_RETRY_MS).unref();
        },
      );
    };
    attempt();
  });
  return {
    ready,
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

export interface ScheduleView {
  task: string;
  pattern: string | null;
  tz: string | null;
  next: Date | null;
}

/** The schedulers in Redis (every process's view is the same). */
export async function listMaintenanceSchedules(queue: MaintenanceQueue): Promise<ScheduleView[]> {
  const schedulers = await queue.getJobSchedulers(0, -1, true);
  return schedulers.map((scheduler) => ({
    task: scheduler.id ?? scheduler.key,
    pattern: scheduler.pattern ?? null,
    tz: scheduler.tz ?? null,
    next: scheduler.next ? new Date(scheduler.next) : null,
  }));
}
