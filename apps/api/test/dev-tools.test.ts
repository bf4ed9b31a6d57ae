import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { repoRoot } from '../src/dev/database-setup.js';
import { bearer } from './helpers/tenants.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';
import { TEST_JWT_SECRET } from './helpers/test-config.js';

const run = promisify(execFile);

/** Runs one of the dev command-line tools the way `npm run …` does, against the test services. */
function devTool(script: string, args: string[] = [], env: Record<string, string> = {}) {
  return run('npx', ['tsx', '--conditions=source', `apps/api/src/dev/${script}`, ...args], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: inject('databaseUrl'), REDIS_URL: inject('redisUrl'), JWT_SECRET: TEST_JWT_SECRET, ...env },
    timeout: 60_000,
  });
}

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('npm run seed', () => {
  it('is idempotent and prints, last, a JSON summary whose tokens work', async () => {
    const first = await devTool('seed-cli.ts');
    const second = await devTool('seed-cli.ts');
    const summary = JSON.parse(second.stdout.trim().split('\n').at(-1)!);
    expect(JSON.parse(first.stdout.trim().split('\n').at(-1)!).tenantId).toBe(summary.tenantId);
    expect(Object.keys(summary).sort()).toEqual(['adminToken', 'entityId', 'memberToken', 'operatorToken', 'otherTenantToken', 'tenantId']);

    const list = (token: string) => t.app.inject({ method: 'GET', url: `/api/bills?entityId=${summary.entityId}`, headers: bearer(token) });
    expect((await list(summary.adminToken)).statusCode).toBe(200);
    expect((await list(summary.memberToken)).statusCode).toBe(200);
    expect((await list(summary.otherTenantToken)).json().items).toEqual([]);
    const other = JSON.parse(Buffer.from(summary.otherTenantToken.split('.')[1], 'base64url').toString());
    expect(other).toMatchObject({ role: 'ADMIN' });
    expect(other.tenantId).not.toBe(summary.tenantId);
    expect(other.exp - other.iat).toBe(24 * 3600);

    // The OPERATOR belongs to the demo tenant and reaches every tenant's jobs and whole-queue actions; an ADMIN does not.
    const claims = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
    expect(claims(summary.operatorToken)).toMatchObject({ role: 'OPERATOR', tenantId: summary.tenantId });
    expect(claims(summary.adminToken)).toMatchObject({ role: 'ADMIN', tenantId: summary.tenantId });
    const pause = (token: string) => t.app.inject({ method: 'POST', url: '/api/admin/queues/no-such-queue/pause', headers: bearer(token) });
    expect((await pause(summary.adminToken)).statusCode).toBe(403);
    expect((await pause(summary.operatorToken)).statusCode).toBe(404);
  }, 90_000);
});

describe('npm run token', () => {
  it('mints a token for a seeded user by e-mail', async () => {
    await devTool('seed-cli.ts');
    const { stdout } = await devTool('token-cli.ts', ['--user', 'member@demo.billflow.test']);
    const claims = JSON.parse(Buffer.from(stdout.trim().split('.')[1]!, 'base64url').toString());
    expect(claims).toMatchObject({ role: 'MEMBER', tenantId: expect.any(String), sub: expect.any(String) });
  }, 60_000);

  it('mints an OPERATOR token with --role OPERATOR', async () => {
    await devTool('seed-cli.ts');
    const { stdout } = await devTool('token-cli.ts', ['--user', 'operator@demo.billflow.test', '--role', 'OPERATOR']);
    const claims = JSON.parse(Buffer.from(stdout.trim().split('.')[1]!, 'base64url').toString());
    expect(claims).toMatchObject({ role: 'OPERATOR', tenantId: expect.any(String) });
    await expect(devTool('token-cli.ts', ['--user', 'operator@demo.billflow.test', '--role', 'ROOT'])).rejects.toMatchObject({ code: 2 });
  }, 60_000);

  it('explains its usage when the user is unknown and no tenant or role is given', async () => {
    await expect(devTool('token-cli.ts', ['--user', 'nobody@example.invalid'])).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('usage') });
  });
});

describe('npm run dev', () => {
  it('stops with a one-line reason when Redis is unreachable', async () => {
    const failure = await devTool('dev-server.ts', [], { REDIS_URL: 'redis://127.0.0.1:1' }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 1 });
    const stderr = (failure as { stderr: string }).stderr.trim();
    expect(stderr.split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^Redis is not reachable at 127\.0\.0\.1:1 .*REDIS_URL/);
  });

  it('stops with a one-line reason when PostgreSQL is unreachable', async () => {
    const failure = await devTool('dev-server.ts', [], { DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/billflow' }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 1 });
    expect((failure as { stderr: string }).stderr.trim()).toMatch(/^PostgreSQL is not reachable at 127\.0\.0\.1:1 .*DATABASE_URL[^\n]*$/);
  });
});
