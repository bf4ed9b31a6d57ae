import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { repoRoot } from '../../../src/dev/database-setup.js';

export interface BenchChild {
  pid: number;
  url: string;
  stop(): Promise<void>;
}

/** The line a bench child prints once it serves: `listening <url>`. */
export const announceListening = (url: string) => console.log(`listening ${url}`);

/** The bare Fastify + multipart server the upload and memory benchmarks compare Billflow with (plain JS on the build). */
export const bareUploadServer = 'apps/api/scripts/bench/lib/bare-upload-server.mjs';

/**
 * Runs Node with `args` as its own process (cwd: the repo root), so its CPU and memory are
 * its own; resolves with the URL once a stdout line matches `listening` (group 1 = URL).
 */
export async function spawnBenchChild(args: string[], env: Record<string, string>, listening = /^listening (\S+)$/): Promise<BenchChild> {
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  // Not left behind when the bench dies of an error.
  process.once('exit', () => child.kill('SIGTERM'));
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = listening.exec(line);
      if (match) resolve(match[1]!);
    });
    void exited.then(([code]) => reject(new Error(`node ${args.join(' ')} exited with ${code} before listening`)));
  });
  return {
    pid: child.pid!,
    url,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
