import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acmeInvoice, invoicePdf } from './helpers/invoices.js';
import { tinyPng } from './helpers/documents.js';
import { bearer, type TenantFixture } from './helpers/tenants.js';
import { appWithTenant, type TestApp } from './helpers/test-app.js';
import { settledDocument, uploadAccepted } from './helpers/uploads.js';
import { waitFor } from './helpers/wait.js';

let t: TestApp;
let tenant: TenantFixture;

beforeAll(async () => ({ t, tenant } = await appWithTenant({ workers: true })));
afterAll(() => t.close());

const upload = (file: Buffer, kind: 'bills' | 'invoices' = 'bills') => uploadAccepted(t, tenant, file, kind);
const settled = (documentId: string) => settledDocument(t, tenant, documentId);

describe('upload → worker → record', () => {
  it('turns a text-layer invoice PDF into a bill with its fields and lines', async () => {
    const documentId = await upload(await invoicePdf('E2E-1'));
    const document = await settled(documentId);
    expect(document).toMatchObject({ id: documentId, kind: 'bill', status: 'PROCESSED', progress: 100, error: null, recordUrl: `/api/bills/${document.recordId}` });

    const record = (await t.app.inject({ method: 'GET', url: document.recordUrl, headers: bearer(tenant.memberToken) })).json();
    expect(record).toMatchObject({
      vendorName: acmeInvoice.vendorName,
      invoiceNumber: 'E2E-1',
      issueDate: acmeInvoice.issueDate,
      dueDate: acmeInvoice.dueDate,
      currency: 'USD',
      subtotal: acmeInvoice.subtotal,
      tax: acmeInvoice.tax,
      total: acmeInvoice.total,
      status: 'DRAFT',
    });
    expect(record.lineItems).toHaveLength(2);
    expect(record.confidence).toBeGreaterThanOrEqual(t.config.REVIEW_THRESHOLD);

    const decision = await t.db.extractionDecision.findUniqueOrThrow({ where: { documentId } });
    expect(decision).toMatchObject({ method: 'pdf-text', routing: 'DRAFT' });
    const vendor = await t.db.counterparty.findFirstOrThrow({ where: { entityId: tenant.entityId, role: 'VENDOR' } });
    expect(vendor.name).toBe(acmeInvoice.vendorName);
  });

  it('makes invoices with the customer as counterparty', async () => {
    const document = await settled(await upload(await invoicePdf('E2E-INV'), 'invoices'));
    expect(document.recordUrl).toMatch(/^\/api\/invoices\//);
    expect(await t.db.counterparty.count({ where: { entityId: tenant.entityId, role: 'CUSTOMER' } })).toBe(1);
  });

  it('sends an image without readable text to review instead of failing', async () => {
    const document = await settled(await upload(tinyPng));
    expect(document.status).toBe('PROCESSED');
    const record = (await t.app.inject({ method: 'GET', url: document.recordUrl, headers: bearer(tenant.memberToken) })).json();
    expect(record).toMatchObject({ status: 'PENDING_REVIEW', total: null });
  });

  it('fails a corrupt PDF at once, without retries, and says why', async () => {
    const corrupt = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(4096)]);
    const documentId = await upload(corrupt);
    const document = await settled(documentId);
    expect(document.status).toBe('FAILED');
    expect(document.error).toMatch(/pdf|read|corrupt/i);
    const job = await t.queues.bill.getJob(documentId);
    expect(job?.attemptsMade).toBe(1);
    expect(await t.db.accountingRecord.count({ where: { documentId } })).toBe(0);
  });

  it('re-queues a failed document when the same file is uploaded again', async () => {
    const corrupt = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(2048)]);
    const documentId = await upload(corrupt);
    expect((await settled(documentId)).status).toBe('FAILED');
    const firstRun = (await t.queues.bill.getJob(documentId))!.finishedOn!;

    expect(await upload(corrupt)).toBe(documentId);
    const secondRun = await waitFor(async () => {
      const finishedOn = (await t.queues.bill.getJob(documentId))?.finishedOn;
      return finishedOn && finishedOn > firstRun ? finishedOn : undefined;
    });
    expect(secondRun).toBeGreaterThan(firstRun);
    expect((await settled(documentId)).status).toBe('FAILED');
  });
});
