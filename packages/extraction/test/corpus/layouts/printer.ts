import { formatCents, formatDate, formatQuantity } from '../format.js';
import type { DocModel } from '../model.js';
import type { TaxLine } from '../locales.js';
import type { Random } from '../random.js';

export type DiscountStyle = 'minus' | 'parens' | 'plain' | 'minus-space';

/** Prints a model's money, dates and rates the way this document does. */
export class Printer {
  /** Whether item cells carry the currency marker (totals always do, unless the marker is 'none'). */
  readonly markItems: boolean;
  readonly discountStyle: DiscountStyle;
  readonly percentSpace: boolean;

  constructor(
    readonly model: DocModel,
    rng: Random,
  ) {
    this.markItems = rng.chance(0.35);
    this.discountStyle = rng.pick(['minus', 'minus', 'parens', 'plain', 'minus-space'] as const);
    this.percentSpace = model.locale.lang !== 'en' && rng.chance(0.5);
  }

  number(cents: number): string {
    return formatCents(cents, this.model.numbers);
  }

  money(cents: number, withMarker = true): string {
    const { marker, locale } = this.model;
    const number = this.number(Math.abs(cents));
    const sign = cents < 0 ? '-' : '';
    if (!withMarker || marker === 'none') return sign + number;
    const nbsp = this.model.numbers.group === '\u00a0' ? '\u00a0' : ' ';
    switch (marker) {
      case 'symbol':
        return `${sign}${locale.symbol}${number}`;
      case 'symbol-space':
        return `${sign}${locale.symbol} ${number}`;
      case 'symbol-after':
        return `${sign}${number}${nbsp}${locale.symbol}`;
      case 'code-before':
        return `${sign}${locale.currency} ${number}`;
      case 'code-after':
        return `${sign}${number} ${locale.currency}`;
    }
  }

  itemMoney(cents: number): string {
    return this.money(cents, this.markItems);
  }

  discount(cents: number): string {
    const text = this.money(cents);
    switch (this.discountStyle) {
      case 'minus':
        return `-${text}`;
      case 'minus-space':
        return `- ${text}`;
      case 'parens':
        return `(${text})`;
      case 'plain':
        return text;
    }
  }

  date(iso: string): string {
    return formatDate(iso, this.model.dateStyle, this.model.locale.lang);
  }

  quantity(milli: number): string {
    return formatQuantity(milli, this.model.numbers.decimal);
  }

  rate(line: TaxLine): string {
    const number = line.rate.replace('%', '').replace('.', this.model.numbers.decimal);
    return `${number}${this.percentSpace ? ' ' : ''}%`;
  }

  /** A tax label for one tax line, with its rate filled in. */
  taxLabel(line: TaxLine, rng: Random, included = false): string {
    const vocab = this.model.vocab;
    const pool = included ? vocab.includedTax : (line.labels ?? vocab.tax);
    return rng.pick(pool).replace('{rate}', this.rate(line));
  }

  /** The code of the currency, for notes and labels when amounts carry no marker. */
  get code(): string {
    return this.model.locale.currency;
  }
}
