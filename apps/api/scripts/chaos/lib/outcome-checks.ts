import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { Database } from '../../../src/db.js';
import { DocumentStatus } from '../../../src/generated/prisma/enums.js';
import { isAccepted, type UploadOutcome, type UploadStatus } from './uploads.js';

export interface ChaosCounts {
  /** Upload answers by status (`202`, `503`, `network-error`, …). */
  statuses: Record<string, number>;
  accepted: number;
  records: number;
  /** Open (unresolved) JobFailure rows. */
  failures: number;
  /** Accepted uploads (or documents) that ended with neither a record nor a failure. */
  lost: number;
  /** Documents that ended more than once: two records, two failures, or a record and a failure; records sharing a source file. */
  duplicated: number;
  /** S3 objects without a Document row. */
  orphans: number;
  /** PendingUpload rows without a Document, older than the upload grace: cut-off uploads the reconciler did not clean up. */
  abandonedUploads: number;
  /** Document rows whose S3 object is missing. */
  missingObjects: number;
  /** Documents still QUEUED or PROCESSING after the settle timeout. */
  stuck: number;
  /** Uploads answered with an error whose Document row exists anyway. */
  leftBehind: number;
}

export interface ChaosVerdict {
  counts: ChaosCounts;
  /** One line per broken promise, with up to five example ids. */
  violations: string[];
}

const UNFINISHED: DocumentStatus[] = [DocumentStatus.QUEUED, DocumentStatus.PROCESSING];

/** PendingUpload rows whose Document was never written: uploads cut off before the end (or still running). */
function uploadsWithoutDocument(db: Database): Promise<{ id: string; createdAt: Date }[]> {
  return db.$queryRaw`SELECT p.id, p."createdAt" FROM "PendingUpload" p WHERE NOT EXISTS (SELECT 1 FROM "Document" d WHERE d.id = p.id)`;
}

/**
 * Waits until no document is QUEUED or PROCESSING and no upload is left
 * without its Document (retries, stalled-job recovery and the reconciler had
 * their chance), or the time is up.
 */
export async function waitForSettled(db: Database, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const unfinished = await db.document.count({ where: { status: { in: UNFINISHED } } });
    if (unfinished === 0 && (await uploadsWithoutDocument(db)).length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function listObjectKeys(s3: S3Client, bucket: string): Promise<Set<string>> {
  const keys = new Set<string>();
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    for (const object of page.Contents ?? []) if (object.Key) keys.add(object.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys;
}

const examples = (ids: string[]) => `${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ', …' : ''}`;

/**
 * Checks the promises of issue 7 against the database and the bucket (the
 * run's own, so everything in them belongs to this run):
 * every accepted upload — and every other document — ends as exactly one
 * record or one open JobFailure; nothing ends twice; no orphan object and no
 * document without its object; no cut-off upload older than the upload grace
 * still waiting for its file to be removed; nothing stuck; no row behind a
 * rejected upload; and only the answers the scenario allows.
 */
export async function verifyOutcomes(
  deps: { db: Database; s3: S3Client; bucket: string; uploadGraceMs: number },
  outcomes: UploadOutcome[],
  allowedStatuses: (status: UploadStatus) => boolean,
): Promise<ChaosVerdict> {
  const { db } = deps;
  const violations: string[] = [];
  const documents = await db.document.findMany({ select: { id: true, status: true, filename: true, objectKey: true } });
  const records = await db.accountingRecord.findMany({ select: { documentId: true, entityId: true, kind: true, sourceHash: true } });
  const failures = await db.jobFailure.findMany({ where: { resolvedAt: null }, select: { documentId: true } });
  const objectKeys = await listObjectKeys(deps.s3, deps.bucket);

  const tally = (ids: string[]) => ids.reduce((map, id) => map.set(id, (map.get(id) ?? 0) + 1), new Map<string, number>());
  const recordsByDocument = tally(records.map((record) => record.documentId));
  const failuresByDocument = tally(failures.map((failure) => failure.documentId));
  const documentById = new Map(documents.map((document) => [document.id, document]));

  const statuses: Record<string, number> = {};
  for (const outcome of outcomes) statuses[String(outcome.status)] = (statuses[String(outcome.status)] ?? 0) + 1;
  const unexpected = outcomes.filter((outcome) => !allowedStatuses(outcome.status));
  if (unexpected.length) violations.push(`${unexpected.length} uploads answered ${[...new Set(unexpected.map((o) => o.status))].join('/')}`);

  const accepted = outcomes.filter((outcome) => isAccepted(outcome.status));
  const acceptedWithoutId = accepted.filter((outcome) => !outcome.documentId);
  if (acceptedWithoutId.length) violations.push(`${acceptedWithoutId.length} 2xx answers without a documentId`);

  const lostIds = accepted.filter((outcome) => outcome.documentId && !documentById.has(outcome.documentId)).map((outcome) => outcome.documentId!);
  const duplicatedIds: string[] = [];
  for (const document of documents) {
    const ended = (recordsByDocument.get(document.id) ?? 0) + (failuresByDocument.get(document.id) ?? 0);
    if (UNFINISHED.includes(document.status)) continue;
    if (ended === 0) lostIds.push(document.id);
    if (ended > 1) duplicatedIds.push(document.id);
    const expected = document.status === DocumentStatus.PROCESSED ? recordsByDocument.get(document.id) : failuresByDocument.get(document.id);
    if (ended === 1 && expected !== 1) lostIds.push(document.id);
  }
  const sharedSources = [...tally(records.map((record) => `${record.entityId}/${record.kind}/${record.sourceHash}`)).entries()].filter(([, count]) => count > 1);
  duplicatedIds.push(...sharedSources.map(([source]) => source));
  if (lostIds.length) violations.push(`${lostIds.length} documents lost (no record and no failure, or not matching their status): ${examples(lostIds)}`);
  if (duplicatedIds.length) violations.push(`${duplicatedIds.length} documents ended twice: ${examples(duplicatedIds)}`);

  const stuckIds = documents.filter((document) => UNFINISHED.includes(document.status)).map((document) => document.id);
  if (stuckIds.length) violations.push(`${stuckIds.length} documents still QUEUED/PROCESSING: ${examples(stuckIds)}`);

  const documentKeys = new Set(documents.map((document) => document.objectKey));
  const orphanKeys = [...objectKeys].filter((key) => !documentKeys.has(key));
  if (orphanKeys.length) violations.push(`${orphanKeys.length} S3 objects without a Document row: ${examples(orphanKeys)}`);
  const graceEnd = Date.now() - deps.uploadGraceMs;
  const abandonedIds = (await uploadsWithoutDocument(db)).filter((upload) => upload.createdAt.getTime() < graceEnd).map((upload) => upload.id);
  if (abandonedIds.length) violations.push(`${abandonedIds.length} uploads without a Document still pending past the ${deps.uploadGraceMs / 1000} s grace: ${examples(abandonedIds)}`);
  const missingIds = documents.filter((document) => !objectKeys.has(document.objectKey)).map((document) => document.id);
  if (missingIds.length) violations.push(`${missingIds.length} documents whose S3 object is missing: ${examples(missingIds)}`);

  const filenames = new Set(documents.map((document) => document.filename));
  const leftBehind = outcomes.filter((outcome) => typeof outcome.status === 'number' && outcome.status >= 400 && filenames.has(outcome.filename));
  if (leftBehind.length) violations.push(`${leftBehind.length} rejected uploads left a Document row: ${examples(leftBehind.map((o) => o.filename))}`);

  return {
    counts: {
      statuses,
      accepted: accepted.length,
      records: records.length,
      failures: failures.length,
      lost: lostIds.length,
      duplicated: duplicatedIds.length,
      orphans: orphanKeys.length,
      abandonedUploads: abandonedIds.length,
      missingObjects: missingIds.length,
      stuck: stuckIds.length,
      leftBehind: leftBehind.length,
    },
    violations,
  };
}
