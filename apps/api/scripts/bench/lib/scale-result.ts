import type { Database } from '../../../src/db.js';
import type { ServerProcess } from '../../lib/server-process.js';
import { exactlyOnce } from './exactly-once.js';
import { jobsPerProcess } from './process-jobs.js';

/** One run of bench:scale: some processes, one batch of documents. */
export interface ScaleResult {
  processes: number;
  documents: number;
  wallMs: number;
  documentsPerMinute: number;
  /** Completed jobs per process, in start order. */
  jobsPerProcess: number[];
  cpuMsPerDocument: number;
  /** Documents that ended FAILED (with their JobFailure): an extraction problem, not a pipeline one. */
  failed: number;
  /** Each broken promise of exactly-once processing, described; empty when all held. */
  violations: string[];
}

/**
 * A finished run's result: throughput over `wallMs`, CPU per document, and what the database
 * says of the documents (jobs per process, exactly-once). Call after the processes stopped.
 */
export async function scaleResult(
  db: Database,
  run: { processes: number; servers: ServerProcess[]; entityId: string; documentIds: string[]; wallMs: number; cpuMs: number },
): Promise<ScaleResult> {
  const documents = run.documentIds.length;
  return {
    processes: run.processes,
    documents,
    wallMs: run.wallMs,
    documentsPerMinute: (documents / run.wallMs) * 60_000,
    jobsPerProcess: await jobsPerProcess(db, run.servers, run.documentIds),
    cpuMsPerDocument: run.cpuMs / documents,
    ...(await exactlyOnce(db, run.entityId, run.documentIds)),
  };
}

/** One drain of bench:scale, with what its warm-up showed. */
export interface DrainResult extends ScaleResult {
  /** Per worker process, in start order: its first job (in the warm-up), ms. */
  firstJobMs: number[];
  /** The median completed job of the drain, ms. */
  medianJobMs: number;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** "each process's first job in the warm-up against the drain's median job", per drain. */
export function firstJobsLine(results: DrainResult[]): string {
  const runs = results.map(
    (result) => `${result.processes} process${result.processes === 1 ? '' : 'es'} ${result.firstJobMs.map(seconds).join(' / ')} against ${seconds(result.medianJobMs)}`,
  );
  return `each process's first job in the warm-up against the median job of the drain: ${runs.join('; ')}`;
}

/** The markdown table of the runs, throughput relative to the first. */
export function scaleTable(results: ScaleResult[], labels: { processes: string; wall: string; cpu: string }): string[] {
  const { processes: baseProcesses, documentsPerMinute: base } = results[0]!;
  return [
    `| ${labels.processes} | documents | ${labels.wall} | documents/min | vs ${baseProcesses} process${baseProcesses === 1 ? '' : 'es'} | jobs per process | ${labels.cpu} / document | FAILED | duplicates or losses |`,
    `|${'---|'.repeat(9)}`,
    ...results.map(
      (result) =>
        `| ${result.processes} | ${result.documents} | ${(result.wallMs / 1000).toFixed(1)} s | ${result.documentsPerMinute.toFixed(1)} | ${(result.documentsPerMinute / base).toFixed(2)}× | ` +
        `${result.jobsPerProcess.join(' / ')} | ${Math.round(result.cpuMsPerDocument)} ms | ${result.failed} | ${result.violations.length === 0 ? 'none' : result.violations.join('; ')} |`,
    ),
  ];
}
