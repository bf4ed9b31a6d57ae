import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Database } from '../db.js';
import { errorResponses, idParamsSchema } from '../schemas/common.js';
import { recordPatchSchema } from '../schemas/record-patch.js';
import { presentRecord, recordListQuerySchema, recordListResponseSchema, recordResponseSchema } from '../schemas/records.js';
import { kindToDb } from '../services/document-kinds.js';
import { getRecord, listRecords, updateRecord } from '../services/records.js';
import { documentKinds } from '../services/scan-queues.js';

/** /api/bills and /api/invoices: the same resource shape for payables and receivables. */
export const recordRoutes: FastifyPluginAsyncZod<{ db: Database }> = async (app, { db }) => {
  for (const kind of documentKinds) {
    const dbKind = kindToDb[kind];
    const tags = [`${kind}s`];

    app.get(
      `/api/${kind}s`,
      {
        config: { access: 'member' },
        schema: {
          tags,
          summary: `List ${kind}s, newest first, filtered by entity and status`,
          querystring: recordListQuerySchema,
          response: { 200: recordListResponseSchema, ...errorResponses(400, 401) },
        },
      },
      async (request) => {
        const page = await listRecords(db, request.user.tenantId, dbKind, request.query);
        return { items: page.items.map(presentRecord), nextCursor: page.nextCursor };
      },
    );

    app.get(
      `/api/${kind}s/:id`,
      {
        config: { access: 'member' },
        schema: { tags, summary: `One ${kind} with its line items`, params: idParamsSchema, response: { 200: recordResponseSchema, ...errorResponses(400, 401, 404) } },
      },
      async (request) => presentRecord(await getRecord(db, request.user.tenantId, dbKind, request.params.id)),
    );

    app.patch(
      `/api/${kind}s/:id`,
      {
        config: { access: 'member' },
        schema: {
          tags,
          summary: `Correct fields of a ${kind} and/or approve it (status: APPROVED); lineItems replaces all lines`,
          params: idParamsSchema,
          body: recordPatchSchema,
          response: { 200: recordResponseSchema, ...errorResponses(400, 401, 404, 409) },
        },
      },
      async (request) =>
        presentRecord(await updateRecord(db, request.user.tenantId, dbKind, request.params.id, request.body, request.user.sub)),
    );
  }
};
