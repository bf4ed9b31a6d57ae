import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { UnrecoverableError, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retryFailure } from '../src/services/dead-letters.js';
import { enqueueScan } from '../src/services/scan-jobs.js';
import { scanQueueNames } from '../src/services/scan-queues.js';
import { textPdf } from './helpers/documents.js';
import { runTask, tenantUsers } from './helpers/maintenance.js';
import { createDocumentRow } from './helpers/records.js';
import { objectKeysOf } from './helpers/storage.js';
import { bearer, createTenant, type TenantFixture } from './helpers/tenants.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';
import { settledDocument, uploadAccepted } from './helpers/uploads.js';
import { waitFor } from './helpers/wait.js';

let t: TestApp;
let tenant: TenantFixture;

beforeAll(async () => {
  // No scan workers: jobs stay where the test puts them.
  t = await createTestApp({ overrides: { JOB_ATTEMPTS: '2' } });
  tenant = await createTenant(t.db);
});
afterAll(() => t?.close());

/** Moves the document's last update into the past, beyond the reconciler's grace period (2 min by default). */
async function age(documentId: string, minutes = 10) {
  await t.db.$executeRaw`UPDATE "Document" SET "updatedAt" = now() - make_interval(mins => ${minutes}) WHERE id = ${documentId}::uuid`;
}

/** A bill-scan worker without Billflow's handlers: the job fails as if the process died before its `failed` handler ran. */
async function failWithoutRecord(documentId: string, error: () => Error, attempts = 1) {
  const worker = new Worker(scanQueueNames.bill, async () => {
    throw error();
  }, { connection: t.workerRedis, prefix: t.config.QUEUE_PREFIX });
  try {
    await waitFor(async () => ((await (await t.queues.bill.getJob(documentId))?.isFailed()) ? true : undefined), 15_000, 'the job to fail');
  } finally {
    await worker.close();
  }
  const job = await t.queues.bill.getJob(documentId);
  expect(job?.attemptsMade).toBe(attempts);
}

describe('reconciler: documents without a job', () => {
  it('queues a stuck QUEUED document whose job is gone under the same job id, and it is processed once', async () => {
    const documentId = await uploadAccepted(t, tenant, await textPdf(['Invoice # R-1', 'Total $12.00'], 'reconciled'));
    await (await t.queues.bill.getJob(documentId))!.remove();
    await age(documentId);

    expect(await runTask(t, tenant, 'reconciler')).toMatchObject({ documentsChecked: 1, requeued: 1, errors: 0 });
    const job = await t.queues.bill.getJob(documentId);
    expect(job?.data).toMatchObject({ documentId, tenantId: tenant.tenantId });
    // Another run while the job waits: it exists, so nothing is added.
    expect(await runTask(t, tenant, 'reconciler')).toMatchObject({ requeued: 0 });
    expect(await t.queues.bill.getJobCounts('waiting')).toMatchObject({ waiting: 1 });

    // Workers start (another process on the same queues): the document is processed exactly once.
    const processing = await createTestApp({ workers: true, overrides: { QUEUE_PREFIX: t.config.QUEUE_PREFIX } });
    try {
      expect((await settledDocument(processing, tenant, documentId)).status).toBe('PROCESSED');
      await waitFor(async () => ((await (await t.queues.bill.getJob(documentId))?.isCompleted()) ? true : undefined));
      expect((await t.queues.bill.getJob(documentId))?.attemptsMade).toBe(1);
      expect(await t.db.accountingRecord.count({ where: { documentId } })).toBe(1);
      expect(await runTask(t, tenant, 'reconciler')).toMatchObject({ documentsChecked: 0, requeued: 0 });
    } finally {
      await processing.close();
    }
  });

  it('leaves a QUEUED document alone during the grace period', async () => {
    const fresh = await createTenant(t.db);
    const document = await createDocumentRow(t.db, fresh);
    await t.db.document.update({ where: { id: document.id }, data: { status: 'QUEUED' } });
    expect(await runTask(t, fresh, 'reconciler')).toMatchObject({ documentsChecked: 0, requeued: 0 });
    expect(await t.queues.bill.getJob(document.id)).toBeUndefined();
  });

  it('leaves an old PROCESSING document alone while its job exists (stalled jobs are BullMQ’s to recover)', async () => {
    const other = await createTenant(t.db);
    const document = await createDocumentRow(t.db, other);
    await enqueueScan(t.queues, document);
    await age(document.id);
    expect(await runTask(t, other, 'reconciler')).toMatchObject({ documentsChecked: 1, requeued: 0 });
    expect(await t.db.document.findUniqueOrThrow({ where: { id: document.id } })).toMatchObject({ status: 'PROCESSING' });
  });

  it('queues an old PROCESSING document whose job is missing entirely, as QUEUED', async () => {
    const other = await createTenant(t.db);
    const document = await createDocumentRow(t.db, other);
    await age(document.id);
    expect(await runTask(t, other, 'reconciler')).toMatchObject({ documentsChecked: 1, requeued: 1 });
    expect(await t.db.document.findUniqueOrThrow({ where: { id: document.id } })).toMatchObject({ status: 'QUEUED', progress: 0 });
    expect((await t.queues.bill.getJob(document.id))?.id).toBe(document.id);
  });
});

describe('reconciler run by hand: tenant scope', () => {
  it("limits an ADMIN's run to its own tenant: without a body too, and another tenant's id is a 404", async () => {
    const owner = await createTenant(t.db);
    const stranger = await createTenant(t.db);
    const document = await createDocumentRow(t.db, owner);
    await age(document.id);
    const run = (token: string, payload?: object) =>
      t.app.inject({ method: 'POST', url: '/api/admin/maintenance/reconciler/run', headers: bearer(token), ...(payload ? { payload } : {}) });

    const foreign = await run(stranger.adminToken, { tenantId: owner.tenantId });
    expect(foreign.statusCode).toBe(404);
    expect((await run(stranger.adminToken)).json().result).toMatchObject({ documentsChecked: 0, requeued: 0 });
    expect(await t.queues.bill.getJob(document.id)).toBeUndefined();

    expect((await run(owner.adminToken)).json().result).toMatchObject({ documentsChecked: 1, requeued: 1 });
    expect((await t.queues.bill.getJob(document.id))?.id).toBe(document.id);
  });

  it("lets an OPERATOR run it for any tenant", async () => {
    const owner = await createTenant(t.db);
    const document = await createDocumentRow(t.db, owner);
    await age(document.id);
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/admin/maintenance/reconciler/run',
      headers: bearer((await createTenant(t.db)).operatorToken),
      payload: { tenantId: owner.tenantId },
    });
    expect(response.json().result).toMatchObject({ documentsChecked: 1, requeued: 1 });
  });
});

describe('reconciler: final failures without a JobFailure row', () => {
  it('records the failure of a job that failed for good (unrecoverable), once, and notifies the uploader', async () => {
    const other = await createTenant(t.db);
    const { member } = await tenantUsers(t.db, other);
    const document = await createDocumentRow(t.db, other);
    await t.db.document.update({ where: { id: document.id }, data: { uploadedBy: member.id } });
    await enqueueScan(t.queues, { ...document, uploadedBy: member.id });
    await failWithoutRecord(document.id, () => new UnrecoverableError('the PDF is encrypted'));
    expect(await t.db.jobFailure.count({ where: { jobId: document.id } })).toBe(0);

    expect(await runTask(t, other, 'reconciler')).toMatchObject({ failedJobsChecked: 1, failuresRecorded: 1, requeued: 0, errors: 0 });
    const failure = await t.db.jobFailure.findUniqueOrThrow({ where: { jobId: document.id } });
    expect(failure).toMatchObject({ queue: 'bill-scan', reason: 'the PDF is encrypted', attempts: 1, occurrences: 1, userId: member.id, tenantId: other.tenantId });
    expect(await t.db.document.findUniqueOrThrow({ where: { id: document.id } })).toMatchObject({ status: 'FAILED', error: 'the PDF is encrypted' });
    expect(await t.db.notification.count({ where: { userId: member.id, type: 'document.failed' } })).toBe(1);

    expect(await runTask(t, other, 'reconciler')).toMatchObject({ failedJobsChecked: 1, failuresRecorded: 0 });
    expect(await t.db.notification.count({ where: { userId: member.id, type: 'document.failed' } })).toBe(1);

    // Retried by an admin, failed again, and again nobody wrote it down: a second occurrence.
    await retryFailure(t.db, t.queues, failure.id, other.tenantId);
    await failWithoutRecord(document.id, () => new UnrecoverableError('the PDF is still encrypted'), 2);
    expect(await runTask(t, other, 'reconciler')).toMatchObject({ failuresRecorded: 1 });
    expect(await t.db.jobFailure.findUniqueOrThrow({ where: { jobId: document.id } })).toMatchObject({ occurrences: 2, reason: 'the PDF is still encrypted' });
    expect(await t.db.notification.count({ where: { userId: member.id, type: 'document.failed' } })).toBe(2);
  });

  it('tells the uploader only a generic reason when retries ran out (internal errors stay internal)', async () => {
    const other = await createTenant(t.db);
    const document = await createDocumentRow(t.db, other);
    await enqueueScan(t.queues, document);
    await failWithoutRecord(document.id, () => new Error('connect ECONNREFUSED 10.0.0.7:9000'), 2);

    expect(await runTask(t, other, 'reconciler')).toMatchObject({ failuresRecorded: 1 });
    const failure = await t.db.jobFailure.findUniqueOrThrow({ where: { jobId: document.id } });
    expect(failure).toMatchObject({ attempts: 2, reason: 'processing failed after several attempts; please try again later' });
  });
});

describe('reconciler: uploads cut off before their Document row', () => {
  /** What an upload leaves when its process dies after storing the file: the PendingUpload row and the object, no Document. */
  async function cutOffUpload(ageMinutes: number) {
    const id = randomUUID();
    const objectKey = `${tenant.tenantId}/${tenant.entityId}/2026/11/${id}`;
    await t.db.pendingUpload.create({ data: { id, tenantId: tenant.tenantId, bucket: t.storage.bucket, objectKey } });
    await t.db.$executeRaw`UPDATE "PendingUpload" SET "createdAt" = now() - make_interval(mins => ${ageMinutes}) WHERE id = ${id}::uuid`;
    await t.storage.put(objectKey, Readable.from([Buffer.from('%PDF-1.7 cut off')]), 'application/pdf', { 'document-id': id });
    return { id, objectKey };
  }

  it('deletes the file of an upload older than the request timeout that never got its Document, and leaves younger ones', async () => {
    const abandoned = await cutOffUpload(10);
    const streaming = await cutOffUpload(0);

    expect(await runTask(t, tenant, 'reconciler')).toMatchObject({ uploadsAbandoned: 1, errors: 0 });
    const keys = await objectKeysOf(tenant.tenantId);
    expect(keys).not.toContain(abandoned.objectKey);
    expect(keys).toContain(streaming.objectKey);
    expect(await t.db.pendingUpload.findUnique({ where: { id: abandoned.id } })).toBeNull();
    expect(await t.db.pendingUpload.findUnique({ where: { id: streaming.id } })).not.toBeNull();
    expect(await runTask(t, tenant, 'reconciler')).toMatchObject({ uploadsAbandoned: 0 });
    await t.db.pendingUpload.delete({ where: { id: streaming.id } });
    await t.storage.delete(streaming.objectKey);
  });

  it('clears the row of a finished upload and keeps its file', async () => {
    const documentId = await uploadAccepted(t, tenant, await textPdf(['Invoice # R-UP', 'Total $3.00'], 'finished-upload'));
    expect(await t.db.pendingUpload.findUnique({ where: { id: documentId } })).not.toBeNull();

    expect(await runTask(t, tenant, 'reconciler')).toMatchObject({ uploadsFinished: 1, uploadsAbandoned: 0 });
    expect(await t.db.pendingUpload.findUnique({ where: { id: documentId } })).toBeNull();
    const document = await t.db.document.findUniqueOrThrow({ where: { id: documentId } });
    expect(await objectKeysOf(tenant.tenantId)).toContain(document.objectKey);
  });
});
