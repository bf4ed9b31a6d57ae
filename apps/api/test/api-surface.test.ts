import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessControl } from '../src/plugins/access-control.js';
import { authentication } from '../src/plugins/authentication.js';
import { createRecord } from './helpers/records.js';
import { bearer, createTenant, type TenantFixture } from './helpers/tenants.js';
import { appWithTenant, type TestApp } from './helpers/test-app.js';

let t: TestApp;
let tenant: TenantFixture;

beforeAll(async () => ({ t, tenant } = await appWithTenant()));
afterAll(() => t.close());

describe('OpenAPI', () => {
  it('serves the generated document at /docs/json with every API route', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/docs/json' });
    expect(response.statusCode).toBe(200);
    const spec = response.json();
    expect(spec.openapi).toMatch(/^3\./);
    for (const path of ['/api/entities/{entityId}/bills/scan', '/api/entities/{entityId}/invoices/scan', '/api/documents/{id}', '/api/bills', '/api/bills/{id}', '/api/invoices', '/api/invoices/{id}', '/health']) {
      expect(Object.keys(spec.paths)).toContain(path);
    }
    expect(spec.paths['/api/bills/{id}'].patch.requestBody).toBeDefined();
    expect(spec.components.schemas).toHaveProperty('AccountingRecord');
  });

  it('serves Swagger UI at /docs', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/docs/' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('swagger');
  });
});

describe('GET /api/documents/:id', () => {
  it("answers 404 for another tenant's document", async () => {
    const { document } = await createRecord(t.db, tenant, { vendorName: 'Someone' });
    const stranger = await createTenant(t.db);
    expect((await t.app.inject({ method: 'GET', url: `/api/documents/${document.id}`, headers: bearer(stranger.adminToken) })).statusCode).toBe(404);
    const own = await t.app.inject({ method: 'GET', url: `/api/documents/${document.id}`, headers: bearer(tenant.memberToken) });
    expect(own.json()).toMatchObject({ id: document.id, kind: 'bill', status: 'PROCESSED', progress: 100 });
  });

  it('answers unknown routes with a 404 body in the error format', async () => {
    const response = await t.app.inject({ method: 'GET', url: `/api/nothing/${randomUUID()}` });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('access rules', () => {
  it('refuses to register a route that declares no access rule', async () => {
    const app = Fastify();
    await app.register(authentication, t.config);
    await app.register(accessControl);
    expect(() => app.get('/api/unguarded', async () => 'open')).toThrow(/declares no access rule/);
    expect(() => app.get('/api/guarded', { config: { access: 'member' } }, async () => 'closed')).not.toThrow();
    await app.close();
  });
});

describe('bodies Fastify refuses before a route runs', () => {
  const patch = (payload: string, contentType: string) =>
    t.app.inject({ method: 'PATCH', url: `/api/bills/${randomUUID()}`, headers: { ...bearer(tenant.adminToken), 'content-type': contentType }, payload });

  it.each([
    { body: '{"notes": ', type: 'application/json', status: 400, code: 'INVALID_JSON' },
    { body: '{"__proto__": {"admin": true}}', type: 'application/json', status: 400, code: 'INVALID_JSON' },
    { body: '<notes>x</notes>', type: 'application/xml', status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
    { body: `{"notes": "${'x'.repeat(1024 * 1024)}"}`, type: 'application/json', status: 413, code: 'BODY_TOO_LARGE' },
  ])('$code ($status) in the error shape', async ({ body, type, status, code }) => {
    const response = await patch(body, type);
    expect(response.statusCode).toBe(status);
    expect(response.json()).toEqual({ code, message: expect.any(String) });
  });
});
