import type { Prisma } from '../generated/prisma/client.js';

export const DOCUMENT_FAILED = 'document.failed';

export interface FailedDocument {
  jobId: string;
  tenantId: string;
  entityId: string;
  documentId: string;
  /** The uploader (JWT subject), who is told. */
  userId: string;
  reason: string;
  /** Which failure of this job it is: the dedupe key makes one notification per occurrence. */
  occurrences: number;
  filename: string;
  kind: string;
}

/**
 * The in-app notification for one failure occurrence. Written by the worker
 * when it records the failure and by the failure notifier for rows the worker
 * never got to notify (e.g. written by the reconciler); the dedupe key makes
 * the second writer a no-op.
 */
export function failureNotification(failure: FailedDocument): Prisma.NotificationCreateManyInput {
  return {
    tenantId: failure.tenantId,
    userId: failure.userId,
    type: DOCUMENT_FAILED,
    title: 'A document could not be processed',
    message: `${failure.filename}: ${failure.reason}`,
    metadata: { documentId: failure.documentId, jobId: failure.jobId, kind: failure.kind, entityId: failure.entityId },
    dedupeKey: `${DOCUMENT_FAILED}:${failure.jobId}:${failure.occurrences}`,
  };
}
