import type { Job, Queue, Worker } from 'bullmq';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { isFinalFailure } from './job-outcomes.js';
import { jobStates } from './queue-admin.js';
import type { ScanOutcome } from './scan-processing.js';


/**
 * The process's Prometheus metrics. One registry per app instance (tests run
 * several in one process), so nothing is registered globally.
 */
export function createMetrics(queues: () => Queue[]) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'billflow_' });
  const registers = [registry];

  const metrics = {
    registry,
    httpDuration: new Histogram({
      name: 'billflow_http_request_duration_seconds',
      help: 'HTTP request duration by route and status code',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    jobsFinished: new Counter({
      name: 'billflow_jobs_total',
      help: 'Job attempts by queue and outcome: completed, failed (for good) or retried (failed, will be tried again)',
      labelNames: ['queue', 'outcome'] as const,
      registers,
    }),
    jobDuration: new Histogram({
      name: 'billflow_job_duration_seconds',
      help: 'Processing time of completed jobs by queue',
      labelNames: ['queue'] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120],
      registers,
    }),
    extractionConfidence: new Histogram({
      name: 'billflow_extraction_confidence',
      help: 'Overall extraction confidence of processed documents',
      labelNames: ['method'] as const,
      buckets: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 1],
      registers,
    }),
    extractionMethods: new Counter({ name: 'billflow_extraction_method_total', help: 'Processed documents by extraction method', labelNames: ['method'] as const, registers }),
    ocrPages: new Counter({ name: 'billflow_ocr_pages_total', help: 'Pages read by OCR', registers }),
    duplicateUploads: new Counter({
      name: 'billflow_duplicate_uploads_total',
      help: 'Uploads answered with an existing document instead of a new job',
      labelNames: ['kind'] as const,
      registers,
    }),
  };

  new Gauge({
    name: 'billflow_queue_jobs',
    help: 'Jobs per queue and state, read from Redis at scrape time',
    labelNames: ['queue', 'state'] as const,
    registers,
    async collect() {
      this.reset();
      for (const queue of queues()) {
        const counts = await queue.getJobCounts(...jobStates);
        for (const state of jobStates) this.set({ queue: queue.name, state }, counts[state] ?? 0);
      }
    },
  });

  return metrics;
}

export type Metrics = ReturnType<typeof createMetrics>;

/** Counts and times every attempt of a worker's jobs. */
export function instrumentWorker(worker: Worker, metrics: Metrics): void {
  worker.on('completed', (job: Job) => {
    metrics.jobsFinished.inc({ queue: worker.name, outcome: 'completed' });
    if (job.processedOn && job.finishedOn) metrics.jobDuration.observe({ queue: worker.name }, (job.finishedOn - job.processedOn) / 1000);
    const extraction = (job.returnvalue as Partial<ScanOutcome> | undefined)?.extraction;
    if (extraction) {
      metrics.extractionMethods.inc({ method: extraction.method });
      metrics.extractionConfidence.observe({ method: extraction.method }, extraction.confidence);
      if (extraction.method === 'ocr') metrics.ocrPages.inc(extraction.pages);
    }
  });
  worker.on('failed', (job, error) => {
    if (!job) return;
    metrics.jobsFinished.inc({ queue: worker.name, outcome: isFinalFailure(job, error) ? 'failed' : 'retried' });
  });
}
