import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Document } from '../src/generated/prisma/client.js';
import { persistExtraction } from '../src/services/record-persistence.js';
import { createDocumentRow, extractionResult } from './helpers/records.js';
import { type TenantFixture } from './helpers/tenants.js';
import { appWithTenant, type TestApp } from './helpers/test-app.js';

let t: TestApp;
let tenant: TenantFixture;

beforeAll(async () => ({ t, tenant } = await appWithTenant()));
afterAll(() => t.close());

const THRESHOLD = 0.85;

/** Everything one save writes, read back through Prisma; decimals as fixed-scale strings. */
async function savedRows(document: Document) {
  const record = await t.db.accountingRecord.findUniqueOrThrow({
    where: { documentId: document.id },
    include: { lines: { orderBy: { position: 'asc' } }, counterparty: true },
  });
  const money = (value: { toFixed(digits: number): string } | null) => value?.toFixed(2) ?? null;
  const quantity = (value: { toFixed(digits: number): string } | null) => value?.toFixed(4) ?? null;
  return {
    record: {
      ...record,
      subtotal: money(record.subtotal),
      discount: money(record.discount),
      shipping: money(record.shipping),
      tax: money(record.tax),
      total: money(record.total),
      lines: record.lines.map((line) => ({ ...line, quantity: quantity(line.quantity), unitPrice: quantity(line.unitPrice), amount: money(line.amount) })),
    },
    decision: await t.db.extractionDecision.findUniqueOrThrow({ where: { documentId: document.id } }),
    document: await t.db.document.findUniqueOrThrow({ where: { id: document.id } }),
  };
}

/** Timestamps the save wrote: UTC instants between the two bounds (PostgreSQL rounds to the millisecond). */
const writtenBetween = (before: number, after: number) =>
  expect.toSatisfy((value: Date) => value instanceof Date && value.getTime() >= before - 1 && value.getTime() <= after + 1);

describe('persistExtraction writes what the Prisma nested write wrote', () => {
  it('a bill: counterparty, record, lines in order (unusable amounts dropped), decision, document PROCESSED', async () => {
    const document = await createDocumentRow(t.db, tenant, 'BILL');
    const result = extractionResult(
      {
        vendorName: 'Équipe Widgets, Inc.',
        customerName: 'Demo Company Ltd',
        invoiceNumber: 'INV-2001',
        issueDate: '2026-11-02',
        dueDate: '2026-12-02',
        currency: 'EUR',
        subtotal: '1234.5',
        discount: '-10.00',
        shipping: '5',
        tax: '8.25',
        total: '1237.75',
      },
      0.95,
      [
        { description: 'Widgets', quantity: '4', unitPrice: '25.1234', amount: '100.49', confidence: 0.9 },
        { description: 'Unreadable line', quantity: '1', unitPrice: '3.00', amount: 'n/a', confidence: 0.4 },
        { description: 'Freight', quantity: null, unitPrice: 'about 5', amount: '5', confidence: 0.8 },
        { description: 'Setup — "one-off"', quantity: '1.5', unitPrice: '1129.0066', amount: '1129.01', confidence: 0.7 },
      ],
    );

    const before = Date.now();
    const saved = await persistExtraction(t.db, document, result, THRESHOLD);
    const after = Date.now();
    const rows = await savedRows(document);

    expect(saved).toEqual({ recordId: rows.record.id, created: true });
    expect(rows.record).toEqual({
      id: saved.recordId,
      tenantId: tenant.tenantId,
      entityId: tenant.entityId,
      documentId: document.id,
      kind: 'BILL',
      sourceHash: document.sha256,
      counterpartyId: rows.record.counterparty!.id,
      status: 'DRAFT',
      confidence: 0.95,
      vendorName: 'Équipe Widgets, Inc.',
      customerName: 'Demo Company Ltd',
      invoiceNumber: 'INV-2001',
      issueDate: new Date('2026-11-02T00:00:00Z'),
      dueDate: new Date('2026-12-02T00:00:00Z'),
      currency: 'EUR',
      subtotal: '1234.50',
      discount: '-10.00',
      shipping: '5.00',
      tax: '8.25',
      total: '1237.75',
      approvedAt: null,
      approvedBy: null,
      createdAt: writtenBetween(before, after),
      updatedAt: writtenBetween(before, after),
      counterparty: {
        id: expect.any(String),
        entityId: tenant.entityId,
        role: 'VENDOR',
        name: 'Équipe Widgets, Inc.',
        normalizedName: 'equipe widgets',
        createdAt: writtenBetween(before, after),
      },
      lines: [
        { id: expect.any(String), recordId: saved.recordId, position: 0, description: 'Widgets', quantity: '4.0000', unitPrice: '25.1234', amount: '100.49' },
        { id: expect.any(String), recordId: saved.recordId, position: 1, description: 'Freight', quantity: null, unitPrice: null, amount: '5.00' },
        { id: expect.any(String), recordId: saved.recordId, position: 2, description: 'Setup — "one-off"', quantity: '1.5000', unitPrice: '1129.0066', amount: '1129.01' },
      ],
    });
    expect(rows.decision).toEqual({
      id: expect.any(String),
      documentId: document.id,
      inputHash: document.sha256,
      method: 'pdf-text',
      confidence: 0.95,
      threshold: THRESHOLD,
      routing: 'DRAFT',
      fieldConfidence: {
        vendorName: 0.95, customerName: 0.95, invoiceNumber: 0.95, issueDate: 0.95, dueDate: 0.95, currency: 0.95,
        subtotal: 0.95, discount: 0.95, shipping: 0.95, tax: 0.95, total: 0.95,
      },
      reasons: ['test fixture'],
      durationMs: 3,
      createdAt: writtenBetween(before, after),
    });
    expect(rows.document).toEqual({
      ...document,
      status: 'PROCESSED',
      progress: 100,
      error: null,
      processedAt: writtenBetween(before, after),
      updatedAt: writtenBetween(before, after),
    });
  });

  it('an invoice without a usable customer name or values: no counterparty, nulls, routed to review', async () => {
    const document = await createDocumentRow(t.db, tenant, 'INVOICE');
    const counterpartiesBefore = await t.db.counterparty.count({ where: { entityId: tenant.entityId } });
    const result = extractionResult(
      { vendorName: 'Our Own Company', customerName: ' — ', issueDate: '2026-02-30', dueDate: '2026-1-5', currency: 'usd', total: '1e5', tax: '123456789012345.00' },
      0.5,
    );

    const saved = await persistExtraction(t.db, document, result, THRESHOLD);
    const rows = await savedRows(document);

    expect(saved.created).toBe(true);
    expect(rows.record).toMatchObject({
      kind: 'INVOICE',
      counterpartyId: null,
      counterparty: null,
      status: 'PENDING_REVIEW',
      confidence: 0.5,
      vendorName: 'Our Own Company',
      customerName: ' — ',
      invoiceNumber: null,
      issueDate: null,
      dueDate: null,
      currency: null,
      subtotal: null,
      discount: null,
      shipping: null,
      tax: null,
      total: null,
      lines: [],
    });
    expect(rows.decision).toMatchObject({ routing: 'PENDING_REVIEW', confidence: 0.5, threshold: THRESHOLD });
    expect(rows.document.status).toBe('PROCESSED');
    expect(await t.db.counterparty.count({ where: { entityId: tenant.entityId } })).toBe(counterpartiesBefore);
  });

  it('a second spelling of a known counterparty reuses it and keeps its first name', async () => {
    const first = await createDocumentRow(t.db, tenant, 'INVOICE');
    const second = await createDocumentRow(t.db, tenant, 'INVOICE');
    await persistExtraction(t.db, first, extractionResult({ customerName: 'Northwind Traders Ltd' }), THRESHOLD);
    await persistExtraction(t.db, second, extractionResult({ customerName: 'NORTHWIND TRADERS' }), THRESHOLD);

    const [one, two] = await Promise.all([savedRows(first), savedRows(second)]);
    expect(two.record.counterpartyId).toBe(one.record.counterpartyId);
    expect(two.record.counterparty).toMatchObject({ role: 'CUSTOMER', name: 'Northwind Traders Ltd', normalizedName: 'northwind traders' });
  });

  it('saved again, or twice at once, for one document → one record, returned to every attempt', async () => {
    const document = await createDocumentRow(t.db, tenant, 'BILL');
    const result = extractionResult({ vendorName: 'Racing Vendor LLC', total: '10.00' }, 0.95, [
      { description: 'Only line', quantity: '1', unitPrice: '10.00', amount: '10.00', confidence: 0.9 },
    ]);

    const attempts = await Promise.all([persistExtraction(t.db, document, result, THRESHOLD), persistExtraction(t.db, document, result, THRESHOLD)]);
    const again = await persistExtraction(t.db, document, result, THRESHOLD);

    const recordId = attempts[0].recordId;
    expect(attempts.map((attempt) => attempt.created).sort()).toEqual([false, true]);
    expect([attempts[1].recordId, again.recordId]).toEqual([recordId, recordId]);
    expect(again.created).toBe(false);
    expect(await t.db.accountingRecord.count({ where: { documentId: document.id } })).toBe(1);
    expect(await t.db.accountingRecordLine.count({ where: { recordId } })).toBe(1);
    expect(await t.db.extractionDecision.count({ where: { documentId: document.id } })).toBe(1);
    expect((await t.db.document.findUniqueOrThrow({ where: { id: document.id } })).status).toBe('PROCESSED');
  });
});
