import { firstName } from '../data.js';
import type { DocModel } from '../model.js';
import type { Random } from '../random.js';
import { Sheet } from '../sheet.js';
import type { FontFamily } from '../sheet.js';
import { Printer } from './printer.js';

export interface ReceiptDesign {
  family: FontFamily;
  /** Paper width in points: 80 mm or 58 mm till rolls. */
  width: 226 | 164;
  base: number;
  items: 'simple' | 'qty-first' | 'inline-calc' | 'qty-below';
  /** German receipts mark each price with its VAT class letter. */
  taxClass: boolean;
  payment: 'cash' | 'card' | 'none';
  vatTable: boolean;
}

export function chooseReceiptDesign(rng: Random, model: DocModel): ReceiptDesign {
  const width = rng.chance(0.75) ? 226 : 164;
  return {
    family: rng.weighted([['Courier', 6], ['Helvetica', 3], ['Times', 1]] as const),
    width,
    base: width === 226 ? rng.pick([7, 7.5, 8, 8.5]) : rng.pick([6, 6.5]),
    items: rng.weighted([['simple', 4], ['qty-first', 2], ['inline-calc', 2], ['qty-below', 3]] as const),
    taxClass: model.locale.lang === 'de' && rng.chance(0.5),
    payment: rng.weighted([['cash', 3], ['card', 4], ['none', 2]] as const),
    vatTable: model.taxIncluded && rng.chance(0.25),
  };
}

type Row =
  | { kind: 'text'; text: string; align: 'left' | 'center' | 'right'; bold?: boolean; scale?: number }
  | { kind: 'pair'; left: string; right: string; bold?: boolean; scale?: number }
  | { kind: 'columns'; cells: string[]; bold?: boolean }
  | { kind: 'rule'; char: string }
  | { kind: 'gap' };

/** Draws a till receipt on a narrow page whose height fits its content. */
export class ReceiptLayout {
  private readonly printer: Printer;
  private readonly rows: Row[] = [];

  constructor(
    private readonly model: DocModel,
    private readonly design: ReceiptDesign,
    private readonly rng: Random,
  ) {
    this.printer = new Printer(model, rng);
  }

  async render(): Promise<Uint8Array> {
    this.compose();
    const { base, width } = this.design;
    const margin = width === 226 ? 10 : 7;
    const lineHeight = base * 1.3;
    const height = margin * 2 + this.rows.reduce((sum, row) => sum + (row.kind === 'gap' ? lineHeight * 0.6 : lineHeight * ('scale' in row && row.scale ? row.scale : 1)), 0) + lineHeight;
    const sheet = await Sheet.create(this.design.family, [width, Math.max(height, 200)]);
    let y = margin + lineHeight;
    const right = width - margin;
    const charWidth = sheet.textWidth('0', base);
    for (const row of this.rows) {
      const scale = 'scale' in row && row.scale ? row.scale : 1;
      const size = base * scale;
      switch (row.kind) {
        case 'text':
          sheet.text(row.text, row.align === 'left' ? margin : row.align === 'right' ? right : width / 2, y, { size, bold: row.bold, align: row.align });
          break;
        case 'pair':
          sheet.text(row.left, margin, y, { size, bold: row.bold });
          sheet.text(row.right, right, y, { size, bold: row.bold, align: 'right' });
          break;
        case 'columns': {
          // Label, then right-aligned numeric columns of equal width.
          const [first = '', ...rest] = row.cells;
          sheet.text(first, margin, y, { size, bold: row.bold });
          const columnWidth = Math.min(charWidth * 9, (right - margin) / (rest.length + 1));
          rest.forEach((cell, i) => sheet.text(cell, right - (rest.length - 1 - i) * columnWidth, y, { size, bold: row.bold, align: 'right' }));
          break;
        }
        case 'rule': {
          const count = Math.floor((right - margin) / sheet.textWidth(row.char, base));
          sheet.text(row.char.repeat(count), margin, y, { size: base });
          break;
        }
        case 'gap':
          y -= lineHeight * 0.4;
          break;
      }
      y += lineHeight * scale;
    }
    return sheet.save();
  }

  private pick<T>(items: readonly T[]): T {
    return this.rng.pick(items);
  }

  private compose(): void {
    const { model, design, printer, rows } = this;
    const vocab = model.vocab;
    const upper = this.rng.chance(0.4);
    const name = upper ? model.vendorName.toUpperCase() : model.vendorName;
    // The truth is what the receipt prints.
    if (upper) model.vendorName = name;
    // Scaled down to fit the paper, as a printer's double-width mode would be dropped for long names.
    const maxChars = (this.design.width - 20) / (this.design.base * (this.design.family === 'Courier' ? 0.6 : 0.55));
    const scale = Math.max(0.9, Math.min(this.pick([1.2, 1.4, 1.6]), maxChars / (name.length * 1.15)));
    rows.push({ kind: 'text', text: name, align: this.rng.chance(0.85) ? 'center' : 'left', bold: true, scale });
    for (const line of model.vendorAddress) rows.push({ kind: 'text', text: line, align: 'center' });
    if (this.rng.chance(0.6)) rows.push({ kind: 'text', text: `Tel. ${this.rng.int(100, 999)} ${this.rng.int(100000, 999999)}`, align: 'center' });
    if (this.rng.chance(0.5)) rows.push({ kind: 'text', text: this.pick(model.locale.registration), align: 'center' });
    const title = this.pick(vocab.receiptTitle);
    if (title) rows.push({ kind: 'gap' }, { kind: 'text', text: title, align: 'center', bold: true });
    rows.push({ kind: 'gap' });

    const time = `${String(this.rng.int(7, 21)).padStart(2, '0')}:${String(this.rng.int(0, 59)).padStart(2, '0')}`;
    const date = printer.date(model.issueDate);
    const number = model.invoiceNumber === null ? null : `${this.pick(vocab.receiptNumber)} ${model.invoiceNumber}`;
    const dateLines: Row[] = this.rng.chance(0.5)
      ? [{ kind: 'pair', left: date, right: time }]
      : [{ kind: 'text', text: `${model.locale.lang === 'de' ? 'Datum' : 'Date'}: ${date}  ${time}`, align: 'left' }];
    const meta: Row[] = [...dateLines];
    if (number) meta.push(this.rng.chance(0.5) ? { kind: 'text', text: number, align: 'left' } : { kind: 'pair', left: number, right: this.rng.chance(0.5) ? time : '' });
    if (this.rng.chance(0.6)) meta.push({ kind: 'text', text: this.pick(vocab.cashier).replace('{name}', firstName(this.rng)), align: 'left' });
    rows.push(...(this.rng.chance(0.5) ? meta : meta.reverse()));
    const rule = this.pick(['-', '=', '*', '- ']);
    rows.push({ kind: 'rule', char: rule });

    for (const item of model.items) {
      const quantity = item.quantity ?? 1000;
      const amount = this.amountText(item.amount);
      const many = quantity !== 1000;
      switch (design.items) {
        case 'simple':
          rows.push({ kind: 'pair', left: many ? `${printer.quantity(quantity)} x ${item.description}` : item.description, right: amount });
          if (!many) item.quantity = null;
          item.unitPrice = null;
          break;
        case 'qty-first':
          rows.push({ kind: 'pair', left: `${printer.quantity(quantity)} ${item.description}`, right: amount });
          item.unitPrice = null;
          break;
        case 'inline-calc':
          rows.push({ kind: 'pair', left: many ? `${item.description} ${printer.quantity(quantity)} x ${printer.number(item.unitPrice ?? 0)}` : item.description, right: amount });
          if (!many) {
            item.quantity = null;
            item.unitPrice = null;
          }
          break;
        case 'qty-below':
          rows.push({ kind: 'pair', left: item.description, right: amount });
          if (many) rows.push({ kind: 'text', text: `  ${printer.quantity(quantity)} ${this.pick(['x', 'X', '@'])} ${printer.number(item.unitPrice ?? 0)}`, align: 'left' });
          else {
            item.quantity = null;
            item.unitPrice = null;
          }
          break;
      }
    }
    rows.push({ kind: 'rule', char: rule });

    const money = (cents: number): string => printer.money(cents, this.rng.chance(0.5));
    if (model.show.subtotal) rows.push({ kind: 'pair', left: this.pick(vocab.subtotal).toUpperCase(), right: money(model.subtotal) });
    if (model.discount !== null) rows.push({ kind: 'pair', left: this.pick(vocab.discount), right: `-${printer.number(model.discount)}` });
    if (!model.taxIncluded) for (const tax of model.taxes) rows.push({ kind: 'pair', left: printer.taxLabel(tax.line, this.rng), right: money(tax.cents) });
    let totalLabel = this.pick(vocab.receiptTotal);
    let totalValue = printer.money(model.total);
    if (model.marker === 'none' || model.locale.namesCode) {
      if (this.rng.chance(0.5)) totalLabel = `${totalLabel} ${model.locale.currency}`;
      else totalValue = `${model.locale.currency} ${printer.number(model.total)}`;
    }
    rows.push({ kind: 'pair', left: totalLabel, right: totalValue, bold: true, scale: this.pick([1, 1.2, 1.4]) });

    if (design.payment === 'cash') {
      const given = Math.ceil(model.total / 1000) * 1000 + (this.rng.chance(0.5) ? 1000 : 0);
      rows.push({ kind: 'pair', left: this.pick(vocab.cash), right: printer.number(given) });
      rows.push({ kind: 'pair', left: this.pick(vocab.change), right: printer.number(given - model.total) });
    } else if (design.payment === 'card') {
      rows.push({ kind: 'pair', left: `${this.pick(vocab.card)} ${this.rng.chance(0.5) ? `****${this.rng.int(1000, 9999)}` : ''}`.trim(), right: printer.number(model.total) });
    }

    if (model.taxIncluded && model.taxes.length > 0) {
      rows.push({ kind: 'gap' });
      if (design.vatTable && !model.show.subtotal && model.taxes.length === 1) {
        model.show.net = true;
        const heads = model.locale.lang === 'de' ? ['MwSt', 'Netto', 'Steuer', 'Brutto'] : model.locale.lang === 'fr' ? ['TVA', 'HT', 'TVA', 'TTC'] : ['VAT', 'Net', 'VAT', 'Gross'];
        rows.push({ kind: 'columns', cells: heads });
        for (const tax of model.taxes) {
          const gross = model.total;
          rows.push({ kind: 'columns', cells: [printer.rate(tax.line), printer.number(gross - tax.cents), printer.number(tax.cents), printer.number(gross)] });
        }
      } else {
        for (const tax of model.taxes) rows.push({ kind: 'pair', left: printer.taxLabel(tax.line, this.rng, true), right: printer.number(tax.cents) });
      }
    }
    rows.push({ kind: 'gap' });
    if (this.rng.chance(0.4)) rows.push({ kind: 'text', text: `${this.pick(['Items', 'Artikel', 'Articles'])}: ${model.items.length}`, align: 'left' });
    rows.push({ kind: 'text', text: this.pick(vocab.receiptFooter), align: 'center' });
    if (this.rng.chance(0.4)) rows.push({ kind: 'text', text: `${this.rng.int(1000, 9999)} ${this.rng.int(1000, 9999)} ${this.rng.int(1000, 9999)} ${this.rng.int(10, 99)}`, align: 'center' });
  }

  private amountText(cents: number): string {
    const text = this.printer.itemMoney(cents);
    return this.design.taxClass ? `${text} ${this.pick(['A', 'B', '1'])}` : text;
  }
}
