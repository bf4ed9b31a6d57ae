import { chooseInvoiceDesign, InvoiceLayout } from './layouts/invoice.js';
import { chooseReceiptDesign, ReceiptLayout } from './layouts/receipt.js';
import type { LocaleId } from './locales.js';
import { buildModel, truthOf } from './model.js';
import type { CorpusKind, CorpusTruth } from './model.js';
import { Random } from './random.js';

export type { CorpusKind, CorpusTruth, CorpusTruthItem } from './model.js';

/** One generated document with what it states. */
export interface CorpusDocument {
  id: string;
  kind: CorpusKind;
  locale: LocaleId;
  /** The layout choices, for per-layout breakdowns ("invoice/logo-left/pairs-right/…"). */
  design: string;
  pdf: Uint8Array;
  truth: CorpusTruth;
}

const KINDS: [CorpusKind, number][] = [['invoice', 70], ['bill', 12], ['receipt', 18]];
const LOCALE_WEIGHTS: [LocaleId, number][] = [
  ['en-US', 20], ['en-GB', 12], ['de-DE', 15], ['fr-FR', 13], ['en-IN', 10], ['en-CA', 6], ['en-AU', 6], ['en-IE', 5], ['en-NL', 5], ['de-CH', 5],
];

export interface GenerateOptions {
  kind?: CorpusKind;
  locale?: LocaleId;
}

/** Document `index` of the corpus for `seed`: the same bytes and truth on every run. */
export async function generateDocument(seed: number, index: number, options: GenerateOptions = {}): Promise<CorpusDocument> {
  const rng = new Random(Math.imul(seed, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b));
  const kind = options.kind ?? rng.weighted(KINDS);
  const locale = options.locale ?? rng.weighted(LOCALE_WEIGHTS);
  const model = buildModel(rng.fork(1), kind, locale);
  const layoutRng = rng.fork(2);
  let pdf: Uint8Array;
  let design: string;
  if (kind === 'receipt') {
    const choice = chooseReceiptDesign(layoutRng, model);
    design = `receipt/${choice.width}/${choice.items}/${choice.family}`;
    pdf = await new ReceiptLayout(model, choice, layoutRng).render();
  } else {
    const choice = chooseInvoiceDesign(layoutRng, model);
    design = `${kind}/${choice.header}/${choice.meta}/${choice.customer}/${choice.columns.join('-')}/${choice.tableHeader}/${choice.totals}/${choice.family}`;
    pdf = await new InvoiceLayout(model, choice, layoutRng).render();
  }
  return { id: `${seed}-${String(index).padStart(4, '0')}-${kind}-${locale}`, kind, locale, design, pdf, truth: truthOf(model) };
}
