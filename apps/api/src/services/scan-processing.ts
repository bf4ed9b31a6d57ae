import { createHash } from 'node:crypto';
import type { ExtractionStage } from '@billflow/extraction';
import type { Database } from '../db.js';
import { DocumentStatus } from '../generated/prisma/enums.js';
import { kindFromDb } from './document-kinds.js';
import type { JobExtractor } from './lazy-extractor.js';
import type { ObjectStorage } from './object-storage.js';
import { adoptExistingRecord, persistExtraction } from './record-persistence.js';
import { findDocument, markProcessing } from './scan-document-rows.js';

/** A scan that can never succeed, however often it is tried. */
export class PermanentScanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentScanError';
  }
}

export interface ScanDeps {
  db: Database;
  storage: ObjectStorage;
  /** The process's extractor, with its long-lived OCR pool. */
  extractor: JobExtractor;
  maxUploadBytes: number;
  reviewThreshold: number;
}

/** What a finished scan reports back (its BullMQ return value); no extraction when the record existed already. */
export interface ScanOutcome {
  recordId: string;
  /** durationMs: time inside the extractor (OCR included), so the pipeline's own share can be measured. */
  extraction?: { method: string; confidence: number; pages: number; durationMs: number };
}

export interface ScanContext {
  signal: AbortSignal;
  /** Live progress for the event streams (Redis); the Document row gets only its milestones. */
  reportProgress(percent: number): Promise<void>;
}

/** Where each step leaves the document's progress (0-100). */
const PROGRESS = { started: 5, downloaded: 25, extractionSpan: 60, persisted: 100 } as const;
const STAGE_SHARE: Record<ExtractionStage, number> = { reading: 0, parsing: 0.5, scoring: 0.9 };

/**
 * Turns one stored document into its accounting record. Safe to repeat: a
 * document that already has its record returns it without extracting again.
 *
 * The Document row is written twice: PROCESSING at 25% once the file is read
 * (so a row at 25% means "inside extraction"), and PROCESSED at 100% with the
 * record. Every step in between reaches clients as live progress only.
 */
export async function processScan(deps: ScanDeps, documentId: string, context: ScanContext): Promise<ScanOutcome> {
  const { db, storage } = deps;
  const document = await findDocument(db, documentId);
  if (!document) throw new PermanentScanError('the document no longer exists');
  // The record and the PROCESSED status are written in one transaction; a record of any other state is found when saving.
  if (document.status === DocumentStatus.PROCESSED) return { recordId: await adoptExistingRecord(db, document) };

  const [bytes] = await Promise.all([storage.read(document.objectKey, deps.maxUploadBytes, context.signal), context.reportProgress(PROGRESS.started)]);
  if (!bytes) throw new PermanentScanError('the original file is missing from storage');
  if (createHash('sha256').update(bytes).digest('hex') !== document.sha256) {
    throw new PermanentScanError('the stored file does not match its checksum');
  }

  let lastPercent: number = PROGRESS.downloaded;
  // Not awaited before extracting: progress calls share one Redis connection, so 25% still goes out before 55%.
  const [, , result] = await Promise.all([
    markProcessing(db, document.id, PROGRESS.downloaded),
    context.reportProgress(PROGRESS.downloaded),
    deps.extractor.extract({
      bytes,
      mimeType: document.mimeType,
      kind: kindFromDb(document.kind),
      signal: context.signal,
      onProgress: (stage) => {
        const percent = PROGRESS.downloaded + Math.round(PROGRESS.extractionSpan * STAGE_SHARE[stage]);
        if (percent === lastPercent) return;
        lastPercent = percent;
        void context.reportProgress(percent).catch(() => undefined);
      },
    }),
  ]);

  const { recordId } = await persistExtraction(db, document, result, deps.reviewThreshold);
  // Not awaited: it shares the worker's Redis connection with the job's completion, so it still goes out first.
  void context.reportProgress(PROGRESS.persisted).catch(() => undefined);
  return { recordId, extraction: { method: result.method, confidence: result.confidence, pages: result.pageCount, durationMs: result.durationMs } };
}
