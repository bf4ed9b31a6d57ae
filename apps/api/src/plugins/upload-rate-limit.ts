import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../errors.js';
import type { UploadAllowance, UploadRateLimiter } from '../services/upload-rate-limit.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Counts the request against its tenant's upload budget (after authentication, before the body is read). */
    uploadRateLimit?: boolean;
  }
}

function setRateLimitHeaders(reply: FastifyReply, allowance: UploadAllowance): void {
  // The names the per-IP limiter sends (draft spec); on upload routes these describe the tenant's budget.
  reply.header('ratelimit-limit', allowance.limit);
  reply.header('ratelimit-remaining', allowance.remaining);
  reply.header('ratelimit-reset', allowance.resetSeconds);
}

/**
 * Routes with `config: { uploadRateLimit: true }` take a slot of the tenant's
 * sliding window before their handler reads the body. Refused attempts are not
 * counted; 4xx answers after the check are (the body was read and stored by
 * then, so a client sending junk is throttled like one sending documents); a
 * 5xx gives its slot back, since the failure was ours.
 */
export const uploadRateLimit = fp(
  async (app: FastifyInstance, options: { limiter: UploadRateLimiter }) => {
    const { limiter } = options;
    const takenSlots = new WeakMap<FastifyRequest, string>();

    async function takeUploadSlot(request: FastifyRequest, reply: FastifyReply) {
      const allowance = await limiter.take(request.user.tenantId).catch((error: unknown) => {
        request.log.warn({ err: error }, 'upload rate limit unavailable');
        throw new AppError(503, 'QUEUE_UNAVAILABLE', 'the job queue is not reachable; try again shortly');
      });
      setRateLimitHeaders(reply, allowance);
      if (!allowance.allowed) {
        reply.header('retry-after', allowance.resetSeconds);
        throw new AppError(429, 'UPLOAD_RATE_LIMITED', `this tenant sent ${allowance.limit} uploads in the last minute; retry in ${allowance.resetSeconds} s`, {
          limit: allowance.limit,
          retryAfterSeconds: allowance.resetSeconds,
        });
      }
      takenSlots.set(request, allowance.slot);
    }

    async function releaseSlotAfterServerError(request: FastifyRequest, reply: FastifyReply) {
      const slot = takenSlots.get(request);
      if (!slot || reply.statusCode < 500) return;
      await limiter.release(request.user.tenantId, slot).catch((error: unknown) => request.log.warn({ err: error }, 'upload slot not released'));
    }

    app.addHook('onRoute', (route) => {
      if (!route.config?.uploadRateLimit) return;
      route.preHandler = [...(route.preHandler ? [route.preHandler].flat() : []), takeUploadSlot];
      route.onResponse = [...(route.onResponse ? [route.onResponse].flat() : []), releaseSlotAfterServerError];
    });
  },
  { name: 'upload-rate-limit', dependencies: ['access-control'] },
);
