// The errors entry only: the package itself is loaded with the first job (lazy-extractor.ts).
import { UnreadableDocumentError } from '@billflow/extraction/errors';
import { UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Logger } from 'pino';
import { isFinalFailure, userFacingReason } from '../services/job-outcomes.js';
import { failedDocumentReference, recordFinalFailure, resolveFailure } from '../services/scan-failures.js';
import { PermanentScanError, processScan, type ScanDeps, type ScanOutcome } from '../services/scan-processing.js';
import { documentKinds, scanJobRetention, scanJobSchema, scanQueueNames, type ScanJob } from '../services/scan-queues.js';
import type { WorkerRegistry } from '../services/worker-registry.js';

export interface ScanWorkerOptions {
  connection: ConnectionOptions;
  prefix: string;
  concurrency: number;
  extractionTimeoutMs: number;
  logger: Logger;
  registry: WorkerRegistry;
  /** Finished jobs kept (removeOnComplete / removeOnFail), applied by the workers rather than stored in each job. */
  retention: ReturnType<typeof scanJobRetention>;
}

type ScanResult = ScanOutcome;

/**
 * The logger for every line about one attempt of one job: the upload's
 * requestId travels in the payload, so one document can be followed from the
 * HTTP request to its record. `attempt` counts from 1.
 */
function jobLogger(logger: Logger, job: Job<Partial<ScanJob>>, attempt: number): Logger {
  const data = job.data ?? {};
  return logger.child({ jobId: job.id, documentId: data.documentId, tenantId: data.tenantId, requestId: data.requestId, queue: job.queueName, attempt });
}

function createProcessor(deps: ScanDeps, options: ScanWorkerOptions) {
  return async (job: Job<ScanJob, ScanResult>): Promise<ScanResult> => {
    // attemptsMade counts finished attempts: this one is the next.
    const log = jobLogger(options.logger, job, job.attemptsMade + 1);
    const parsed = scanJobSchema.safeParse(job.data);
    if (!parsed.success) {
      log.error({ issues: parsed.error.issues.map((issue) => issue.path.join('.')) }, 'scan job payload is invalid');
      throw new UnrecoverableError('the job payload is invalid');
    }
    log.info('scan started');
    try {
      return await processScan(deps, parsed.data.documentId, {
        signal: AbortSignal.timeout(options.extractionTimeoutMs),
        reportProgress: (percent) => job.updateProgress(percent),
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
      ...options.retention,
    });
    worker.on('completed', (job, result) => {
      // The attempt that just finished has been counted in attemptsMade.
      const log = jobLogger(options.logger, job, job.attemptsMade);
      resolveFailure(deps.db, job.id!).catch((error: unknown) => log.error({ err: error }, 'could not resolve the failure of a completed job'));
      log.info({ recordId: result.recordId, durationMs: job.processedOn ? Date.now() - job.processedOn : undefined, extractionMs: result.extraction?.durationMs }, 'scan completed');
    });
    worker.on('failed', (job, error) => {
      if (!job) return;
      const log = jobLogger(options.logger, job, job.attemptsMade);
      const final = isFinalFailure(job, error);
      log.warn({ err: error, final }, final ? 'scan failed for good' : 'scan attempt failed; will retry');
      if (!final) return;
      // The job stays in the failed set even if this write is lost, so the reconciler can still record it.
      const record = async () => {
        const data = await failedDocumentReference(deps.db, job.data);
        if (!data) return log.warn('the failed job has no document any more; no failure recorded');
        await recordFinalFailure(deps.db, { jobId: job.id!, queue: job.queueName, jobName: job.name, data, reason: userFacingReason(error), attempts: job.attemptsMade });
      };
      record().catch((recordError: unknown) => log.error({ err: recordError }, 'could not record the final failure'));
    });
    worker.on('error', (error) => options.logger.error({ err: error, queue: scanQueueNames[kind] }, 'scan worker error'));
    options.registry.add(worker);
    return worker;
  });
}
