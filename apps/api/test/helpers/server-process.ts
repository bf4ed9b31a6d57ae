import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { repoRoot } from '../../src/dev/database-setup.js';
import { testConfig } from './test-config.js';

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  queuePrefix: string;
  /** Sends the signal and resolves with the exit code. */
  stop(signal: NodeJS.Signals): Promise<number | null>;
}

/** The real server (`main.ts`, API + workers) as a child process on a free port, configured for the test services. */
export async function startServerProcess(overrides: Record<string, string> = {}): Promise<ServerProcess> {
  const config = testConfig(overrides);
  const env: Record<string, string> = { ...(process.env as Record<string, string>) };
  for (const [name, value] of Object.entries(config)) if (value !== undefined) env[name] = String(value);
  // A free port, and the log line that tells which one.
  Object.assign(env, { PORT: '0', LOG_LEVEL: 'info' });

  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=source', 'apps/api/src/main.ts'], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const match = /"msg":"Server listening at (http:\/\/127\.0\.0\.1:\d+)"/.exec(line);
      if (match) resolve(match[1]!);
    });
    void exited.then((code) => reject(new Error(`server exited with ${code} before listening`)));
    setTimeout(() => reject(new Error('server did not start within 30 s')), 30_000).unref();
  });
  return {
    child,
    url,
    queuePrefix: config.QUEUE_PREFIX,
    async stop(signal) {
      child.kill(signal);
      return exited;
    },
  };
}
