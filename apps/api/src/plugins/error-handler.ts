import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError } from '../errors.js';
import { isDatabaseUnavailable } from '../services/prisma-errors.js';

interface ErrorBody {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

/** Fastify's own 4xx codes that read better under our names. */
const RENAMED: Record<string, { statusCode: number; code: string; message: string }> = {
  FST_INVALID_MULTIPART_CONTENT_TYPE: { statusCode: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: 'send multipart/form-data with a `file` field' },
  FST_REQ_FILE_TOO_LARGE: { statusCode: 413, code: 'FILE_TOO_LARGE', message: 'the file is larger than the upload limit' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { statusCode: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: 'this route does not accept that content type' },
  FST_ERR_CTP_INVALID_JSON_BODY: { statusCode: 400, code: 'INVALID_JSON', message: 'the body is not valid JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { statusCode: 400, code: 'INVALID_JSON', message: 'the body is empty but its content type is JSON' },
  FST_PROTO_VIOLATION: { statusCode: 400, code: 'MALFORMED_BODY', message: 'the body uses a reserved property name (__proto__ or constructor)' },
  FST_ERR_CTP_BODY_TOO_LARGE: { statusCode: 413, code: 'BODY_TOO_LARGE', message: 'the request body is too large' },
};

function toResponse(error: FastifyError | AppError | Error): { statusCode: number; body: ErrorBody } {
  if (error instanceof AppError) {
    return { statusCode: error.statusCode, body: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } };
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const issues = error.validation.map((issue) => ({ path: issue.instancePath || '/', message: issue.message }));
    return { statusCode: 400, body: { code: 'VALIDATION_FAILED', message: 'the request is invalid', details: { context: error.validationContext, issues } } };
  }
  if (isDatabaseUnavailable(error)) {
    return { statusCode: 503, body: { code: 'DATABASE_UNAVAILABLE', message: 'the database is not reachable; try again shortly' } };
  }
  const fastifyError = error as FastifyError;
  const renamed = fastifyError.code ? RENAMED[fastifyError.code] : undefined;
  if (renamed) return { statusCode: renamed.statusCode, body: { code: renamed.code, message: renamed.message } };
  if (fastifyError.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return { statusCode: fastifyError.statusCode, body: { code: fastifyError.code ?? 'BAD_REQUEST', message: fastifyError.message } };
  }
  return { statusCode: 500, body: { code: 'INTERNAL_ERROR', message: 'something went wrong on our side' } };
}

/** One place maps errors to `{ code, message, details }`; 5xx details never reach the client. */
export const errorHandler = fp(
  async (app: FastifyInstance) => {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      const { statusCode, body } = toResponse(error);
      if (statusCode >= 500) request.log.error({ err: error }, 'request failed');
      else request.log.info({ code: body.code, statusCode }, 'request rejected');
      return reply.status(statusCode).type('application/json').send(body);
    });
    app.setNotFoundHandler((request, reply) =>
      reply.status(404).send({ code: 'NOT_FOUND', message: `no route ${request.method} ${request.url.split('?')[0]}` }),
    );
  },
  { name: 'error-handler' },
);
