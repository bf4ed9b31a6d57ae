import { QueueEvents } from 'bullmq';
import type { Logger } from 'pino';
import type { Database } from '../db.js';
import { DocumentStatus } from '../generated/prisma/enums.js';
import type { RedisConnection } from '../redis.js';
import { kindFromDb } from './document-kinds.js';
import type { DocumentKindName } from './scan-queues.js';
import { withTimeout } from './with-timeout.js';

/** What a client sees of a document while it is processed (the fields of GET /api/documents/:id that change). */
export interface DocumentState {
  id: string;
  tenantId: string;
  kind: DocumentKindName;
  status: DocumentStatus;
  progress: number;
  recordId: string | null;
  error: string | null;
}

export type DocumentFilter = { documentId: string } | { tenantId: string };
export type DocumentListener = (state: DocumentState) => void;

export interface DocumentEventsOptions {
  /** A connection that waits out Redis restarts (maxRetriesPerRequest: null); each QueueEvents duplicates it. */
  connection: RedisConnection;
  prefix: string;
  queueNames: readonly string[];
  logger: Logger;
  /** How long to wait for the worker's FAILED write after the queue reported a final failure (default 5 s). */
  failureWriteGraceMs?: number;
}

export const isFinalStatus = (status: DocumentStatus) => status === DocumentStatus.PROCESSED || status === DocumentStatus.FAILED;

const CACHE_LIMIT = 2_000;
const CACHE_TTL_MS = 60_000;
const POLL_MS = 100;
const ERROR_LOG_INTERVAL_MS = 60_000;
const CLOSE_TIMEOUT_MS = 2_000;
const select = { id: true, tenantId: true, kind: true, status: true, progress: true, error: true, record: { select: { id: true } } } as const;

type Row = { id: string; tenantId: string; kind: Parameters<typeof kindFromDb>[0]; status: DocumentStatus; progress: number; error: string | null; record: { id: string } | null };

function toState(row: Row): DocumentState {
  return { id: row.id, tenantId: row.tenantId, kind: kindFromDb(row.kind), status: row.status, progress: row.progress, recordId: row.record?.id ?? null, error: row.error };
}

/**
 * Live document states for this process, from Redis: one QueueEvents per scan
 * queue (not one per client), so a worker in any process reaches a client of
 * any other. Events are turned into document states (the job id is the
 * document id) and fanned out to the subscribers of that document or of its
 * tenant. Work happens only while someone listens; the states of one document
 * are produced in order; a document's tenant and state are cached briefly so
 * progress events cost no database read.
 */
export class DocumentEvents {
  private readonly byDocument = new Map<string, Set<DocumentListener>>();
  private readonly byTenant = new Map<string, Set<DocumentListener>>();
  private readonly cache = new Map<string, { state: DocumentState; at: number }>();
  private readonly chains = new Map<string, Promise<void>>();
  private queueEvents: QueueEvents[] = [];
  private readonly started: Promise<void>;
  private stopWaiting: () => void = () => undefined;
  private readonly failureWriteGraceMs: number;
  private lastErrorLog = 0;
  private closed = false;

  constructor(
    private readonly db: Database,
    private readonly options: DocumentEventsOptions,
  ) {
    this.failureWriteGraceMs = options.failureWriteGraceMs ?? 5_000;
    // QueueEvents start once Redis is reachable: BullMQ's QueueEvents.close() waits for a
    // connection that never came up, so one created during an outage could not be closed.
    const { connection } = options;
    this.started = new Promise((resolve) => {
      const start = () => {
        if (!this.closed) this.queueEvents = options.queueNames.map((name) => this.listen(name));
        resolve();
      };
      if (connection.status === 'ready') return start();
      connection.once('ready', start);
      this.stopWaiting = () => {
        connection.off('ready', start);
        resolve();
      };
    });
  }

  /** Resolves once every queue's event connection is up. */
  async ready(): Promise<void> {
    await this.started;
    await Promise.all(this.queueEvents.map((events) => events.waitUntilReady()));
  }

  /** Calls the listener with every new state of one document, or of every document of one tenant. Returns the unsubscribe function. */
  subscribe(filter: DocumentFilter, listener: DocumentListener): () => void {
    const [map, key] = 'documentId' in filter ? [this.byDocument, filter.documentId] : [this.byTenant, filter.tenantId];
    const listeners = map.get(key) ?? new Set<DocumentListener>();
    listeners.add(listener);
    map.set(key, listeners);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && map.get(key) === listeners) map.delete(key);
    };
  }

  /** How many clients listen in this process (for tests and diagnostics). */
  get subscriberCount(): number {
    let count = 0;
    for (const map of [this.byDocument, this.byTenant]) for (const listeners of map.values()) count += listeners.size;
    return count;
  }

  /** The document's state from the database; null when it does not exist in this tenant. */
  async current(tenantId: string, documentId: string): Promise<DocumentState | null> {
    const row = await this.db.document.findFirst({ where: { id: documentId, tenantId }, select });
    return row ? toState(row) : null;
  }

  /** The tenant's documents that are not finished yet (oldest first, at most `limit`). */
  async unfinished(tenantId: string, limit = 100): Promise<DocumentState[]> {
    const rows = await this.db.document.findMany({
      where: { tenantId, status: { in: [DocumentStatus.QUEUED, DocumentStatus.PROCESSING] } },
      orderBy: { createdAt: 'asc' },
      take: limit,
      select,
    });
    return rows.map(toState);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.stopWaiting();
    // During a Redis outage close() may never settle; the process is going away, so do not wait for it.
    await Promise.all(
      this.queueEvents.map((events) =>
        withTimeout(events.close(), CLOSE_TIMEOUT_MS, 'closing queue events').catch((error: unknown) => {
          this.options.logger.warn({ err: error, queue: events.name }, 'document events: queue event stream did not close cleanly');
        }),
      ),
    );
    await Promise.allSettled([...this.chains.values()]);
    this.byDocument.clear();
    this.byTenant.clear();
    this.cache.clear();
  }

  private listen(queueName: string): QueueEvents {
    const events = new QueueEvents(queueName, { connection: this.options.connection, prefix: this.options.prefix });
    events.on('error', (error) => {
      if (this.closed || Date.now() - this.lastErrorLog < ERROR_LOG_INTERVAL_MS) return;
      this.lastErrorLog = Date.now();
      this.options.logger.warn({ err: error, queue: queueName }, 'document events: queue event stream unavailable; retrying');
    });
    // Queued (a new upload, a retry of a failed job, or the next attempt): whatever was cached (e.g. FAILED) is stale.
    events.on('waiting', ({ jobId }) => {
      this.cache.delete(jobId);
      if (this.interested(jobId)) this.inOrder(jobId, () => this.reload(jobId));
    });
    events.on('active', ({ jobId }) => void this.cache.delete(jobId));
    events.on('progress', ({ jobId, data }) => {
      if (typeof data !== 'number' || !this.interested(jobId)) return;
      this.inOrder(jobId, () => this.progressed(jobId, data));
    });
    events.on('completed', ({ jobId }) => {
      if (this.interested(jobId)) this.inOrder(jobId, () => this.settled(jobId, DocumentStatus.PROCESSED));
    });
    // QueueEvents reports 'failed' only when the job failed for good (a retried attempt is 'delayed').
    events.on('failed', ({ jobId }) => {
      if (this.interested(jobId)) this.inOrder(jobId, () => this.settled(jobId, DocumentStatus.FAILED));
    });
    return events;
  }

  private interested(documentId: string): boolean {
    return !this.closed && (this.byDocument.has(documentId) || this.byTenant.size > 0);
  }

  /** Runs the tasks of one document one after another, so its states reach clients in order. */
  private inOrder(documentId: string, task: () => Promise<void>): void {
    const previous = this.chains.get(documentId) ?? Promise.resolve();
    const next = previous
      .then(task)
      .catch((error: unknown) => this.options.logger.warn({ err: error, documentId }, 'document events: could not publish a state'));
    this.chains.set(documentId, next);
    void next.finally(() => {
      if (this.chains.get(documentId) === next) this.chains.delete(documentId);
    });
  }

  private async load(documentId: string): Promise<DocumentState | null> {
    const row = await this.db.document.findUnique({ where: { id: documentId }, select });
    return row ? this.remember(toState(row)) : null;
  }

  private async reload(documentId: string): Promise<void> {
    const state = await this.load(documentId);
    if (state) this.publish(state);
  }

  private async progressed(documentId: string, progress: number): Promise<void> {
    const cached = this.cache.get(documentId);
    const known = cached && Date.now() - cached.at < CACHE_TTL_MS ? cached.state : await this.load(documentId);
    if (!known) return;
    // The event is newer than the database row (the worker writes both at once); a final state stays final.
    const state = isFinalStatus(known.status) ? known : { ...known, status: DocumentStatus.PROCESSING, progress };
    this.publish(this.remember(state));
  }

  /**
   * The job finished: the database has (or is about to have) the final state.
   * A final failure is written by the worker just after the queue reports it,
   * so wait a moment for it; if it never lands, the queue's word is final.
   */
  private async settled(documentId: string, expected: DocumentStatus): Promise<void> {
    const deadline = Date.now() + (expected === DocumentStatus.FAILED ? this.failureWriteGraceMs : 0);
    let state = await this.load(documentId);
    while (state && !isFinalStatus(state.status) && Date.now() < deadline && !this.closed) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      state = await this.load(documentId);
    }
    if (!state) return;
    if (!isFinalStatus(state.status) && expected === DocumentStatus.FAILED) {
      state = this.remember({ ...state, status: DocumentStatus.FAILED, error: state.error ?? 'processing failed' });
    }
    this.publish(state);
  }

  private remember(state: DocumentState): DocumentState {
    this.cache.delete(state.id);
    this.cache.set(state.id, { state, at: Date.now() });
    if (this.cache.size > CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value!);
    return state;
  }

  private publish(state: DocumentState): void {
    if (this.closed) return;
    const listeners = [...(this.byDocument.get(state.id) ?? []), ...(this.byTenant.get(state.tenantId) ?? [])];
    for (const listener of listeners) {
      try {
        listener(state);
      } catch (error) {
        this.options.logger.warn({ err: error, documentId: state.id }, 'document events: a subscriber failed');
      }
    }
  }
}
