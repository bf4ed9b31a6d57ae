import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { checkHealth, type HealthDeps } from '../services/health.js';

const checkSchema = z.object({ status: z.enum(['up', 'down']), latencyMs: z.number(), error: z.string().optional() });
const healthSchema = z
  .object({
    status: z.enum(['ok', 'degraded', 'error']),
    checks: z.object({ database: checkSchema, redis: checkSchema, storage: checkSchema }),
  })
  .meta({ id: 'Health' });

export const healthRoutes: FastifyPluginAsyncZod<HealthDeps> = async (app, deps) => {
  app.get(
    '/health',
    {
      config: { access: 'public' },
      logLevel: 'warn',
      schema: {
        tags: ['operations'],
        summary: 'Liveness and readiness: 200 while PostgreSQL and Redis answer, 503 otherwise',
        response: { 200: healthSchema, 503: healthSchema },
      },
    },
    async (_request, reply) => {
      const report = await checkHealth(deps);
      return reply.status(report.status === 'error' ? 503 : 200).send(report);
    },
  );
};
