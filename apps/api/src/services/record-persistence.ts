import { randomUUID } from 'node:crypto';
import type { ExtractionResult } from '@billflow/extraction';
import { namedQuery, type Database } from '../db.js';
import { Prisma, type Document } from '../generated/prisma/client.js';
import { DocumentStatus, RecordStatus } from '../generated/prisma/enums.js';
import { counterpartyNameOf, counterpartyOf } from './counterparties.js';

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

/** A DATE column's value as 'YYYY-MM-DD' (a Date parameter would carry a time zone). */
const isoDateOrNull = (value: string | null | undefined) => dateOrNull(value)?.toISOString().slice(0, 10) ?? null;

/** Lines without a usable amount are dropped; positions count the lines kept. */
function recordLines(result: ExtractionResult) {
  return result.lineItems
    .filter((line) => decimalOrNull(line.amount))
    .map((line, position) => ({
      position,
      description: line.description,
      quantity: decimalOrNull(line.quantity),
      unitPrice: decimalOrNull(line.unitPrice),
      amount: line.amount,
    }));
}

/**
 * Writes everything one successful scan produces in ONE SQL statement (one
 * round trip, atomic like a transaction): the counterparty upsert, the record
 * with its lines, the decision and the document marked PROCESSED. Ids are
 * made here (Prisma's @default(uuid()) is client-side: the columns have no
 * default). The unique
 * (entityId, kind, sourceHash) and documentId indexes make a second record
 * for the same file impossible: the insert then does nothing, so neither do
 * the lines, decision and document update that read its RETURNING, and the
 * record that won is returned.
 */
export async function persistExtraction(
  db: Database,
  document: Document,
  result: ExtractionResult,
  threshold: number,
): Promise<{ recordId: string; created: boolean }> {
  const { fields } = result;
  const routing = routingFor(result.confidence, threshold);
  const counterparty = counterpartyOf(
    document.kind,
    counterpartyNameOf(document.kind, { vendorName: fields.vendorName.value, customerName: fields.customerName.value }),
  );
  const currency = fields.currency.value && /^[A-Z]{3}$/.test(fields.currency.value) ? fields.currency.value : null;

  // Prisma stores DateTime as UTC in timestamp(3) columns and fills @updatedAt itself: both are written here.
  const save = Prisma.sql`
    WITH "savedCounterparty" AS (
      INSERT INTO "Counterparty" ("id", "entityId", "role", "name", "normalizedName", "createdAt")
      SELECT gen_random_uuid(), ${document.entityId}::uuid, ${counterparty?.role ?? null}::"CounterpartyRole",
        ${counterparty?.name ?? null}, ${counterparty?.normalizedName ?? null}, now() AT TIME ZONE 'UTC'
      WHERE ${counterparty?.normalizedName ?? null}::text IS NOT NULL
      -- A no-op update rather than DO NOTHING: RETURNING then yields the existing row's id too.
      ON CONFLICT ("entityId", "role", "normalizedName") DO UPDATE SET "name" = "Counterparty"."name"
      RETURNING "id"
    ), "savedRecord" AS (
      INSERT INTO "AccountingRecord" ("id", "tenantId", "entityId", "documentId", "kind", "sourceHash", "counterpartyId",
        "status", "confidence", "vendorName", "customerName", "invoiceNumber", "issueDate", "dueDate", "currency",
        "subtotal", "discount", "shipping", "tax", "total", "createdAt", "updatedAt")
      VALUES (${randomUUID()}::uuid, ${document.tenantId}::uuid, ${document.entityId}::uuid, ${document.id}::uuid,
        ${document.kind}::"DocumentKind", ${document.sha256}, (SELECT "id" FROM "savedCounterparty"),
        ${routing}::"RecordStatus", ${result.confidence}::double precision, ${fields.vendorName.value}, ${fields.customerName.value},
        ${fields.invoiceNumber.value}, ${isoDateOrNull(fields.issueDate.value)}::date, ${isoDateOrNull(fields.dueDate.value)}::date,
        ${currency}, ${decimalOrNull(fields.subtotal.value)}::numeric, ${decimalOrNull(fields.discount.value)}::numeric,
        ${decimalOrNull(fields.shipping.value)}::numeric, ${decimalOrNull(fields.tax.value)}::numeric,
        ${decimalOrNull(fields.total.value)}::numeric, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC')
      ON CONFLICT DO NOTHING
      RETURNING "id"
    ), "savedLines" AS (
      INSERT INTO "AccountingRecordLine" ("id", "recordId", "position", "description", "quantity", "unitPrice", "amount")
      SELECT gen_random_uuid(), "savedRecord"."id", line."position", line."description", line."quantity", line."unitPrice", line."amount"
      FROM "savedRecord" CROSS JOIN jsonb_to_recordset(${JSON.stringify(recordLines(result))}::jsonb)
        AS line("position" integer, "description" text, "quantity" numeric, "unitPrice" numeric, "amount" numeric)
    ), "savedDecision" AS (
      INSERT INTO "ExtractionDecision" ("id", "documentId", "inputHash", "method", "confidence", "threshold", "routing",
        "fieldConfidence", "reasons", "durationMs", "createdAt")
      SELECT gen_random_uuid(), ${document.id}::uuid, ${document.sha256}, ${result.method}, ${result.confidence}::double precision,
        ${threshold}::double precision, ${routing}::"RecordStatus", ${JSON.stringify(fieldConfidences(result))}::jsonb,
        ${JSON.stringify(result.reasons)}::jsonb, ${Math.round(result.durationMs)}::integer, now() AT TIME ZONE 'UTC'
      FROM "savedRecord"
    ), "processedDocument" AS (
      UPDATE "Document" SET "status" = 'PROCESSED'::"DocumentStatus", "progress" = 100, "error" = NULL,
        "processedAt" = now() AT TIME ZONE 'UTC', "updatedAt" = now() AT TIME ZONE 'UTC'
      FROM "savedRecord"
      WHERE "Document"."id" = ${document.id}::uuid
    )
    SELECT "id" FROM "savedRecord"`;
  const inserted = await db.sql.query<{ id: string }>(namedQuery('persist-extraction', save));

  const created = inserted.rows[0];
  // A concurrent attempt won; its statement has committed (the conflicting insert waits for it), so a new query sees its record.
  return created ? { recordId: created.id, created: true } : { recordId: await adoptExistingRecord(db, document), created: false };
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
