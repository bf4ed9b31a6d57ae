import Fastify, { type FastifyBaseLogger } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppDeps } from './app.js';
import { accessControl } from './plugins/access-control.js';
import { authentication } from './plugins/authentication.js';
import { errorHandler } from './plugins/error-handler.js';
import { metricsPlugin } from './plugins/metrics.js';
import { healthRoutes } from './routes/health.js';
import { allQueues } from './services/all-queues.js';

export type WorkerAppDeps = Pick<AppDeps, 'config' | 'logger' | 'db' | 'redis' | 'storage' | 'queues' | 'maintenance' | 'workers' | 'metrics'>;

/**
 * The HTTP side of a worker-only process (WORKER_ROLE=worker): GET /health and
 * GET /health/workers for the orchestrator's probes, and /metrics as on the
 * API (ADMIN token or METRICS_TOKEN, unless METRICS_PORT serves it). Every other
 * path is a 404: uploads and reads go to the API processes.
 */
export async function buildWorkerApp(deps: WorkerAppDeps) {
  const { config } = deps;
  const app = Fastify({ loggerInstance: deps.logger as FastifyBaseLogger, connectionTimeout: 60_000 }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(errorHandler);
  await app.register(authentication, config);
  await app.register(accessControl);
  await app.register(metricsPlugin, { metrics: deps.metrics, metricsToken: config.METRICS_TOKEN, exposeRoute: !config.METRICS_PORT });
  await app.register(healthRoutes, { db: deps.db, redis: deps.redis, storage: deps.storage, queues: allQueues(deps), workers: deps.workers });
  return app;
}

export type WorkerApp = Awaited<ReturnType<typeof buildWorkerApp>>;
