import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freePorts } from '../../scripts/lib/free-port.js';
import { waitFor } from './wait.js';

export interface RedisCluster {
  /** One node's URL: what REDIS_URL names with REDIS_CLUSTER=true. */
  url: string;
  /**
   * A hash tag (`{…}`) whose slot another node than the one in `url` serves: keys under it
   * are reachable only by a client that follows the cluster's redirections.
   */
  hashTagOffSeed(): Promise<string>;
  stop(): Promise<void>;
}

const NODES = 3;

/** Asks one node until it answers, then returns what `ask` resolved to (undefined: ask again). */
async function untilNode<T>(port: number, ask: (node: Redis) => Promise<T | undefined>, what: string): Promise<T> {
  const node = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  node.on('error', () => undefined);
  try {
    return await waitFor(
      async () => {
        if (node.status !== 'ready') await node.connect().catch(() => node.disconnect());
        return node.status === 'ready' ? ask(node).catch(() => undefined) : undefined;
      },
      10_000,
      what,
    );
  } finally {
    node.disconnect();
  }
}

/**
 * A real Redis Cluster on loopback: three primaries that share the 16384 slots, no
 * replicas, nothing on disk. Each node's cluster bus gets a free port of its own.
 */
export async function startRedisCluster(): Promise<RedisCluster> {
  const directory = mkdtempSync(join(tmpdir(), 'billflow-redis-cluster-'));
  const ports = await freePorts(NODES * 2);
  const clientPorts = ports.slice(0, NODES);
  const children: ChildProcess[] = clientPorts.map((port, index) =>
    spawn(
      'redis-server',
      ['--port', String(port), '--cluster-port', String(ports[NODES + index]), '--cluster-enabled', 'yes', '--cluster-config-file', join(directory, `nodes-${port}.conf`)]
        .concat(['--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', directory]),
      { stdio: 'ignore' },
    ),
  );
  const stop = async () => {
    await Promise.all(children.filter((child) => child.exitCode === null).map((child) => new Promise((resolve) => child.once('exit', resolve).kill('SIGKILL'))));
    rmSync(directory, { recursive: true, force: true });
  };
  try {
    for (const port of clientPorts) await untilNode(port, async (node) => node.ping(), `Redis node ${port} to start`);
    const nodes = clientPorts.map((port) => `127.0.0.1:${port}`);
    await promisify(execFile)('redis-cli', ['--cluster', 'create', ...nodes, '--cluster-replicas', '0', '--cluster-yes']);
    for (const port of clientPorts) {
      await untilNode(port, async (node) => ((await node.cluster('INFO')).includes('cluster_state:ok') ? true : undefined), `node ${port} to join the cluster`);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const seedPort = clientPorts[0]!;
  const hashTagOffSeed = () =>
    untilNode(
      seedPort,
      async (node) => {
        // CLUSTER SLOTS: [first slot, last slot, [host, port, id, …] of the primary, replicas…] per range.
        const ranges = await node.cluster('SLOTS');
        for (let attempt = 0; attempt < 100; attempt++) {
          const tag = `{test-${randomUUID().slice(0, 8)}}`;
          const slot = await node.cluster('KEYSLOT', tag);
          const owner = ranges.find(([first, last]) => slot >= first && slot <= last)?.[2]?.[1];
          if (owner !== undefined && owner !== seedPort) return tag;
        }
        return undefined;
      },
      'a hash tag served by another node',
    );
  return { url: `redis://127.0.0.1:${seedPort}`, hashTagOffSeed, stop };
}
