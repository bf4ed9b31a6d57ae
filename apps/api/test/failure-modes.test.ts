import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintToken } from '../src/dev/tokens.js';
import { textPdf } from './helpers/documents.js';
import { multipartBody } from './helpers/multipart.js';
import { objectKeysOf } from './helpers/storage.js';
import { bearer, createTenant } from './helpers/tenants.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';
import { TEST_JWT_SECRET } from './helpers/test-config.js';

/** Nothing listens on port 1 of loopback: connections are refused at once. */
const CLOSED_PORT_REDIS = 'redis://127.0.0.1:1';
const CLOSED_PORT_S3 = 'http://127.0.0.1:1';

async function uploadTo(t: TestApp, token: string, entityId: string, salt: string) {
  const body = multipartBody(await textPdf(['Invoice', salt], salt));
  return t.app.inject({ method: 'POST', url: `/api/entities/${entityId}/bills/scan`, headers: { ...body.headers, ...bearer(token) }, payload: body.payload });
}

describe('with Redis unreachable', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ overrides: { REDIS_URL: CLOSED_PORT_REDIS } });
  });
  afterAll(() => t.close());

  it('an upload answers 503 and leaves no document and no stored file', async () => {
    const tenant = await createTenant(t.db);
    const response = await uploadTo(t, tenant.memberToken, tenant.entityId, 'redis-down');
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ code: 'QUEUE_UNAVAILABLE' });
    expect(await t.db.document.count({ where: { tenantId: tenant.tenantId } })).toBe(0);
    expect(await objectKeysOf(tenant.tenantId)).toEqual([]);
  });

  it('/health answers 503 and names Redis', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ status: 'error', checks: { redis: { status: 'down' }, database: { status: 'up' } } });
  });
});

describe('with S3 unreachable', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ overrides: { S3_ENDPOINT: CLOSED_PORT_S3 } });
  });
  afterAll(() => t.close());

  it('an upload answers 503 and leaves no document and no job', async () => {
    const tenant = await createTenant(t.db);
    const response = await uploadTo(t, tenant.memberToken, tenant.entityId, 's3-down');
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
    expect(await t.db.document.count({ where: { tenantId: tenant.tenantId } })).toBe(0);
    expect(await t.queues.bill.count()).toBe(0);
  });

  it('/health stays 200 but reports degraded', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'degraded', checks: { storage: { status: 'down' } } });
  });
});

describe('with PostgreSQL unreachable', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ overrides: { DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/billflow_test' } });
  });
  afterAll(() => t.close());

  it('/health answers 503 and API calls answer 503', async () => {
    const health = await t.app.inject({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(503);
    expect(health.json()).toMatchObject({ checks: { database: { status: 'down' } } });

    const token = mintToken(TEST_JWT_SECRET, { sub: 'someone', tenantId: randomUUID(), role: 'MEMBER' });
    const list = await t.app.inject({ method: 'GET', url: '/api/bills', headers: bearer(token) });
    expect(list.statusCode).toBe(503);
    expect(list.json()).toMatchObject({ code: 'DATABASE_UNAVAILABLE' });
  });

  it('an upload (its statements run on node-postgres, not Prisma) answers 503 before anything is stored', async () => {
    const tenantId = randomUUID();
    const entityId = randomUUID();
    const token = mintToken(TEST_JWT_SECRET, { sub: 'someone', tenantId, role: 'MEMBER' });
    const response = await uploadTo(t, token, entityId, 'database-down');
    expect(response.statusCode, response.body).toBe(503);
    expect(response.json()).toMatchObject({ code: 'DATABASE_UNAVAILABLE' });
    expect(await objectKeysOf(tenantId)).toEqual([]);
  });
});

describe('with everything up', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('/health answers 200 ok', async () => {
    // The first call opens the pool connections; under a loaded test run that alone can approach the check timeout.
    await t.app.inject({ method: 'GET', url: '/health' });
    const response = await t.app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json(), response.body).toMatchObject({ status: 'ok', checks: { database: { status: 'up' }, redis: { status: 'up' }, storage: { status: 'up' } } });
  });
});
