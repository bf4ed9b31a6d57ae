import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processScan, type ScanContext, type ScanDeps } from '../src/services/scan-processing.js';
import { invoicePdf } from './helpers/invoices.js';
import { multipartBody } from './helpers/multipart.js';
import { bearer, createTenant, type TenantFixture } from './helpers/tenants.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

let t: TestApp;
let tenant: TenantFixture;
let deps: ScanDeps;

beforeAll(async () => {
  t = await createTestApp();
  tenant = await createTenant(t.db);
  deps = { db: t.db, storage: t.storage, extractor: t.extractor, maxUploadBytes: t.config.MAX_UPLOAD_BYTES, reviewThreshold: t.config.REVIEW_THRESHOLD };
});
afterAll(() => t.close());

const context = (reportProgress: ScanContext['reportProgress'] = async () => {}): ScanContext => ({
  signal: AbortSignal.timeout(10_000),
  reportProgress,
});

/** A stored, queued document; the test runs its processor by hand instead of a worker. */
async function storedDocument(invoiceNumber: string): Promise<string> {
  const body = multipartBody(await invoicePdf(invoiceNumber));
  const response = await t.app.inject({
    method: 'POST',
    url: `/api/entities/${tenant.entityId}/bills/scan`,
    headers: { ...body.headers, ...bearer(tenant.memberToken) },
    payload: body.payload,
  });
  return response.json().documentId;
}

const recordsOf = (documentId: string) => t.db.accountingRecord.count({ where: { documentId } });

describe('the scan processor is safe to repeat', () => {
  it('run twice on one job → one record', async () => {
    const documentId = await storedDocument('TWICE-1');
    const first = await processScan(deps, documentId, context());
    const second = await processScan(deps, documentId, context());
    expect(second.recordId).toBe(first.recordId);
    expect(await recordsOf(documentId)).toBe(1);
  });

  it('two attempts at once → one record', async () => {
    const documentId = await storedDocument('RACE-1');
    const results = await Promise.all([processScan(deps, documentId, context()), processScan(deps, documentId, context())]);
    expect(results[0].recordId).toBe(results[1].recordId);
    expect(await recordsOf(documentId)).toBe(1);
    expect(await t.db.extractionDecision.count({ where: { documentId } })).toBe(1);
  });

  it('an attempt whose completion is lost after its transaction committed → the retry completes with the same record', async () => {
    const documentId = await storedDocument('AFTER-COMMIT-1');
    // The last progress event failing (Redis gone) does not fail a scan whose record is saved…
    const redisGoneAt100 = async (percent: number) => {
      if (percent === 100) throw new Error('connection lost after commit');
    };
    const first = await processScan(deps, documentId, context(redisGoneAt100));
    const committed = await t.db.accountingRecord.findUniqueOrThrow({ where: { documentId } });
    expect(first.recordId).toBe(committed.id);

    // …and when BullMQ could not record the completion either, the job runs again and adopts that record.
    const retry = await processScan(deps, documentId, context());
    expect(retry.recordId).toBe(committed.id);
    expect(retry.extraction).toBeUndefined();
    expect(await recordsOf(documentId)).toBe(1);
    expect((await t.db.document.findUniqueOrThrow({ where: { id: documentId } })).status).toBe('PROCESSED');
  });

  it('a document whose file vanished from storage fails permanently', async () => {
    const documentId = await storedDocument('VANISHED-1');
    const document = await t.db.document.findUniqueOrThrow({ where: { id: documentId } });
    await t.storage.delete(document.objectKey);
    await expect(processScan(deps, documentId, context())).rejects.toThrow(/missing from storage/);
  });
});
