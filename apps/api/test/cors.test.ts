import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { bearer, type TenantFixture } from './helpers/tenants.js';
import { appWithTenant, createTestApp, type TestApp } from './helpers/test-app.js';
import { testConfig } from './helpers/test-config.js';

const ALLOWED = 'https://app.billflow.test';
const FOREIGN = 'https://evil.example';

const preflight = (t: TestApp, origin: string, url = `/api/entities/${randomUUID()}/bills/scan`) =>
  t.app.inject({
    method: 'OPTIONS',
    url,
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,idempotency-key' },
  });

const listHeader = (value: unknown) =>
  String(value ?? '')
    .split(',')
    .map((item) => item.trim().toLowerCase());

describe('CORS with an allow-list', () => {
  let t: TestApp;
  let tenant: TenantFixture;
  beforeAll(async () => ({ t, tenant } = await appWithTenant({ overrides: { CORS_ORIGINS: `${ALLOWED}, https://admin.billflow.test` } })));
  afterAll(() => t.close());

  it('answers a preflight from an allowed origin with 204 and the headers an upload needs, without authentication', async () => {
    const response = await preflight(t, ALLOWED);
    expect(response.statusCode).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(listHeader(response.headers['access-control-allow-methods'])).toEqual(expect.arrayContaining(['get', 'post', 'patch', 'delete']));
    expect(listHeader(response.headers['access-control-allow-headers'])).toEqual(expect.arrayContaining(['authorization', 'content-type', 'idempotency-key']));
    expect(response.headers['access-control-allow-credentials']).toBeUndefined();
    expect(response.headers['access-control-max-age']).toBe('600');
    expect(listHeader(response.headers.vary)).toContain('origin');
  });

  it('answers preflights on every route, admin ones included (the browser sends no token with them)', async () => {
    const response = await preflight(t, ALLOWED, '/api/admin/failures');
    expect(response.statusCode).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe(ALLOWED);
  });

  it('lets the allowed origin read the response and its request id, rate-limit and retry headers', async () => {
    const response = await t.app.inject({ method: 'GET', url: `/api/documents/${randomUUID()}`, headers: { origin: ALLOWED, ...bearer(tenant.memberToken) } });
    expect(response.statusCode).toBe(404);
    expect(response.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(listHeader(response.headers['access-control-expose-headers'])).toEqual(
      expect.arrayContaining(['x-request-id', 'retry-after', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset']),
    );
  });

  it('gives a foreign origin no Access-Control-Allow-Origin, on preflights and on requests', async () => {
    const answered = await preflight(t, FOREIGN);
    expect(answered.headers['access-control-allow-origin']).toBeUndefined();
    const response = await t.app.inject({ method: 'GET', url: `/api/documents/${randomUUID()}`, headers: { origin: FOREIGN, ...bearer(tenant.memberToken) } });
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('still authenticates the actual request from an allowed origin', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/notifications', headers: { origin: ALLOWED } });
    expect(response.statusCode).toBe(401);
    expect(response.headers['access-control-allow-origin']).toBe(ALLOWED);
  });
});

describe('CORS_ORIGINS unset', () => {
  let t: TestApp;
  let tenant: TenantFixture;
  beforeAll(async () => ({ t, tenant } = await appWithTenant()));
  afterAll(() => t.close());

  it('sends no CORS header at all', async () => {
    const answered = await preflight(t, ALLOWED);
    const response = await t.app.inject({ method: 'GET', url: `/api/documents/${randomUUID()}`, headers: { origin: ALLOWED, ...bearer(tenant.memberToken) } });
    for (const headers of [answered.headers, response.headers]) {
      expect(Object.keys(headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
    }
  });
});

describe('CORS_ORIGINS=*', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ overrides: { CORS_ORIGINS: '*' } });
  });
  afterAll(() => t.close());

  it('allows any origin, without credentials', async () => {
    const response = await preflight(t, FOREIGN);
    expect(response.statusCode).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe('*');
    expect(response.headers['access-control-allow-credentials']).toBeUndefined();
  });
});

describe('CORS_ORIGINS validation', () => {
  it.each(['https://app.billflow.test/', 'https://app.billflow.test/path', 'app.billflow.test', 'https://a.test,not an origin'])('refuses %j at start', (value) => {
    expect(() => testConfig({ CORS_ORIGINS: value })).toThrow();
  });

  it('accepts origins with ports, and spaces after commas', () => {
    expect(testConfig({ CORS_ORIGINS: 'https://app.billflow.test, http://localhost:5173' }).CORS_ORIGINS).toBeDefined();
  });

  it('names the variable in the ConfigError', () => {
    let error: unknown;
    try {
      loadConfig({ DATABASE_URL: 'postgresql://x@127.0.0.1/db', REDIS_URL: 'redis://127.0.0.1:6379', JWT_SECRET: 'k'.repeat(32), CORS_ORIGINS: 'https://a.test/x' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.join('\n')).toMatch(/^CORS_ORIGINS: /m);
  });
});
