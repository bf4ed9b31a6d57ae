import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses, idParamsSchema } from '../schemas/common.js';
import {
  documentResponseSchema,
  presentDocument,
  presentUpload,
  uploadHeadersSchema,
  uploadParamsSchema,
  uploadResponseSchema,
} from '../schemas/documents.js';
import { intakeDocument, type IntakeDeps } from '../services/document-intake.js';
import { getTenantDocument } from '../services/documents.js';
import type { BeforeCommit, UploadIdempotency } from '../services/idempotency.js';
import type { Metrics } from '../services/metrics.js';
import { singleUploadedFile } from '../services/multipart-upload.js';
import { documentKinds } from '../services/scan-queues.js';

export const documentRoutes: FastifyPluginAsyncZod<IntakeDeps & { metrics: Metrics; idempotency: UploadIdempotency; requestTimeoutMs: number }> = async (app, deps) => {
  for (const kind of documentKinds) {
    app.post(
      `/api/entities/:entityId/${kind}s/scan`,
      {
        config: { access: 'member', uploadRateLimit: true },
        schema: {
          tags: ['documents'],
          summary: `Upload a ${kind} (PDF, PNG, JPEG, TIFF or WebP) in the multipart field \`file\``,
          consumes: ['multipart/form-data'],
          params: uploadParamsSchema,
          headers: uploadHeadersSchema,
          response: { 200: uploadResponseSchema, 202: uploadResponseSchema, ...errorResponses(400, 401, 404, 408, 409, 413, 415, 422, 429, 503) },
        },
      },
      async (request, reply) => {
        const accept = async (beforeCommit?: BeforeCommit) => {
          // The socket's request timeout cuts off slow clients first; the deadline catches a stalled parser.
          const upload = await singleUploadedFile(request, { maxFileBytes: deps.maxUploadBytes, deadlineMs: deps.requestTimeoutMs + 1_000 });
          const { document, duplicate } = await intakeDocument(deps, {
            tenantId: request.user.tenantId,
            entityId: request.params.entityId,
            uploadedBy: request.user.sub,
            kind,
            requestId: request.id,
            filename: upload.filename,
            file: upload.file,
            beforeCommit,
          });
          request.log.info({ documentId: document.id, jobId: document.jobId, duplicate }, 'document accepted');
          if (duplicate) deps.metrics.duplicateUploads.inc({ kind });
          return { statusCode: duplicate ? (200 as const) : (202 as const), body: presentUpload(document, duplicate) };
        };
        const key = request.headers['idempotency-key'];
        const answer = key
          ? await deps.idempotency.execute({ tenantId: request.user.tenantId, key, route: `${request.params.entityId}/${kind}` }, accept, reply)
          : await accept();
        return reply.status(answer.statusCode).send(answer.body);
      },
    );
  }

  app.get(
    '/api/documents/:id',
    {
      config: { access: 'member' },
      schema: {
        tags: ['documents'],
        summary: 'Status and progress of an uploaded document, with a link to its record once processed',
        params: idParamsSchema,
        response: { 200: documentResponseSchema, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => presentDocument(await getTenantDocument(deps.db, request.user.tenantId, request.params.id)),
  );
};
