import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { scanQueueNames } from '../src/services/scan-queues.js';
import { slowPdf } from './helpers/documents.js';
import { startServerProcess, type ServerProcess } from './helpers/server-process.js';
import { type TenantFixture } from './helpers/tenants.js';
import { appWithTenant, type TestApp } from './helpers/test-app.js';
import { waitFor } from './helpers/wait.js';

let t: TestApp;
let tenant: TenantFixture;
const prefixes: string[] = [];

beforeAll(async () => ({ t, tenant } = await appWithTenant()));
afterAll(async () => {
  for (const prefix of prefixes) {
    for (const name of Object.values(scanQueueNames)) {
      const queue = new Queue(name, { connection: { url: inject('redisUrl') }, prefix });
      await queue.obliterate({ force: true });
      await queue.close();
    }
  }
  await t.close();
});

async function uploadOverHttp(server: ServerProcess, file: Buffer): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([file], { type: 'application/pdf' }), 'slow.pdf');
  const response = await fetch(`${server.url}/api/entities/${tenant.entityId}/bills/scan`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tenant.memberToken}` },
    body: form,
  });
  expect(response.status).toBe(202);
  return ((await response.json()) as { documentId: string }).documentId;
}

/** Waits until the worker is inside the extraction of the document. */
const extracting = (documentId: string) =>
  waitFor(async () => {
    const document = await t.db.document.findUniqueOrThrow({ where: { id: documentId } });
    return document.status === 'PROCESSING' && document.progress >= 25 ? document : undefined;
  }, 20_000, 'the job to start');

describe('graceful shutdown of a real server process', () => {
  it('on SIGTERM stops taking requests, lets the running job finish, closes everything and exits 0', async () => {
    const server = await startServerProcess({ SHUTDOWN_TIMEOUT_MS: '30000' });
    prefixes.push(server.queuePrefix);
    const documentId = await uploadOverHttp(server, await slowPdf(50, 'drain'));
    await extracting(documentId);

    const exit = server.stop('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await expect(fetch(`${server.url}/health`)).rejects.toThrow();

    expect(await exit).toBe(0);
    const document = await t.db.document.findUniqueOrThrow({ where: { id: documentId }, include: { record: true } });
    expect(document.status).toBe('PROCESSED');
    expect(document.record).not.toBeNull();
  });

  it('exits 1 when the running job outlasts SHUTDOWN_TIMEOUT_MS', async () => {
    const server = await startServerProcess({ SHUTDOWN_TIMEOUT_MS: '200' });
    prefixes.push(server.queuePrefix);
    const documentId = await uploadOverHttp(server, await slowPdf(50, 'cut-off'));
    await extracting(documentId);

    expect(await server.stop('SIGTERM')).toBe(1);
    expect((await t.db.document.findUniqueOrThrow({ where: { id: documentId } })).status).toBe('PROCESSING');
  });
});
