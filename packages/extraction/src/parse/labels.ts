import type { FieldName } from '../types.js';
import type { Cell, Line } from '../layout.js';

/** Fields that a label can introduce (the currency has symbols and codes, not labels). */
export type LabelField = Exclude<FieldName, 'currency'>;

export interface LabelDef {
  /** Fields the label can introduce; the value's shape decides which one applies. Empty for labels we only recognise to keep them out of other fields' values. */
  fields: LabelField[];
  /** Preference among labels of the same field. */
  rank: number;
  pattern: RegExp;
  /** Weak labels only take a value printed on the same line. */
  sameLineOnly: boolean;
}

function label(fields: LabelField[], rank: number, source: string, sameLineOnly = false): LabelDef {
  return { fields, rank, pattern: new RegExp(source, 'iyu'), sameLineOnly };
}

const NO = String.raw`(?:#|no\.?|n[°º]\.?|number|num\.?|nr\.?)`;
const TAX = String.raw`(?:(?:sales\s+)?tax|vat|gst|hst|pst|qst|[csi]gst|iva|mwst)`;
const EXCLUDING = String.raw`(?:excl?\.?|excluding|before|without|w\/o|net\s+of)`;
const INCLUDING = String.raw`(?:incl?\.?|including|with)`;

/** Label vocabulary for common English invoices and bills. */
const LABELS: LabelDef[] = [
  label(['invoiceNumber'], 3, String.raw`(?:tax\s+)?invoice\s*(?:${NO}|id|ref(?:erence)?)`),
  label(['invoiceNumber'], 3, String.raw`inv\.?\s*${NO}`),
  label(['invoiceNumber'], 3, String.raw`bill\s*${NO}`),
  label(['invoiceNumber'], 2, String.raw`(?:receipt|document|credit\s+note)\s*${NO}`),
  label(['invoiceNumber'], 1, String.raw`(?:tax\s+)?invoice`, true),

  label(['issueDate'], 3, String.raw`(?:invoice|issue|issued|bill|billing|document|receipt)\s+date|date\s+(?:of\s+)?(?:issue|issued|invoice)|tax\s+point(?:\s+date)?|issued(?:\s+on)?`),
  label(['issueDate'], 2, 'date'),

  label(['dueDate'], 3, String.raw`(?:payment\s+)?due\s+date|date\s+due|due\s+(?:by|on)|pay(?:ment)?\s+by`),
  label(['dueDate', 'total'], 2, String.raw`payment\s+due`),
  label(['dueDate'], 1, 'due'),

  label(['vendorName'], 3, String.raw`vendor|supplier|seller|sold\s+by|bill(?:ed)?\s+(?:from|by)|issued\s+by|payable\s+to|remit\s+to`),
  label(['vendorName'], 2, 'from'),
  label(['customerName'], 3, String.raw`bill(?:ed)?\s+to|sold\s+to|invoice(?:d)?\s+to|customer(?:\s+name)?|client(?:\s+name)?|buyer`),
  label(['customerName'], 1, String.raw`ship(?:ped)?\s+to|to`),

  label(['subtotal'], 3, String.raw`sub[\s-]?total|net\s+total|total\s+net|net\s+amount|total\s+${EXCLUDING}\s+${TAX}|amount\s+${EXCLUDING}\s+${TAX}|taxable\s+(?:amount|value)`),
  label(['discount'], 3, String.raw`(?:less\s+|total\s+)?discount(?:s)?`),
  label(['shipping'], 3, String.raw`shipping(?:\s*(?:&|and)\s*handling)?|freight|delivery(?:\s+(?:charges?|fees?))?|postage(?:\s*(?:&|and)\s*packing)?|s\s*&\s*h|carriage|handling`),
  label(['tax'], 3, String.raw`(?:total\s+)?${TAX}(?:\s+(?:amount|total))?`),

  label(['total'], 4, String.raw`grand\s+total|invoice\s+total|total\s+(?:amount\s+)?(?:due|payable)|total\s+amount|total\s+${INCLUDING}\s+${TAX}|amount\s+payable`),
  label(['total'], 3, 'total'),
  label(['total'], 2, String.raw`amount\s+due|balance\s+due`),

  // Recognised only so that they do not feed other fields.
  label([], 0, String.raw`(?:customer|client|account|acct\.?|order|p\.?\s*o\.?|purchase\s+order|reference|ref\.?)\s*(?:${NO}|id|code|ref|date)|purchase\s+order|account`),
  label([], 0, String.raw`(?:${TAX})\s*(?:${NO}|id|reg(?:istration)?\.?(?:\s*${NO})?|rate|%)|gstin|abn|tax\s+id|ein|ssn`),
  label([], 0, String.raw`(?:ship(?:ping)?|delivery|service|order|payment)\s+(?:date|method|terms?|address)|total\s+(?:qty|quantity|items?|hours|units|paid|payments?)|amount\s+paid|paid|payments?|credits?|previous\s+balance|balance\s+forward|terms|page|phone|tel\.?|fax|e-?mail|web(?:site)?|iban|swift|bic|sort\s+code`),
];

export interface LabelHit {
  def: LabelDef;
  lineIndex: number;
  cellIndex: number;
  /** Whether the label starts its cell; a label in the middle of prose is weaker. */
  atCellStart: boolean;
  /** Text after the label in the same cell, up to the next label. */
  inline: string;
  /** Horizontal extent of the label itself. */
  x: number;
  right: number;
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

/** Finds labels in every cell, taking the longest label at each position and never two that overlap. */
export function scanLabels(lines: Line[]): LabelHit[][] {
  return lines.map((line, lineIndex) => line.cells.flatMap((cell, cellIndex) => scanCell(cell, lineIndex, cellIndex)));
}

function scanCell(cell: Cell, lineIndex: number, cellIndex: number): LabelHit[] {
  const found: { def: LabelDef; start: number; end: number }[] = [];
  const text = cell.text;
  for (let at = 0; at < text.length; at++) {
    if (!WORD_CHAR.test(text.charAt(at)) || (at > 0 && WORD_CHAR.test(text.charAt(at - 1)))) continue;
    let best: { def: LabelDef; end: number } | undefined;
    for (const def of LABELS) {
      def.pattern.lastIndex = at;
      const match = def.pattern.exec(text);
      if (!match) continue;
      const end = at + match[0].length;
      if (WORD_CHAR.test(text.charAt(end)) && WORD_CHAR.test(text.charAt(end - 1))) continue;
      if (!best || end > best.end) best = { def, end };
    }
    if (best) {
      found.push({ def: best.def, start: at, end: best.end });
      at = best.end - 1;
    }
  }
  const perChar = (cell.right - cell.x) / Math.max(text.length, 1);
  return found.map((hit, i) => ({
    def: hit.def,
    lineIndex,
    cellIndex,
    atCellStart: hit.start === 0 || !/\S/.test(text.slice(0, hit.start)),
    inline: text.slice(hit.end, found[i + 1]?.start ?? text.length),
    x: cell.x + hit.start * perChar,
    right: cell.x + hit.end * perChar,
  }));
}

/** Strips what separates a label from its value: colons, hashes, dashes used as separators. */
export function cleanValue(text: string): string {
  return text.replace(/^[\s:#.]*(?:[-–—]\s+)?/, '').trim();
}
