import type { Line } from '../layout.js';
import type { Field } from '../types.js';

const TITLE = new RegExp(
  [
    String.raw`^(?:(?:tax|sales|commercial|pro[\s-]?forma|final|vat|gst|service|utility|monthly|your|customer|original|duplicate)\s+)*(?:invoice|bill|receipt|statement|quote|quotation|estimate|credit\s+note|debit\s+note|copy)\b`,
    String.raw`^(?:ihre\s+|proforma-?|schluss|abschlags|monats)?(?:rechnung|gutschrift|quittung|kassenbon|kassenbeleg|beleg|abrechnung|angebot|lieferschein)\b`,
    String.raw`^(?:votre\s+)?(?:facture|avoir|re[çc]u|ticket(?:\s+de\s+caisse)?|relev[ée]|devis|note\s+de\s+frais)\b`,
    String.raw`^(?:original|copy|duplicate|paid|page\s+\d|thank\s+you|merci|danke|vielen\s+dank)\b`,
  ].join('|'),
  'iu',
);
const COMPANY_SUFFIX = /\b(?:inc|llc|l\.l\.c|ltd|limited|gmbh|corp|corporation|co|company|plc|pvt|llp|lp|s\.a|sa|sas|sasu|sarl|eurl|b\.v|bv|n\.v|ag|kg|ohg|e\.k|ug|pty|s\.r\.l|oy|ab|dac|ltée|group|enterprises|traders)\.?(?:\s*\([^)]*\))?$/iu;
const CONTACT = /@|https?:|www\.|\.(?:com|net|org|io|de|fr|co\.uk|example)\b|^\+?[\d\s().-]{7,}$|^(?:tel|phone|fax|t[ée]l[ée]?phone?)\b/iu;
/** "Attn: Accounts Payable", "c/o Finance", "z. Hd. Buchhaltung": a department line, not a party. */
const ATTENTION = /^(?:attn\b|attention\b|c\/o\b|z\.\s?hd\.?|zu\s+h(?:än|aen)den|à\s+l['’]attention|a\s+l['’]attention)/iu;
/** Street addresses and postcodes: a number with a street word, or a postcode with a town. */
const ADDRESS = /\b(?:street|st\.|road|rd\.|avenue|ave\.?|lane|suite|floor|unit|straße|strasse|str\.|weg|allee|platz|gasse|rue|avenue|boulevard|bd\.?|chemin|place)\b|^\d{4,5}\s+\p{Lu}|\b\p{Lu}{1,2}\d{1,2}\s?\d\p{Lu}{2}\b|^\p{L}[\p{L}\s.'-]+\s\d{1,4}[a-z]?$/iu;

/** Title words as OCR may misread them: one letter lost or changed ("NVOICE", "lnvoice", "Rechnunq"). */
const TITLE_WORDS = ['invoice', 'rechnung', 'facture', 'receipt', 'statement', 'quittung', 'kassenbon'];

function nearTitle(text: string): boolean {
  // OCR also splits a spaced-out title ("Factu re").
  const word = text.trim().toLowerCase().replace(/\s+/g, '');
  if (word.length < 5 || word.length > 10 || text.trim().split(/\s+/).length > 2) return false;
  return TITLE_WORDS.some((title) => Math.abs(title.length - word.length) <= 1 && editDistance(title, word) <= 1);
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1)));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * A name as printed, without what scanning adds around it: table rules read as "|", a logo read as a
 * stray lowercase syllable before a capitalised name ("ea Maple Leaf Electric").
 */
export function cleanName(text: string): string {
  return text
    .replace(/(\S)&\s/gu, '$1 & ')
    .replace(/\s&(\S)/gu, ' & $1')
    .replace(/^[\s|¦_~•·*=+:;,.'"`-]+|[\s|¦_~•·*=+:;,'"`-]+$/gu, '')
    .replace(/^(?!(?:de|da|di|du|la|le|el|al|of|et|y|o)\s)\p{Ll}{1,2}\s+(?=\p{Lu})/u, '')
    .trim();
}

/** Words that may start lowercase inside a company name ("City of Springfield", "Fuchs & Weißdorn e.K."). */
const NAME_PARTICLES = new Set(['of', 'and', 'the', 'de', 'du', 'des', 'la', 'le', 'les', 'et', 'und', 'der', 'die', 'das', 'van', 'von', 'zu', 'y', 'e.k.', 'e.v.', 'a', 'for', 'en', 'im', 'am', 'à']);

/** A sentence ("Nous vous remercions de votre commande.") rather than a name: several lowercase words. */
function isProse(text: string): boolean {
  const words = text.trim().split(/\s+/);
  if (words.length < 4) return false;
  // A full stop after a long word ends a sentence; names end in abbreviations ("Inc.", "Co.", "e.K.").
  if (/\p{L}{5,}\.$/u.test(words.at(-1) ?? '')) return true;
  return words.filter((word) => /^\p{Ll}/u.test(word) && !NAME_PARTICLES.has(word.toLowerCase())).length >= 2;
}

/** Whether a text can be a company or person name rather than an address, contact detail, date or amount. */
export function looksLikeName(text: string): boolean {
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  const digits = text.match(/\d/g)?.length ?? 0;
  return letters >= 2 && digits <= letters / 4 && text.length <= 80 && !/^\d/.test(text) && !/:$/.test(text.trim()) && !CONTACT.test(text) && !TITLE.test(text) && !nearTitle(text) && !ATTENTION.test(text) && !isProse(text);
}

/** A cell that can continue a name: words of letters, no digits or colon. */
const NAME_PART = /^[\p{L}&+][\p{L}.&'’()-]*(?:\s+[\p{L}.&'’()-]+)*$/u;

/** How many lines from the top of page 1 may hold the vendor's name. */
const HEADER_LINES = 12;

export interface VendorGuess {
  field: Field<string>;
  /** Printed larger than the body text or with a company suffix: what a reader would call the letterhead. */
  prominent: boolean;
}

/**
 * Without a "From"/"Vendor" label, the vendor is usually the most prominent name at the top of the
 * first page: a larger font than the body text, often with a company suffix. On a till receipt it is
 * the first line.
 */
export function guessVendor(
  lines: Line[],
  isExcluded: (lineIndex: number, cellIndex: number) => boolean,
  customer: string | null,
  receipt = false,
): VendorGuess {
  const firstPage = lines.filter((line) => line.page === lines[0]?.page);
  const sizes = firstPage.map((line) => line.size).sort((a, b) => a - b);
  const bodySize = sizes[Math.floor(sizes.length / 2)] ?? 1;
  let best: { text: string; score: number; prominent: boolean } | undefined;
  // The first page's lines come first, so indexes into it are indexes into `lines`.
  firstPage.slice(0, HEADER_LINES).forEach((line, lineIndex) => {
    line.cells.forEach((cell, cellIndex) => {
      // Words of one name spaced widely (letterheads, OCR) come as several cells: the name runs on.
      let text = cleanName(cell.text);
      const previous = line.cells[cellIndex - 1];
      if (previous && cell.x - previous.right <= 1.5 * Math.min(previous.size, cell.size) && NAME_PART.test(cell.text) && !isExcluded(lineIndex, cellIndex - 1)) return;
      for (let next = cellIndex + 1; next < line.cells.length; next++) {
        const left = line.cells[next - 1];
        const right = line.cells[next];
        if (!left || !right || right.x - left.right > 1.5 * Math.min(left.size, right.size) || !NAME_PART.test(right.text) || isExcluded(lineIndex, next)) break;
        text = `${text} ${right.text.trim()}`;
      }
      if (isExcluded(lineIndex, cellIndex) || !looksLikeName(text) || text === customer || ADDRESS.test(text)) return;
      const prominence = cell.size / bodySize;
      const suffix = COMPANY_SUFFIX.test(text);
      const score = prominence * 2 + (suffix ? 1 : 0) - lineIndex * (receipt ? 0.5 : 0.1);
      if (!best || score > best.score) best = { text, score, prominent: prominence >= 1.2 || suffix };
    });
  });
  if (!best) return { field: { value: null, confidence: 0 }, prominent: false };
  return { field: { value: cleanName(best.text), confidence: best.prominent ? 0.8 : 0.55 }, prominent: best.prominent };
}

export interface SenderLine {
  /** The first part of the return address: the vendor. */
  sender: string;
  /** The first line of the address below it: the customer, when it reads as a name. */
  recipient: string | null;
}

const SENDER_SEPARATOR = /\s+[·•|]\s+|\s+-\s+|,\s+/u;

/**
 * The small return-address line of a window envelope letter (DIN 5008 and similar):
 * "Fabrikam GmbH · Hauptstraße 5 · 10115 Berlin", with the recipient's address right below it.
 */
export function senderLine(lines: Line[], isExcluded: (lineIndex: number, cellIndex: number) => boolean): SenderLine | null {
  const firstPage = lines.filter((line) => line.page === lines[0]?.page);
  const sizes = firstPage.map((line) => line.size).sort((a, b) => a - b);
  const bodySize = sizes[Math.floor(sizes.length / 2)] ?? 1;
  for (let i = 0; i < Math.min(firstPage.length, 30); i++) {
    const line = firstPage[i];
    const cell = line?.cells[0];
    if (!line || !cell || cell.size > bodySize * 1.05 || isExcluded(i, 0)) continue;
    const parts = cell.text.split(SENDER_SEPARATOR).map((part) => part.trim());
    if (parts.length < 3 || !/[·•|]/u.test(cell.text) || !looksLikeName(parts[0] ?? '') || !parts.slice(1).some((part) => ADDRESS.test(part) || /\d/.test(part))) continue;
    // The first line below that starts where the return address starts (lines of the info block beside it may come between).
    let recipient: string | null = null;
    for (let j = i + 1; j < Math.min(firstPage.length, i + 4); j++) {
      const next = firstPage[j];
      if (!next || next.y - line.y > bodySize * 4) break;
      const below = next.cells.find((candidate) => Math.abs(candidate.x - cell.x) < bodySize * 2);
      if (!below) continue;
      if (!isExcluded(j, next.cells.indexOf(below)) && looksLikeName(below.text) && !ADDRESS.test(below.text)) recipient = below.text.trim();
      break;
    }
    return { sender: parts[0] ?? '', recipient };
  }
  return null;
}
