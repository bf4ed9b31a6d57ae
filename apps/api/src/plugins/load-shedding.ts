import underPressure from '@fastify/under-pressure';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** How long a shed client is asked to wait: about two samples of the event loop. */
const RETRY_AFTER_S = 2;
/** Pre-serialized: a string skips the route's response serializer (e.g. /health's 503 schema). */
const OVERLOADED_BODY = JSON.stringify({
  code: 'OVERLOADED',
  message: 'the server is overloaded; try again shortly',
  details: { retryAfterSeconds: RETRY_AFTER_S },
});

export interface LoadSheddingOptions {
  maxEventLoopDelayMs: number;
  maxEventLoopUtilization: number;
}

/**
 * Answers 503 with Retry-After, before any other work (auth, Redis, the body),
 * while the event loop is saturated: mean delay over the last second above
 * MAX_EVENT_LOOP_DELAY_MS, or busy more than MAX_EVENT_LOOP_UTILIZATION of it.
 * /health is not exempt: a load balancer should stop sending traffic to an
 * overloaded instance until it recovers.
 */
export const loadShedding = fp(
  async (app: FastifyInstance, options: LoadSheddingOptions) => {
    await app.register(underPressure, {
      maxEventLoopDelay: options.maxEventLoopDelayMs,
      maxEventLoopUtilization: options.maxEventLoopUtilization,
      // The default averages utilization since start, which hides a saturated last second.
      eventLoopUtilizationMode: 'interval',
      // The plugin only measures; the hook below answers, in the app's error shape.
      pressureHandler: () => undefined,
    });

    let lastWarningAt = 0;
    app.addHook('onRequest', async (request, reply) => {
      if (!app.isUnderPressure()) return;
      // Once a second at most: logging every shed request would add to the load.
      if (Date.now() - lastWarningAt >= 1_000) {
        lastWarningAt = Date.now();
        request.log.warn({ pressure: app.memoryUsage() }, 'event loop saturated: shedding load');
      }
      return reply.status(503).header('retry-after', RETRY_AFTER_S).type('application/json').send(OVERLOADED_BODY);
    });
  },
  { name: 'load-shedding' },
);
