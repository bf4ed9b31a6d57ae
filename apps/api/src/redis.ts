import type { ConnectionOptions } from 'node:tls';
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { readCaFile } from './tls-ca.js';

export type RedisConfig = Pick<Config, 'REDIS_URL' | 'REDIS_TLS' | 'REDIS_TLS_CA_FILE'> & Partial<Pick<Config, 'REDIS_CLUSTER'>>;

/** A single Redis, or a Redis Cluster client (REDIS_CLUSTER); BullMQ and every store here take either. */
export type RedisConnection = Redis | Cluster;

/**
 * ioredis' `tls` option: on with REDIS_TLS or a rediss:// URL, the server's
 * certificate and host name always checked; REDIS_TLS_CA_FILE replaces the
 * system CAs (a private CA). Undefined: plain TCP.
 */
export function redisTls(config: RedisConfig): ConnectionOptions | undefined {
  if (!config.REDIS_TLS && !config.REDIS_URL.startsWith('rediss://')) return undefined;
  return config.REDIS_TLS_CA_FILE ? { ca: readCaFile('REDIS_TLS_CA_FILE', config.REDIS_TLS_CA_FILE) } : {};
}

/**
 * Connections for BullMQ. Workers need maxRetriesPerRequest: null (they block
 * on Redis and must wait out a restart); the request path fails fast instead,
 * so an upload answers 503 rather than hanging while Redis is down.
 * Connection errors are logged once per outage, not once per retry.
 */
export function createRedis(config: RedisConfig, purpose: 'worker' | 'request', logger: Logger): RedisConnection {
  const tls = redisTls(config);
  const options: RedisOptions = {
    ...(tls ? { tls } : {}),
    connectionName: `billflow:${purpose}`,
    maxRetriesPerRequest: purpose === 'worker' ? null : 1,
    enableOfflineQueue: purpose === 'worker',
    // A Redis that hangs instead of refusing must not hang the request path either.
    ...(purpose === 'request' ? { commandTimeout: 5_000 } : {}),
    connectTimeout: 5_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  };
  const redis = config.REDIS_CLUSTER ? clusterClient(config.REDIS_URL, options) : new Redis(config.REDIS_URL, options);
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

/**
 * A cluster client seeded with one node's URL. The URL's credentials and the TLS settings
 * go to every node it discovers, and node addresses keep their host names, so TLS checks
 * a managed cluster's certificates against the names they were issued for.
 */
function clusterClient(url: string, options: RedisOptions): Cluster {
  const { username, password } = new URL(url);
  return new Cluster([url], {
    redisOptions: {
      ...options,
      ...(username ? { username: decodeURIComponent(username) } : {}),
      ...(password ? { password: decodeURIComponent(password) } : {}),
    },
    enableOfflineQueue: options.enableOfflineQueue,
    clusterRetryStrategy: options.retryStrategy,
    dnsLookup: (address, callback) => callback(null, address),
  });
}

/**
 * Resolves once the connection is ready, or after timeoutMs when Redis is
 * down (the process starts degraded and /health says so). Without it, the
 * fail-fast request connection refuses the first requests after a start.
 */
export async function untilReady(redis: RedisConnection, timeoutMs: number): Promise<boolean> {
  if (redis.status === 'ready') return true;
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      resolve(false);
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve(true);
    };
    redis.once('ready', onReady);
  });
}
