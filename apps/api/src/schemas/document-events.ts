import { z } from 'zod';
import type { DocumentState } from '../services/document-events.js';
import { documentResponseSchema, recordUrl } from './documents.js';

/** The data of one `event: document` message: the fields of GET /api/documents/:id that change while it is processed. */
export const documentEventSchema = documentResponseSchema
  .pick({ id: true, status: true, progress: true, recordId: true, recordUrl: true, error: true })
  .meta({ id: 'DocumentEvent' });

export type DocumentEvent = z.infer<typeof documentEventSchema>;

export function presentDocumentEvent(state: DocumentState): DocumentEvent {
  return {
    id: state.id,
    status: state.status,
    progress: state.progress,
    recordId: state.recordId,
    recordUrl: state.recordId ? recordUrl(state.kind, state.recordId) : null,
    error: state.error,
  };
}
