import { DocumentKind } from '../generated/prisma/enums.js';
import type { DocumentKindName } from './scan-queues.js';

export const kindToDb = { bill: DocumentKind.BILL, invoice: DocumentKind.INVOICE } as const satisfies Record<DocumentKindName, DocumentKind>;

export function kindFromDb(kind: DocumentKind): DocumentKindName {
  return kind === DocumentKind.BILL ? 'bill' : 'invoice';
}
