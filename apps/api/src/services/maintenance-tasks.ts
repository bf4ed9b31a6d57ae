import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Database } from '../db.js';
import { runFailureNotifier, type FailureNotifierSummary } from './failure-notifier.js';
import type { Mailer } from './mailer.js';
import type { MaintenanceTask } from './maintenance-queue.js';
import type { ObjectStorage } from './object-storage.js';
import { runReconciler, type ReconcilerSummary } from './reconciler.js';
import { runRetention, type RetentionSummary } from './retention.js';
import type { ScanQueues } from './scan-queues.js';

export interface MaintenanceDeps {
  config: Config;
  logger: Logger;
  db: Database;
  queues: ScanQueues;
  storage: ObjectStorage;
  mailer: Mailer | null;
}

interface Timing {
  startedAt: string;
  durationMs: number;
}

/** A run limited to one tenant (admin-triggered); scheduled runs cover everything. */
export interface MaintenanceScope {
  tenantId?: string;
}

/** What one run did. */
export type MaintenanceRun =
  | ({ task: 'failure-notifier'; result: FailureNotifierSummary } & Timing)
  | ({ task: 'reconciler'; result: ReconcilerSummary } & Timing)
  | ({ task: 'retention'; result: RetentionSummary } & Timing);

/**
 * How old a PendingUpload without its Document must be before the reconciler deletes its file.
 * The row is written before the file streams, and the body must arrive within the request
 * timeout; after it the handler only finishes the S3 write and runs a few queries and one
 * enqueue (5 s timeout), so 30 s more is ample — the same margin the Idempotency-Key lock
 * allows after the body. A minute kept the chaos runs waiting for no benefit.
 */
export function uploadGraceMs(config: Pick<Config, 'RECONCILER_GRACE_MS' | 'REQUEST_TIMEOUT_MS'>): number {
  return Math.max(config.RECONCILER_GRACE_MS, config.REQUEST_TIMEOUT_MS + 30_000);
}

/** Runs one maintenance task now, in this process (the scheduled job and the admin endpoint both come here). */
export async function runMaintenanceTask(deps: MaintenanceDeps, task: MaintenanceTask, scope: MaintenanceScope = {}): Promise<MaintenanceRun> {
  const { config, db } = deps;
  const { tenantId } = scope;
  const logger = deps.logger.child({ task, ...(tenantId ? { tenantId } : {}) });
  const started = Date.now();
  const timing = (): Timing => ({ startedAt: new Date(started).toISOString(), durationMs: Date.now() - started });
  const batchSize = config.MAINTENANCE_BATCH_SIZE;
  switch (task) {
    case 'failure-notifier': {
      const result = await runFailureNotifier({ db, mailer: deps.mailer, logger, batchSize, tenantId });
      return { task, result, ...timing() };
    }
    case 'reconciler': {
      const result = await runReconciler({
        db,
        queues: deps.queues,
        storage: deps.storage,
        logger,
        batchSize,
        graceMs: config.RECONCILER_GRACE_MS,
        uploadGraceMs: uploadGraceMs(config),
        tenantId,
      });
      return { task, result, ...timing() };
    }
    case 'retention': {
      const result = await runRetention({
        db,
        storage: deps.storage,
        logger,
        batchSize,
        executionsDays: config.RETENTION_EXECUTIONS_DAYS,
        readNotificationsDays: config.RETENTION_READ_NOTIFICATIONS_DAYS,
        originalsDays: config.RETENTION_ORIGINALS_DAYS,
        deleteOriginals: config.RETENTION_DELETE_ORIGINALS,
        tenantId,
      });
      return { task, result, ...timing() };
    }
  }
}
