import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventStream } from '../src/plugins/event-stream.js';
import { slowPdf, textPdf } from './helpers/documents.js';
import { connectEventStream, documentEvents, within } from './helpers/event-stream.js';
import { createTenant, type TenantFixture } from './helpers/tenants.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';
import { settledDocument, uploadAccepted } from './helpers/uploads.js';
import { waitFor } from './helpers/wait.js';

/**
 * Two app instances on one queue prefix: `api` serves HTTP on a real port and
 * runs no workers; `worker` runs the workers. Every live event a client of
 * `api` sees has travelled through Redis from the other instance.
 */
let api: TestApp;
let worker: TestApp;
let baseUrl: string;
let tenant: TenantFixture;

beforeAll(async () => {
  api = await createTestApp();
  worker = await createTestApp({ workers: true, overrides: { QUEUE_PREFIX: api.config.QUEUE_PREFIX } });
  baseUrl = await api.app.listen({ host: '127.0.0.1', port: 0 });
  await api.documentEvents.ready();
  tenant = await createTenant(api.db);
});
afterAll(async () => {
  await worker?.close();
  await api?.close();
});

const noSubscribersLeft = () => waitFor(async () => (api.documentEvents.subscriberCount === 0 ? true : undefined), 5_000, 'subscribers to be cleaned up');

describe('GET /api/documents/:id/events', () => {
  it("streams a document's progress from a worker in another app instance and ends after the final state", async () => {
    expect(api.workers).toHaveLength(0);
    const documentId = await uploadAccepted(api, tenant, await slowPdf(30, `sse-live-${randomUUID()}`));
    const client = await connectEventStream(`${baseUrl}/api/documents/${documentId}/events`, tenant.memberToken);
    expect(client.status).toBe(200);
    expect(client.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(client.headers.get('cache-control')).toContain('no-cache');

    await within(client.ended, 30_000, 'the stream to end');
    const states = documentEvents(client);
    const last = states.at(-1)!;
    const document = await settledDocument(api, tenant, documentId);
    expect(last).toEqual({ id: documentId, status: 'PROCESSED', progress: 100, recordId: document.recordId, recordUrl: `/api/bills/${document.recordId}`, error: null });
    // The current state came first, live progress followed (from the other instance), and only the last one is final.
    const live = states.slice(1, -1);
    expect(live.length).toBeGreaterThan(0);
    expect(live.some((state) => state.status === 'PROCESSING' && Number(state.progress) > 0 && Number(state.progress) < 100)).toBe(true);
    expect(states.slice(0, -1).every((state) => state.status === 'QUEUED' || state.status === 'PROCESSING')).toBe(true);
    const progress = states.map((state) => Number(state.progress));
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    await noSubscribersLeft();
  });

  it('sends the final state at once to a client that connects after the document finished, then ends', async () => {
    const documentId = await uploadAccepted(api, tenant, await textPdf(['Invoice # SSE-1', 'Total $12.00'], `sse-late-${randomUUID()}`));
    await settledDocument(api, tenant, documentId);
    const client = await connectEventStream(`${baseUrl}/api/documents/${documentId}/events`, tenant.memberToken);
    await within(client.ended, 5_000, 'the stream to end');
    expect(documentEvents(client)).toEqual([expect.objectContaining({ id: documentId, status: 'PROCESSED', progress: 100 })]);
    await noSubscribersLeft();
  });

  it('leaves no subscription behind when clients leave, however early', async () => {
    const documentId = await uploadAccepted(api, tenant, await textPdf(['Invoice # SSE-3'], `sse-leave-${randomUUID()}`));
    await Promise.all(
      [0, 1, 2, 5, 10, 20].map(async (delayMs) => {
        const controller = new AbortController();
        const request = fetch(`${baseUrl}/api/events`, { headers: { authorization: `Bearer ${tenant.memberToken}` }, signal: controller.signal });
        setTimeout(() => controller.abort(), delayMs);
        await request.then((response) => response.body?.cancel()).catch(() => undefined);
      }),
    );
    const client = await connectEventStream(`${baseUrl}/api/documents/${documentId}/events`, tenant.memberToken);
    client.close();
    await noSubscribersLeft();
  });

  it("answers 404 for another tenant's document and 401 without a token, without opening a stream", async () => {
    const documentId = await uploadAccepted(api, tenant, await textPdf(['Invoice # SSE-2'], `sse-other-${randomUUID()}`));
    const stranger = await createTenant(api.db);
    const foreign = await fetch(`${baseUrl}/api/documents/${documentId}/events`, { headers: { authorization: `Bearer ${stranger.adminToken}` } });
    expect(foreign.status).toBe(404);
    expect(await foreign.json()).toMatchObject({ code: 'NOT_FOUND' });
    const unknown = await fetch(`${baseUrl}/api/documents/${randomUUID()}/events`, { headers: { authorization: `Bearer ${tenant.memberToken}` } });
    expect(unknown.status).toBe(404);
    expect((await fetch(`${baseUrl}/api/documents/${documentId}/events`)).status).toBe(401);
    await noSubscribersLeft();
  });

  it('reports a final failure with its reason and ends', async () => {
    const documentId = await uploadAccepted(api, tenant, Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from(randomUUID().repeat(100))]));
    const client = await connectEventStream(`${baseUrl}/api/documents/${documentId}/events`, tenant.memberToken);
    await within(client.ended, 20_000, 'the stream to end');
    const document = await settledDocument(api, tenant, documentId);
    expect(document.status).toBe('FAILED');
    expect(documentEvents(client).at(-1)).toEqual({ id: documentId, status: 'FAILED', progress: expect.any(Number), recordId: null, recordUrl: null, error: document.error });
  });
});

describe('GET /api/events', () => {
  it("streams every document of the caller's tenant and nothing of other tenants; a disconnect unsubscribes", async () => {
    const other = await createTenant(api.db);
    const client = await connectEventStream(`${baseUrl}/api/events`, tenant.memberToken);
    expect(client.status).toBe(200);
    await waitFor(async () => (api.documentEvents.subscriberCount === 1 ? true : undefined), 5_000, 'the subscription');

    const ours = await uploadAccepted(api, tenant, await textPdf(['Invoice # SSE-T1', 'Total $3.00'], `sse-tenant-${randomUUID()}`));
    const theirs = await uploadAccepted(api, other, await textPdf(['Invoice # SSE-T2', 'Total $4.00'], `sse-tenant-${randomUUID()}`));
    await client.next((message) => {
      const data = JSON.parse(message.data);
      return data.id === ours && data.status === 'PROCESSED';
    });
    await settledDocument(api, other, theirs);
    // Give the other tenant's final event time to arrive, were it (wrongly) routed here.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const states = documentEvents(client);
    expect(states.filter((state) => state.id === theirs)).toEqual([]);
    const ourStates = states.filter((state) => state.id === ours);
    expect(ourStates.length).toBeGreaterThan(1);
    expect(ourStates.slice(0, -1).every((state) => state.status === 'QUEUED' || state.status === 'PROCESSING')).toBe(true);

    client.close();
    await noSubscribersLeft();
  });

  it('first sends the tenant’s unfinished documents from the database', async () => {
    const fresh = await createTenant(api.db);
    const queued = await api.db.document.create({
      data: {
        tenantId: fresh.tenantId, entityId: fresh.entityId, uploadedBy: 'user-1', kind: 'BILL', filename: 'q.pdf', mimeType: 'application/pdf',
        sizeBytes: 1, sha256: 'a'.repeat(64), bucket: 'b', objectKey: `k/${randomUUID()}`, status: 'PROCESSING', progress: 40,
      },
    });
    const client = await connectEventStream(`${baseUrl}/api/events`, fresh.memberToken);
    await client.next((message) => JSON.parse(message.data).id === queued.id, 5_000);
    expect(documentEvents(client)).toEqual([{ id: queued.id, status: 'PROCESSING', progress: 40, recordId: null, recordUrl: null, error: null }]);
    client.close();
    await noSubscribersLeft();
  });
});

describe('event stream plugin', () => {
  it('sends heartbeat comments and ends open streams when the server closes', async () => {
    const app = Fastify();
    await app.register(eventStream, { heartbeatMs: 50 });
    app.get('/stream', async (_request, reply) => {
      reply.eventStream().send('hello', { n: 1 });
      return reply;
    });
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    const client = await connectEventStream(`${url}/stream`, undefined);
    await client.next((message) => message.event === 'hello');
    await waitFor(async () => (client.comments.filter((comment) => comment === 'heartbeat').length >= 2 ? true : undefined), 2_000, 'heartbeats');
    await within(app.close(), 5_000, 'the server to close with a stream open');
    await within(client.ended, 5_000, 'the stream to end');
    expect(client.messages).toEqual([{ event: 'hello', data: '{"n":1}' }]);
  });
});
