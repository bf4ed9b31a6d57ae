import { Redis } from 'ioredis';
import { startRedisProcess } from '../../lib/redis-process.js';

export interface PrivateRedis {
  url: string;
  pid: number;
  /** A client for measuring (INFO) and inspecting. */
  client: Redis;
  /** A field of INFO (e.g. used_memory, redis_version). */
  info(field: string): Promise<string>;
  /** Stops the server; it keeps nothing on disk. */
  close(): Promise<void>;
}

/** A redis-server of our own, so measurements see only the bench, with a client to read INFO. */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const server = await startRedisProcess();
  const client = new Redis(server.url, { maxRetriesPerRequest: 0 });
  return {
    url: server.url,
    pid: server.pid!,
    client,
    async info(field) {
      const value = new RegExp(`^${field}:(.*)$`, 'm').exec(await client.info())?.[1];
      if (value === undefined) throw new Error(`INFO has no ${field}`);
      return value.trim();
    },
    async close() {
      client.disconnect();
      await server.stop();
    },
  };
}
