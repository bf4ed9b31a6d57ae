import { Redis } from 'ioredis';

/**
 * Connections for BullMQ. Workers need maxRetriesPerRequest: null (they block
 * on Redis and must wait out a restart); everything on the request path fails
 * fast instead, so an upload answers 503 rather than hanging while Redis is down.
 */
export function createRedis(url: string, purpose: 'worker' | 'request'): Redis {
  return new Redis(url, {
    connectionName: `billflow:${purpose}`,
    lazyConnect: false,
    maxRetriesPerRequest: purpose === 'worker' ? null : 1,
    enableOfflineQueue: purpose === 'worker',
    connectTimeout: 5_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
}
