import { createHash, randomUUID } from 'node:crypto';
import type { ExtractionResult, ExtractedFields } from '@billflow/extraction';
import type { Database } from '../../src/db.js';
import { persistExtraction } from '../../src/services/record-persistence.js';
import type { TenantFixture } from './tenants.js';

type FieldValues = Partial<Record<keyof ExtractedFields, string | null>>;

/** An extraction result as the package would return it, with every field at the given confidence. */
export function extractionResult(values: FieldValues, confidence = 0.95, lineItems: ExtractionResult['lineItems'] = []): ExtractionResult {
  const names: (keyof ExtractedFields)[] = ['vendorName', 'customerName', 'invoiceNumber', 'issueDate', 'dueDate', 'currency', 'subtotal', 'discount', 'shipping', 'tax', 'total'];
  const fields = Object.fromEntries(
    names.map((name) => [name, { value: values[name] ?? null, confidence: values[name] ? confidence : 0 }]),
  ) as unknown as ExtractedFields;
  return { method: 'pdf-text', pageCount: 1, fields, lineItems, confidence, reasons: ['test fixture'], durationMs: 3 };
}

/** A Document row (no stored file) for tests that exercise records directly. */
export async function createDocumentRow(db: Database, fixture: TenantFixture, kind: 'BILL' | 'INVOICE' = 'BILL') {
  const id = randomUUID();
  return db.document.create({
    data: {
      id,
      tenantId: fixture.tenantId,
      entityId: fixture.entityId,
      uploadedBy: 'test',
      kind,
      filename: 'fixture.pdf',
      mimeType: 'application/pdf',
      sizeBytes: 1,
      sha256: createHash('sha256').update(id).digest('hex'),
      bucket: 'unused',
      objectKey: `${fixture.tenantId}/${id}`,
      jobId: id,
      status: 'PROCESSING',
    },
  });
}

export async function createRecord(db: Database, fixture: TenantFixture, values: FieldValues, options: { kind?: 'BILL' | 'INVOICE'; confidence?: number; lineItems?: ExtractionResult['lineItems'] } = {}) {
  const document = await createDocumentRow(db, fixture, options.kind);
  const { recordId } = await persistExtraction(db, document, extractionResult(values, options.confidence, options.lineItems), 0.85);
  return { document, recordId };
}
