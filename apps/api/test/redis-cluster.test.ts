import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slowPdf } from './helpers/documents.js';
import { connectEventStream, documentEvents, within } from './helpers/event-stream.js';
import { invoicePdf } from './helpers/invoices.js';
import { startRedisCluster, type RedisCluster } from './helpers/redis-cluster.js';
import { createTenant, type TenantFixture } from './helpers/tenants.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';
import { testConfig } from './helpers/test-config.js';
import { postUpload, settledDocument, uploadAccepted } from './helpers/uploads.js';

/**
 * The whole app (API, workers, rate limits, idempotency, health) on a real three-node Redis
 * Cluster. Every key it writes carries the prefix's hash tag, chosen on another node than the
 * one REDIS_URL names: a client that did not follow redirections would get MOVED for all of them.
 */
let cluster: RedisCluster;
let t: TestApp;
let tenant: TenantFixture;
const UPLOAD_LIMIT = 3;

beforeAll(async () => {
  cluster = await startRedisCluster();
  t = await createTestApp({
    workers: true,
    overrides: { REDIS_URL: cluster.url, REDIS_CLUSTER: 'true', QUEUE_PREFIX: await cluster.hashTagOffSeed(), UPLOAD_RATE_LIMIT_PER_MINUTE: String(UPLOAD_LIMIT) },
  });
  tenant = await createTenant(t.db);
}, 60_000);
afterAll(async () => {
  await t?.close();
  await cluster?.stop();
});

describe('REDIS_CLUSTER=true', () => {
  it('refuses to start without a hash tag in QUEUE_PREFIX: BullMQ needs each queue in one slot', () => {
    expect(() => testConfig({ REDIS_CLUSTER: 'true', QUEUE_PREFIX: 'billflow' })).toThrow(/hash tag/);
    expect(testConfig({ REDIS_CLUSTER: 'true', QUEUE_PREFIX: '{billflow}' }).REDIS_CLUSTER).toBe(true);
  });

  it('takes an upload through the queue to a record, and /health and /health/workers see the cluster', async () => {
    const documentId = await uploadAccepted(t, tenant, await invoicePdf(`CL-${randomUUID().slice(0, 8)}`));
    const document = await settledDocument(t, tenant, documentId, 30_000);
    expect(document.status).toBe('PROCESSED');
    expect(document.recordId).toEqual(expect.any(String));

    const health = await t.app.inject({ method: 'GET', url: '/health' });
    expect(health.json().checks.redis.status).toBe('up');
    const workers = await t.app.inject({ method: 'GET', url: '/health/workers' });
    expect(workers.statusCode, workers.body).toBe(200);
    expect(workers.json().status).toBe('ok');
  });

  it("streams a document's states from the cluster's event streams (SSE) until it is processed", async () => {
    const baseUrl = await t.app.listen({ host: '127.0.0.1', port: 0 });
    await t.documentEvents.ready();
    const documentId = await uploadAccepted(t, tenant, await slowPdf(10, `cluster-sse-${randomUUID()}`));
    const client = await connectEventStream(`${baseUrl}/api/documents/${documentId}/events`, tenant.memberToken);
    await within(client.ended, 30_000, 'the stream to end');
    const states = documentEvents(client);
    expect(states.at(-1)).toEqual(expect.objectContaining({ id: documentId, status: 'PROCESSED', progress: 100 }));
    expect(states.some((state) => state.status === 'PROCESSING' && Number(state.progress) > 0 && Number(state.progress) < 100)).toBe(true);
  });

  it('answers a repeated Idempotency-Key with the first answer and no second document', async () => {
    const fixture = await createTenant(t.db);
    const file = await invoicePdf(`CL-${randomUUID().slice(0, 8)}`);
    const key = randomUUID();
    const first = await postUpload(t, fixture, file, { key });
    const again = await postUpload(t, fixture, file, { key });
    expect(first.statusCode, first.body).toBe(202);
    expect(again.statusCode, again.body).toBe(first.statusCode);
    expect(again.json().documentId).toBe(first.json().documentId);
    expect(await t.db.document.count({ where: { tenantId: fixture.tenantId } })).toBe(1);
  });

  it("keeps each tenant's upload budget in the cluster", async () => {
    const fixture = await createTenant(t.db);
    for (let index = 0; index < UPLOAD_LIMIT; index++) {
      expect((await postUpload(t, fixture, await invoicePdf(`CL-${randomUUID().slice(0, 8)}`))).statusCode).toBe(202);
    }
    const refused = await postUpload(t, fixture, await invoicePdf(`CL-${randomUUID().slice(0, 8)}`));
    expect(refused.statusCode, refused.body).toBe(429);
    expect(refused.json().code).toBe('UPLOAD_RATE_LIMITED');
  });
});
