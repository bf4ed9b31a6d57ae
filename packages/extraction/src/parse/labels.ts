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

/**
 * Accent- and OCR-tolerant regex source: "é" also matches "e", "ä" also "ae" and "a", "ß" also "ss",
 * an apostrophe any apostrophe, a space any run of spaces.
 */
export function fold(source: string): string {
  // Any accent for any accent: OCR trades "à" for "ä" or drops accents altogether.
  const A = '[aàâäáã]';
  const E = '[eéèêë]';
  const I = '[iîïí]';
  const O = '[oôöó]';
  const U = '[uûùüú]';
  const map: Record<string, string> = {
    é: E, è: E, ê: E, à: A, â: A, ç: '[cç]', î: I, ô: O, û: U, ù: U,
    ä: `(?:${A}|ae)`, ö: `(?:${O}|oe)`, ü: `(?:${U}|ue)`, ß: '(?:ß|ss|b)', "'": "['’`]?\\s?", ' ': '\\s*',
  };
  return source.replace(/[éèêàâçîôûùäöüß' ]/g, (char) => map[char] ?? char);
}

function label(fields: LabelField[], rank: number, sources: string[], sameLineOnly = false): LabelDef {
  // Longer alternatives first, so that "total ttc" wins over "total" inside one pattern.
  const alternatives = [...sources].sort((a, b) => b.length - a.length).map((source) => `(?:${fold(source)})`);
  // Whole words only, decided inside the regex so that a shorter alternative cannot hide a longer one.
  // A label may run into its amount ("Versand6,50", as OCR and tight layouts print it), never into a word.
  const wordEnd = String.raw`(?:(?<=[^\p{L}\p{N}])|(?![\p{L}\p{N}])|(?<=\p{L})(?=\d))`;
  return { fields, rank, pattern: new RegExp(`(?:${alternatives.join('|')})${wordEnd}`, 'iyu'), sameLineOnly };
}

const NO = String.raw`(?:#|no\.?|n[°º®]\.?|nr\.?|number|num\.?|nummer|numéro)`;
const RATE = String.raw`(?:\d{1,2}(?:[.,]\d{1,3})?\s?%\s*)`;
const TAX = String.raw`(?:(?:sales\s+)?tax|vat|gst|hst|pst|qst|[csiu]t?gst|iva|mwst\.?|ust\.?|tva|mehrwertsteuer|umsatzsteuer)`;
const EXCLUDING = String.raw`(?:excl?\.?|exkl\.?|excluding|before|without|w\/o|net\s+of|hors|ohne|sans)`;
const INCLUDING = String.raw`(?:incl?\.?|including|inkl\.?|with)`;
const INCLUDED = String.raw`(?:incl\.?|inkl\.?|including|includes|enthaltene|darin\s+enthalten|davon|dont)`;

/** Label vocabulary for English, German and French invoices, bills and receipts. */
const LABELS: LabelDef[] = [
  // Invoice number
  label(['invoiceNumber'], 3, [
    String.raw`(?:tax\s+|sales\s+|commercial\s+)?invoice\s*(?:${NO}|id|ref(?:erence)?\.?)`,
    String.raw`inv\.?\s*${NO}`,
    String.raw`bill\s*${NO}`,
    String.raw`statement\s*${NO}`,
    String.raw`rechnungs?\s*-?\s*(?:nummer|nr\.?|no\.?|#)`,
    String.raw`re\.?\s*-?\s*nr\.?`,
    String.raw`numéro\s+de\s+(?:la\s+)?facture`,
    String.raw`n[°º]\s*(?:de\s+)?facture`,
    String.raw`facture\s*(?:n[°º]|no\.?|numéro|#)`,
    String.raw`réf(?:érence)?\.?\s+(?:de\s+)?facture`,
  ]),
  label(['invoiceNumber'], 2, [
    String.raw`(?:receipt|document|credit\s+note|transaction|trans\.?|txn|check|ticket|voucher)\s*${NO}`,
    String.raw`(?:beleg|bon|quittungs?|kassenbon|dokument)\s*-?\s*(?:nummer|nr\.?|#)`,
    String.raw`n[°º]\s*(?:de\s+)?(?:ticket|reçu|document)`,
    String.raw`(?:ticket|reçu)\s*(?:n[°º]|no\.?|numéro)`,
  ]),
  label(['invoiceNumber'], 1, [String.raw`(?:tax\s+)?invoice`, 'rechnung', 'facture', 'receipt', 'beleg', 'bon', 'ticket'], true),
  label(['invoiceNumber'], 1, [String.raw`n[°º]`, 'nr\\.']),

  // Dates
  label(['issueDate'], 3, [
    String.raw`(?:invoice|issue|issued|bill|billing|document|receipt|statement|transaction)\s+date`,
    String.raw`date\s+(?:of\s+)?(?:issue|issued|invoice|bill)`,
    String.raw`tax\s+point(?:\s+date)?`,
    String.raw`issued(?:\s+on)?`,
    String.raw`(?:rechnungs|beleg|ausstellungs|bon)\s*-?\s*datum`,
    String.raw`datum\s+der\s+rechnung`,
    String.raw`(?:erstellt|ausgestellt)\s+am`,
    String.raw`date\s+(?:de\s+(?:la\s+)?)?(?:facture|facturation|d'émission|émission)`,
    String.raw`(?:émise?|émis|établie?|fait)\s+le`,
  ]),
  label(['issueDate'], 2, ['date', 'datum', 'dated', 'dat\\.']),

  label(['dueDate'], 3, [
    String.raw`(?:payment\s+)?due\s+date|date\s+due|due\s+(?:by|on)|pay(?:ment)?\s+by|please\s+pay\s+by|payable\s+by`,
    String.raw`fälligkeits?\s*-?\s*datum|fällig\s+(?:am|bis|zum)|zahlbar\s+(?:bis|am)(?:\s+zum)?|zahlungs?ziel|fälligkeit|fällig`,
    String.raw`date\s+d'échéance|échéance|date\s+limite\s+de\s+(?:paiement|règlement)|(?:à\s+)?(?:payer|régler)\s+avant\s+le|payable\s+avant\s+le|payable\s+le`,
  ]),
  label(['dueDate', 'total'], 2, [String.raw`payment\s+due`]),
  label(['dueDate'], 1, ['due']),

  // Parties
  label(['vendorName'], 3, [
    String.raw`vendor|supplier|seller|sold\s+by|bill(?:ed)?\s+(?:from|by)|issued\s+by|payable\s+to|remit\s+to|merchant`,
    String.raw`lieferant|rechnungssteller|verkäufer|absender|auftragnehmer|leistungserbringer`,
    String.raw`fournisseur|émetteur|vendeur\s*:|prestataire`,
  ]),
  label(['vendorName'], 2, ['from', String.raw`von\s*:`, String.raw`de\s*:`]),
  label(['customerName'], 3, [
    String.raw`bill(?:ed)?\s+to|sold\s+to|invoice(?:d)?\s+to|customer(?:\s+name)?|client(?:\s+name)?|buyer|account\s+(?:holder|name)`,
    String.raw`kunde(?:nname)?|rechnungs\s*-?\s*empfänger|empfänger|rechnung\s+an|auftraggeber|käufer`,
    String.raw`facturée?\s+à|facturer\s+à|destinataire|adressée?\s+à|acheteur`,
  ]),
  label(['customerName'], 1, [String.raw`ship(?:ped)?\s+to|deliver\s+to|to`]),

  // Amounts
  label(['subtotal'], 3, [
    String.raw`sub[\s-]?total(?:\s+(?:ht|net|excl\.?\s+${TAX}))?|net\s+total|total\s+net|net\s+amount|net\s+value|total\s+${EXCLUDING}\s+${TAX}|amount\s+${EXCLUDING}\s+${TAX}|total\s+before\s+tax(?:es)?|(?:total\s+)?taxable\s+(?:amount|value)|total\s+taxable\s+value`,
    String.raw`zwischensumme|netto\s*-?\s*(?:betrag|summe|gesamt)|summe\s+netto|gesamt\s*-?\s*netto|gesamtbetrag\s+netto|rechnungsbetrag\s+netto|warenwert(?:\s+netto)?|summe\s+positionen`,
    String.raw`sous\s*-?\s*total(?:\s+ht)?|total\s+ht|montant\s+(?:total\s+)?ht|total\s+hors\s+tax(?:es|e)?|montant\s+hors\s+tax(?:es|e)?|base\s+ht`,
  ]),
  label(['subtotal'], 2, ['net', 'netto', 'ht']),
  label(['discount'], 3, [
    String.raw`(?:less\s+|total\s+|promo(?:tional)?\s+|trade\s+)?discount(?:s)?|coupon|rebate`,
    String.raw`(?:abzgl\.?\s+)?(?:rabatt|nachlass|preisnachlass)`,
    String.raw`remise(?:\s+commerciale)?|rabais|réduction`,
  ]),
  label(['shipping'], 3, [
    String.raw`shipping(?:\s*(?:&|and)\s*handling)?|freight(?:\s+charges?)?|delivery(?:\s+(?:charges?|fees?|costs?))?|postage(?:\s*(?:&|and)\s*(?:packing|handling))?|p\s*&\s*p|s\s*&\s*h|carriage|handling`,
    String.raw`versand(?:kosten|pauschale)?(?:\s*(?:&|und)\s*verpackung)?|verpackung\s*(?:&|und)\s*versand|liefer(?:kosten|ung|pauschale)|porto|fracht(?:kosten)?|transportkosten`,
    String.raw`frais\s+de\s+(?:port|livraison|transport|expédition|envoi)|livraison|port|expédition|transport`,
  ]),
  label(['tax'], 3, [
    String.raw`(?:${INCLUDED}\s+)?(?:total\s+|zzgl\.?\s+|plus\s+)?${RATE}?${TAX}(?:\s*-?\s*(?:amount|total|betrag|summe))?`,
    String.raw`montant\s+(?:de\s+(?:la\s+)?)?tva|total\s+tva|tva\s+à`,
    String.raw`steuerbetrag|steuer`,
  ]),
  label(['tax'], 2, [String.raw`tax(?:es)?|taxe?s?`]),

  label(['total'], 4, [
    String.raw`grand\s+total|invoice\s+total|total\s+(?:amount\s+)?(?:due|payable)|total\s+amount(?:\s+due)?|total\s+${INCLUDING}\s+${TAX}|amount\s+payable|please\s+pay|total\s+to\s+pay`,
    String.raw`gesamt\s*-?\s*betrag|endbetrag|gesamtsumme|rechnungsbetrag|brutto\s*-?\s*betrag|(?:summe|gesamt)\s+brutto|zu\s+zahlen(?:der\s+betrag)?|zahlbetrag|rechnungssumme|gesamtpreis\s+brutto`,
    String.raw`total\s+ttc|montant\s+ttc|net\s+à\s+payer(?:\s+ttc)?|montant\s+(?:total\s+)?(?:dû|du)(?:\s+ttc)?|montant\s+total(?:\s+ttc)?|total\s+à\s+payer|à\s+payer|somme\s+(?:due|à\s+payer)`,
  ]),
  label(['total'], 3, ['total', 'summe', 'gesamt', 'brutto']),
  label(['total'], 2, [String.raw`amount\s+due|balance\s+due|amount\s+outstanding|remaining\s+balance|balance|restbetrag|offener\s+betrag|noch\s+zu\s+zahlen|reste\s+à\s+payer|solde(?:\s+dû)?`]),
  label(['total'], 1, ['amount', 'betrag', 'montant'], true),

  // Recognised only so that they do not feed other fields.
  label([], 0, [
    String.raw`(?:customer|client|account|acct\.?|order|p\.?\s*o\.?|purchase\s+order|reference|ref\.?|contract|meter|policy|member|store|project)\s*(?:${NO}|id|code|ref|date)|purchase\s+order|account|reference|project`,
    String.raw`(?:${TAX})\s*(?:${NO}|id|reg(?:istration)?\.?(?:\s*${NO})?|rate|%|-?id(?:nr)?\.?)|gstin|abn|acn|tax\s+id|ein|ssn|pan|cin|uid|siret|siren|rcs|hrb|amtsgericht|registergericht`,
    String.raw`(?:ship(?:ping)?|delivery|service|order|payment)\s+(?:date|method|terms?|address|period)|total\s+(?:qty|quantity|items?|hours|units|paid|payments?|savings?)|amount\s+(?:paid|tendered|received)|paid|payments?|credits?|previous\s+balance|balance\s+forward|terms|page|phone|tel\.?|fax|e-?mail|web(?:site)?|iban|swift|bic|sort\s+code|(?:billing|service)\s+period|period|cash|change|tendered|card|visa|mastercard|amex|debit|credit\s+card|items|cashier|server|clerk|register|till|table|guests?|currency|währung`,
    String.raw`kunden\s*-?\s*(?:nummer|nr\.?)|kd\.?\s*-?\s*nr\.?|auftrags\s*-?\s*(?:nummer|nr\.?)|bestell\s*-?\s*(?:nummer|nr\.?)|bestellung|lieferschein\s*-?\s*(?:nummer|nr\.?)?|vertrags\s*-?\s*(?:nummer|nr\.?)|steuer\s*-?\s*(?:nummer|nr\.?)|st\.?\s*-?\s*nr\.?|ust\s*-?\s*id\s*-?\s*(?:nr\.?)?|ihre\s+referenz|unsere\s+referenz|leistungs\s*-?\s*(?:datum|zeitraum)|liefer\s*-?\s*(?:datum|adresse|anschrift)|abrechnungs\s*-?\s*zeitraum|zeitraum|bankverbindung|telefon|seite|bereits\s+bezahlt|anzahlung|gezahlt|gegeben|bar(?:geld)?|rückgeld|zurück|kartenzahlung|ec\s*-?\s*karte|girocard|kasse|bediener|kassierer|geschäftsführer|skonto`,
    String.raw`n[°º]\s*(?:de\s+)?(?:client|commande|tva|siret|siren|contrat|compte)|tva\s+intracom(?:munautaire)?\.?|numéro\s+de\s+tva|bon\s+de\s+commande|votre\s+référence|référence\s+client|code\s+client|date\s+de\s+(?:livraison|commande|paiement|prestation)|adresse\s+de\s+livraison|période(?:\s+de\s+facturation|\s+du)?|tél\.?|capital\s+social|conditions\s+de\s+(?:paiement|règlement)|acompte(?:\s+versé)?|déjà\s+payé|espèces|rendu|monnaie\s+rendue|carte\s+bancaire|caisse|caissier|escompte|devise|monnaie`,
  ]),
];

export interface LabelHit {
  def: LabelDef;
  lineIndex: number;
  cellIndex: number;
  /** Whether the label starts its cell; a label in the middle of prose is weaker. */
  atCellStart: boolean;
  /** Text after the label in the same cell, up to the next label. */
  inline: string;
  /** The label as printed. */
  text: string;
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
    // Labels start with a letter (or a tax rate such as "19% MwSt."); amounts and codes never start one.
    if (!/[\p{L}\d]/u.test(text.charAt(at))) continue;
    let best: { def: LabelDef; end: number } | undefined;
    for (const def of LABELS) {
      def.pattern.lastIndex = at;
      const match = def.pattern.exec(text);
      if (!match || match[0].length === 0) continue;
      const end = at + match[0].length;
      if (/\p{L}/u.test(text.charAt(end)) && WORD_CHAR.test(text.charAt(end - 1))) continue;
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
    // Stray marks before a label ("[Facture No", "| Total") do not make it part of a sentence.
    atCellStart: hit.start === 0 || !/[\p{L}\p{N}]/u.test(text.slice(0, hit.start)),
    inline: text.slice(hit.end, found[i + 1]?.start ?? text.length),
    text: text.slice(hit.start, hit.end),
    x: cell.x + hit.start * perChar,
    right: cell.x + hit.end * perChar,
  }));
}

/** Strips what separates a label from its value: colons, hashes, dashes used as separators. */
export function cleanValue(text: string): string {
  return text.replace(/^[\s:#.]*(?:[-–—]\s+)?/, '').trim();
}

/** Whether a tax label says the tax is contained in the total rather than added to it. */
export function isIncludedTax(text: string): boolean {
  return /\b(?:incl|inkl|including|includes|included|enthalten|enthaltene|darin|davon|dont|inclus|incluse)\b/iu.test(text);
}
