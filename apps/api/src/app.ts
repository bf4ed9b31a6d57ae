import { randomUUID } from 'node:crypto';
import multipart from '@fastify/multipart';
import Fastify, { LogController, type FastifyBaseLogger } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { Database } from './db.js';
import type { RedisConnection } from './redis.js';
import { accessControl } from './plugins/access-control.js';
import { authentication } from './plugins/authentication.js';
import { browserPolicy } from './plugins/browser-policy.js';
import { bullBoard } from './plugins/bull-board.js';
import { clientRateLimit } from './plugins/client-rate-limit.js';
import { errorHandler } from './plugins/error-handler.js';
import { eventStream } from './plugins/event-stream.js';
import { loadShedding } from './plugins/load-shedding.js';
import { metricsPlugin } from './plugins/metrics.js';
import { openApi } from './plugins/open-api.js';
import { uploadRateLimit } from './plugins/upload-rate-limit.js';
import { adminFailureRoutes } from './routes/admin-failures.js';
import { adminMaintenanceRoutes } from './routes/admin-maintenance.js';
import { adminQueueRoutes } from './routes/admin-queues.js';
import { adminStatsRoutes } from './routes/admin-stats.js';
import { documentEventRoutes } from './routes/document-events.js';
import { documentRoutes } from './routes/documents.js';
import { healthRoutes } from './routes/health.js';
import { notificationRoutes } from './routes/notifications.js';
import { recordRoutes } from './routes/records.js';
import { allQueues } from './services/all-queues.js';
import { uploadIdempotency } from './services/idempotency.js';
import type { Metrics } from './services/metrics.js';
import type { Mailer } from './services/mailer.js';
import type { MaintenanceQueue } from './services/maintenance-queue.js';
import { MULTIPART_LIMITS } from './services/multipart-upload.js';
import type { DocumentEvents } from './services/document-events.js';
import type { ObjectStorage } from './services/object-storage.js';
import { adminQueueMap } from './services/queue-admin.js';
import type { ScanQueues } from './services/scan-queues.js';
import { UploadRateLimiter } from './services/upload-rate-limit.js';
import { removeStaleSpoolFiles, SpoolMemoryBudget } from './services/upload-spool.js';
import type { WorkerRegistry } from './services/worker-registry.js';
import { trustProxyFrom } from './trust-proxy.js';

export interface AppDeps {
  config: Config;
  logger: Logger;
  db: Database;
  /** A fail-fast connection for the request path (health, rate limits). */
  redis: RedisConnection;
  storage: ObjectStorage;
  queues: ScanQueues;
  /** The maintenance queue: shown with the scan queues in the admin queue API and Bull Board. */
  maintenance: MaintenanceQueue;
  /** SMTP for the failure notifier (admin-triggered runs); null when not configured. */
  mailer: Mailer | null;
  /** The scan workers of this process, for /health/workers (empty in an API-only process). */
  workers: WorkerRegistry;
  /** Live document states for the Server-Sent Events routes. */
  documentEvents: DocumentEvents;
  metrics: Metrics;
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** The HTTP application. Workers are not started here: see main.ts. */
export async function buildApp(deps: AppDeps) {
  const { config } = deps;
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    requestIdHeader: false,
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
    // A caller's X-Request-Id is kept when it is a sane token, so logs correlate across services.
    genReqId: (request) => {
      const incoming = request.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
    bodyLimit: 1024 * 1024,
    connectionTimeout: 60_000,
    requestTimeout: config.REQUEST_TIMEOUT_MS,
    http: {
      // Given to the constructor, Node also lowers headersTimeout (60 s) to it; set later, as Fastify
      // does, a stalled body would be cut off only after max(headersTimeout, requestTimeout).
      requestTimeout: config.REQUEST_TIMEOUT_MS,
      // Node looks for timed-out requests every 30 s by default; every tenth of the timeout keeps the cut-off near it.
      connectionsCheckingInterval: Math.max(100, Math.min(30_000, Math.round(config.REQUEST_TIMEOUT_MS / 10))),
    },
    trustProxy: trustProxyFrom(config.TRUST_PROXY),
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  await app.register(errorHandler);
  // First: every route registered after these (CORS preflights included) gets its access rule checked.
  await app.register(authentication, config);
  await app.register(accessControl);
  await app.register(browserPolicy, config);
  // Right after the security headers: while overloaded, nothing else (Redis, auth, the body) is spent on a request.
  await app.register(loadShedding, { maxEventLoopDelayMs: config.MAX_EVENT_LOOP_DELAY_MS, maxEventLoopUtilization: config.MAX_EVENT_LOOP_UTILIZATION });
  await app.register(clientRateLimit, { redis: deps.redis, perMinute: config.RATE_LIMIT_PER_MINUTE, keyPrefix: config.QUEUE_PREFIX });
  await app.register(multipart, { limits: { ...MULTIPART_LIMITS, fileSize: config.MAX_UPLOAD_BYTES + 1 } });
  const uploadLimiter = new UploadRateLimiter(deps.redis, { limit: config.UPLOAD_RATE_LIMIT_PER_MINUTE, windowMs: 60_000, keyPrefix: config.QUEUE_PREFIX });
  await app.register(uploadRateLimit, { limiter: uploadLimiter });
  await app.register(openApi);
  await app.register(eventStream);
  await app.register(metricsPlugin, { metrics: deps.metrics, metricsToken: config.METRICS_TOKEN, exposeRoute: !config.METRICS_PORT });

  // A live upload has its body within REQUEST_TIMEOUT_MS: older spooled files belong to a killed process.
  await removeStaleSpoolFiles(2 * config.REQUEST_TIMEOUT_MS).catch((error: unknown) => deps.logger.warn({ err: error }, 'could not sweep stale upload spool files'));
  const intake = { db: deps.db, storage: deps.storage, queues: deps.queues, maxUploadBytes: config.MAX_UPLOAD_BYTES, uploadMemory: new SpoolMemoryBudget(config.UPLOAD_MEMORY_BYTES), metrics: deps.metrics, idempotency: uploadIdempotency(deps.redis, config), requestTimeoutMs: config.REQUEST_TIMEOUT_MS };
  const queues = allQueues(deps);
  await app.register(healthRoutes, { db: deps.db, redis: deps.redis, storage: deps.storage, queues, workers: deps.workers });
  await app.register(documentRoutes, intake);
  await app.register(documentEventRoutes, { events: deps.documentEvents });
  await app.register(recordRoutes, { db: deps.db });
  await app.register(notificationRoutes, { db: deps.db });
  await app.register(adminQueueRoutes, { queues: adminQueueMap(queues) });
  await app.register(adminFailureRoutes, { db: deps.db, queues: deps.queues });
  const maintenanceTasks = { config, logger: deps.logger, db: deps.db, queues: deps.queues, storage: deps.storage, mailer: deps.mailer };
  await app.register(adminMaintenanceRoutes, { tasks: maintenanceTasks, queue: deps.maintenance });
  await app.register(adminStatsRoutes, { db: deps.db });
  await app.register(bullBoard, { queues });
  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;
