import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { Queue } from 'bullmq';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import { adminQueueMap, jobOfTenant } from '../services/queue-admin.js';
import { BULL_BOARD_PATH } from './bull-board-routes.js';
import { adminScope } from './claims.js';

const QUEUE_LISTING_URL = `${BULL_BOARD_PATH}/api/queues`;

interface QueueListing {
  queues: { jobs: { data: unknown }[] }[];
}

/**
 * Whose jobs the caller sees: undefined for an OPERATOR (everyone's). Every
 * board route is guarded; a request without a user (the not-found handler)
 * matches no tenant, so nothing is shown by mistake.
 */
const boardScope = (request: FastifyRequest): string | undefined => (request.user ? adminScope(request.user) : '');

/** Bull Board renders inline bootstrap scripts and styles; this policy allows them on its pages only. */
const BULL_BOARD_CSP = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Bull Board at /admin/queues. Browsers send no bearer token, so the token is
 * also accepted as the password of HTTP Basic auth (any user name): the
 * browser asks once and resends it. Registered encapsulated, so these hooks
 * touch no other route; the rule of each board route comes from access-control
 * (bull-board-routes.ts). An OPERATOR gets the whole board. An ADMIN gets its
 * own tenant's jobs: another tenant's job URL (page or API) is a 404 and the
 * queue listing drops other tenants' jobs (the per-state counts stay global).
 */
export async function bullBoard(app: FastifyInstance, options: { queues: Queue[] }): Promise<void> {
  const serverAdapter = new FastifyAdapter().setBasePath(BULL_BOARD_PATH);
  createBullBoard({
    queues: options.queues.map((queue) => new BullMQAdapter(queue)),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Billflow queues' } },
  });

  app.addHook('onRequest', async (request) => {
    const [scheme, encoded] = (request.headers.authorization ?? '').split(' ');
    if (scheme?.toLowerCase() !== 'basic' || !encoded) return;
    const credentials = Buffer.from(encoded, 'base64').toString('utf8');
    request.headers.authorization = `Bearer ${credentials.slice(credentials.indexOf(':') + 1)}`;
  });
  const queues = adminQueueMap(options.queues);
  app.addHook('preHandler', async (request: FastifyRequest<{ Params: { queueName?: string; jobId?: string } }>) => {
    const tenantId = boardScope(request);
    const { queueName, jobId } = request.params;
    if (tenantId === undefined || queueName === undefined || jobId === undefined) return;
    const job = await queues.get(queueName)?.getJob(jobId);
    if (!job || !jobOfTenant(job, tenantId)) throw new AppError(404, 'JOB_NOT_FOUND', `no job ${jobId} in queue ${queueName}`);
  });
  app.addHook('preSerialization', async (request, _reply, payload: unknown) => {
    const tenantId = boardScope(request);
    if (tenantId === undefined || request.routeOptions.url !== QUEUE_LISTING_URL || !(payload as Partial<QueueListing>).queues) return payload;
    const listing = payload as QueueListing;
    return { ...listing, queues: listing.queues.map((queue) => ({ ...queue, jobs: queue.jobs.filter((job) => jobOfTenant(job, tenantId)) })) };
  });
  app.addHook('onSend', async (_request, reply) => {
    reply.header('content-security-policy', BULL_BOARD_CSP);
    if (reply.statusCode === 401) reply.header('www-authenticate', 'Basic realm="Billflow admin", charset="UTF-8"');
  });

  await app.register(serverAdapter.registerPlugin(), { prefix: BULL_BOARD_PATH });
}
