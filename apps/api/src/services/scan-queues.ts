import { Queue, type ConnectionOptions, type JobsOptions, type KeepJobs } from 'bullmq';
import { z } from 'zod';
import type { Config } from '../config.js';

export const documentKinds = ['bill', 'invoice'] as const;
export type DocumentKindName = (typeof documentKinds)[number];

export const scanQueueNames = { bill: 'bill-scan', invoice: 'invoice-scan' } as const satisfies Record<DocumentKindName, string>;

/** What a scan is about, as the Document row holds it; a JobFailure keeps it (jobs carried all of it before). */
export const documentReferenceSchema = z.object({
  documentId: z.uuid(),
  tenantId: z.uuid(),
  entityId: z.uuid(),
  uploadedBy: z.string(),
  kind: z.enum(documentKinds),
  bucket: z.string(),
  objectKey: z.string(),
  sha256: z.string().length(64),
  mimeType: z.string(),
  filename: z.string().max(255),
  requestId: z.string().optional(),
});
export type DocumentReference = z.infer<typeof documentReferenceSchema>;

/**
 * The job payload: ids only, the worker reads the rest from the Document row.
 * tenantId is for tenant filtering without a database read (admin API, Bull
 * Board, reconciler); requestId labels the worker's log lines, which the
 * `failed` handler writes without the row. Jobs queued with the whole
 * reference still parse: the other keys are dropped.
 */
export const scanJobSchema = documentReferenceSchema.pick({ documentId: true, tenantId: true, requestId: true });
export type ScanJob = z.infer<typeof scanJobSchema>;

export type ScanQueues = Record<DocumentKindName, Queue<ScanJob>>;

/** Stored in every job hash, so only what must be per job: attempts and backoff. */
export function scanJobOptions(config: Config): JobsOptions {
  return { attempts: config.JOB_ATTEMPTS, backoff: { type: 'exponential', delay: config.JOB_BACKOFF_MS } };
}

/** How many finished jobs the scan workers keep; set on the workers, so no job hash carries it. */
export function scanJobRetention(config: Config): { removeOnComplete: KeepJobs; removeOnFail: KeepJobs } {
  return {
    removeOnComplete: { age: config.JOB_REMOVE_ON_COMPLETE_AGE_S, count: config.JOB_REMOVE_ON_COMPLETE_COUNT },
    removeOnFail: { age: config.JOB_REMOVE_ON_FAIL_AGE_S, count: config.JOB_REMOVE_ON_FAIL_COUNT },
  };
}

/**
 * Events kept in each queue's stream (BullMQ's default is 10,000). QueueEvents
 * read it live and the database holds every document's state, so the stream
 * only has to bridge a reader's reconnect: a job writes about ten events, so
 * this is the last ~200 jobs, several seconds at full drain.
 */
const SCAN_EVENTS_MAX_LEN = 2_000;

export function createScanQueues(connection: ConnectionOptions, config: Config): ScanQueues {
  const defaultJobOptions = scanJobOptions(config);
  const create = (kind: DocumentKindName) => {
    const queue = new Queue<ScanJob>(scanQueueNames[kind], { connection, prefix: config.QUEUE_PREFIX, defaultJobOptions, streams: { events: { maxLen: SCAN_EVENTS_MAX_LEN } } });
    // The connection logs its own outages; without a listener BullMQ would print every retry.
    queue.on('error', () => undefined);
    return queue;
  };
  return { bill: create('bill'), invoice: create('invoice') };
}
