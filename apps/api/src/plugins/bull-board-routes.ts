import type { Access } from './access-control.js';

export const BULL_BOARD_PATH = '/admin/queues';

/**
 * The board's API routes an ADMIN may call, on its own tenant's jobs only
 * (see bull-board.ts): the queue listing (filtered to the tenant's jobs), one
 * job, its logs and flow, and the job actions the admin REST API offers (retry, remove,
 * promote). Every other board API route acts on a whole queue, on Redis, on
 * schedulers or on job data and options, and is for OPERATORs.
 */
const ADMIN_API_ROUTES = new Set([
  'GET /api/queues',
  'GET /api/queues/:queueName/:jobId',
  'GET /api/queues/:queueName/:jobId/logs',
  // The job page asks for the job's flow; Billflow adds no flows, so the tree is the job alone.
  'GET /api/queues/:queueName/:jobId/flow',
  'PUT /api/queues/:queueName/:jobId/retry',
  'PUT /api/queues/:queueName/:jobId/clean',
  'PUT /api/queues/:queueName/:jobId/promote',
]);

/** The access rule of a Bull Board route: its pages and static files are for ADMINs, its API as above. */
export function bullBoardAccess(method: string, url: string): Access {
  const path = url.slice(BULL_BOARD_PATH.length);
  if (!path.startsWith('/api/')) return 'admin';
  // Fastify adds a HEAD route for every GET route: same rule.
  const asGet = method === 'HEAD' ? 'GET' : method;
  return ADMIN_API_ROUTES.has(`${asGet} ${path}`) ? 'admin' : 'operator';
}
