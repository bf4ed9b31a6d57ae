import { spawnServer, type ServerProcess } from '../../lib/server-process.js';
import { printServerProblems } from './server-log.js';

/** A Billflow process of bench:scale (the production build); its warnings (a failed job says why) and its stderr go to ours. */
export async function spawnScaleServer(env: Record<string, string>): Promise<ServerProcess> {
  const server = await spawnServer({ env, onLine: printServerProblems, built: true });
  server.child.stderr?.pipe(process.stderr);
  return server;
}
