import { spawnServer, type ServerProcess as ChildServer } from '../../scripts/lib/server-process.js';
import { testConfig } from './test-config.js';

export type ServerProcess = ChildServer & { queuePrefix: string };

/** The real server (`main.ts`, API + workers) as a child process on a free port, configured for the test services. */
export async function startServerProcess(overrides: Record<string, string> = {}): Promise<ServerProcess> {
  const config = testConfig(overrides);
  const env: Record<string, string> = { ...(process.env as Record<string, string>) };
  for (const [name, value] of Object.entries(config)) if (value !== undefined) env[name] = String(value);
  return { ...(await spawnServer({ env })), queuePrefix: config.QUEUE_PREFIX };
}
