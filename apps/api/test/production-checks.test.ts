import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { configSchema, type Config } from '../src/config.js';
import { repoRoot } from '../src/dev/database-setup.js';
import { reviewProductionConfig } from '../src/production-checks.js';
import { spawnServer } from '../scripts/lib/server-process.js';
import { testConfig } from './helpers/test-config.js';

const STRONG_SECRET = 'q7Vd2mX9pL4sR8tK1nB6wZ3yH5jC0fGa';

/** A production deployment with nothing to object to. */
const safe = (overrides: Record<string, string> = {}): Config =>
  configSchema.parse({
    NODE_ENV: 'production',
    HOST: '0.0.0.0',
    DATABASE_URL: 'postgresql://billflow:pw@db.internal:5432/billflow',
    DATABASE_SSL_MODE: 'verify-full',
    REDIS_URL: 'rediss://cache.internal:6380',
    JWT_SECRET: STRONG_SECRET,
    S3_SSE: 'AES256',
    ...overrides,
  });

describe('reviewProductionConfig', () => {
  it('has nothing to say about a safe production configuration', () => {
    expect(reviewProductionConfig(safe())).toEqual({ refusals: [], warnings: [] });
  });

  it.each([
    ['one repeated character', 'a'.repeat(40)],
    ['few distinct characters', 'abcabcabcabcabcabcabcabcabcabcabc'],
    ['a placeholder', 'change-me-to-a-long-random-value-1234'],
    ['a hand-typed secret', 'my-super-secret-jwt-signing-key-2026'],
  ])('refuses a JWT_SECRET that is %s, naming it without its value', (_name, secret) => {
    const { refusals } = reviewProductionConfig(safe({ JWT_SECRET: secret }));
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toMatch(/^JWT_SECRET /);
    expect(refusals.join('\n')).not.toContain(secret);
  });

  it('refuses a weak METRICS_TOKEN too', () => {
    expect(reviewProductionConfig(safe({ METRICS_TOKEN: '0'.repeat(32) })).refusals).toEqual([expect.stringMatching(/^METRICS_TOKEN /)]);
    expect(reviewProductionConfig(safe({ METRICS_TOKEN: 'Zr8wq2Lx0Vn5Tb7Yk3Hm9Pc4Jd6Fs1Ga' })).refusals).toEqual([]);
  });

  it.each<[string, Record<string, string>, RegExp]>([
    ['wildcard CORS', { CORS_ORIGINS: 'https://app.example.com, *' }, /^CORS_ORIGINS/],
    ['a localhost database', { DATABASE_URL: 'postgresql://postgres@localhost:5432/billflow' }, /^DATABASE_URL points at localhost/],
    ['a loopback Redis', { REDIS_URL: 'rediss://127.0.0.1:6380' }, /^REDIS_URL points at localhost/],
    ['a localhost S3 endpoint', { S3_ENDPOINT: 'http://[::1]:9000', S3_SSE: 'none' }, /^S3_ENDPOINT points at localhost/],
    ["s3rver's key", { S3_ACCESS_KEY_ID: 'S3RVER', S3_SECRET_ACCESS_KEY: 'S3RVER' }, /test key/],
    ["MinIO's default key", { S3_ACCESS_KEY_ID: 'minioadmin', S3_SECRET_ACCESS_KEY: 'minioadmin' }, /test key/],
    ['no TLS to a remote PostgreSQL', { DATABASE_SSL_MODE: 'disable' }, /^DATABASE_SSL_MODE=disable/],
    ['no TLS to a remote Redis', { REDIS_URL: 'redis://cache.internal:6379' }, /^Redis without TLS/],
    ['no server-side encryption on AWS S3', { S3_SSE: 'none' }, /^S3_SSE=none/],
    ['metrics served on a public address', { METRICS_PORT: '9464' }, /^METRICS_PORT/],
    ['debug logging', { LOG_LEVEL: 'trace' }, /^LOG_LEVEL/],
  ])('warns about %s (and nothing else)', (_name, overrides, warning) => {
    expect(reviewProductionConfig(safe(overrides))).toEqual({ refusals: [], warnings: [expect.stringMatching(warning)] });
  });

  it('does not warn where the setting is safe: TLS by REDIS_TLS, SSE=none on a non-AWS endpoint, metrics on loopback', () => {
    const review = reviewProductionConfig(
      safe({ REDIS_URL: 'redis://cache.internal:6379', REDIS_TLS: 'true', S3_ENDPOINT: 'https://s3.eu-central.r2.example', S3_SSE: 'none', METRICS_PORT: '9464', HOST: '127.0.0.1' }),
    );
    expect(review).toEqual({ refusals: [], warnings: [] });
  });

  it('never repeats a value in a warning', () => {
    const review = reviewProductionConfig(safe({ DATABASE_URL: 'postgresql://user:hunter2-db-password@127.0.0.1:5432/billflow', S3_ACCESS_KEY_ID: 'minioadmin', S3_SECRET_ACCESS_KEY: 'minio-secret-value' }));
    const text = review.warnings.join('\n');
    for (const value of ['hunter2-db-password', 'minioadmin', 'minio-secret-value']) expect(text).not.toContain(value);
  });
});

/** The environment of a real server process: the test services, as startServerProcess builds it. */
function serverEnv(overrides: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
  for (const [name, value] of Object.entries(testConfig(overrides))) if (value !== undefined) env[name] = String(value);
  return env;
}

describe('the real server in production mode', () => {
  it('refuses to start with a weak JWT_SECRET: exit code 1, the problem on stderr, never the secret', async () => {
    const weakSecret = 'billflow'.repeat(5);
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=source', 'apps/api/src/main.ts'], {
      cwd: repoRoot,
      env: { ...serverEnv({ NODE_ENV: 'production', JWT_SECRET: weakSecret }), PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    expect(stderr).toContain('JWT_SECRET has fewer than 10 distinct characters');
    expect(stdout + stderr).not.toContain(weakSecret);
    expect(stdout).not.toContain('Server listening');
  });

  it('starts with a strong secret and logs one warning line per unsafe setting, without values', async () => {
    const lines: string[] = [];
    const server = await spawnServer({ env: serverEnv({ NODE_ENV: 'production', JWT_SECRET: STRONG_SECRET }), onLine: (line) => lines.push(line) });
    try {
      const warnings = lines.map((line) => JSON.parse(line) as { level: number; check?: string; msg: string }).filter((entry) => entry.check === 'production-posture');
      expect(warnings.every((entry) => entry.level === 40)).toBe(true);
      const messages = warnings.map((entry) => entry.msg);
      expect(messages).toEqual(
        expect.arrayContaining([
          'DATABASE_URL points at localhost',
          'REDIS_URL points at localhost',
          'S3_ENDPOINT points at localhost',
          expect.stringMatching(/^S3_ACCESS_KEY_ID is a well-known test key/),
        ]),
      );
      expect(lines.join('\n')).not.toContain(STRONG_SECRET);
    } finally {
      expect(await server.stop('SIGTERM')).toBe(0);
    }
  });
});
