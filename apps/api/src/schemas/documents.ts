import { z } from 'zod';
import type { Document } from '../generated/prisma/client.js';
import { kindFromDb } from '../services/document-kinds.js';
import { documentKinds } from '../services/scan-queues.js';

export const uploadParamsSchema = z.object({ entityId: z.uuid() });

/** draft-ietf-httpapi-idempotency-key-header; compared exactly as sent. Loose: the other headers pass through untouched. */
export const uploadHeadersSchema = z.looseObject({
  'idempotency-key': z
    .string()
    .regex(/^[\x21-\x7e]{1,255}$/, 'must be 1 to 255 visible ASCII characters, e.g. a UUID')
    .optional()
    .describe('Retries with the same key and file within IDEMPOTENCY_TTL_S get the first answer; another file → 422'),
});

export const uploadResponseSchema = z
  .object({
    documentId: z.uuid(),
    jobId: z.string(),
    status: z.enum(['QUEUED', 'PROCESSING', 'PROCESSED', 'FAILED']),
    duplicate: z.boolean(),
    links: z.object({ self: z.string() }),
  })
  .meta({ id: 'UploadAccepted' });

export const documentResponseSchema = z
  .object({
    id: z.uuid(),
    entityId: z.uuid(),
    kind: z.enum(documentKinds),
    status: z.enum(['QUEUED', 'PROCESSING', 'PROCESSED', 'FAILED']),
    progress: z.number().int().min(0).max(100),
    filename: z.string(),
    mimeType: z.string(),
    sizeBytes: z.number().int(),
    sha256: z.string(),
    recordId: z.uuid().nullable(),
    recordUrl: z.string().nullable(),
    error: z.string().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Document' });

export const documentUrl = (id: string) => `/api/documents/${id}`;
export const recordUrl = (kind: 'bill' | 'invoice', id: string) => `/api/${kind}s/${id}`;

export function presentUpload(document: Document, duplicate: boolean): z.infer<typeof uploadResponseSchema> {
  return { documentId: document.id, jobId: document.jobId ?? document.id, status: document.status, duplicate, links: { self: documentUrl(document.id) } };
}

export function presentDocument(document: Document & { record: { id: string } | null }): z.infer<typeof documentResponseSchema> {
  const kind = kindFromDb(document.kind);
  return {
    id: document.id,
    entityId: document.entityId,
    kind,
    status: document.status,
    progress: document.progress,
    filename: document.filename,
    mimeType: document.mimeType,
    sizeBytes: document.sizeBytes,
    sha256: document.sha256,
    recordId: document.record?.id ?? null,
    recordUrl: document.record ? recordUrl(kind, document.record.id) : null,
    error: document.error,
    createdAt: document.createdAt.toISOString(),
    updatedAt: document.updatedAt.toISOString(),
  };
}
