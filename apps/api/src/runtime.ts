import type { Worker } from 'bullmq';
import type { Logger } from 'pino';
import { buildApp, type App } from './app.js';
import type { Config } from './config.js';
import { createDatabase, databaseSsl, type Database } from './db.js';
import { createRedis, untilReady, type RedisConnection } from './redis.js';
import { startMetricsServer } from './plugins/metrics.js';
import { allQueues } from './services/all-queues.js';
import { createMetrics, instrumentWorker, type Metrics } from './services/metrics.js';
import { createObjectStorage, type ObjectStorage } from './services/object-storage.js';
import { createMailer, type Mailer } from './services/mailer.js';
import { createMaintenanceQueue, scheduleMaintenance, type MaintenanceQueue } from './services/maintenance-queue.js';
import { DocumentEvents } from './services/document-events.js';
import { lazyExtractor, type JobExtractor } from './services/lazy-extractor.js';
import { ExecutionRecorder, trackExecutions } from './services/job-executions.js';
import { createScanQueues, scanJobRetention, scanQueueNames, type ScanQueues } from './services/scan-queues.js';
import { WorkerRegistry } from './services/worker-registry.js';
import { startScanWorkers } from './workers/scan-worker.js';
import { startMaintenanceWorker } from './workers/maintenance-worker.js';
import { buildWorkerApp, type WorkerApp } from './worker-app.js';

/** The process's connections to PostgreSQL, Redis and S3, shared by HTTP and workers. */
export interface Connections {
  db: Database;
  /** Fails fast: the request path answers 503 instead of hanging while Redis is down. */
  redis: RedisConnection;
  /** Waits out Redis restarts: blocking worker commands need it. */
  workerRedis: RedisConnection;
  storage: ObjectStorage;
  queues: ScanQueues;
  /** The maintenance queue (failure notifier, reconciler, retention), fed by job schedulers. */
  maintenance: MaintenanceQueue;
  /** SMTP for the failure notifier; null when SMTP_URL is not set. */
  mailer: Mailer | null;
  /** The JobExecution audit trail: batched writes, flushed on close. */
  executions: ExecutionRecorder;
  /** Live document states from the queues' Redis event streams (one QueueEvents per queue). */
  documentEvents: DocumentEvents;
  /** The extractor with its OCR pool: shared by all jobs, closed with the process. */
  extractor: JobExtractor;
}

export function openConnections(config: Config, logger: Logger): Connections {
  const redis = createRedis(config, 'request', logger);
  const db = createDatabase(config.DATABASE_URL, databaseSsl(config));
  const workerRedis = createRedis(config, 'worker', logger);
  return {
    db,
    redis,
    workerRedis,
    executions: new ExecutionRecorder(db, logger),
    documentEvents: new DocumentEvents(db, { connection: workerRedis, prefix: config.QUEUE_PREFIX, queueNames: Object.values(scanQueueNames), logger }),
    storage: createObjectStorage(config),
    queues: createScanQueues(redis, config),
    maintenance: createMaintenanceQueue(redis, config),
    mailer: createMailer(config),
    extractor: lazyExtractor(config),
  };
}

export async function closeConnections(connections: Connections): Promise<void> {
  // After the workers closed: the recorder writes its last batch while the database is still open.
  await Promise.all([connections.executions.close(), connections.documentEvents.close()]);
  await Promise.all(Object.values(connections.queues).map((queue) => queue.close()));
  await connections.maintenance.close();
  connections.mailer?.close();
  connections.redis.disconnect();
  connections.workerRedis.disconnect();
  await connections.db.$disconnect();
  await connections.extractor.close();
}

export function startWorkers(config: Config, logger: Logger, connections: Connections, registry: WorkerRegistry, metrics: Metrics): Worker[] {
  const workers = startScanWorkers(
    {
      db: connections.db,
      storage: connections.storage,
      extractor: connections.extractor,
      maxUploadBytes: config.MAX_UPLOAD_BYTES,
      reviewThreshold: config.REVIEW_THRESHOLD,
    },
    {
      connection: connections.workerRedis,
      prefix: config.QUEUE_PREFIX,
      concurrency: config.WORKER_CONCURRENCY,
      extractionTimeoutMs: config.EXTRACTION_TIMEOUT_MS,
      logger,
      registry,
      retention: scanJobRetention(config),
    },
  );
  for (const worker of workers) instrumentWorker(worker, metrics);
  for (const worker of workers) trackExecutions(worker, connections.executions);
  return workers;
}

/** The maintenance worker (one job at a time) and the job schedulers that feed it, upserted now. */
export function startMaintenance(config: Config, logger: Logger, connections: Connections, observers?: { registry: WorkerRegistry; metrics: Metrics }) {
  const { db, queues, storage, mailer } = connections;
  const worker = startMaintenanceWorker({ config, logger, db, queues, storage, mailer }, { connection: connections.workerRedis, prefix: config.QUEUE_PREFIX, logger });
  trackExecutions(worker, connections.executions);
  if (observers) {
    observers.registry.add(worker);
    instrumentWorker(worker, observers.metrics);
  }
  const schedules = scheduleMaintenance(connections.maintenance, config, logger);
  return { worker, schedulesReady: schedules.ready, stopScheduling: schedules.stop };
}

export interface Runtime {
  /** The full API, or for WORKER_ROLE=worker only the health probes and /metrics. */
  app: App | WorkerApp;
  workers: Worker[];
  /** Stops HTTP, lets running jobs finish, then closes every connection. */
  close(): Promise<void>;
}

/**
 * Everything one Billflow process runs, by WORKER_ROLE: `all` the API, the scan
 * workers and maintenance; `api` the API only (it still enqueues, and follows
 * the queues' events for SSE); `worker` the scan workers and maintenance behind
 * a health-only HTTP app.
 */
export async function createRuntime(config: Config, logger: Logger): Promise<Runtime> {
  const role = config.WORKER_ROLE;
  const runsJobs = role !== 'api';
  logger.info({ role, scanWorkers: runsJobs, maintenance: runsJobs && config.MAINTENANCE_ENABLED }, `starting Billflow (WORKER_ROLE=${role})`);
  const connections = openConnections(config, logger);
  if (!(await untilReady(connections.redis, 5_000))) logger.warn('Redis is not reachable yet; starting anyway (uploads answer 503 until it is)');
  const registry = new WorkerRegistry();
  const metrics = createMetrics(() => allQueues(connections));
  const app =
    role === 'worker'
      ? await buildWorkerApp({ config, logger, ...connections, workers: registry, metrics })
      : await buildApp({ config, logger, ...connections, workers: registry, metrics });
  const workers = runsJobs ? startWorkers(config, logger, connections, registry, metrics) : [];
  const maintenance = runsJobs && config.MAINTENANCE_ENABLED ? startMaintenance(config, logger, connections, { registry, metrics }) : undefined;
  const metricsServer = config.METRICS_PORT ? await startMetricsServer(metrics, config.HOST, config.METRICS_PORT) : undefined;
  return {
    app,
    workers,
    async close() {
      await Promise.all([app.close(), metricsServer?.close()]);
      // Running jobs finish first; close-with-grace bounds the wait (SHUTDOWN_TIMEOUT_MS).
      maintenance?.stopScheduling();
      await Promise.all([...workers, ...(maintenance ? [maintenance.worker] : [])].map((worker) => worker.close()));
      await closeConnections(connections);
    },
  };
}
