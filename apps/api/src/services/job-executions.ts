import { hostname } from 'node:os';
import { type Job, type Worker } from 'bullmq';
import { isFinalFailure } from './job-outcomes.js';
import type { Logger } from 'pino';
import type { Database } from '../db.js';

/** completed; failed for good; or failed with another attempt to follow. */
export type ExecutionStatus = 'completed' | 'failed' | 'retried-failed';

/** One attempt of one job, as it is stored in JobExecution. */
export interface ExecutionRow {
  queue: string;
  jobId: string;
  name: string;
  tenantId: string | null;
  attempt: number;
  status: ExecutionStatus;
  startedAt: Date;
  finishedAt: Date;
  durationMs: number;
  workerId: string;
  error: string | null;
}

export interface ExecutionRecorderOptions {
  /** Rows wait at most this long before they are written (default 500 ms). */
  flushIntervalMs?: number;
  /** A batch this large is written at once (default 100). */
  maxBatch?: number;
  /** While the database is unreachable rows are kept up to this many; older ones are dropped (default 10,000). */
  maxBuffered?: number;
}

export interface ExecutionRecorderStats {
  recorded: number;
  written: number;
  dropped: number;
  batches: number;
  /** Total time spent in batch inserts, off the job path. */
  writeMs: number;
}

const ERROR_MAX_CHARS = 1_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Buffers execution rows in memory and writes them with one INSERT per
 * batch (every `flushIntervalMs` or `maxBatch` rows), so recording an attempt
 * costs the job path an array push. A failed write is retried with the next
 * batch; `close()` writes everything still buffered.
 */
export class ExecutionRecorder {
  private buffer: ExecutionRow[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private next: Promise<void> | undefined;
  private nextWritesAll = false;
  private closed = false;
  private readonly flushIntervalMs: number;
  private readonly maxBatch: number;
  private readonly maxBuffered: number;
  readonly stats: ExecutionRecorderStats = { recorded: 0, written: 0, dropped: 0, batches: 0, writeMs: 0 };

  constructor(
    private readonly db: Database,
    private readonly logger: Logger,
    options: ExecutionRecorderOptions = {},
  ) {
    this.flushIntervalMs = options.flushIntervalMs ?? 500;
    this.maxBatch = options.maxBatch ?? 100;
    this.maxBuffered = options.maxBuffered ?? 10_000;
  }

  /** Queues one row for the next batch. Never throws, never waits. */
  record(row: ExecutionRow): void {
    this.stats.recorded++;
    this.buffer.push(row);
    if (this.buffer.length > this.maxBuffered) {
      const excess = this.buffer.length - this.maxBuffered;
      this.buffer.splice(0, excess);
      this.stats.dropped += excess;
    }
    if (this.closed || this.buffer.length >= this.maxBatch) return void this.write(this.closed);
    this.timer ??= setTimeout(() => void this.flush(), this.flushIntervalMs).unref();
  }

  /** Writes every row buffered now; resolves when they are written (or kept for a retry after a failed write). */
  flush(): Promise<void> {
    return this.write(true);
  }

  /** Writes every buffered row; rows recorded after close are written at once. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  /**
   * At most one write runs and one waits; the waiting one takes the rows that
   * arrived meanwhile, so a burst of completions makes full batches rather
   * than many small ones. `all`: also the last, partial batch.
   */
  private write(all: boolean): Promise<void> {
    if (all) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.nextWritesAll ||= all;
    this.next ??= this.writing
      .then(() => {
        const writeAll = this.nextWritesAll;
        this.next = undefined;
        this.nextWritesAll = false;
        return this.writeBuffered(writeAll);
      })
      // Never rejects: a broken chain would stop every later write.
      .catch((error: unknown) => this.logger.error({ err: error }, 'job execution recorder failed'));
    this.writing = this.next;
    return this.next;
  }

  private async writeBuffered(all: boolean): Promise<void> {
    let owed = all ? this.buffer.length : 0;
    while (this.buffer.length >= this.maxBatch || (owed > 0 && this.buffer.length > 0)) {
      const batch = this.buffer.splice(0, this.maxBatch);
      owed -= batch.length;
      const started = performance.now();
      try {
        await insertExecutions(this.db, batch);
        this.stats.written += batch.length;
        this.stats.batches++;
      } catch (error) {
        if (this.closed) {
          this.stats.dropped += batch.length + this.buffer.length;
          this.logger.error({ err: error, rows: batch.length + this.buffer.length }, 'could not write job executions at shutdown; dropped');
          this.buffer = [];
          return;
        }
        // Kept for the next flush (bounded by maxBuffered): the audit trail survives a database blip.
        this.buffer.unshift(...batch);
        this.logger.warn({ err: error, rows: this.buffer.length }, 'could not write job executions; will retry');
        this.timer ??= setTimeout(() => void this.flush(), Math.max(this.flushIntervalMs, 2_000)).unref();
        return;
      } finally {
        this.stats.writeMs += performance.now() - started;
      }
    }
    // A partial batch left behind waits for the interval.
    if (this.buffer.length > 0) this.timer ??= setTimeout(() => void this.flush(), this.flushIntervalMs).unref();
  }
}

/**
 * One INSERT … SELECT FROM unnest(arrays) per batch. Measured against
 * `createMany` for 100 rows here: 5 ms instead of 34 ms of CPU on the event
 * loop the workers share (Prisma's query compiler runs in-process), 13 ms
 * instead of 69 ms wall time. Timestamps are written as UTC, as Prisma does.
 */
async function insertExecutions(db: Database, rows: ExecutionRow[]): Promise<void> {
  const column = <T>(pick: (row: ExecutionRow) => T) => rows.map(pick);
  await db.$executeRaw`
    INSERT INTO "JobExecution" ("id", "queue", "jobId", "name", "tenantId", "attempt", "status", "startedAt", "finishedAt", "durationMs", "workerId", "error")
    SELECT gen_random_uuid(), * FROM unnest(
      ${column((row) => row.queue)}::text[], ${column((row) => row.jobId)}::text[], ${column((row) => row.name)}::text[],
      ${column((row) => row.tenantId)}::uuid[], ${column((row) => row.attempt)}::int[], ${column((row) => row.status)}::text[],
      ${column((row) => row.startedAt.toISOString())}::timestamp(3)[], ${column((row) => row.finishedAt.toISOString())}::timestamp(3)[],
      ${column((row) => row.durationMs)}::int[], ${column((row) => row.workerId)}::text[], ${column((row) => row.error)}::text[]
    )`;
}

/** The tenant of a job whose payload carries `tenantId` (scan jobs do); null otherwise. */
export function tenantFromJobData(job: Job): string | null {
  const tenantId = (job.data as { tenantId?: unknown } | null)?.tenantId;
  return typeof tenantId === 'string' && UUID.test(tenantId) ? tenantId : null;
}

export interface TrackOptions {
  /** Where the tenant of a job is found; by default `job.data.tenantId`. */
  tenantOf?: (job: Job) => string | null;
}

/**
 * Records every attempt the worker finishes (completed, failed, retried-failed)
 * in the recorder. The listeners only build a row and push it: the database
 * write happens later, in a batch. Start time is the job's `processedOn`
 * (set when it was moved to active) and duration is measured to the event.
 */
export function trackExecutions(worker: Worker, recorder: ExecutionRecorder, options: TrackOptions = {}): void {
  const workerId = `${hostname()}:${process.pid}:${worker.id.slice(0, 8)}`;
  const tenantOf = options.tenantOf ?? tenantFromJobData;
  const row = (job: Job, status: ExecutionStatus, error: Error | null): ExecutionRow => {
    const finished = Date.now();
    const started = job.processedOn ?? finished;
    return {
      queue: job.queueName,
      jobId: job.id ?? 'unknown',
      name: job.name,
      tenantId: tenantOf(job),
      attempt: Math.max(job.attemptsMade, 1),
      status,
      startedAt: new Date(started),
      finishedAt: new Date(finished),
      durationMs: Math.max(0, finished - started),
      workerId,
      error: error ? (error.message || error.name).slice(0, ERROR_MAX_CHARS) : null,
    };
  };
  worker.on('completed', (job) => recorder.record(row(job, 'completed', null)));
  worker.on('failed', (job, error) => {
    if (!job) return;
    recorder.record(row(job, isFinalFailure(job, error) ? 'failed' : 'retried-failed', error));
  });
}
