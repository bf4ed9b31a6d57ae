import { Redis } from 'ioredis';
import pg from 'pg';

const TIMEOUT_MS = 3_000;

/** Why a dependency cannot be used, in one line a person can act on; null when it answers. */
export async function postgresProblem(databaseUrl: string): Promise<string | null> {
  const url = new URL(databaseUrl);
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: TIMEOUT_MS });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    return `PostgreSQL is not reachable at ${url.host} (${describe(error)}). Start it, or point DATABASE_URL in .env at a running server.`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function redisProblem(redisUrl: string): Promise<string | null> {
  const redis = new Redis(redisUrl, { lazyConnect: true, connectTimeout: TIMEOUT_MS, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
    return null;
  } catch (error) {
    return `Redis is not reachable at ${new URL(redisUrl).host} (${describe(error)}). Start it, or point REDIS_URL in .env at a running server.`;
  } finally {
    redis.disconnect();
  }
}

function describe(error: unknown): string {
  const code = (error as { code?: string }).code;
  return code ?? (error instanceof Error ? error.message : 'unknown error');
}
