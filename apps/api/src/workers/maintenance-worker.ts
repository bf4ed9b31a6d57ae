import { UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Logger } from 'pino';
import { MAINTENANCE_QUEUE, maintenanceTaskSchema } from '../services/maintenance-queue.js';
import { runMaintenanceTask, type MaintenanceDeps, type MaintenanceRun } from '../services/maintenance-tasks.js';

export interface MaintenanceWorkerOptions {
  connection: ConnectionOptions;
  prefix: string;
  logger: Logger;
}

/**
 * The worker of the maintenance queue: one job at a time per process. The
 * job schedulers put one job per tick into the queue, so with many processes
 * each tick still runs once.
 */
export function startMaintenanceWorker(deps: MaintenanceDeps, options: MaintenanceWorkerOptions): Worker {
  const { logger } = options;
  const worker = new Worker<unknown, MaintenanceRun>(
    MAINTENANCE_QUEUE,
    async (job: Job) => {
      const task = maintenanceTaskSchema.safeParse(job.name);
      if (!task.success) throw new UnrecoverableError(`unknown maintenance task ${job.name}`);
      const run = await runMaintenanceTask(deps, task.data);
      logger.info({ jobId: job.id, task: run.task, durationMs: run.durationMs, result: run.result }, 'maintenance task done');
      return run;
    },
    { connection: options.connection, prefix: options.prefix, concurrency: 1 },
  );
  worker.on('failed', (job, error) => logger.error({ err: error, jobId: job?.id, task: job?.name }, 'maintenance task failed'));
  worker.on('error', (error) => logger.error({ err: error, queue: MAINTENANCE_QUEUE }, 'maintenance worker error'));
  return worker;
}
