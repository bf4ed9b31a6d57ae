import type { Database } from '../db.js';
import { AppError, notFound } from '../errors.js';
import { RecordStatus, type DocumentKind } from '../generated/prisma/enums.js';
import type { RecordPatch } from '../schemas/record-patch.js';
import { counterpartyNameOf, upsertCounterparty } from './counterparties.js';
import { dateOrNull } from './record-persistence.js';

const details = {
  lines: { orderBy: { position: 'asc' } },
  document: { select: { decision: { select: { fieldConfidence: true, reasons: true } } } },
} as const;

export type RecordWithDetails = NonNullable<Awaited<ReturnType<typeof findRecord>>>;

function findRecord(db: Database, tenantId: string, kind: DocumentKind, id: string) {
  return db.accountingRecord.findFirst({ where: { id, tenantId, kind }, include: details });
}

export async function getRecord(db: Database, tenantId: string, kind: DocumentKind, id: string): Promise<RecordWithDetails> {
  const record = await findRecord(db, tenantId, kind, id);
  if (!record) throw notFound(kind === 'BILL' ? 'bill' : 'invoice');
  return record;
}

export interface RecordFilter {
  entityId?: string;
  status?: RecordStatus;
  limit: number;
  cursor?: string;
}

/** Newest first; the cursor is the id of the last record of the previous page. */
export async function listRecords(db: Database, tenantId: string, kind: DocumentKind, filter: RecordFilter) {
  const rows = await db.accountingRecord.findMany({
    where: { tenantId, kind, entityId: filter.entityId, status: filter.status },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: filter.limit + 1,
    ...(filter.cursor ? { cursor: { id: filter.cursor }, skip: 1 } : {}),
    include: details,
  });
  const items = rows.slice(0, filter.limit);
  return { items, nextCursor: rows.length > filter.limit ? items[items.length - 1]!.id : null };
}

/**
 * Applies a reviewer's corrections and/or approval. Approved records are
 * read-only: the update only matches a record that is not approved yet, so two
 * reviewers racing cannot both win.
 */
export async function updateRecord(
  db: Database,
  tenantId: string,
  kind: DocumentKind,
  id: string,
  patch: RecordPatch,
  userId: string,
): Promise<RecordWithDetails> {
  const current = await getRecord(db, tenantId, kind, id);
  const { lineItems, status, issueDate, dueDate, ...fields } = patch;
  await db.$transaction(async (tx) => {
    const names = {
      vendorName: fields.vendorName === undefined ? current.vendorName : fields.vendorName,
      customerName: fields.customerName === undefined ? current.customerName : fields.customerName,
    };
    const counterpartyChanged = counterpartyNameOf(kind, names) !== counterpartyNameOf(kind, current);
    const updated = await tx.accountingRecord.updateMany({
      where: { id, status: { not: RecordStatus.APPROVED } },
      data: {
        ...fields,
        ...(issueDate !== undefined ? { issueDate: dateOrNull(issueDate) } : {}),
        ...(dueDate !== undefined ? { dueDate: dateOrNull(dueDate) } : {}),
        ...(counterpartyChanged
          ? { counterpartyId: await upsertCounterparty(tx, current.entityId, kind, counterpartyNameOf(kind, names)) }
          : {}),
        ...(status === 'APPROVED' ? { status: RecordStatus.APPROVED, approvedAt: new Date(), approvedBy: userId } : {}),
      },
    });
    if (updated.count === 0) throw new AppError(409, 'RECORD_APPROVED', 'the record is approved and can no longer change');
    if (lineItems) {
      await tx.accountingRecordLine.deleteMany({ where: { recordId: id } });
      await tx.accountingRecordLine.createMany({ data: lineItems.map((line, position) => ({ ...line, recordId: id, position })) });
    }
  });
  return getRecord(db, tenantId, kind, id);
}
