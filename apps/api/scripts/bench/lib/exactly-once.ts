import type { Database } from '../../../src/db.js';
import { documentOutcomes } from './document-outcomes.js';

/**
 * What the database says about the uploads: each one a document that ended exactly
 * once — PROCESSED with one AccountingRecord after one completed job, or FAILED with
 * one JobFailure. Returns the FAILED count and every broken promise, described.
 */
export async function exactlyOnce(db: Database, entityId: string, documentIds: string[]): Promise<{ failed: number; violations: string[] }> {
  const violations: string[] = [];
  const distinct = new Set(documentIds);
  if (distinct.size !== documentIds.length) violations.push(`${documentIds.length - distinct.size} uploads answered with a document id already given`);
  const documents = await db.document.count({ where: { entityId } });
  if (documents !== documentIds.length) violations.push(`${documents} documents for ${documentIds.length} uploads`);
  const outcomes = await documentOutcomes(db, documentIds);
  const processed = outcomes.filter((outcome) => outcome.status === 'PROCESSED').length;
  const failed = outcomes.filter((outcome) => outcome.status === 'FAILED').length;
  if (processed + failed !== documentIds.length) violations.push(`${documentIds.length - processed - failed} documents neither PROCESSED nor FAILED`);
  const count = (rows: { _count: { _all: number } }[]) => ({ distinct: rows.length, doubled: rows.filter((row) => row._count._all > 1).length });
  const recordRows = await db.accountingRecord.groupBy({ by: ['documentId'], where: { entityId }, _count: { _all: true } });
  const records = count(recordRows);
  if (records.distinct !== processed || records.doubled > 0) violations.push(`${records.distinct} documents with a record for ${processed} PROCESSED, ${records.doubled} with more than one`);
  const completionRows = await db.jobExecution.groupBy({ by: ['jobId'], where: { jobId: { in: documentIds }, status: 'completed' }, _count: { _all: true } });
  const completions = count(completionRows);
  if (completions.distinct !== processed || completions.doubled > 0) violations.push(`${completions.distinct} jobs completed for ${processed} PROCESSED, ${completions.doubled} more than once`);
  const failureRows = await db.jobFailure.groupBy({ by: ['documentId'], where: { documentId: { in: documentIds } }, _count: { _all: true } });
  const failures = count(failureRows);
  if (failures.distinct !== failed || failures.doubled > 0) violations.push(`${failures.distinct} documents with a JobFailure for ${failed} FAILED, ${failures.doubled} with more than one`);
  return { failed, violations };
}
