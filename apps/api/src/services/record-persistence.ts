import type { ExtractionResult } from '@billflow/extraction';
import type { Database } from '../db.js';
import type { Document } from '../generated/prisma/client.js';
import { DocumentStatus, RecordStatus } from '../generated/prisma/enums.js';
import { counterpartyNameOf, upsertCounterparty } from './counterparties.js';
import { isUniqueViolation } from './prisma-errors.js';

/** Fits Decimal(18,2) / (18,4); anything else from extraction is dropped rather than failing the write. */
const DECIMAL = /^-?\d{1,14}(\.\d{1,4})?$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export const decimalOrNull = (value: string | null | undefined) => (value && DECIMAL.test(value) ? value : null);

export function dateOrNull(value: string | null | undefined): Date | null {
  if (!value || !ISO_DATE.test(value)) return null;
  const date = new Date(`${value}T00:00:00Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value ? null : date;
}

export function routingFor(confidence: number, threshold: number): RecordStatus {
  return confidence >= threshold ? RecordStatus.DRAFT : RecordStatus.PENDING_REVIEW;
}

const processedDocument = () => ({ status: DocumentStatus.PROCESSED, progress: 100, error: null, processedAt: new Date() });

function fieldConfidences(result: ExtractionResult): Record<string, number> {
  return Object.fromEntries(Object.entries(result.fields).map(([name, field]) => [name, field.confidence]));
}

/**
 * Writes everything one successful scan produces in ONE transaction: the
 * counterparty, then the record with its lines, the decision and the document
 * status in one nested write (one query plan instead of three). The unique
 * (entityId, kind, sourceHash) index makes a second record for the same file
 * impossible; losing that race returns the record that won.
 */
export async function persistExtraction(
  db: Database,
  document: Document,
  result: ExtractionResult,
  threshold: number,
): Promise<{ recordId: string; created: boolean }> {
  const { fields } = result;
  const routing = routingFor(result.confidence, threshold);
  const counterpartyName = counterpartyNameOf(document.kind, { vendorName: fields.vendorName.value, customerName: fields.customerName.value });

  try {
    return await db.$transaction(async (tx) => {
      const counterpartyId = await upsertCounterparty(tx, document.entityId, document.kind, counterpartyName);
      const saved = await tx.document.update({
        where: { id: document.id },
        data: {
          ...processedDocument(),
          record: {
            create: {
              tenantId: document.tenantId,
              entityId: document.entityId,
              kind: document.kind,
              sourceHash: document.sha256,
              counterpartyId,
              status: routing,
              confidence: result.confidence,
              vendorName: fields.vendorName.value,
              customerName: fields.customerName.value,
              invoiceNumber: fields.invoiceNumber.value,
              issueDate: dateOrNull(fields.issueDate.value),
              dueDate: dateOrNull(fields.dueDate.value),
              currency: fields.currency.value && /^[A-Z]{3}$/.test(fields.currency.value) ? fields.currency.value : null,
              subtotal: decimalOrNull(fields.subtotal.value),
              discount: decimalOrNull(fields.discount.value),
              shipping: decimalOrNull(fields.shipping.value),
              tax: decimalOrNull(fields.tax.value),
              total: decimalOrNull(fields.total.value),
              lines: {
                createMany: {
                  data: result.lineItems
                    .filter((line) => decimalOrNull(line.amount))
                    .map((line, position) => ({
                      position,
                      description: line.description,
                      quantity: decimalOrNull(line.quantity),
                      unitPrice: decimalOrNull(line.unitPrice),
                      amount: line.amount,
                    })),
                },
              },
            },
          },
          decision: {
            create: {
              inputHash: document.sha256,
              method: result.method,
              confidence: result.confidence,
              threshold,
              routing,
              fieldConfidence: fieldConfidences(result),
              reasons: result.reasons,
              durationMs: Math.round(result.durationMs),
            },
          },
        },
        select: { record: { select: { id: true } } },
      });
      return { recordId: saved.record!.id, created: true };
    });
  } catch (error) {
    // A concurrent attempt won: its record makes ours a unique violation, or Prisma finds it when nesting the create.
    if (!isUniqueViolation(error) && (await db.accountingRecord.count({ where: { documentId: document.id } })) === 0) throw error;
    return { recordId: await adoptExistingRecord(db, document), created: false };
  }
}

/** Another attempt already wrote the record: mark the document done and return that record. */
export async function adoptExistingRecord(db: Database, document: Document): Promise<string> {
  const existing = await db.accountingRecord.findUniqueOrThrow({
    where: { entityId_kind_sourceHash: { entityId: document.entityId, kind: document.kind, sourceHash: document.sha256 } },
    select: { id: true },
  });
  await db.document.update({
    where: { id: document.id },
    data: processedDocument(),
  });
  return existing.id;
}
