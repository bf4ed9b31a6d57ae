import { randomUUID } from 'node:crypto';
import type { RedisConnection } from '../redis.js';

/**
 * A sliding-window log: one sorted-set entry per accepted upload, scored by the
 * Redis server's clock (TIME), so every process shares one clock and one count.
 * Exact at every instant (a fixed window would allow 2× the limit across a window
 * edge; a weighted two-window counter only estimates), and memory stays bounded
 * by the limit because refused attempts are never added.
 * Returns {allowed 0|1, entries in the window, ms until the oldest entry expires}.
 */
const SLIDING_WINDOW_SCRIPT = `
local key = KEYS[1]
local windowMs = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - windowMs)
local count = redis.call('ZCARD', key)
local allowed = 0
if count < limit then
  redis.call('ZADD', key, now, ARGV[3])
  redis.call('PEXPIRE', key, windowMs)
  count = count + 1
  allowed = 1
end
local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
local resetMs = 0
if oldest[2] then resetMs = tonumber(oldest[2]) + windowMs - now end
return {allowed, count, resetMs}
`;

const COMMAND = 'billflowTakeUploadSlot';

type SlidingWindowRedis = RedisConnection & {
  [COMMAND](key: string, windowMs: number, limit: number, slot: string): Promise<[number, number, number]>;
};

export interface UploadRateLimitOptions {
  limit: number;
  /** 60 000 in production (UPLOAD_RATE_LIMIT_PER_MINUTE); tests slide a shorter window. */
  windowMs: number;
  /** Keeps apps that share a Redis (QUEUE_PREFIX) apart. */
  keyPrefix: string;
}

export interface UploadAllowance {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the oldest upload in the window expires, i.e. until a slot frees. */
  resetSeconds: number;
  /** This attempt's entry, to give back if the upload fails on our side. */
  slot: string;
}

/** Per-tenant upload budget shared by every process on the same Redis. */
export class UploadRateLimiter {
  private readonly redis: SlidingWindowRedis;

  constructor(
    redis: RedisConnection,
    private readonly options: UploadRateLimitOptions,
  ) {
    if (!(COMMAND in redis)) redis.defineCommand(COMMAND, { numberOfKeys: 1, lua: SLIDING_WINDOW_SCRIPT });
    this.redis = redis as SlidingWindowRedis;
  }

  /** Takes a slot when the tenant has one left; throws when Redis does not answer. */
  async take(tenantId: string): Promise<UploadAllowance> {
    const slot = randomUUID();
    const [allowed, count, resetMs] = await this.redis[COMMAND](this.keyOf(tenantId), this.options.windowMs, this.options.limit, slot);
    return {
      allowed: allowed === 1,
      limit: this.options.limit,
      remaining: Math.max(0, this.options.limit - count),
      resetSeconds: Math.max(1, Math.ceil(resetMs / 1000)),
      slot,
    };
  }

  /** Gives a slot back: the attempt it counted did not happen after all. */
  async release(tenantId: string, slot: string): Promise<void> {
    await this.redis.zrem(this.keyOf(tenantId), slot);
  }

  private keyOf(tenantId: string): string {
    return `${this.options.keyPrefix}:rate-limit:uploads:${tenantId}`;
  }
}
