import { randomUUID } from 'node:crypto';
import type { Database } from '../../../src/db.js';

/** A new entity of the tenant: files already uploaded to another entity count as new documents here. */
export async function createBenchEntity(db: Database, tenantId: string): Promise<string> {
  const entity = await db.entity.create({ data: { tenantId, name: `Bench run ${randomUUID()}` } });
  return entity.id;
}

/** Deletes the entity with its documents and everything processing made of them (records, decisions, failures, executions, counterparties). */
export async function deleteBenchEntity(db: Database, entityId: string): Promise<void> {
  const documentIds = (await db.document.findMany({ where: { entityId }, select: { id: true } })).map(({ id }) => id);
  await db.$transaction([
    db.jobExecution.deleteMany({ where: { jobId: { in: documentIds } } }),
    db.jobFailure.deleteMany({ where: { entityId } }),
    db.extractionDecision.deleteMany({ where: { documentId: { in: documentIds } } }),
    db.accountingRecord.deleteMany({ where: { entityId } }),
    db.counterparty.deleteMany({ where: { entityId } }),
    db.document.deleteMany({ where: { entityId } }),
    db.entity.delete({ where: { id: entityId } }),
  ]);
}
