import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Database } from '../db.js';
import {
  bulkRetriedSchema,
  bulkRetryBodySchema,
  failureListQuerySchema,
  failureListSchema,
  failureSchema,
  presentFailure,
  retriedSchema,
} from '../schemas/admin-failures.js';
import { adminScope, scopedTenantId } from '../plugins/claims.js';
import { errorResponses, idParamsSchema } from '../schemas/common.js';
import { getFailure, listFailures, retryFailure, retryFailures } from '../services/dead-letters.js';
import type { ScanQueues } from '../services/scan-queues.js';

const tags = ['admin: failures'];
const admin = { access: 'admin' } as const;

/**
 * Dead letters: jobs that failed for good, kept in PostgreSQL and replayable
 * after Redis forgot them. An ADMIN sees and retries its own tenant's only
 * (another tenant's failure or tenantId filter is a 404); an OPERATOR every tenant's.
 */
export const adminFailureRoutes: FastifyPluginAsyncZod<{ db: Database; queues: ScanQueues }> = async (app, { db, queues }) => {
  app.get(
    '/api/admin/failures',
    { config: admin, schema: { tags, summary: 'Failed jobs, newest first, filtered by queue, tenant, date and resolution', querystring: failureListQuerySchema, response: { 200: failureListSchema, ...errorResponses(400, 401, 403, 404) } } },
    async (request) => {
      const page = await listFailures(db, { ...request.query, tenantId: scopedTenantId(request.user, request.query.tenantId) });
      return { items: page.items.map(presentFailure), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/api/admin/failures/:id',
    { config: admin, schema: { tags, summary: 'One failed job with its payload', params: idParamsSchema, response: { 200: failureSchema, ...errorResponses(400, 401, 403, 404) } } },
    async (request) => presentFailure(await getFailure(db, request.params.id, adminScope(request.user))),
  );

  app.post(
    '/api/admin/failures/:id/retry',
    { config: admin, schema: { tags, summary: 'Queue the failed document again; resolved when that run succeeds', params: idParamsSchema, response: { 200: retriedSchema, ...errorResponses(400, 401, 403, 404, 409, 503) } } },
    async (request) => retryFailure(db, queues, request.params.id, adminScope(request.user)),
  );

  app.post(
    '/api/admin/failures/retry',
    { config: admin, schema: { tags, summary: 'Retry every open failure matching the filter (at most 1,000 per call)', body: bulkRetryBodySchema, response: { 200: bulkRetriedSchema, ...errorResponses(400, 401, 403, 404) } } },
    async (request) => retryFailures(db, queues, { ...request.body, tenantId: scopedTenantId(request.user, request.body.tenantId) }),
  );
};
