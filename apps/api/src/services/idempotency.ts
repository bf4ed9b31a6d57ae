import { createHash, randomUUID } from 'node:crypto';
import type { Config } from '../config.js';
import { AppError } from '../errors.js';
import type { RedisConnection } from '../redis.js';
import type { StoredFile } from './file-intake.js';
import { withTimeout } from './with-timeout.js';

const REDIS_TIMEOUT_MS = 5_000;
/** After the body has arrived (REQUEST_TIMEOUT_MS), storage, the database and the queue still have to answer. */
const AFTER_BODY_MS = 30_000;
/** What a client is told to wait while the first request with its key is still running. */
export const IN_FLIGHT_RETRY_AFTER_S = 2;

/** A successful answer of a route: the status and body that a retry with the same key gets again. */
export interface RouteAnswer {
  statusCode: number;
  body: unknown;
}

/** Where the answer's headers go (a Fastify reply). */
interface HeaderTarget {
  header(name: string, value: string): unknown;
}

export interface IdempotentRequest {
  tenantId: string;
  /** The client's Idempotency-Key, already validated. */
  key: string;
  /** Where it was sent (e.g. entity and kind): the same key on another route is another request body. */
  route: string;
}

/** The file as intake stored it: what the fingerprint is made of. */
type StoredUpload = Pick<StoredFile, 'sha256' | 'sizeBytes'>;
/** Runs after the file is stored and hashed but before anything is recorded; throwing stops intake and removes the file. */
export type BeforeCommit = (stored: StoredUpload) => Promise<void>;

type Entry = { state: 'in-flight'; token: string } | { state: 'done'; fingerprint: string; statusCode: number; body: unknown };

/** Returns the entry already under the key, or claims the key with ARGV[1] for ARGV[2] ms and returns nil. */
const CLAIM = `
local current = redis.call('GET', KEYS[1])
if current then return current end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return false`;

/** Stores the answer unless another request took the key after our claim lapsed. */
const COMPLETE = `
local current = redis.call('GET', KEYS[1])
if current and current ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
return 1`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** Thrown by the replay check to stop intake once the upload is known to repeat the first one. */
class SameRequest extends Error {}

export const idempotencyRedisKey = (prefix: string, tenantId: string, key: string) =>
  `${prefix}:idempotency:${tenantId}:${createHash('sha256').update(key).digest('hex')}`;

function fingerprintOf(route: string, stored: StoredUpload): string {
  return createHash('sha256').update(JSON.stringify([route, stored.sha256, stored.sizeBytes])).digest('hex');
}

/**
 * Idempotency-Key for uploads (draft-ietf-httpapi-idempotency-key-header), in Redis.
 * A key is claimed with a lock that expires on its own (a process that dies mid-request
 * frees it); only a successful answer is remembered, for `ttlSeconds`. Failures release the
 * key: they leave nothing behind, so the client may retry them with the same key.
 */
export class UploadIdempotency {
  constructor(
    private readonly redis: RedisConnection,
    private readonly options: { prefix: string; ttlSeconds: number; lockMs: number },
  ) {}

  /** Runs `perform` once per key; headers of a replay or a refusal go to `reply`. */
  async execute<Answer extends RouteAnswer>(
    request: IdempotentRequest,
    perform: (beforeCommit: BeforeCommit) => Promise<Answer>,
    reply: HeaderTarget,
  ): Promise<Answer> {
    const redisKey = idempotencyRedisKey(this.options.prefix, request.tenantId, request.key);
    const claim = JSON.stringify({ state: 'in-flight', token: randomUUID() } satisfies Entry);
    const existing = await this.call(this.redis.eval(CLAIM, 1, redisKey, claim, this.options.lockMs));
    if (typeof existing === 'string') {
      const entry = JSON.parse(existing) as Entry;
      if (entry.state === 'in-flight') {
        reply.header('retry-after', String(IN_FLIGHT_RETRY_AFTER_S));
        throw new AppError(409, 'IDEMPOTENCY_KEY_IN_USE', 'a request with this Idempotency-Key is still being processed; retry shortly');
      }
      const answer = await this.replay(entry, request.route, perform);
      reply.header('idempotent-replayed', 'true');
      return answer;
    }

    let fingerprint = '';
    let answer: Answer;
    try {
      answer = await perform(async (stored) => {
        fingerprint = fingerprintOf(request.route, stored);
      });
    } catch (error) {
      // Should Redis fail here too, the claim still expires after lockMs.
      await this.call(this.redis.eval(RELEASE, 1, redisKey, claim)).catch(() => undefined);
      throw error;
    }
    const done = JSON.stringify({ state: 'done', fingerprint, statusCode: answer.statusCode, body: answer.body } satisfies Entry);
    await this.call(this.redis.eval(COMPLETE, 1, redisKey, claim, done, this.options.ttlSeconds));
    return answer;
  }

  /** A known key: the same upload gets the first answer; another one is refused before it is recorded. */
  private async replay<Answer extends RouteAnswer>(
    entry: Extract<Entry, { state: 'done' }>,
    route: string,
    perform: (beforeCommit: BeforeCommit) => Promise<Answer>,
  ): Promise<Answer> {
    try {
      await perform(async (stored) => {
        if (fingerprintOf(route, stored) !== entry.fingerprint) {
          throw new AppError(422, 'IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was already used for another request; use a new key for a new upload');
        }
        throw new SameRequest();
      });
    } catch (error) {
      if (!(error instanceof SameRequest)) throw error;
      // Stored by execute() from an Answer of this same route.
      return { statusCode: entry.statusCode, body: entry.body } as Answer;
    }
    throw new Error('intake recorded an upload whose Idempotency-Key was already answered');
  }

  private async call<T>(command: Promise<T>): Promise<T> {
    try {
      return await withTimeout(command, REDIS_TIMEOUT_MS, 'idempotency store');
    } catch {
      throw new AppError(503, 'IDEMPOTENCY_UNAVAILABLE', 'the Idempotency-Key store is not reachable; try again shortly');
    }
  }
}

export function uploadIdempotency(redis: RedisConnection, config: Config): UploadIdempotency {
  return new UploadIdempotency(redis, {
    prefix: config.QUEUE_PREFIX,
    ttlSeconds: config.IDEMPOTENCY_TTL_S,
    lockMs: config.REQUEST_TIMEOUT_MS + AFTER_BODY_MS,
  });
}
