// npm run chaos:kill — the server SIGKILLed CHAOS_KILLS times at random moments while uploading, restarted each time.
import type { ServerProcess } from '../lib/server-process.js';
import { chaosSettings } from './lib/chaos-settings.js';
import { waitUntilHealthy } from '../lib/healthy.js';
import { runChaos } from './lib/run-chaos.js';
import { isAccepted, uploadDocuments } from './lib/uploads.js';

const settings = chaosSettings({ docs: 500 });
/** Upload indexes after which a kill comes, spread at random over the middle 80% of the run. */
const killAfter = Array.from({ length: settings.CHAOS_KILLS }, () => Math.floor(settings.CHAOS_DOCS * (0.1 + 0.8 * Math.random()))).sort((a, b) => a - b);
let kills = 0;

await runChaos({
  name: 'kill',
  settings,
  fault: `${settings.CHAOS_KILLS} kills`,
  allowedStatuses: (status) => isAccepted(status) || status === 'network-error',
  extraChecks: () => (kills === settings.CHAOS_KILLS ? [] : [`${kills} of ${settings.CHAOS_KILLS} kills happened`]),
  async drive(env, runId) {
    // Uploads go to a server once its readiness check passes, as behind a load balancer.
    const startHealthy = async () => {
      const server = await env.startServer();
      await waitUntilHealthy(server.url);
      return server;
    };
    let current: Promise<ServerProcess> = startHealthy();
    const restarts: Promise<ServerProcess>[] = [];
    const outcomes = await uploadDocuments(
      {
        count: settings.CHAOS_DOCS,
        concurrency: settings.CHAOS_CONCURRENCY,
        entityId: env.entityId,
        token: env.memberToken,
        serverUrl: async () => (await current).url,
        async beforeUpload(index) {
          while (killAfter.length && index >= killAfter[0]!) {
            killAfter.shift();
            // A moment later, so the kill lands among uploads and jobs in flight.
            await new Promise((resolve) => setTimeout(resolve, Math.random() * 300));
            const victim = await current;
            current = victim.stop('SIGKILL').then(() => {
              kills++;
              console.log(`kill ${kills} after ${index} uploads; restarting`);
              return startHealthy();
            });
            restarts.push(current);
          }
        },
      },
      runId,
    );
    await Promise.all(restarts);
    return outcomes;
  },
});
