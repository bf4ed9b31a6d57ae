import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';

export const BULL_BOARD_PATH = '/admin/queues';

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
 * Bull Board for ADMINs at /admin/queues. Browsers send no bearer token, so
 * the admin's token is also accepted as the password of HTTP Basic auth (any
 * user name): the browser asks once and resends it. Registered encapsulated,
 * so these hooks touch no other route; the ADMIN rule itself comes from
 * access-control like everywhere else.
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
  app.addHook('onSend', async (_request, reply) => {
    reply.header('content-security-policy', BULL_BOARD_CSP);
    if (reply.statusCode === 401) reply.header('www-authenticate', 'Basic realm="Billflow admin", charset="UTF-8"');
  });

  await app.register(serverAdapter.registerPlugin(), { prefix: BULL_BOARD_PATH });
}
