import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { adminScope } from '../plugins/claims.js';
import { errorResponses } from '../schemas/common.js';
import {
  cleanBodySchema,
  cleanedSchema,
  jobDetailSchema,
  jobListQuerySchema,
  jobListSchema,
  jobParamsSchema,
  okSchema,
  presentJob,
  queueListSchema,
  queueParamsSchema,
} from '../schemas/admin-queues.js';
import {
  cleanQueue,
  describeQueues,
  inspectJob,
  listJobs,
  obliterateQueue,
  pauseQueue,
  promoteJob,
  removeJob,
  retryJob,
  type AdminQueues,
} from '../services/queue-admin.js';

const tags = ['admin: queues'];
const admin = { access: 'admin' } as const;
const operator = { access: 'operator' } as const;

/**
 * Queue and job management. Job routes are for ADMINs, on their own tenant's
 * jobs (another tenant's job is a 404), and for OPERATORs on every job;
 * actions on a whole queue touch every tenant and are for OPERATORs. The
 * queue list shows ADMINs the same per-state counts /health/workers and
 * /metrics already publish: aggregates without ids or data.
 */
export const adminQueueRoutes: FastifyPluginAsyncZod<{ queues: AdminQueues }> = async (app, { queues }) => {
  app.get('/api/admin/queues', { config: admin, schema: { tags, summary: 'Every queue with its job counts per state (all tenants together)', response: { 200: queueListSchema, ...errorResponses(401, 403) } } }, async () => ({
    queues: await describeQueues(queues),
  }));

  for (const [action, paused] of [['pause', true], ['resume', false]] as const) {
    app.post(
      `/api/admin/queues/:queue/${action}`,
      { config: operator, schema: { tags, summary: `${action === 'pause' ? 'Pause' : 'Resume'} a queue (OPERATOR)`, params: queueParamsSchema, response: { 200: okSchema, ...errorResponses(401, 403, 404) } } },
      async (request) => {
        await pauseQueue(queues, request.params.queue, paused);
        return { ok: true as const };
      },
    );
  }

  app.post(
    '/api/admin/queues/:queue/clean',
    { config: operator, schema: { tags, summary: 'Remove jobs in one state older than a given age (OPERATOR)', params: queueParamsSchema, body: cleanBodySchema, response: { 200: cleanedSchema, ...errorResponses(400, 401, 403, 404) } } },
    async (request) => ({ removed: await cleanQueue(queues, request.params.queue, request.body.state, request.body.olderThanMs, request.body.limit) }),
  );

  app.delete(
    '/api/admin/queues/:queue',
    { config: operator, schema: { tags, summary: 'Obliterate a queue and all its jobs, refused while jobs are active (OPERATOR)', params: queueParamsSchema, response: { 200: okSchema, ...errorResponses(401, 403, 404, 409) } } },
    async (request) => {
      await obliterateQueue(queues, request.params.queue);
      return { ok: true as const };
    },
  );

  app.get(
    '/api/admin/queues/:queue/jobs',
    { config: admin, schema: { tags, summary: "Jobs in one state, newest first (an ADMIN's own tenant's only)", params: queueParamsSchema, querystring: jobListQuerySchema, response: { 200: jobListSchema, ...errorResponses(400, 401, 403, 404) } } },
    async (request) => {
      const { jobs, total, partial } = await listJobs(queues, request.params.queue, request.query.state, request.query.offset, request.query.limit, adminScope(request.user));
      return { jobs: jobs.map(presentJob), total, partial };
    },
  );

  app.get(
    '/api/admin/queues/:queue/jobs/:jobId',
    { config: admin, schema: { tags, summary: 'One job: data, progress, attempts, stack traces and logs', params: jobParamsSchema, response: { 200: jobDetailSchema, ...errorResponses(401, 403, 404) } } },
    async (request) => {
      const { job, state, logs } = await inspectJob(queues, request.params.queue, request.params.jobId, adminScope(request.user));
      return { ...presentJob(job), state, logs };
    },
  );

  const jobActions = [
    ['retry', 'Retry a failed job', retryJob],
    ['promote', 'Run a delayed job now', promoteJob],
  ] as const;
  for (const [action, summary, perform] of jobActions) {
    app.post(
      `/api/admin/queues/:queue/jobs/:jobId/${action}`,
      { config: admin, schema: { tags, summary, params: jobParamsSchema, response: { 200: okSchema, ...errorResponses(401, 403, 404, 409) } } },
      async (request) => {
        await perform(queues, request.params.queue, request.params.jobId, adminScope(request.user));
        return { ok: true as const };
      },
    );
  }

  app.delete(
    '/api/admin/queues/:queue/jobs/:jobId',
    { config: admin, schema: { tags, summary: 'Remove a job that is not running', params: jobParamsSchema, response: { 200: okSchema, ...errorResponses(401, 403, 404, 409) } } },
    async (request) => {
      await removeJob(queues, request.params.queue, request.params.jobId, adminScope(request.user));
      return { ok: true as const };
    },
  );
};
