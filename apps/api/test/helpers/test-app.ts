import type { Worker } from 'bullmq';
import { pino } from 'pino';
import { buildApp, type App } from '../../src/app.js';
import type { Config } from '../../src/config.js';
import { closeConnections, openConnections, startWorkers, type Connections } from '../../src/runtime.js';
import { testConfig } from './test-config.js';

export interface TestApp extends Connections {
  app: App;
  config: Config;
  workers: Worker[];
  close(): Promise<void>;
}

/** The real app on real connections; `inject` talks to it without a network port. */
export async function createTestApp(options: { overrides?: Record<string, string>; workers?: boolean } = {}): Promise<TestApp> {
  const config = testConfig(options.overrides);
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const connections = openConnections(config, logger);
  const app = await buildApp({ config, logger, ...connections });
  await app.ready();
  const workers = options.workers ? startWorkers(config, logger, connections) : [];
  return {
    ...connections,
    app,
    config,
    workers,
    async close() {
      await app.close();
      await Promise.all(workers.map((worker) => worker.close()));
      if (connections.redis.status === 'ready') {
        await Promise.all(Object.values(connections.queues).map((queue) => queue.obliterate({ force: true })));
      }
      await closeConnections(connections);
    },
  };
}
