import { Queue, type JobsOptions, type ConnectionOptions } from 'bullmq';
import { z } from 'zod';
import type { Config } from '../config.js';

export const documentKinds = ['bill', 'invoice'] as const;
export type DocumentKindName = (typeof documentKinds)[number];

export const scanQueueNames = { bill: 'bill-scan', invoice: 'invoice-scan' } as const satisfies Record<DocumentKindName, string>;

/** The job payload is a reference to the stored file, never its bytes. */
export const scanJobSchema = z.object({
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
export type ScanJob = z.infer<typeof scanJobSchema>;

export type ScanQueues = Record<DocumentKindName, Queue<ScanJob>>;

export function scanJobOptions(config: Config): JobsOptions {
  return {
    attempts: config.JOB_ATTEMPTS,
    backoff: { type: 'exponential', delay: config.JOB_BACKOFF_MS },
    removeOnComplete: { age: config.JOB_REMOVE_ON_COMPLETE_AGE_S, count: config.JOB_REMOVE_ON_COMPLETE_COUNT },
    removeOnFail: { age: config.JOB_REMOVE_ON_FAIL_AGE_S, count: config.JOB_REMOVE_ON_FAIL_COUNT },
  };
}

export function createScanQueues(connection: ConnectionOptions, config: Config): ScanQueues {
  const defaultJobOptions = scanJobOptions(config);
  const create = (kind: DocumentKindName) => {
    const queue = new Queue<ScanJob>(scanQueueNames[kind], { connection, prefix: config.QUEUE_PREFIX, defaultJobOptions });
    // The connection logs its own outages; without a listener BullMQ would print every retry.
    queue.on('error', () => undefined);
    return queue;
  };
  return { bill: create('bill'), invoice: create('invoice') };
}
