import { z } from 'zod';
import type { Prisma } from '../generated/prisma/client.js';
import { kindFromDb } from '../services/document-kinds.js';
import type { RecordWithDetails } from '../services/records.js';
import { isoDate } from './common.js';
import { documentUrl, recordUrl } from './documents.js';
import { lineItemSchema, recordStatuses } from './record-patch.js';

export const recordResponseSchema = z
  .object({
    id: z.uuid(),
    kind: z.enum(['bill', 'invoice']),
    entityId: z.uuid(),
    documentId: z.uuid(),
    status: z.enum(recordStatuses),
    confidence: z.number().min(0).max(1),
    vendorName: z.string().nullable(),
    customerName: z.string().nullable(),
    invoiceNumber: z.string().nullable(),
    issueDate: isoDate.nullable(),
    dueDate: isoDate.nullable(),
    currency: z.string().nullable(),
    subtotal: z.string().nullable(),
    discount: z.string().nullable(),
    shipping: z.string().nullable(),
    tax: z.string().nullable(),
    total: z.string().nullable(),
    lineItems: z.array(lineItemSchema),
    fieldConfidence: z.record(z.string(), z.number()).nullable(),
    reasons: z.array(z.string()),
    approvedAt: z.iso.datetime().nullable(),
    approvedBy: z.string().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    links: z.object({ self: z.string(), document: z.string() }),
  })
  .meta({ id: 'AccountingRecord' });

export const recordListQuerySchema = z.object({
  entityId: z.uuid().optional(),
  status: z.enum(recordStatuses).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.uuid().optional(),
});

export const recordListResponseSchema = z.object({
  items: z.array(recordResponseSchema),
  nextCursor: z.uuid().nullable(),
});


const money = (value: Prisma.Decimal | null) => (value === null ? null : value.toFixed(2));
const quantity = (value: Prisma.Decimal | null) => (value === null ? null : value.toString());
/** Prices keep cents ("95.00") but also the extra precision some unit prices have ("0.125"). */
const price = (value: Prisma.Decimal | null) => (value === null ? null : value.toFixed(Math.max(2, value.decimalPlaces())));
const day = (value: Date | null) => (value === null ? null : value.toISOString().slice(0, 10));

export function presentRecord(record: RecordWithDetails): z.infer<typeof recordResponseSchema> {
  const kind = kindFromDb(record.kind);
  const decision = record.document.decision;
  return {
    id: record.id,
    kind,
    entityId: record.entityId,
    documentId: record.documentId,
    status: record.status,
    confidence: record.confidence,
    vendorName: record.vendorName,
    customerName: record.customerName,
    invoiceNumber: record.invoiceNumber,
    issueDate: day(record.issueDate),
    dueDate: day(record.dueDate),
    currency: record.currency,
    subtotal: money(record.subtotal),
    discount: money(record.discount),
    shipping: money(record.shipping),
    tax: money(record.tax),
    total: money(record.total),
    lineItems: record.lines.map((line) => ({
      description: line.description,
      quantity: quantity(line.quantity),
      unitPrice: price(line.unitPrice),
      amount: line.amount.toFixed(2),
    })),
    fieldConfidence: (decision?.fieldConfidence as Record<string, number> | undefined) ?? null,
    reasons: (decision?.reasons as string[] | undefined) ?? [],
    approvedAt: record.approvedAt?.toISOString() ?? null,
    approvedBy: record.approvedBy,
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
    links: { self: recordUrl(kind, record.id), document: documentUrl(record.documentId) },
  };
}
