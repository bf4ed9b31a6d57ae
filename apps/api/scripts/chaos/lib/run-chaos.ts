import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { openChaosEnvironment, type ChaosEnvironment } from './chaos-environment.js';
import { publishChaosReport } from './chaos-report.js';
import type { ChaosSettings } from './chaos-settings.js';
import { verifyOutcomes, waitForSettled } from './outcome-checks.js';
import type { UploadOutcome, UploadStatus } from './uploads.js';

export interface ChaosScenario {
  name: string;
  settings: ChaosSettings;
  /** "5 kills", "15 s outage". */
  fault: string;
  privatePostgres?: boolean;
  /** The answers an upload may get in this scenario. */
  allowedStatuses(status: UploadStatus): boolean;
  /** Uploads CHAOS_DOCS documents while causing the fault; leaves a server up to finish the work. */
  drive(env: ChaosEnvironment, runId: string): Promise<UploadOutcome[]>;
  /** Scenario-specific violations (e.g. the outage was never seen). */
  extraChecks?(outcomes: UploadOutcome[]): string[];
}

/** What the reconciler logs when it deletes the file of an upload that never got its Document (abandoned-uploads.ts). */
const CUT_OFF_UPLOAD_CLEANED = 'removed the stored file of an upload that was cut off';

/** Runs one scenario end to end, prints its table, and sets the exit code: 1 on any violation or error. */
export async function runChaos(scenario: ChaosScenario): Promise<void> {
  const { settings } = scenario;
  const runId = randomBytes(3).toString('hex');
  const env = await openChaosEnvironment(scenario.name, { privatePostgres: scenario.privatePostgres });
  console.log(`chaos:${scenario.name} ${runId}: ${settings.CHAOS_DOCS} documents, ${scenario.fault}; server logs in ${env.logFile}`);
  try {
    const started = performance.now();
    const outcomes = await scenario.drive(env, runId);
    console.log(`uploads done; waiting up to ${settings.CHAOS_SETTLE_MS / 1000} s for every document to finish`);
    await waitForSettled(env.db, settings.CHAOS_SETTLE_MS);
    const seconds = (performance.now() - started) / 1000;
    const verdict = await verifyOutcomes({ db: env.db, s3: env.s3Client, bucket: env.s3.bucket, uploadGraceMs: env.uploadGraceMs }, outcomes, scenario.allowedStatuses);
    verdict.violations.push(...(scenario.extraChecks?.(outcomes) ?? []));
    const serverLog = await readFile(env.logFile, 'utf8').catch(() => '');
    const cutOffUploadsCleaned = serverLog.split('\n').filter((line) => line.includes(`"msg":"${CUT_OFF_UPLOAD_CLEANED}"`)).length;
    publishChaosReport(
      {
        scenario: scenario.name,
        docs: settings.CHAOS_DOCS,
        fault: scenario.fault,
        seconds,
        verdict,
        cutOffUploadsCleaned,
        settings: `CHAOS_DOCS=${settings.CHAOS_DOCS}, ${scenario.fault}, ${settings.CHAOS_CONCURRENCY} uploads in flight, one text PDF page each; server: worker concurrency 2, JOB_ATTEMPTS=10, JOB_BACKOFF_MS=250, reconciler every 2 s with a 5 s grace, REQUEST_TIMEOUT_MS=5000 (files of cut-off uploads removed after ${env.uploadGraceMs / 1000} s)`,
      },
      settings.CHAOS_WRITE_BENCHMARKS,
    );
    if (verdict.violations.length) process.exitCode = 1;
  } catch (error) {
    console.error(`chaos:${scenario.name} could not finish:`, error);
    process.exitCode = 1;
  } finally {
    await env.close();
  }
}
