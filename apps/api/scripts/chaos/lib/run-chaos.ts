import { randomBytes } from 'node:crypto';
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
    const verdict = await verifyOutcomes({ db: env.db, s3: env.s3Client, bucket: env.s3.bucket }, outcomes, scenario.allowedStatuses, {
      allowCutOffOrphans: settings.CHAOS_ALLOW_CUT_OFF_ORPHANS,
    });
    verdict.violations.push(...(scenario.extraChecks?.(outcomes) ?? []));
    publishChaosReport(
      {
        scenario: scenario.name,
        docs: settings.CHAOS_DOCS,
        fault: scenario.fault,
        seconds,
        verdict,
        settings: `CHAOS_DOCS=${settings.CHAOS_DOCS}, ${scenario.fault}, ${settings.CHAOS_CONCURRENCY} uploads in flight, one text PDF page each; server: worker concurrency 2, JOB_ATTEMPTS=10, JOB_BACKOFF_MS=250, reconciler every 2 s with a 5 s grace`,
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
