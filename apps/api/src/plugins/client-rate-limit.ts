import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../errors.js';
import type { RedisConnection } from '../redis.js';

export interface ClientRateLimitOptions {
  /** The fail-fast request connection: while Redis is down a check fails at once and is skipped. */
  redis: RedisConnection;
  perMinute: number;
  /** Keeps apps that share a Redis (QUEUE_PREFIX) in separate buckets. */
  keyPrefix: string;
}

/**
 * A per-client-IP budget on every request, counted in Redis so all processes
 * share it (a fixed one-minute window per IP). It runs as a root onRequest hook,
 * before authentication, so 401s, 404s and the plugin routes (docs, Bull Board)
 * are counted too. Headers: RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset,
 * and Retry-After on a 429. Redis down: requests pass unlimited (skipOnError)
 * rather than all failing.
 */
export const clientRateLimit = fp(
  async (app: FastifyInstance, options: ClientRateLimitOptions) => {
    await app.register(rateLimit, {
      global: false,
      redis: options.redis,
      nameSpace: `${options.keyPrefix}:rate-limit:ip:`,
      max: options.perMinute,
      timeWindow: 60_000,
      enableDraftSpec: true,
      skipOnError: true,
      errorResponseBuilder: (_request, context) =>
        new AppError(429, 'RATE_LIMITED', `too many requests from this address; retry in ${context.after}`, {
          limit: context.max,
          retryAfterSeconds: Math.ceil(context.ttl / 1000),
        }),
    });
    app.addHook('onRequest', app.rateLimit());
  },
  { name: 'client-rate-limit' },
);
