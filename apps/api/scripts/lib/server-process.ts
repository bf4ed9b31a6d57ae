import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { repoRoot } from '../../src/dev/database-setup.js';

/** Node arguments that run a TypeScript entry (path from the repo root) the way `npm run dev` runs the server. */
export const tsxEntry = (entry: string) => ['--import', 'tsx', '--conditions=source', entry];

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  /** Sends the signal and resolves with the exit code. */
  stop(signal: NodeJS.Signals): Promise<number | null>;
  /** Resolves with the exit code whenever the process ends. */
  exited: Promise<number | null>;
}

export interface SpawnServerOptions {
  /** Environment of the server (the parent's environment is not inherited beyond PATH and HOME). */
  env: Record<string, string>;
  /** Receives every stdout line (pino JSON at level info: the listening line is needed). */
  onLine?: (line: string) => void;
  startTimeoutMs?: number;
  /** Runs the production build (apps/api/dist/main.js, after `npm run build`) with plain node, as deployed; else main.ts with tsx. */
  built?: boolean;
  /** Extra node arguments, e.g. --cpu-prof. */
  nodeArgs?: string[];
}

/**
 * The real server (`apps/api/src/main.ts`, or its build) as a child process on a free port.
 * Resolves once it logs the address it listens on.
 */
export async function spawnServer(options: SpawnServerOptions): Promise<ServerProcess> {
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env, PORT: '0', LOG_LEVEL: 'info' };
  const entry = options.built ? ['apps/api/dist/main.js'] : tsxEntry('apps/api/src/main.ts');
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...entry], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    lines.on('line', (line) => {
      options.onLine?.(line);
      const match = /"msg":"Server listening at (http:\/\/[^"]+)"/.exec(line);
      if (match) resolve(match[1]!);
    });
    void exited.then((code) => reject(new Error(`server exited with ${code} before listening`)));
    setTimeout(() => reject(new Error(`server did not start within ${options.startTimeoutMs ?? 30_000} ms`)), options.startTimeoutMs ?? 30_000).unref();
  });
  return {
    child,
    url,
    exited,
    async stop(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
