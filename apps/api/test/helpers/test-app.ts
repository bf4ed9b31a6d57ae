import type { Worker } from 'bullmq';
import { pino, type Logger } from 'pino';
import { buildApp, type App } from '../../src/app.js';
import type { Config } from '../../src/config.js';
import { closeConnections, openConnections, startWorkers, type Connections } from '../../src/runtime.js';
import { allQueues } from '../../src/services/all-queues.js';
import { createMetrics, type Metrics } from '../../src/services/metrics.js';
import type { ObjectStorage } from '../../src/services/object-storage.js';
import { WorkerRegistry } from '../../src/services/worker-registry.js';
import { createTenant, type TenantFixture } from './tenants.js';
import { testConfig } from './test-config.js';

export interface TestApp extends Connections {
  app: App;
  metrics: Metrics;
  config: Config;
  workers: Worker[];
  close(): Promise<void>;
}

export interface TestAppOptions {
  overrides?: Record<string, string>;
  /** Start the scan workers in this process too. */
  workers?: boolean;
  /** Wraps the real storage, e.g. to inject faults into a real S3 round trip. */
  wrapStorage?: (storage: ObjectStorage) => ObjectStorage;
  /** Where the app and its workers log (default: silent, or TEST_LOG_LEVEL). */
  logger?: Logger;
}

/** The real app on real connections; `inject` talks to it without a network port. */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const config = testConfig(options.overrides);
  const logger = options.logger ?? pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const opened = openConnections(config, logger);
  const connections = { ...opened, storage: options.wrapStorage?.(opened.storage) ?? opened.storage };
  const registry = new WorkerRegistry();
  const metrics = createMetrics(() => allQueues(connections));
  const app = await buildApp({ config, logger, ...connections, workers: registry, metrics });
  await app.ready();
  const workers = options.workers ? startWorkers(config, logger, connections, registry, metrics) : [];
  return {
    ...connections,
    app,
    metrics,
    config,
    workers,
    async close() {
      await app.close();
      await Promise.all(workers.map((worker) => worker.close()));
      if (connections.redis.status === 'ready') {
        await Promise.all([...Object.values(connections.queues), connections.maintenance].map((queue) => queue.obliterate({ force: true })));
      }
      await closeConnections(connections);
    },
  };
}

/** A test app and a fresh tenant in it: `beforeAll(async () => ({ t, tenant } = await appWithTenant()))`. */
export async function appWithTenant(options: TestAppOptions = {}): Promise<{ t: TestApp; tenant: TenantFixture }> {
  const t = await createTestApp(options);
  return { t, tenant: await createTenant(t.db) };
}
