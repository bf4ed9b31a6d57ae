import type { ChaosEnvironment } from './chaos-environment.js';
import { chaosSettings } from './chaos-settings.js';
import { waitUntilHealthy } from '../../lib/healthy.js';
import { runChaos } from './run-chaos.js';
import { isAccepted, uploadDocuments, type UploadOutcome } from './uploads.js';

/** What the scenario takes away and gives back. */
export interface Dependency {
  stop(): Promise<void>;
  start(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One dependency down for CHAOS_OUTAGE_MS once a third of the documents have
 * gone up, with one server process throughout. Uploads keep coming during the
 * outage (until the server is healthy again), but spaced out so that it takes about a fifth of them rather than
 * burning the rest of the batch in fast 503s.
 */
export async function runOutageScenario(options: { name: string; what: string; privatePostgres?: boolean; dependency(env: ChaosEnvironment): Dependency }) {
  const settings = chaosSettings({ docs: 200 });
  const outageAt = Math.floor(settings.CHAOS_DOCS / 3);
  const spacingMs = settings.CHAOS_OUTAGE_MS / Math.max(1, Math.floor(settings.CHAOS_DOCS / 5));
  let during: { from: number; to: number } | undefined;

  await runChaos({
    name: options.name,
    settings,
    fault: `${options.what} down ${settings.CHAOS_OUTAGE_MS / 1000} s`,
    privatePostgres: options.privatePostgres,
    allowedStatuses: (status) => isAccepted(status) || status === 503,
    extraChecks: (outcomes: UploadOutcome[]) =>
      (outcomes.some((outcome) => outcome.status === 503) ? [] : [`no upload answered 503: the outage was not observed`]),
    async drive(env, runId) {
      const server = await env.startServer();
      const dependency = options.dependency(env);
      let outage: Promise<void> | undefined;
      let nextStart = 0;
      const outcomes = await uploadDocuments(
        {
          count: settings.CHAOS_DOCS,
          concurrency: settings.CHAOS_CONCURRENCY,
          entityId: env.entityId,
          token: env.memberToken,
          serverUrl: async () => server.url,
          async beforeUpload(index) {
            if (index === outageAt) {
              outage = (async () => {
                await dependency.stop();
                during = { from: Date.now(), to: Number.POSITIVE_INFINITY };
                console.log(`${options.what} stopped after ${index} uploads`);
                await sleep(settings.CHAOS_OUTAGE_MS);
                await dependency.start();
                // Until the server has reconnected, uploads would still burn in fast 503s.
                await waitUntilHealthy(server.url);
                during.to = Date.now();
                console.log(`${options.what} started again and the server is healthy`);
              })();
            }
            if (during && Date.now() < during.to) {
              const now = Date.now();
              const wait = Math.max(0, nextStart - now);
              nextStart = Math.max(now, nextStart) + spacingMs;
              await sleep(wait);
            }
          },
        },
        runId,
      );
      await outage;
      if (server.child.exitCode !== null || server.child.signalCode !== null) throw new Error(`the server exited (${server.child.exitCode ?? server.child.signalCode}) during the run`);
      return outcomes;
    },
  });
}
