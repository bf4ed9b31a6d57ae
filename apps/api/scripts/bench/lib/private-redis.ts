import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';

export interface PrivateRedis {
  url: string;
  /** A client for measuring (INFO) and inspecting. */
  client: Redis;
  /** A field of INFO (e.g. used_memory, redis_version). */
  info(field: string): Promise<string>;
  /** Stops the server; it keeps nothing on disk. */
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

/** A redis-server of our own on a free loopback port, without persistence, so measurements see only the bench. */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const exited = once(server, 'exit');
  // Not left behind when the bench dies of an error or Ctrl-C (which otherwise skips exit handlers).
  process.once('exit', () => server.kill('SIGTERM'));
  process.once('SIGINT', () => process.exit(130));
  const client = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  for (let attempt = 0; ; attempt++) {
    try {
      await client.connect();
      break;
    } catch (error) {
      if (attempt === 50 || server.exitCode !== null) throw new Error(`redis-server on port ${port} did not start`, { cause: error });
      await sleep(100);
    }
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    client,
    async info(field) {
      const value = new RegExp(`^${field}:(.*)$`, 'm').exec(await client.info())?.[1];
      if (value === undefined) throw new Error(`INFO has no ${field}`);
      return value.trim();
    },
    async close() {
      client.disconnect();
      server.kill('SIGTERM');
      await exited;
    },
  };
}
