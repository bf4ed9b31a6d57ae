import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Database } from '../db.js';
import { scopedTenantId } from '../plugins/claims.js';
import { presentStats, statsQuerySchema, statsResponseSchema } from '../schemas/admin-stats.js';
import { errorResponses } from '../schemas/common.js';
import { jobStats } from '../services/job-stats.js';

/** Job statistics from the JobExecution audit trail: an ADMIN's own tenant's jobs (another tenantId is a 404), an OPERATOR's of every tenant. */
export const adminStatsRoutes: FastifyPluginAsyncZod<{ db: Database }> = async (app, { db }) => {
  app.get(
    '/api/admin/stats',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['admin: jobs'],
        summary: 'Per queue and job name: attempts by status, p50/p95 duration, failure rates, slowest attempts, most common errors (default window: the last 24 h)',
        querystring: statsQuerySchema,
        response: { 200: statsResponseSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { from, to } = request.query;
      return presentStats(from, to, await jobStats(db, { ...request.query, tenantId: scopedTenantId(request.user, request.query.tenantId) }));
    },
  );
};
