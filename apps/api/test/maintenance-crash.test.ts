// Crash windows: a real server process is SIGKILLed at the exact point between
// two steps (held there by a proxy that freezes its connection inside the
// command of the second step), and the reconciler must finish the work.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { slowPdf, textPdf } from './helpers/documents.js';
import { startFreezingProxy } from './helpers/freezing-proxy.js';
import { runTask, tenantUsers } from './helpers/maintenance.js';
import { startServerProcess, type ServerProcess } from './helpers/server-process.js';
import { type TenantFixture } from './helpers/tenants.js';
import { appWithTenant, createTestApp, type TestApp } from './helpers/test-app.js';
import { settledDocument } from './helpers/uploads.js';
import { waitFor } from './helpers/wait.js';

let t: TestApp;
let tenant: TenantFixture;
const apps: TestApp[] = [];

beforeAll(async () => ({ t, tenant } = await appWithTenant()));
afterAll(async () => {
  for (const app of apps) await app.close();
  await t?.close();
});

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

function target(url: string) {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port) };
}

function through(url: string, port: number): string {
  const parsed = new URL(url);
  parsed.port = String(port);
  return parsed.toString();
}

/** Uploads over HTTP; resolves with the response, or undefined when the server died first. */
async function uploadOverHttp(server: ServerProcess, file: Buffer, filename: string) {
  const form = new FormData();
  form.append('file', new Blob([file], { type: 'application/pdf' }), filename);
  return fetch(`${server.url}/api/entities/${tenant.entityId}/bills/scan`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tenant.memberToken}` },
    body: form,
  }).catch(() => undefined);
}

/** An app (no workers) on the dead server's queues, with no grace period: the crash is over, everything stuck is stuck. */
async function afterTheCrash(server: ServerProcess, workers = false) {
  const app = await createTestApp({ workers, overrides: { QUEUE_PREFIX: server.queuePrefix, RECONCILER_GRACE_MS: '0' } });
  apps.push(app);
  return app;
}

describe('crash windows, with a real server process and SIGKILL', () => {
  it('killed after the Document row was written and before its job was added: the reconciler queues it, it is processed once', async () => {
    const proxy = await startFreezingProxy(target(inject('redisUrl')));
    let server: ServerProcess | undefined;
    try {
      server = await startServerProcess({ REDIS_URL: `redis://127.0.0.1:${proxy.port}` });
      // Only the add of the new job carries the job data (JSON with its documentId): the row is committed by then.
      proxy.arm(new RegExp(`"documentId":"${UUID}"`));
      const upload = uploadOverHttp(server, await textPdf(['Invoice # CRASH-1', 'Total $31.00'], 'crash-enqueue'), 'crash-enqueue.pdf');
      await proxy.frozen;
      expect(await server.stop('SIGKILL')).toBeNull();
      expect(await upload).toBeUndefined();
    } finally {
      await proxy.close();
    }

    const app = await afterTheCrash(server!);
    const document = await t.db.document.findFirstOrThrow({ where: { tenantId: tenant.tenantId, filename: 'crash-enqueue.pdf' } });
    expect(document.status).toBe('QUEUED');
    expect(await app.queues.bill.getJob(document.id)).toBeUndefined();

    expect(await runTask(app, tenant, 'reconciler')).toMatchObject({ requeued: 1, errors: 0 });
    expect((await app.queues.bill.getJob(document.id))?.id).toBe(document.id);
    expect(await runTask(app, tenant, 'reconciler')).toMatchObject({ requeued: 0 });

    const processing = await afterTheCrash(server!, true);
    expect((await settledDocument(processing, tenant, document.id)).status).toBe('PROCESSED');
    expect(await t.db.accountingRecord.count({ where: { documentId: document.id } })).toBe(1);
    await waitFor(async () => ((await (await app.queues.bill.getJob(document.id))?.isCompleted()) ? true : undefined));
    expect((await app.queues.bill.getJob(document.id))?.attemptsMade).toBe(1);
  }, 60_000);

  it('killed after the job failed for good and before its JobFailure was written: the reconciler records it and tells the uploader', async () => {
    const proxy = await startFreezingProxy(target(inject('databaseUrl')));
    let server: ServerProcess | undefined;
    try {
      server = await startServerProcess({ DATABASE_URL: through(inject('databaseUrl'), proxy.port), JOB_ATTEMPTS: '1' });
      // The first statement of recordFinalFailure's transaction reads JobFailure; BullMQ moved the job to "failed" before.
      proxy.arm(/"JobFailure"/);
      const response = await uploadOverHttp(server, Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(2048)]), 'crash-failure.pdf');
      expect(response?.status).toBe(202);
      await proxy.frozen;
      expect(await server.stop('SIGKILL')).toBeNull();
    } finally {
      await proxy.close();
    }

    const app = await afterTheCrash(server!);
    const document = await t.db.document.findFirstOrThrow({ where: { tenantId: tenant.tenantId, filename: 'crash-failure.pdf' } });
    const job = await app.queues.bill.getJob(document.id);
    expect(await job?.isFailed()).toBe(true);
    expect(await t.db.jobFailure.count({ where: { jobId: document.id } })).toBe(0);
    expect(document.status).not.toBe('FAILED');

    expect(await runTask(app, tenant, 'reconciler')).toMatchObject({ failuresRecorded: 1, requeued: 0, errors: 0 });
    const failure = await t.db.jobFailure.findUniqueOrThrow({ where: { jobId: document.id } });
    expect(failure).toMatchObject({ attempts: 1, reason: job!.failedReason, notifiedAt: expect.any(Date) });
    expect(await t.db.document.findUniqueOrThrow({ where: { id: document.id } })).toMatchObject({ status: 'FAILED', error: job!.failedReason });
    const { member } = await tenantUsers(t.db, tenant);
    expect(await t.db.notification.count({ where: { userId: member.id, type: 'document.failed', metadata: { path: ['jobId'], equals: document.id } } })).toBe(1);
    expect(await runTask(app, tenant, 'reconciler')).toMatchObject({ failuresRecorded: 0 });
  }, 60_000);

  it('killed in the middle of a job, then Redis loses everything: left alone while its job exists, queued again once it is gone', async () => {
    const server = await startServerProcess();
    const response = await uploadOverHttp(server, await slowPdf(50, 'crash-active'), 'crash-active.pdf');
    const { documentId } = (await response!.json()) as { documentId: string };
    await waitFor(async () => {
      const document = await t.db.document.findUniqueOrThrow({ where: { id: documentId } });
      return document.status === 'PROCESSING' && document.progress >= 25 ? document : undefined;
    }, 20_000, 'the job to start');
    expect(await server.stop('SIGKILL')).toBeNull();

    const app = await afterTheCrash(server);
    expect(await (await app.queues.bill.getJob(documentId))?.isActive()).toBe(true);
    // The job's lock expires and BullMQ's stalled-job check hands it to another worker: not the reconciler's business.
    expect(await runTask(app, tenant, 'reconciler')).toMatchObject({ requeued: 0 });

    const keys = await app.redis.keys(`${server.queuePrefix}:*`);
    expect(keys.length).toBeGreaterThan(0);
    await app.redis.del(...keys);
    expect(await runTask(app, tenant, 'reconciler')).toMatchObject({ requeued: 1 });
    expect(await t.db.document.findUniqueOrThrow({ where: { id: documentId } })).toMatchObject({ status: 'QUEUED', progress: 0 });

    const processing = await afterTheCrash(server, true);
    expect((await settledDocument(processing, tenant, documentId, 40_000)).status).toBe('PROCESSED');
    expect(await t.db.accountingRecord.count({ where: { documentId } })).toBe(1);
  }, 90_000);
});
