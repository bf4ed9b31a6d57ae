import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import { freePort } from './free-port.js';

export interface RedisProcess {
  url: string;
  /** The running server's process id (undefined while stopped). */
  readonly pid: number | undefined;
  /** SIGKILL: with nothing on disk, everything in it is gone. */
  stop(): Promise<void>;
  /** Starts an empty Redis on the same port. */
  start(): Promise<void>;
}

/** A private redis-server child on a free loopback port that keeps nothing on disk; stopped and started at will without touching the machine's Redis. */
export async function startRedisProcess(): Promise<RedisProcess> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  // Not left behind when the script dies of an error or Ctrl-C (which otherwise skips exit handlers).
  process.once('exit', () => child?.kill('SIGKILL'));
  process.once('SIGINT', () => process.exit(130));

  async function start() {
    const started = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], { stdio: 'ignore' });
    child = started;
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => undefined);
    for (const deadline = Date.now() + 10_000; ; ) {
      if (started.exitCode !== null) throw new Error(`redis-server on port ${port} exited with ${started.exitCode}`);
      try {
        await client.connect();
        await client.ping();
        break;
      } catch (error) {
        client.disconnect();
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    client.disconnect();
  }

  async function stop() {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  }

  await start();
  return {
    url,
    get pid() {
      return child?.exitCode === null && child.signalCode === null ? child.pid : undefined;
    },
    start,
    stop,
  };
}
