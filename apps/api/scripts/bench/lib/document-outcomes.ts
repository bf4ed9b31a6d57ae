import { setTimeout as sleep } from 'node:timers/promises';
import type { Database } from '../../../src/db.js';

/** Where one uploaded document ended, from the database. */
export interface DocumentOutcome {
  documentId: string;
  status: string;
  /** When its AccountingRecord was written (ms), or null without one. */
  recordCreatedAt: number | null;
}

const SETTLED = ['PROCESSED', 'FAILED'] as const;

/**
 * Polls until every document is PROCESSED or FAILED. Gives up when none settled
 * for `stallTimeoutMs` (a stuck pipeline), however long the whole run takes.
 */
export async function waitUntilSettled(db: Database, documentIds: string[], options: { stallTimeoutMs: number; onProgress?: (settled: number) => void }): Promise<void> {
  let settled = -1;
  let lastChange = Date.now();
  for (;;) {
    const now = await db.document.count({ where: { id: { in: documentIds }, status: { in: [...SETTLED] } } });
    if (now !== settled) {
      settled = now;
      lastChange = Date.now();
      options.onProgress?.(settled);
    }
    if (settled === documentIds.length) return;
    if (Date.now() - lastChange > options.stallTimeoutMs) throw new Error(`${documentIds.length - settled} of ${documentIds.length} documents did not settle`);
    await sleep(250);
  }
}

export async function documentOutcomes(db: Database, documentIds: string[]): Promise<DocumentOutcome[]> {
  const rows = await db.document.findMany({ where: { id: { in: documentIds } }, select: { id: true, status: true, record: { select: { createdAt: true } } } });
  return rows.map((row) => ({ documentId: row.id, status: row.status, recordCreatedAt: row.record?.createdAt.getTime() ?? null }));
}
