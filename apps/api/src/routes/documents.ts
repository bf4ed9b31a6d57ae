import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError } from '../errors.js';
import { errorResponses, idParamsSchema } from '../schemas/common.js';
import { documentResponseSchema, presentDocument, presentUpload, uploadParamsSchema, uploadResponseSchema } from '../schemas/documents.js';
import { intakeDocument, type IntakeDeps } from '../services/document-intake.js';
import { getTenantDocument } from '../services/documents.js';
import type { Metrics } from '../services/metrics.js';
import { documentKinds } from '../services/scan-queues.js';

/** Multipart limits beyond the file itself: one file, a few small fields. */
const MULTIPART_LIMITS = { files: 1, fields: 10, fieldSize: 1_024, parts: 20, headerPairs: 100 };

export const documentRoutes: FastifyPluginAsyncZod<IntakeDeps & { metrics: Metrics }> = async (app, deps) => {
  for (const kind of documentKinds) {
    app.post(
      `/api/entities/:entityId/${kind}s/scan`,
      {
        config: { access: 'member' },
        schema: {
          tags: ['documents'],
          summary: `Upload a ${kind} (PDF, PNG, JPEG, TIFF or WebP) in the multipart field \`file\``,
          consumes: ['multipart/form-data'],
          params: uploadParamsSchema,
          response: { 200: uploadResponseSchema, 202: uploadResponseSchema, ...errorResponses(400, 401, 404, 413, 415, 503) },
        },
      },
      async (request, reply) => {
        const part = await request.file({ limits: { ...MULTIPART_LIMITS, fileSize: deps.maxUploadBytes + 1 } });
        if (!part || part.fieldname !== 'file') {
          part?.file.resume();
          throw new AppError(400, 'FILE_REQUIRED', 'send the document in the multipart field `file`');
        }
        const { document, duplicate } = await intakeDocument(deps, {
          tenantId: request.user.tenantId,
          entityId: request.params.entityId,
          uploadedBy: request.user.sub,
          kind,
          requestId: request.id,
          filename: part.filename,
          file: part.file,
        });
        request.log.info({ documentId: document.id, jobId: document.jobId, duplicate }, 'document accepted');
        if (duplicate) deps.metrics.duplicateUploads.inc({ kind });
        return reply.status(duplicate ? 200 : 202).send(presentUpload(document, duplicate));
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
