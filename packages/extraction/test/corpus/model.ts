import { billCharges, companyName, invoiceNumber, itemChoices, personName, receiptItems } from './data.js';
import { addDays, centsToTruth, quantityToTruth } from './format.js';
import type { DateStyle, NumberStyle } from './format.js';
import { LOCALES, VOCABULARY } from './locales.js';
import type { LocaleId, LocaleSpec, MoneyMarker, TaxLine, Vocabulary } from './locales.js';
import type { Random } from './random.js';

export type CorpusKind = 'invoice' | 'bill' | 'receipt';

/** What a corpus document states, in the formats extraction returns. */
export interface CorpusTruth {
  vendorName: string | null;
  customerName: string | null;
  invoiceNumber: string | null;
  issueDate: string | null;
  dueDate: string | null;
  currency: string | null;
  subtotal: string | null;
  discount: string | null;
  shipping: string | null;
  tax: string | null;
  total: string | null;
  lineItems: CorpusTruthItem[];
}

export interface CorpusTruthItem {
  description: string;
  quantity: string | null;
  unitPrice: string | null;
  amount: string;
}

export interface ItemModel {
  description: string;
  /** Thousandths: 1500 = 1.5. Null when the document prints no quantity. */
  quantity: number | null;
  unitPrice: number | null;
  amount: number;
  unit: string;
  code: string;
  taxRate: string;
}

export interface TaxAmount {
  line: TaxLine;
  cents: number;
}

/** Everything a layout draws, decided before drawing so that the truth is exact. */
export interface DocModel {
  kind: CorpusKind;
  locale: LocaleSpec;
  vocab: Vocabulary;
  vendorName: string;
  vendorAddress: string[];
  customerName: string | null;
  customerAddress: string[];
  invoiceNumber: string | null;
  issueDate: string;
  dueDate: string | null;
  items: ItemModel[];
  /** Whether the item table prints quantities and unit prices. */
  priced: boolean;
  subtotal: number;
  discount: number | null;
  shipping: number | null;
  taxes: TaxAmount[];
  /** Tax contained in the total rather than added to it. */
  taxIncluded: boolean;
  total: number;
  /** A payment already made, printed with the remaining balance. */
  paid: number | null;
  show: { subtotal: boolean; /** The net amount (total less included tax) is printed, e.g. in a VAT table. */ net?: boolean };
  numbers: NumberStyle;
  marker: MoneyMarker;
  dateStyle: DateStyle;
}

const round = (value: number): number => Math.round(value);

function priceCents(rng: Random, min: number, max: number): number {
  const raw = min + rng.next() * (max - min);
  const style = rng.int(0, 4);
  if (raw < 5) return Math.max(1, Math.round(raw * 100));
  if (style === 0) return Math.round(raw) * 100;
  if (style === 1) return Math.round(raw) * 100 - 1;
  if (style === 2) return Math.round(raw * 2) * 50;
  return Math.round(raw * 100);
}

function quantityFor(rng: Random, kind: 'piece' | 'hour' | 'weight' | 'service'): number {
  switch (kind) {
    case 'hour':
      return rng.pick([1, 1.5, 2, 2.5, 3, 4, 5, 6, 7.5, 8, 10, 12, 16, 20, 24, 40, 0.75, 3.25]) * 1000;
    case 'weight':
      return rng.pick([0.5, 1, 1.25, 2, 2.5, 3, 5, 10]) * 1000;
    case 'service':
      return rng.chance(0.8) ? 1000 : rng.int(2, 4) * 1000;
    default:
      return rng.weighted([[rng.int(1, 5), 6], [rng.int(6, 20), 3], [rng.int(21, 200), 1]] as const) * 1000;
  }
}

export function buildModel(rng: Random, kind: CorpusKind, localeId: LocaleId): DocModel {
  const locale = LOCALES[localeId];
  const vocab = VOCABULARY[locale.lang];
  const year = rng.int(2024, 2027);
  const issueDate = addDays(`${year}-01-01`, rng.int(0, 364));
  const vendorName = companyName(rng, locale.lang, locale.companySuffixes);
  let customerName: string | null = rng.chance(0.8) ? companyName(rng, locale.lang, locale.companySuffixes) : personName(rng);
  if (customerName === vendorName) customerName = personName(rng);
  const vendorAddress = [rng.pick(locale.streets), rng.pick(locale.cities)];
  const customerAddress = [rng.pick(locale.streets), rng.pick(locale.cities)];

  const taxIncluded = kind === 'receipt' && locale.receiptTaxIncluded && rng.chance(0.8);
  const scheme = rng.chance(kind === 'receipt' ? 0.05 : 0.08) ? [] : rng.pick(locale.taxSchemes);
  // Receipts with tax included in their prices show one rate here; mixed rates need per-item classes.
  const taxScheme = taxIncluded ? scheme.slice(0, 1) : scheme;
  let items: ItemModel[];
  let priced = true;
  if (kind === 'receipt') {
    items = receiptItems(rng, locale.lang, rng.weighted([[1, 2], [2, 3], [3, 3], [4, 3], [6, 2], [9, 1], [14, 1]] as const)).map(([description, min, max]) => {
      const quantity = rng.chance(0.25) ? rng.int(2, 4) * 1000 : 1000;
      const unitPrice = priceCents(rng, min, max);
      return { description, quantity, unitPrice, amount: round((quantity * unitPrice) / 1000), unit: '', code: '', taxRate: '' };
    });
  } else if (kind === 'bill') {
    priced = false;
    items = billCharges(rng, locale.lang, rng.int(2, 6)).map(([description, min, max]) => {
      const amount = priceCents(rng, min, max);
      return { description, quantity: null, unitPrice: null, amount, unit: '', code: '', taxRate: '' };
    });
  } else {
    const count = rng.weighted([[0, 4], [1, 12], [2, 12], [3, 12], [rng.int(4, 10), 35], [rng.int(11, 24), 15], [rng.int(25, 45), 8]] as const);
    priced = rng.chance(0.85);
    items = itemChoices(rng, locale.lang, count).map((choice) => {
      const unitPrice = priceCents(rng, choice.minPrice, choice.maxPrice);
      const quantity = priced ? quantityFor(rng, choice.kind) : 1000;
      const unit = choice.kind === 'hour' ? rng.pick(vocab.hourUnits) : rng.pick(vocab.units);
      return {
        description: choice.description,
        quantity: priced ? quantity : null,
        unitPrice: priced ? unitPrice : null,
        amount: round((quantity * unitPrice) / 1000),
        unit,
        code: `${rng.pick(['A', 'B', 'K', 'P', 'X'])}${rng.int(100, 9999)}`,
        taxRate: taxScheme[0]?.rate ?? '0%',
      };
    });
  }
  if (kind === 'invoice' && items.length === 0) priced = false;

  const itemsSum = items.reduce((sum, item) => sum + item.amount, 0);
  const subtotal = items.length > 0 ? itemsSum : priceCents(rng, 50, 5000);
  const discount = kind !== 'bill' && rng.chance(kind === 'receipt' ? 0.06 : 0.14) ? (rng.chance(0.5) ? round(subtotal * rng.pick([0.05, 0.1, 0.15])) : rng.pick([500, 1000, 2500, 5000])) : null;
  const shipping = kind === 'invoice' && rng.chance(0.16) ? priceCents(rng, 5, 80) : null;
  const discountValue = discount !== null && discount < subtotal ? discount : null;
  const base = subtotal - (discountValue ?? 0) + (locale.lang !== 'en' || locale.id === 'en-GB' ? (shipping ?? 0) : 0);
  const taxes: TaxAmount[] = taxScheme.map((line) => ({
    line,
    cents: taxIncluded ? round((base * line.value) / (1 + line.value)) : round(base * line.value),
  }));
  // With several rates in one scheme (19% and 7%), the rates apply to different items: share the base.
  if (taxScheme.length === 2 && taxScheme[0]?.labels === undefined && !taxIncluded) {
    const share = round(base * rng.pick([0.3, 0.5, 0.7]));
    taxes[0] = { line: taxScheme[0] as TaxLine, cents: round(share * (taxScheme[0] as TaxLine).value) };
    taxes[1] = { line: taxScheme[1] as TaxLine, cents: round((base - share) * (taxScheme[1] as TaxLine).value) };
  }
  const taxSum = taxes.reduce((sum, tax) => sum + tax.cents, 0);
  const total = subtotal - (discountValue ?? 0) + (shipping ?? 0) + (taxIncluded ? 0 : taxSum);
  const extras = discountValue !== null || shipping !== null || (taxes.length > 0 && !taxIncluded);

  const dueChance = kind === 'invoice' ? 0.8 : kind === 'bill' ? 0.95 : 0;
  return {
    kind,
    locale,
    vocab,
    vendorName,
    vendorAddress,
    customerName: kind === 'receipt' ? null : rng.chance(kind === 'bill' ? 0.95 : 0.85) ? customerName : null,
    customerAddress,
    invoiceNumber: kind === 'receipt' ? (rng.chance(0.65) ? String(rng.int(100, 99999)).padStart(rng.int(3, 6), '0') : null) : kind === 'bill' && rng.chance(0.05) ? null : invoiceNumber(rng, year),
    issueDate,
    dueDate: rng.chance(dueChance) ? addDays(issueDate, rng.pick([7, 10, 14, 15, 21, 30, 30, 30, 45, 60])) : null,
    items,
    priced,
    subtotal,
    discount: discountValue,
    shipping,
    taxes,
    taxIncluded,
    total,
    paid: kind === 'invoice' && rng.chance(0.07) ? round(total * rng.pick([0.25, 0.5])) : null,
    show: { subtotal: items.length > 0 && (extras ? rng.chance(kind === 'receipt' ? 0.75 : 0.93) : rng.chance(0.45)) },
    numbers: rng.pick(locale.numbers),
    marker: rng.pick(locale.markers),
    dateStyle: rng.pick(locale.dates),
  };
}

/** The truth of a model as drawn. `customerShown` is false when the layout prints no customer. */
export function truthOf(model: DocModel): CorpusTruth {
  const taxSum = model.taxes.reduce((sum, tax) => sum + tax.cents, 0);
  return {
    vendorName: model.vendorName,
    customerName: model.customerName,
    invoiceNumber: model.invoiceNumber,
    issueDate: model.issueDate,
    dueDate: model.dueDate,
    currency: model.locale.currency,
    subtotal: model.show.subtotal ? centsToTruth(model.subtotal) : model.show.net ? centsToTruth(model.total - taxSum) : null,
    discount: model.discount === null ? null : centsToTruth(model.discount),
    shipping: model.shipping === null ? null : centsToTruth(model.shipping),
    tax: model.taxes.length > 0 ? centsToTruth(taxSum) : null,
    total: centsToTruth(model.total),
    lineItems: model.items.map((item) => ({
      description: item.description,
      quantity: item.quantity === null ? null : quantityToTruth(item.quantity),
      unitPrice: item.unitPrice === null ? null : centsToTruth(item.unitPrice),
      amount: centsToTruth(item.amount),
    })),
  };
}
