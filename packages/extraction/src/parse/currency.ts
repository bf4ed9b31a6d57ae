/** ISO 4217 codes recognised in documents. Codes that are also common words or abbreviations (ALL, TRY, PHP as a language…) are left out. */
const CURRENCY_CODES = [
  'USD', 'EUR', 'GBP', 'INR', 'CAD', 'AUD', 'NZD', 'CHF', 'JPY', 'CNY', 'HKD', 'SGD', 'SEK', 'NOK', 'DKK',
  'PLN', 'CZK', 'HUF', 'RON', 'ZAR', 'BRL', 'MXN', 'AED', 'SAR', 'ILS', 'KRW', 'THB', 'MYR', 'IDR', 'RUB',
] as const;

/** Symbols with an unambiguous currency. A bare "$" is handled separately. */
const SYMBOLS: Record<string, string> = {
  '€': 'EUR',
  '£': 'GBP',
  '₹': 'INR',
  '¥': 'JPY',
  '₩': 'KRW',
  '₪': 'ILS',
  '฿': 'THB',
  'zł': 'PLN',
  'rs': 'INR',
  'rs.': 'INR',
  'us$': 'USD',
  'c$': 'CAD',
  'ca$': 'CAD',
  'a$': 'AUD',
  'au$': 'AUD',
  'nz$': 'NZD',
  's$': 'SGD',
  'hk$': 'HKD',
  'r$': 'BRL',
};

const DOLLAR_CODES = new Set(['USD', 'CAD', 'AUD', 'NZD', 'SGD', 'HKD', 'MXN']);

const US_STATES = 'AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY';
const US_ADDRESS = new RegExp(String.raw`\b(?:${US_STATES}),?\s+\d{5}(?:-\d{4})?\b`);

/** Regex source matching any currency marker that may stand next to an amount. */
export const CURRENCY_MARKER = String.raw`(?:US\$|CA?\$|AU?\$|NZ\$|S\$|HK\$|R\$|Rs\.?|zł|${CURRENCY_CODES.join('|')}|[$€£₹¥₩₪฿])`;

/** The ISO code for a marker, '$' for a bare dollar sign, or null when unknown. */
export function currencyOfMarker(marker: string): string | null {
  if (marker === '$') return '$';
  const upper = marker.toUpperCase();
  if ((CURRENCY_CODES as readonly string[]).includes(upper)) return upper;
  return SYMBOLS[marker] ?? SYMBOLS[marker.toLowerCase()] ?? null;
}

export interface CurrencyGuess {
  value: string | null;
  confidence: number;
  reason?: string;
}

/**
 * Weighs the currency markers printed next to amounts (strong) and code words anywhere (weak).
 * A bare "$" means USD unless another dollar currency is named.
 */
export function detectCurrency(text: string, amountMarkers: string[]): CurrencyGuess {
  const weights = new Map<string, number>();
  const add = (code: string, weight: number): void => void weights.set(code, (weights.get(code) ?? 0) + weight);
  for (const marker of amountMarkers) {
    const code = currencyOfMarker(marker);
    if (code) add(code, 3);
  }
  for (const match of text.matchAll(new RegExp(String.raw`\b(${CURRENCY_CODES.join('|')})\b`, 'g'))) {
    if (match[1]) add(match[1], 1);
  }
  if (weights.has('JPY') && (weights.has('CNY') || /\bRMB\b|元/.test(text))) {
    add('CNY', weights.get('JPY') ?? 0);
    weights.delete('JPY');
  }

  const dollars = weights.get('$') ?? 0;
  weights.delete('$');
  const ranked = [...weights.entries()].sort((a, b) => b[1] - a[1]);
  const [best, second] = ranked;
  if (dollars > 0) {
    const named = ranked.find(([code]) => DOLLAR_CODES.has(code));
    if (named) return { value: named[0], confidence: 0.95 };
    // A US address (state and ZIP code) or "sales tax" settles a bare "$" as US dollars.
    if ((!best || best[1] < dollars) && (US_ADDRESS.test(text) || /\bsales\s+tax\b/i.test(text))) return { value: 'USD', confidence: 0.9 };
    if (!best || best[1] < dollars) {
      return { value: 'USD', confidence: best ? 0.6 : 0.8, reason: 'currency assumed USD from $ sign' };
    }
  }
  if (!best) return { value: null, confidence: 0 };
  if (second && second[1] * 2 > best[1]) return { value: best[0], confidence: 0.6, reason: 'several currencies mentioned' };
  return { value: best[0], confidence: best[1] >= 3 ? 0.95 : 0.8 };
}
