import { score } from './confidence.js';
import type { Scored } from './confidence.js';
import type { Line } from './layout.js';
import { parseDocument } from './parse/fields.js';
import { reconcile } from './reconcile.js';

/** Fields, line items and confidence from the visual rows of a document. */
export function analyse(lines: Line[]): Scored {
  const parsed = parseDocument(lines);
  return score(parsed, reconcile(parsed));
}
