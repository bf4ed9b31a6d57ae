/** Number, money and date printing for the corpus, from exact integer cents and ISO dates. */

export interface NumberStyle {
  /** Thousands separator ("" for none). */
  group: string;
  decimal: '.' | ',';
  /** Indian lakh/crore grouping: 1,23,45,678.00. */
  indian?: boolean;
}

/** Cents as the truth format: "1234.50", "-40.00". */
export function centsToTruth(cents: number): string {
  const negative = cents < 0;
  const abs = Math.abs(cents);
  return `${negative ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

export function formatCents(cents: number, style: NumberStyle, decimals = 2): string {
  const abs = Math.abs(cents);
  const whole = String(Math.floor(abs / 100));
  const fraction = String(abs % 100).padStart(2, '0');
  let grouped = whole;
  if (style.group && whole.length > 3) {
    grouped = style.indian
      ? `${whole.slice(0, -3).replace(/\B(?=(\d{2})+$)/g, style.group)}${style.group}${whole.slice(-3)}`
      : whole.replace(/\B(?=(\d{3})+$)/g, style.group);
  }
  return `${cents < 0 ? '-' : ''}${grouped}${decimals > 0 ? style.decimal + fraction.slice(0, decimals) : ''}`;
}

/** A quantity held as thousandths (1500 = 1.5), printed with the document's decimal mark. */
export function formatQuantity(milli: number, decimal: '.' | ','): string {
  const whole = Math.floor(milli / 1000);
  const fraction = String(milli % 1000).padStart(3, '0').replace(/0+$/, '');
  return fraction ? `${whole}${decimal}${fraction}` : String(whole);
}

export function quantityToTruth(milli: number): string {
  return formatQuantity(milli, '.');
}

export type Lang = 'en' | 'de' | 'fr';

const MONTHS: Record<Lang, string[]> = {
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
  de: ['Januar', 'Februar', 'März', 'April', 'Mai', 'Juni', 'Juli', 'August', 'September', 'Oktober', 'November', 'Dezember'],
  fr: ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'],
};
const SHORT_MONTHS: Record<Lang, string[]> = {
  en: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
  de: ['Jan.', 'Feb.', 'März', 'Apr.', 'Mai', 'Juni', 'Juli', 'Aug.', 'Sep.', 'Okt.', 'Nov.', 'Dez.'],
  fr: ['janv.', 'févr.', 'mars', 'avr.', 'mai', 'juin', 'juil.', 'août', 'sept.', 'oct.', 'nov.', 'déc.'],
};

export type DateStyle =
  | 'MDY/' | 'M/D/Y' | 'MDY-' | 'DMY/' | 'DMY-' | 'DMY.' | 'D.M.Y' | 'DMY.yy' | 'ISO' | 'YMD/'
  | 'MonD,Y' | 'MonthD,Y' | 'DMonY' | 'DMonthY' | 'DthMonthY' | 'D-Mon-Y' | 'D.MonthY' | 'D.MonY' | 'DmonthY-fr' | 'DMonY-upper';

function parts(iso: string): [string, string, string] {
  const [y = '', m = '', d = ''] = iso.split('-');
  return [y, m, d];
}

function ordinal(day: number): string {
  const suffix = day >= 11 && day <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[day % 10] ?? 'th';
  return `${day}${suffix}`;
}

export function formatDate(iso: string, style: DateStyle, lang: Lang): string {
  const [y, m, d] = parts(iso);
  const month = Number(m);
  const day = Number(d);
  const long = MONTHS[lang][month - 1] ?? '';
  const short = SHORT_MONTHS[lang][month - 1] ?? '';
  switch (style) {
    case 'MDY/':
      return `${m}/${d}/${y}`;
    case 'M/D/Y':
      return `${month}/${day}/${y}`;
    case 'MDY-':
      return `${m}-${d}-${y}`;
    case 'DMY/':
      return `${d}/${m}/${y}`;
    case 'DMY-':
      return `${d}-${m}-${y}`;
    case 'DMY.':
      return `${d}.${m}.${y}`;
    case 'D.M.Y':
      return `${day}.${month}.${y}`;
    case 'DMY.yy':
      return `${d}.${m}.${y.slice(2)}`;
    case 'ISO':
      return iso;
    case 'YMD/':
      return `${y}/${m}/${d}`;
    case 'MonD,Y':
      return `${short} ${day}, ${y}`;
    case 'MonthD,Y':
      return `${long} ${day}, ${y}`;
    case 'DMonY':
      return `${day} ${short} ${y}`;
    case 'DMonY-upper':
      return `${d} ${short.toUpperCase()} ${y}`;
    case 'DMonthY':
      return `${day} ${long} ${y}`;
    case 'DthMonthY':
      return `${ordinal(day)} ${long} ${y}`;
    case 'D-Mon-Y':
      return `${d}-${short.replace('.', '')}-${y}`;
    case 'D.MonthY':
      return `${day}. ${long} ${y}`;
    case 'D.MonY':
      return `${day}. ${short} ${y}`;
    case 'DmonthY-fr':
      return `${day === 1 ? '1er' : day} ${long} ${y}`;
  }
}

export function addDays(iso: string, days: number): string {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}
