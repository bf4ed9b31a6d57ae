import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { buildApp, type App } from './app.js';
import type { Config } from './config.js';
import { createDatabase, type Database } from './db.js';
import { createRedis } from './redis.js';
import { startMetricsServer } from './plugins/metrics.js';
import { createMetrics, instrumentWorker, type Metrics } from './services/metrics.js';
import { createS3Client, ObjectStorage } from './services/object-storage.js';
import { createScanQueues, type ScanQueues } from './services/scan-queues.js';
import { WorkerRegistry } from './services/worker-registry.js';
import { startScanWorkers } from './workers/scan-worker.js';

/** The process's connections to PostgreSQL, Redis and S3, shared by HTTP and workers. */
export interface Connections {
  db: Database;
  /** Fails fast: the request path answers 503 instead of hanging while Redis is down. */
  redis: Redis;
  /** Waits out Redis restarts: blocking worker commands need it. */
  workerRedis: Redis;
  storage: ObjectStorage;
  queues: ScanQueues;
}

export function openConnections(config: Config, logger: Logger): Connections {
  const redis = createRedis(config.REDIS_URL, 'request', logger);
  return {
    db: createDatabase(config.DATABASE_URL),
    redis,
    workerRedis: createRedis(config.REDIS_URL, 'worker', logger),
    storage: new ObjectStorage(createS3Client(config), config.S3_BUCKET),
    queues: createScanQueues(redis, config),
  };
}

export async function closeConnections(connections: Connections): Promise<void> {
  await Promise.all(Object.values(connections.queues).map((queue) => queue.close()));
  connections.redis.disconnect();
  connections.workerRedis.disconnect();
  await connections.db.$disconnect();
}

export function startWorkers(config: Config, logger: Logger, connections: Connections, registry: WorkerRegistry, metrics: Metrics): Worker[] {
  const workers = startScanWorkers(
    { db: connections.db, storage: connections.storage, maxUploadBytes: config.MAX_UPLOAD_BYTES, reviewThreshold: config.REVIEW_THRESHOLD },
    {
      connection: connections.workerRedis,
      prefix: config.QUEUE_PREFIX,
      concurrency: config.WORKER_CONCURRENCY,
      extractionTimeoutMs: config.EXTRACTION_TIMEOUT_MS,
      logger,
      registry,
    },
  );
  for (const worker of workers) instrumentWorker(worker, metrics);
  return workers;
}

export interface Runtime {
  app: App;
  workers: Worker[];
  /** Stops HTTP, lets running jobs finish, then closes every connection. */
  close(): Promise<void>;
}

/** Everything one Billflow process runs: the HTTP app and the scan workers. */
export async function createRuntime(config: Config, logger: Logger): Promise<Runtime> {
  const connections = openConnections(config, logger);
  const registry = new WorkerRegistry();
  const metrics = createMetrics(() => Object.values(connections.queues));
  const app = await buildApp({ config, logger, ...connections, workers: registry, metrics });
  const workers = startWorkers(config, logger, connections, registry, metrics);
  const metricsServer = config.METRICS_PORT ? await startMetricsServer(metrics, config.HOST, config.METRICS_PORT) : undefined;
  return {
    app,
    workers,
    async close() {
      await Promise.all([app.close(), metricsServer?.close()]);
      // Running jobs finish first; close-with-grace bounds the wait (SHUTDOWN_TIMEOUT_MS).
      await Promise.all(workers.map((worker) => worker.close()));
      await closeConnections(connections);
    },
  };
}
