import { score } from './confidence.js';
import type { Scored } from './confidence.js';
import type { Line } from './layout.js';
import { parseDocument } from './parse/fields.js';
import { reconcile } from './reconcile.js';
import type { DocumentKind } from './types.js';

export interface AnalyseOptions {
  /** What the uploader says the document is; receipts are also recognised by their layout. */
  kind?: DocumentKind;
}

/** Fields, line items and confidence from the visual rows of a document. */
export function analyse(lines: Line[], options: AnalyseOptions = {}): Scored {
  const parsed = parseDocument(lines, options.kind ? { kind: options.kind } : {});
  return score(parsed, reconcile(parsed));
}
