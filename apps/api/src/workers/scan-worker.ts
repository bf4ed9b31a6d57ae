import { UnreadableDocumentError } from '@billflow/extraction';
import { UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Logger } from 'pino';
import { recordFinalFailure, resolveFailure } from '../services/scan-failures.js';
import { PermanentScanError, processScan, type ScanDeps } from '../services/scan-processing.js';
import { documentKinds, scanJobSchema, scanQueueNames, type ScanJob } from '../services/scan-queues.js';
import type { WorkerRegistry } from '../services/worker-registry.js';

export interface ScanWorkerOptions {
  connection: ConnectionOptions;
  prefix: string;
  concurrency: number;
  extractionTimeoutMs: number;
  logger: Logger;
  registry: WorkerRegistry;
}

type ScanResult = { recordId: string };

function isFinalFailure(job: Job, error: Error): boolean {
  return error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
}

/** What the uploader is told; internal details stay in the logs. */
function userFacingReason(error: Error): string {
  return error instanceof UnrecoverableError ? error.message : 'processing failed after several attempts; please try again later';
}

function createProcessor(deps: ScanDeps, options: ScanWorkerOptions) {
  return async (job: Job<ScanJob, ScanResult>): Promise<ScanResult> => {
    const parsed = scanJobSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError('the job payload is invalid');
    const { documentId } = parsed.data;
    try {
      return await processScan(deps, documentId, {
        signal: AbortSignal.timeout(options.extractionTimeoutMs),
        reportProgress: async (percent) => {
          await Promise.all([job.updateProgress(percent), deps.db.document.update({ where: { id: documentId }, data: { progress: percent } })]);
        },
      });
    } catch (error) {
      if (error instanceof PermanentScanError || error instanceof UnreadableDocumentError) {
        throw new UnrecoverableError(error.message);
      }
      throw error;
    }
  };
}

/** One worker per scan queue, in this process. */
export function startScanWorkers(deps: ScanDeps, options: ScanWorkerOptions): Worker[] {
  const processor = createProcessor(deps, options);
  return documentKinds.map((kind) => {
    const worker = new Worker<ScanJob, ScanResult>(scanQueueNames[kind], processor, {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: options.concurrency,
    });
    worker.on('completed', (job, result) => {
      resolveFailure(deps.db, job.id!).catch((error: unknown) => options.logger.error({ err: error, jobId: job.id }, 'could not resolve the failure of a completed job'));
      options.logger.info({ jobId: job.id, documentId: job.data.documentId, tenantId: job.data.tenantId, requestId: job.data.requestId, recordId: result.recordId }, 'scan completed');
    });
    worker.on('failed', (job, error) => {
      if (!job) return;
      const context = { jobId: job.id, documentId: job.data.documentId, tenantId: job.data.tenantId, requestId: job.data.requestId, attempt: job.attemptsMade };
      const final = isFinalFailure(job, error);
      options.logger.warn({ ...context, err: error, final }, final ? 'scan failed for good' : 'scan attempt failed; will retry');
      if (!final) return;
      const failure = { jobId: job.id!, queue: job.queueName, jobName: job.name, data: job.data, reason: userFacingReason(error), attempts: job.attemptsMade };
      // The job stays in the failed set even if this write is lost, so it can still be found and replayed.
      recordFinalFailure(deps.db, failure).catch((recordError: unknown) => {
        options.logger.error({ ...context, err: recordError }, 'could not record the final failure');
      });
    });
    worker.on('error', (error) => options.logger.error({ err: error, queue: scanQueueNames[kind] }, 'scan worker error'));
    options.registry.add(worker);
    return worker;
  });
}
