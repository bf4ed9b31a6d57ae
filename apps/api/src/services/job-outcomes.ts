import { UnrecoverableError, type Job } from 'bullmq';

/** The reason users see when retries ran out; the real error stays in the logs and the job. */
export const RETRIES_EXHAUSTED_REASON = 'processing failed after several attempts; please try again later';

/** The worker's `failed` event fires on every attempt; the failure is final only on an UnrecoverableError or the last attempt. */
export function isFinalFailure(job: Job, error: Error): boolean {
  return error instanceof UnrecoverableError || error.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);
}

/** An UnrecoverableError's message is written for users (it says what is wrong with the file); any other error is not shown. */
export function userFacingReason(error: Error): string {
  return error instanceof UnrecoverableError ? error.message : RETRIES_EXHAUSTED_REASON;
}

/** The same, for a job read back from the failed set, where only its stack trace tells the error's class. */
export function userFacingReasonOfFailedJob(job: Job): string {
  const unrecoverable = job.stacktrace?.at(-1)?.startsWith('UnrecoverableError') ?? false;
  return unrecoverable && job.failedReason ? job.failedReason : RETRIES_EXHAUSTED_REASON;
}
