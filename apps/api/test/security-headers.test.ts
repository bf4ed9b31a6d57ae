import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, type TenantFixture } from './helpers/tenants.js';
import { appWithTenant, type TestApp } from './helpers/test-app.js';

const API_CSP = "default-src 'none';frame-ancestors 'none'";
const HSTS = 'max-age=31536000; includeSubDomains';

describe.each([
  ['development', 'development'],
  ['production', 'production'],
])('security headers (NODE_ENV=%s)', (_name, nodeEnv) => {
  let t: TestApp;
  let tenant: TenantFixture;
  const production = nodeEnv === 'production';
  beforeAll(async () => ({ t, tenant } = await appWithTenant({ overrides: { NODE_ENV: nodeEnv } })));
  afterAll(() => t.close());

  const get = (url: string, token?: string) => t.app.inject({ method: 'GET', url, headers: token ? bearer(token) : {} });
  const expectTransportHeaders = (headers: Record<string, unknown>) => {
    expect(headers['x-content-type-options']).toBe('nosniff');
    if (production) expect(headers['strict-transport-security']).toBe(HSTS);
    else expect(headers['strict-transport-security']).toBeUndefined();
  };

  it.each([
    ['an authenticated JSON route', `/api/documents/${randomUUID()}`, 404],
    ['a refused request', '/api/notifications', 401],
    ['an unknown URL', '/nowhere', 404],
  ])('gives %s the strict API policy', async (_what, url, status) => {
    const response = await get(url, status === 401 ? undefined : tenant.memberToken);
    expect(response.statusCode).toBe(status);
    expect(response.headers['content-security-policy']).toBe(API_CSP);
    expectTransportHeaders(response.headers);
  });

  it('keeps the OpenAPI UI working: its own policy allows its scripts and styles', async () => {
    const page = await get('/docs/');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toMatch(/script-src 'self'/);
    expect(csp).toMatch(/style-src 'self'/);
    expect(csp).not.toContain("default-src 'none'");
    expectTransportHeaders(page.headers);
    expect((await get('/docs/json')).statusCode).toBe(200);
  });

  it('keeps Bull Board working: its pages get the board policy', async () => {
    const page = await get('/admin/queues', tenant.adminToken);
    expect(page.statusCode).toBe(200);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self' 'unsafe-inline'");
    expect(csp).toContain("frame-ancestors 'none'");
    expectTransportHeaders(page.headers);
  });
});
