import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { notFound } from '../errors.js';
import type { EventStream } from '../plugins/event-stream.js';
import { errorResponses, idParamsSchema } from '../schemas/common.js';
import { documentEventSchema, presentDocumentEvent } from '../schemas/document-events.js';
import { isFinalStatus, type DocumentEvents, type DocumentFilter, type DocumentState } from '../services/document-events.js';

const EVENT = 'document';

/**
 * Subscribes first and reads the current state second, so nothing that
 * happens in between is missed; states that arrive before the stream is open
 * are sent right after the current ones.
 */
async function streamStates(
  events: DocumentEvents,
  filter: DocumentFilter,
  loadCurrent: () => Promise<DocumentState[] | null>,
  openStream: () => EventStream,
  closeWhenFinal: boolean,
): Promise<void> {
  const early: DocumentState[] = [];
  let deliver = (state: DocumentState) => void early.push(state);
  const unsubscribe = events.subscribe(filter, (state) => deliver(state));
  let current: DocumentState[] | null;
  try {
    current = await loadCurrent();
  } catch (error) {
    unsubscribe();
    throw error;
  }
  if (!current) {
    unsubscribe();
    throw notFound('document');
  }
  const stream = openStream();
  stream.onClose(unsubscribe);
  deliver = (state) => {
    if (stream.closed) return;
    stream.send(EVENT, presentDocumentEvent(state));
    if (closeWhenFinal && isFinalStatus(state.status)) stream.end();
  };
  for (const state of [...current, ...early]) deliver(state);
}

const eventStreamResponse = (description: string) => documentEventSchema.describe(`text/event-stream: ${description}`);

/** Live document states as Server-Sent Events (`event: document`, `data: {id, status, progress, recordId, recordUrl, error}`). */
export const documentEventRoutes: FastifyPluginAsyncZod<{ events: DocumentEvents }> = async (app, { events }) => {
  app.get(
    '/api/documents/:id/events',
    {
      config: { access: 'member' },
      schema: {
        tags: ['documents'],
        summary: "Server-Sent Events of one document's status and progress: the current state first, the stream ends after PROCESSED or FAILED",
        produces: ['text/event-stream'],
        params: idParamsSchema,
        response: { 200: eventStreamResponse('one `event: document` per change'), ...errorResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const { tenantId } = request.user;
      const documentId = request.params.id;
      await streamStates(
        events,
        { documentId },
        async () => {
          const state = await events.current(tenantId, documentId);
          return state ? [state] : null;
        },
        () => reply.eventStream(),
        true,
      );
      return reply;
    },
  );

  app.get(
    '/api/events',
    {
      config: { access: 'member' },
      schema: {
        tags: ['documents'],
        summary: "Server-Sent Events of every document of the caller's tenant: unfinished documents first, then each change (new uploads included)",
        produces: ['text/event-stream'],
        response: { 200: eventStreamResponse('one `event: document` per change'), ...errorResponses(401) },
      },
    },
    async (request, reply) => {
      const { tenantId } = request.user;
      await streamStates(events, { tenantId }, () => events.unfinished(tenantId), () => reply.eventStream(), false);
      return reply;
    },
  );
};
