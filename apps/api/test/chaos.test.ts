// The chaos scripts (npm run chaos:*) in a short configuration: each breaks its own
// Redis, S3, PostgreSQL cluster or server process and exits non-zero when an
// upload was lost, doubled, orphaned or stuck. The four run at once: most of
// their time is waiting. chaos:kill sets the pace: a job that was active in a
// killed server comes back only through BullMQ's stalled-job check (30 s lock,
// checked every 30 s: up to a minute), and the file of an upload the kill cut
// off is removed after the 35 s upload grace (REQUEST_TIMEOUT_MS=5000 + 30 s).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, inject, it } from 'vitest';
import { repoRoot } from '../src/dev/database-setup.js';

const SHORT_RUN = {
  CHAOS_DOCS: '30',
  CHAOS_KILLS: '2',
  CHAOS_OUTAGE_MS: '3000',
  CHAOS_SETTLE_MS: '120000',
  CHAOS_WRITE_BENCHMARKS: 'false',
};

async function runChaosScript(name: string): Promise<{ code: number | null; output: string }> {
  const child = spawn('npm', ['run', '--silent', `chaos:${name}`], {
    cwd: repoRoot,
    env: { ...process.env, ...SHORT_RUN, CHAOS_POSTGRES_URL: inject('databaseUrl') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, output };
}

describe.concurrent('chaos scripts, short runs', () => {
  for (const name of ['kill', 'redis', 'postgres', 's3']) {
    it(`chaos:${name} loses, doubles and strands nothing`, async () => {
      const { code, output } = await runChaosScript(name);
      expect(output).toContain(`chaos:${name}: PASS`);
      expect(code, output).toBe(0);
    }, 300_000);
  }
});
