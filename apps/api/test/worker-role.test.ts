// WORKER_ROLE splits one deployment into API-only and worker-only processes on the
// same Redis, PostgreSQL and S3: real server processes, one queue prefix.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textPdf } from './helpers/documents.js';
import { startServerProcess, type ServerProcess } from './helpers/server-process.js';
import { bearer, createTenant, type TenantFixture } from './helpers/tenants.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';
import { waitFor } from './helpers/wait.js';

let t: TestApp;
let tenant: TenantFixture;
const servers: ServerProcess[] = [];

beforeAll(async () => {
  // No workers here: this app only reads the database and the queues the server processes share.
  t = await createTestApp();
  tenant = await createTenant(t.db);
});
afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop('SIGTERM')));
  await t?.close();
});

async function startRole(role: 'api' | 'worker'): Promise<ServerProcess> {
  const server = await startServerProcess({ WORKER_ROLE: role, QUEUE_PREFIX: t.config.QUEUE_PREFIX });
  servers.push(server);
  return server;
}

function upload(server: ServerProcess, file: Buffer) {
  const form = new FormData();
  form.append('file', new Blob([file], { type: 'application/pdf' }), 'role.pdf');
  return fetch(`${server.url}/api/entities/${tenant.entityId}/bills/scan`, { method: 'POST', headers: bearer(tenant.memberToken), body: form });
}

const getJson = async (url: string) => {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

describe('WORKER_ROLE', () => {
  let documentId: string;

  it('api: accepts an upload, runs no workers, and leaves the job queued', async () => {
    const api = await startRole('api');
    const response = await upload(api, await textPdf(['Invoice # ROLE-1', 'Total $12.00'], `role-${tenant.tenantId}`));
    expect(response.status).toBe(202);
    documentId = ((await response.json()) as { documentId: string }).documentId;

    expect(await getJson(`${api.url}/health/workers`)).toEqual({ status: 200, body: { status: 'ok', workers: [] } });
    expect(await t.queues.bill.getWorkersCount()).toBe(0);
    // A worker takes a job within milliseconds; this one is still waiting a second later.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await t.queues.bill.getJobState(documentId)).toBe('waiting');
    expect(await t.db.document.findUniqueOrThrow({ where: { id: documentId } })).toMatchObject({ status: 'QUEUED' });
  });

  it('worker: processes the queued upload, answers the health probes and nothing else', async () => {
    const worker = await startRole('worker');
    const processed = await waitFor(async () => {
      const document = await t.db.document.findUniqueOrThrow({ where: { id: documentId }, include: { record: true } });
      return document.status === 'PROCESSED' ? document : undefined;
    }, 20_000, 'the worker process to process the document');
    expect(processed.record).not.toBeNull();
    expect(await t.queues.bill.getWorkersCount()).toBe(1);

    const health = await getJson(`${worker.url}/health`);
    expect(health).toMatchObject({ status: 200, body: { status: 'ok' } });
    const workers = await getJson(`${worker.url}/health/workers`);
    expect(workers.status).toBe(200);
    expect((workers.body.workers as { queue: string; running: boolean }[]).map(({ queue, running }) => ({ queue, running }))).toEqual([
      { queue: 'bill-scan', running: true },
      { queue: 'invoice-scan', running: true },
    ]);

    const refused = await upload(worker, await textPdf(['Invoice # ROLE-2'], `role-2-${tenant.tenantId}`));
    expect(refused.status).toBe(404);
    expect((await fetch(`${worker.url}/api/documents/${documentId}`, { headers: bearer(tenant.memberToken) })).status).toBe(404);
  });
});
