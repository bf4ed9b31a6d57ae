import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRecord } from './helpers/records.js';
import { bearer, createTenant, type TenantFixture } from './helpers/tenants.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

let t: TestApp;
let tenant: TenantFixture;
let other: TenantFixture;

beforeAll(async () => {
  t = await createTestApp();
  tenant = await createTenant(t.db);
  other = await createTenant(t.db);
});
afterAll(() => t.close());

const get = (url: string, token = tenant.memberToken) => t.app.inject({ method: 'GET', url, headers: bearer(token) });
const patch = (url: string, payload: unknown, token = tenant.memberToken) => t.app.inject({ method: 'PATCH', url, headers: bearer(token), payload: payload as object });

const acme = {
  vendorName: 'ACME Supplies Inc.',
  customerName: 'Demo Company Ltd',
  invoiceNumber: 'INV-1001',
  issueDate: '2026-11-02',
  dueDate: '2026-12-02',
  currency: 'USD',
  subtotal: '100.00',
  tax: '8.25',
  total: '108.25',
};

describe('GET /api/bills/:id', () => {
  it('returns the record with the extraction fields under their contract names', async () => {
    const { recordId, document } = await createRecord(t.db, tenant, acme, {
      lineItems: [{ description: 'Widgets', quantity: '4', unitPrice: '25.00', amount: '100.00', confidence: 0.9 }],
    });
    const response = await get(`/api/bills/${recordId}`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      id: recordId,
      kind: 'bill',
      documentId: document.id,
      status: 'DRAFT',
      confidence: 0.95,
      ...acme,
      discount: null,
      shipping: null,
      lineItems: [{ description: 'Widgets', quantity: '4', unitPrice: '25.00', amount: '100.00' }],
      links: { self: `/api/bills/${recordId}`, document: `/api/documents/${document.id}` },
    });
  });

  it('routes a low-confidence extraction to review', async () => {
    const { recordId } = await createRecord(t.db, tenant, { vendorName: 'Unsure Ltd' }, { confidence: 0.3 });
    expect((await get(`/api/bills/${recordId}`)).json()).toMatchObject({ status: 'PENDING_REVIEW', confidence: 0.3 });
  });

  it("answers 404 for another tenant's record and for an invoice id under /bills", async () => {
    const { recordId } = await createRecord(t.db, other, acme);
    expect((await get(`/api/bills/${recordId}`)).statusCode).toBe(404);
    const invoice = await createRecord(t.db, tenant, acme, { kind: 'INVOICE' });
    expect((await get(`/api/bills/${invoice.recordId}`)).statusCode).toBe(404);
    expect((await get(`/api/invoices/${invoice.recordId}`)).statusCode).toBe(200);
  });
});

describe('GET /api/bills', () => {
  it('lists only the tenant’s records, filtered by status, in cursor pages', async () => {
    const fixture = await createTenant(t.db);
    const ids: string[] = [];
    for (let index = 0; index < 5; index++) ids.push((await createRecord(t.db, fixture, { ...acme, invoiceNumber: `N-${index}` })).recordId);
    await createRecord(t.db, fixture, { vendorName: 'Review me' }, { confidence: 0.1 });

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: string }[]; nextCursor: string | null } = (
        await get(`/api/bills?status=DRAFT&limit=2${cursor ? `&cursor=${cursor}` : ''}`, fixture.memberToken)
      ).json();
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual(ids.sort());

    const review = (await get(`/api/bills?status=PENDING_REVIEW&entityId=${fixture.entityId}`, fixture.memberToken)).json();
    expect(review.items).toHaveLength(1);
    expect((await get('/api/bills?status=BOGUS', fixture.memberToken)).statusCode).toBe(400);
  });
});

describe('PATCH /api/bills/:id', () => {
  it('corrects fields and lines, then approves; approved records are read-only', async () => {
    const { recordId } = await createRecord(t.db, tenant, { ...acme, total: '1.00' }, { confidence: 0.4 });
    const corrected = await patch(`/api/bills/${recordId}`, {
      total: '108.25',
      vendorName: 'ACME Supplies',
      lineItems: [{ description: 'Widgets', quantity: '4', unitPrice: '25.00', amount: '100.00' }],
    });
    expect(corrected.statusCode).toBe(200);
    expect(corrected.json()).toMatchObject({ total: '108.25', vendorName: 'ACME Supplies', status: 'PENDING_REVIEW', lineItems: [{ amount: '100.00' }] });

    const approved = await patch(`/api/bills/${recordId}`, { status: 'APPROVED' });
    expect(approved.json()).toMatchObject({ status: 'APPROVED', approvedBy: expect.any(String), approvedAt: expect.any(String) });

    const locked = await patch(`/api/bills/${recordId}`, { total: '5.00' });
    expect(locked.statusCode).toBe(409);
    expect(locked.json()).toMatchObject({ code: 'RECORD_APPROVED' });
  });

  it('validates the body', async () => {
    const { recordId } = await createRecord(t.db, tenant, acme);
    for (const body of [{}, { total: '12,50' }, { issueDate: '2026-13-01' }, { currency: 'usd' }, { status: 'DRAFT' }, { unknown: 1 }]) {
      const response = await patch(`/api/bills/${recordId}`, body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    }
  });

  it("answers 404 for another tenant's record", async () => {
    const { recordId } = await createRecord(t.db, other, acme);
    expect((await patch(`/api/bills/${recordId}`, { total: '1.00' })).statusCode).toBe(404);
  });
});
