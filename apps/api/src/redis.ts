import { Redis } from 'ioredis';
import type { Logger } from 'pino';

/**
 * Connections for BullMQ. Workers need maxRetriesPerRequest: null (they block
 * on Redis and must wait out a restart); the request path fails fast instead,
 * so an upload answers 503 rather than hanging while Redis is down.
 * Connection errors are logged once per outage, not once per retry.
 */
export function createRedis(url: string, purpose: 'worker' | 'request', logger: Logger): Redis {
  const redis = new Redis(url, {
    connectionName: `billflow:${purpose}`,
    maxRetriesPerRequest: purpose === 'worker' ? null : 1,
    enableOfflineQueue: purpose === 'worker',
    connectTimeout: 5_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  let reachable = true;
  redis.on('error', (error: Error) => {
    if (!reachable) return;
    reachable = false;
    logger.warn({ err: error, purpose }, 'Redis connection lost; retrying');
  });
  redis.on('ready', () => {
    if (reachable) return;
    reachable = true;
    logger.info({ purpose }, 'Redis connection restored');
  });
  return redis;
}
