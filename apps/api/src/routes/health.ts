import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { checkHealth, checkWorkers, type HealthDeps, type WorkerHealthDeps } from '../services/health.js';

const checkSchema = z.object({ status: z.enum(['up', 'down']), latencyMs: z.number(), error: z.string().optional() });
const healthSchema = z
  .object({
    status: z.enum(['ok', 'degraded', 'error']),
    checks: z.object({ database: checkSchema, redis: checkSchema, storage: checkSchema }),
  })
  .meta({ id: 'Health' });

const countSchema = z.object({ waiting: z.number(), active: z.number(), delayed: z.number(), failed: z.number() });
const workerHealthSchema = z
  .object({
    status: z.enum(['ok', 'error']),
    workers: z.array(
      z.object({
        queue: z.string(),
        running: z.boolean(),
        paused: z.boolean(),
        concurrency: z.number().int(),
        counts: countSchema.nullable(),
        lastCompletedAt: z.iso.datetime().nullable(),
      }),
    ),
  })
  .meta({ id: 'WorkerHealth' });

export const healthRoutes: FastifyPluginAsyncZod<HealthDeps & WorkerHealthDeps> = async (app, deps) => {
  app.get(
    '/health',
    {
      config: { access: 'public' },
      logLevel: 'warn',
      schema: {
        tags: ['operations'],
        summary: 'Readiness: 200 while PostgreSQL and Redis answer (S3 down → "degraded"), 503 otherwise',
        response: { 200: healthSchema, 503: healthSchema },
      },
    },
    async (_request, reply) => {
      const report = await checkHealth(deps);
      return reply.status(report.status === 'error' ? 503 : 200).send(report);
    },
  );

  app.get(
    '/health/workers',
    {
      config: { access: 'public' },
      logLevel: 'warn',
      schema: {
        tags: ['operations'],
        summary: "This process's scan workers: running, concurrency, queue counts, last completion; 503 if one is stopped",
        response: { 200: workerHealthSchema, 503: workerHealthSchema },
      },
    },
    async (_request, reply) => {
      const report = await checkWorkers(deps);
      const body = { ...report, workers: report.workers.map((worker) => ({ ...worker, lastCompletedAt: worker.lastCompletedAt?.toISOString() ?? null })) };
      return reply.status(report.status === 'ok' ? 200 : 503).send(body);
    },
  );
};
