import type { ColumnKey } from '../locales.js';
import type { DocModel, ItemModel } from '../model.js';
import type { Random } from '../random.js';
import { Sheet } from '../sheet.js';
import type { FontFamily } from '../sheet.js';
import { Printer } from './printer.js';
import { indianWords } from './words.js';

/** What varies between invoice layouts; recorded with each document for per-layout breakdowns. */
export interface InvoiceDesign {
  family: FontFamily;
  pageSize: 'letter' | 'a4';
  base: number;
  header: 'logo-left' | 'centered' | 'title-left' | 'banner' | 'from-label' | 'din';
  meta: 'pairs-right' | 'colon-right' | 'above-row' | 'grid-boxed' | 'one-line' | 'title-number' | 'pairs-left';
  customer: 'label-above' | 'label-left' | 'two-blocks' | 'din-window' | 'none';
  columns: ColumnKey[];
  tableHeader: 'bold' | 'rule' | 'filled' | 'boxed' | 'light-fill';
  totals: 'right-pairs' | 'label-right-aligned' | 'under-columns' | 'boxed-total';
  striped: boolean;
}

const COLUMN_SETS: ColumnKey[][] = [
  ['description', 'quantity', 'unitPrice', 'amount'],
  ['description', 'quantity', 'unitPrice', 'amount'],
  ['quantity', 'description', 'unitPrice', 'amount'],
  ['no', 'description', 'quantity', 'unitPrice', 'amount'],
  ['code', 'description', 'quantity', 'unit', 'unitPrice', 'amount'],
  ['description', 'quantity', 'unitPrice', 'taxRate', 'amount'],
  ['no', 'code', 'description', 'quantity', 'unit', 'unitPrice', 'taxRate', 'amount'],
  ['description', 'unitPrice', 'quantity', 'amount'],
  ['date', 'description', 'hours', 'rate', 'amount'],
  ['description', 'hours', 'rate', 'amount'],
];

const UNPRICED_SETS: ColumnKey[][] = [['description', 'amount'], ['no', 'description', 'amount'], ['date', 'description', 'amount'], ['code', 'description', 'amount']];

const NUMERIC_WIDTH: Partial<Record<ColumnKey, number>> = { no: 28, code: 58, quantity: 48, unit: 42, unitPrice: 78, taxRate: 44, amount: 88, date: 66, hours: 48, rate: 72 };

export function chooseInvoiceDesign(rng: Random, model: DocModel): InvoiceDesign {
  const lang = model.locale.lang;
  const header = rng.weighted([
    ['logo-left', 5], ['centered', 2], ['title-left', 3], ['banner', 1.5], ['from-label', 1.5], ['din', lang === 'de' ? 4 : lang === 'fr' ? 1 : 0.3],
  ] as const);
  const meta = rng.weighted([
    ['pairs-right', 5], ['colon-right', 3], ['above-row', 2], ['grid-boxed', 1.5], ['one-line', 1.5], ['title-number', 1.5], ['pairs-left', 2],
  ] as const);
  const customer = model.customerName === null ? 'none' : header === 'din' ? 'din-window' : header === 'from-label' ? 'label-above' : rng.weighted([['label-above', 5], ['label-left', 2], ['two-blocks', 2]] as const);
  const columns = model.priced ? rng.pick(COLUMN_SETS) : rng.pick(UNPRICED_SETS);
  return {
    family: rng.weighted([['Helvetica', 5], ['Times', 3], ['Courier', 2]] as const),
    pageSize: model.locale.id === 'en-US' || model.locale.id === 'en-CA' ? (rng.chance(0.85) ? 'letter' : 'a4') : rng.chance(0.85) ? 'a4' : 'letter',
    base: rng.pick([8.5, 9, 9, 9.5, 10, 10, 10.5, 11]),
    header,
    meta,
    customer,
    columns,
    tableHeader: rng.weighted([['bold', 4], ['rule', 3], ['filled', 1.5], ['boxed', 1.5], ['light-fill', 2]] as const),
    totals: rng.weighted([['right-pairs', 4], ['label-right-aligned', 2], ['under-columns', 3], ['boxed-total', 1.5]] as const),
    striped: rng.chance(0.2),
  };
}

interface Column {
  key: ColumnKey;
  header: string;
  left: number;
  right: number;
  numeric: boolean;
}

/** Draws an invoice (or a bill in invoice form) and returns the PDF. */
export class InvoiceLayout {
  private sheet!: Sheet;
  private readonly printer: Printer;
  private y = 0;
  private margin = 50;
  private columns: Column[] = [];
  private currencyStated = false;

  constructor(
    private readonly model: DocModel,
    private readonly design: InvoiceDesign,
    private readonly rng: Random,
  ) {
    this.printer = new Printer(model, rng);
  }

  private get W(): number {
    return this.sheet.width;
  }

  private get right(): number {
    return this.W - this.margin;
  }

  private get base(): number {
    return this.design.base;
  }

  private get lineHeight(): number {
    return this.base * 1.35;
  }

  private pick<T>(items: readonly T[]): T {
    return this.rng.pick(items);
  }

  async render(): Promise<Uint8Array> {
    const size: [number, number] = this.design.pageSize === 'letter' ? [612, 792] : [595, 842];
    this.sheet = await Sheet.create(this.design.family, size);
    this.margin = this.rng.pick([36, 42, 50, 56]);
    this.y = this.margin + this.base * 2;
    this.header();
    this.y += this.lineHeight * this.rng.pick([1, 1.5, 2]);
    this.table();
    this.totals();
    this.footer();
    return this.sheet.save();
  }

  // ---- header, parties and meta -------------------------------------------------------------

  private vendorBlock(x: number, y: number, align: 'left' | 'right' | 'center', nameSize: number, bold = true): number {
    const { sheet, model } = this;
    sheet.text(model.vendorName, x, y, { size: nameSize, bold, align });
    let at = y + nameSize * 0.6 + this.base * 1.2;
    const lines = [...model.vendorAddress];
    if (this.rng.chance(0.6)) lines.push(this.pick([`Tel. +${this.rng.int(1, 99)} ${this.rng.int(100, 999)} ${this.rng.int(1000000, 9999999)}`, `info@${slug(model.vendorName)}.example`, `www.${slug(model.vendorName)}.example`]));
    if (this.rng.chance(0.4)) lines.push(this.pick(model.locale.registration));
    for (const line of lines) {
      sheet.text(line, x, at, { size: this.base * 0.85, align });
      at += this.base * 1.15;
    }
    return at;
  }

  private title(): string {
    const vocab = this.model.vocab;
    return this.pick(this.model.kind === 'bill' ? vocab.billTitle : vocab.invoiceTitle);
  }

  private header(): void {
    const { sheet, design, model } = this;
    const top = this.y;
    const titleSize = this.base * this.pick([1.8, 2.2, 2.6]);
    const nameSize = this.base * this.pick([1.5, 1.8, 2.2]);
    let bottom = top;
    const titleText = design.meta === 'title-number' && model.invoiceNumber !== null ? this.titleWithNumber() : this.title();

    switch (design.header) {
      case 'logo-left': {
        if (this.rng.chance(0.3)) {
          sheet.rect(this.margin, top - nameSize, nameSize * 1.6, nameSize * 1.6, { fill: 0.3 });
          bottom = this.vendorBlock(this.margin + nameSize * 2, top, 'left', nameSize);
        } else {
          bottom = this.vendorBlock(this.margin, top, 'left', nameSize);
        }
        const nameRight = this.margin + sheet.textWidth(model.vendorName, nameSize, true) + nameSize * 2;
        if (nameRight + sheet.textWidth(titleText, titleSize, true) + 30 > this.right) {
          sheet.text(titleText, this.right, bottom + titleSize, { size: titleSize, bold: true, align: 'right' });
          bottom += titleSize * 1.5;
        } else {
          sheet.text(titleText, this.right, top, { size: titleSize, bold: true, align: 'right' });
        }
        break;
      }
      case 'centered': {
        bottom = this.vendorBlock(this.W / 2, top, 'center', nameSize);
        bottom += this.base;
        sheet.text(titleText, design.meta === 'pairs-left' ? this.W / 2 : this.margin, bottom + titleSize * 0.5, { size: titleSize * 0.8, bold: true, align: design.meta === 'pairs-left' ? 'center' : 'left' });
        bottom += titleSize;
        break;
      }
      case 'title-left': {
        sheet.text(titleText, this.margin, top + titleSize * 0.3, { size: titleSize, bold: true });
        const titleRight = this.margin + sheet.textWidth(titleText, titleSize, true) + 20;
        const nameWidth = sheet.textWidth(model.vendorName, this.base * 1.3, true);
        const x = this.rng.chance(0.5) || titleRight > this.W * 0.6 || this.W * 0.6 + nameWidth > this.right ? this.right : this.W * 0.6;
        bottom = Math.max(top + titleSize, this.vendorBlock(x, top, x === this.right ? 'right' : 'left', this.base * 1.3));
        break;
      }
      case 'banner': {
        const height = nameSize * 2.4;
        sheet.rect(0, 0, this.W, top + height * 0.55, { fill: this.pick([0.15, 0.25, 0.35]) });
        const bannerName = sheet.textWidth(model.vendorName, nameSize, true) + sheet.textWidth(titleText, titleSize * 0.8, true) + 40 > this.right - this.margin ? nameSize * 0.7 : nameSize;
        sheet.text(model.vendorName, this.margin, top, { size: bannerName, bold: true, gray: 1 });
        sheet.text(titleText, this.right, top, { size: titleSize * 0.8 * (bannerName / nameSize), bold: true, align: 'right', gray: 1 });
        bottom = top + height * 0.55 + this.base * 1.2;
        for (const line of model.vendorAddress) {
          sheet.text(line, this.margin, bottom, { size: this.base * 0.85 });
          bottom += this.base * 1.15;
        }
        break;
      }
      case 'from-label': {
        sheet.text(titleText, this.margin, top + titleSize * 0.3, { size: titleSize, bold: true });
        bottom = top + titleSize + this.base;
        const label = this.pick(model.vocab.vendor);
        const inline = this.rng.chance(0.4);
        let at = bottom;
        if (inline) {
          sheet.text(withColon(label), this.margin, at, { size: this.base, bold: true });
          sheet.text(model.vendorName, this.margin + 75, at, { size: this.base, bold: true });
        } else {
          sheet.text(label, this.margin, at, { size: this.base, bold: true });
          at += this.lineHeight;
          sheet.text(model.vendorName, this.margin, at, { size: this.base, bold: this.rng.chance(0.5) });
        }
        at += this.lineHeight;
        for (const line of model.vendorAddress) {
          sheet.text(line, inline ? this.margin + 75 : this.margin, at, { size: this.base * 0.9 });
          at += this.lineHeight * 0.9;
        }
        const vendorRight = Math.max(...[model.vendorName, ...model.vendorAddress].map((text) => (inline ? this.margin + 75 : this.margin) + sheet.textWidth(text, this.base, true)));
        if (design.customer !== 'none') this.customerBlock(Math.max(this.W * 0.5, vendorRight + 24), bottom, 'label-above');
        bottom = at + this.lineHeight * 3;
        break;
      }
      case 'din': {
        bottom = this.vendorBlock(this.right, top, 'right', nameSize);
        break;
      }
    }
    this.y = bottom + this.lineHeight;

    // Parties and meta share the band below the header: the customer on the left, meta on the right.
    const bandTop = this.y;
    let leftBottom = bandTop;
    if (design.header === 'din') {
      const sender = `${model.vendorName} · ${model.vendorAddress.join(' · ')}`;
      sheet.text(sender, this.margin, bandTop, { size: this.base * 0.7 });
      sheet.hline(this.margin, this.margin + sheet.textWidth(sender, this.base * 0.7), bandTop + 2, 0.4);
      leftBottom = bandTop + this.lineHeight * 1.5;
      if (model.customerName !== null) {
        for (const line of [model.customerName, ...model.customerAddress]) {
          sheet.text(line, this.margin, leftBottom, { size: this.base });
          leftBottom += this.lineHeight;
        }
      }
      sheet.text(titleText, this.margin, leftBottom + this.lineHeight * 2, { size: this.base * 1.6, bold: true });
      leftBottom += this.lineHeight * 3.5;
    } else if (design.header !== 'from-label' && design.customer !== 'none') {
      leftBottom = this.customerBlock(this.margin, bandTop, design.customer);
    }
    const metaBottom = this.meta(bandTop, leftBottom);
    this.y = Math.max(leftBottom, metaBottom) + this.lineHeight;
    if (this.rng.chance(0.25)) {
      this.y += this.lineHeight * 0.5;
      this.sheet.text(this.pick(['Thank you for your order.', 'Project: Q3 maintenance', 'Re: services as agreed', 'Order reference as per your email'].map((s) => (model.locale.lang === 'en' ? s : model.locale.lang === 'de' ? 'Vielen Dank für Ihren Auftrag. Wir berechnen Ihnen wie folgt:' : 'Nous vous remercions de votre commande.'))), this.margin, this.y, { size: this.base });
      this.y += this.lineHeight;
    }
  }

  private titleWithNumber(): string {
    const number = this.model.invoiceNumber ?? '';
    switch (this.model.locale.lang) {
      case 'de':
        return this.pick([`Rechnung Nr. ${number}`, `Rechnung ${number}`, `RECHNUNG Nr. ${number}`]);
      case 'fr':
        return this.pick([`Facture n° ${number}`, `FACTURE N° ${number}`, `Facture ${number}`]);
      default:
        return this.pick([`INVOICE #${number}`, `Invoice # ${number}`, `Invoice No. ${number}`, `TAX INVOICE ${number}`]);
    }
  }

  /** Right edge of the customer (and ship-to) block, which the meta block must clear. */
  private partiesRight = 0;

  private customerBlock(x: number, y: number, style: InvoiceDesign['customer']): number {
    const { sheet, model } = this;
    if (model.customerName === null) return y;
    const textRight = (left: number, texts: string[]): number => Math.max(...texts.map((text) => left + sheet.textWidth(text, this.base, true)));
    this.partiesRight = Math.max(this.partiesRight, textRight(style === 'label-left' ? x + 70 : x, [model.customerName, ...model.customerAddress, 'Attn: Accounts Payable']));
    const label = this.pick(model.vocab.customer);
    let at = y;
    if (style === 'label-left') {
      sheet.text(withColon(label), x, at, { size: this.base, bold: true });
      const valueX = Math.max(x + 70, x + sheet.textWidth(withColon(label), this.base, true) + 12);
      sheet.text(model.customerName, valueX, at, { size: this.base });
      at += this.lineHeight;
      for (const line of model.customerAddress) {
        sheet.text(line, valueX, at, { size: this.base * 0.9 });
        at += this.lineHeight * 0.95;
      }
      return at;
    }
    sheet.text(label, x, at, { size: this.base, bold: true });
    at += this.lineHeight;
    sheet.text(model.customerName, x, at, { size: this.base, bold: this.rng.chance(0.3) });
    at += this.lineHeight;
    if (this.rng.chance(0.25)) {
      sheet.text(this.pick(['Attn: Accounts Payable', 'c/o Finance Department', 'z. Hd. Buchhaltung', "À l'attention de la comptabilité"]), x, at, { size: this.base * 0.9 });
      at += this.lineHeight * 0.95;
    }
    for (const line of model.customerAddress) {
      sheet.text(line, x, at, { size: this.base * 0.9 });
      at += this.lineHeight * 0.95;
    }
    if (style === 'two-blocks') {
      const shipLabel = model.locale.lang === 'de' ? 'Lieferadresse' : model.locale.lang === 'fr' ? 'Adresse de livraison' : this.pick(['Ship To', 'Deliver To', 'Ship To:']);
      const shipX = x + Math.max(...[label, model.customerName, ...model.customerAddress].map((text) => sheet.textWidth(text, this.base, true))) + 24;
      sheet.text(shipLabel, shipX, y, { size: this.base, bold: true });
      const shipName = this.rng.chance(0.5) ? model.customerName : `${this.pick(['Warehouse', 'Site office', 'Reception'])} ${this.rng.int(1, 9)}`;
      sheet.text(shipName, shipX, y + this.lineHeight, { size: this.base });
      const street = this.pick(model.locale.streets);
      sheet.text(street, shipX, y + this.lineHeight * 2, { size: this.base * 0.9 });
      this.partiesRight = Math.max(this.partiesRight, textRight(shipX, [shipLabel, shipName, street]));
    }
    return at;
  }

  /** The invoice number, dates and extra references; returns the bottom of the block. */
  private meta(top: number, leftBottom: number): number {
    const { sheet, model, design, printer } = this;
    const vocab = model.vocab;
    const entries: [string, string][] = [];
    const bill = model.kind === 'bill';
    if (model.invoiceNumber !== null && design.meta !== 'title-number') entries.push([this.pick(bill ? vocab.billNumber : vocab.number), model.invoiceNumber]);
    entries.push([this.pick(bill ? vocab.billIssue : vocab.issue), printer.date(model.issueDate)]);
    if (model.dueDate !== null) entries.push([this.pick(vocab.due), printer.date(model.dueDate)]);
    if (bill) {
      entries.splice(1, 0, [this.pick(vocab.accountNumber), `${this.rng.int(100000, 999999)}-${this.rng.int(10, 99)}`]);
      const start = model.issueDate.slice(0, 8) + '01';
      entries.push([this.pick(vocab.billingPeriod), `${printer.date(shiftMonth(start, -1))} - ${printer.date(shiftMonth(start, 0, -1))}`]);
    } else {
      const extras = this.rng.int(0, 2);
      for (let i = 0; i < extras; i++) {
        const [label = '', value = ''] = this.pick(vocab.other).replace('{n}', String(this.rng.int(1000, 99999))).split(/:\s+|\s+(?=\S+$)/);
        entries.splice(this.rng.int(0, entries.length), 0, [label, value]);
      }
    }
    const needsCode = model.marker === 'none' || model.locale.namesCode === true;
    if (needsCode && this.rng.chance(0.5)) {
      entries.push([model.locale.lang === 'de' ? 'Währung' : model.locale.lang === 'fr' ? 'Devise' : 'Currency', printer.code]);
      this.currencyStated = true;
    }
    if (this.rng.chance(0.15)) this.rng.shuffle(entries).forEach((entry, i) => (entries[i] = entry));

    const size = this.base;
    const lh = this.lineHeight;
    let at = top;
    let style = design.meta;
    if (style === 'pairs-right' || style === 'title-number' || style === 'colon-right') {
      // No room beside the parties: the block goes below them.
      const needed = Math.max(...entries.map(([label, value]) => sheet.textWidth(`${withColon(label)} ${value}`, size, true))) + 40;
      if (this.right - needed < this.partiesRight + 20) style = 'pairs-left';
    }
    switch (style) {
      case 'pairs-right':
      case 'title-number':
      case 'colon-right': {
        const widest = Math.max(...entries.map(([label]) => sheet.textWidth(withColon(label), size, true)));
        const widestValue = Math.max(...entries.map(([, value]) => sheet.textWidth(value, size)));
        const x = Math.max(Math.min(this.W * this.pick([0.55, 0.6]), this.right - widest - widestValue - 40), this.partiesRight + 20);
        const valueRight = this.rng.chance(0.6) || x + widest + widestValue + 30 > this.right;
        const valueX = valueRight ? this.right : x + widest + this.pick([10, 16, 30]);
        for (const [label, value] of entries) {
          if (design.meta === 'colon-right') {
            sheet.text(`${withColon(label)} ${value}`, x, at, { size });
          } else {
            sheet.text(this.rng.chance(0.5) ? withColon(label) : label, x, at, { size, bold: true });
            sheet.text(value, valueX, at, { size, align: valueRight ? 'right' : 'left' });
          }
          at += lh;
        }
        return at;
      }
      case 'pairs-left': {
        at = leftBottom + lh;
        const bold = this.rng.chance(0.5);
        const valueX = this.margin + Math.max(...entries.map(([label]) => sheet.textWidth(withColon(label), size, bold))) + this.pick([12, 20, 40]);
        for (const [label, value] of entries) {
          sheet.text(withColon(label), this.margin, at, { size, bold });
          sheet.text(value, valueX, at, { size });
          at += lh;
        }
        return at;
      }
      case 'above-row':
      case 'grid-boxed': {
        at = leftBottom + lh;
        // Each box as wide as its label or value; boxes that do not fit go to a second row.
        let x = this.margin;
        for (const [label, value] of entries) {
          const width = Math.max(sheet.textWidth(label, size * 0.85, true), sheet.textWidth(value, size)) + 18;
          if (x + width > this.right && x > this.margin) {
            x = this.margin;
            at += lh * 2.8;
          }
          if (design.meta === 'grid-boxed') sheet.rect(x, at - size * 1.1, width - 4, lh * 2.3, { stroke: true });
          sheet.text(label, x + 3, at, { size: size * 0.85, bold: true });
          sheet.text(value, x + 3, at + lh, { size });
          x += width;
        }
        return at + lh * 2.5;
      }
      case 'one-line': {
        at = leftBottom + lh;
        let x = this.margin;
        for (const [label, value] of entries.slice(0, 4)) {
          const text = `${withColon(label)} ${value}`;
          if (x + sheet.textWidth(text, size) > this.right) {
            x = this.margin;
            at += lh;
          }
          sheet.text(text, x, at, { size });
          x += sheet.textWidth(text, size) + 24;
        }
        at += lh;
        for (const [label, value] of entries.slice(4)) {
          sheet.text(`${withColon(label)} ${value}`, this.margin, at, { size });
          at += lh;
        }
        return at;
      }
    }
  }

  // ---- item table ---------------------------------------------------------------------------

  private layoutColumns(): void {
    const { design, model, sheet } = this;
    const vocab = model.vocab;
    const headerSize = this.base * 0.95;
    this.headerCaps = this.rng.chance(0.2);
    const shown = (text: string): string => (this.headerCaps ? text.toUpperCase() : text);
    const headers = design.columns.map((key) => this.pick(vocab.columns[key]));
    // Currency in the amount header when cells carry none.
    const amountAt = design.columns.indexOf('amount');
    if (amountAt >= 0 && !this.printer.markItems && this.rng.chance(0.3) && model.marker !== 'none') {
      headers[amountAt] = `${headers[amountAt] ?? ''} (${model.locale.currency === 'USD' ? '$' : model.locale.symbol})`;
    }
    // Numeric columns are as wide as their widest cell or header, plus a gutter: designers leave room.
    const gutter = this.base * 1.6;
    const widths = design.columns.map((key, i) => {
      if (key === 'description') return 0;
      const cells = this.model.items.map((item, index) => this.cellText({ key, header: '', left: 0, right: 0, numeric: true }, item, index));
      const widest = Math.max(...cells.map((cell) => sheet.textWidth(cell, this.base)), sheet.textWidth(shown(headers[i] ?? ''), headerSize, true));
      return Math.max(NUMERIC_WIDTH[key] ?? 40, widest + gutter + (key === 'code' || key === 'unit' || key === 'date' ? this.base : 0));
    });
    let descriptionWidth = this.right - this.margin - widths.reduce((sum, width) => sum + width, 0);
    // Too many wide columns: fall back to the shortest header of each numeric column.
    if (descriptionWidth < 120) {
      design.columns.forEach((key, i) => {
        if (key === 'description') return;
        const shortest = [...vocab.columns[key]].sort((a, b) => a.length - b.length)[0] ?? '';
        headers[i] = shortest;
        const cells = this.model.items.map((item, index) => this.cellText({ key, header: '', left: 0, right: 0, numeric: true }, item, index));
        widths[i] = Math.max(...cells.map((cell) => sheet.textWidth(cell, this.base)), sheet.textWidth(shown(shortest), headerSize, true)) + gutter;
      });
      descriptionWidth = this.right - this.margin - widths.reduce((sum, width) => sum + width, 0);
    }
    let x = this.margin;
    this.columns = design.columns.map((key, i) => {
      const width = key === 'description' ? Math.max(descriptionWidth, 80) : (widths[i] ?? 60);
      const column = { key, header: headers[i] ?? '', left: x, right: x + width, numeric: key !== 'description' && key !== 'code' && key !== 'date' && key !== 'unit' };
      x += width;
      return column;
    });
  }

  private headerCaps = false;

  private tableHeader(): void {
    const { sheet, design } = this;
    const size = this.base * 0.95;
    const top = this.y - size * 1.1;
    const height = size * 1.8;
    const white = design.tableHeader === 'filled';
    if (design.tableHeader === 'filled') sheet.rect(this.margin - 4, top, this.right - this.margin + 8, height, { fill: this.pick([0.1, 0.2, 0.3]) });
    if (design.tableHeader === 'light-fill') sheet.rect(this.margin - 4, top, this.right - this.margin + 8, height, { fill: 0.88 });
    if (design.tableHeader === 'boxed') sheet.rect(this.margin - 4, top, this.right - this.margin + 8, height, { stroke: true });
    if (design.tableHeader === 'rule') {
      sheet.hline(this.margin - 4, this.right + 4, top);
      sheet.hline(this.margin - 4, this.right + 4, top + height);
    }
    for (const column of this.columns) {
      const text = this.headerCaps ? column.header.toUpperCase() : column.header;
      if (column.numeric) sheet.text(text, column.right - 4, this.y, { size, bold: true, align: 'right', gray: white ? 1 : 0 });
      else sheet.text(text, column.left + (column === this.columns[0] ? 0 : this.base), this.y, { size, bold: true, gray: white ? 1 : 0 });
    }
    this.y += height + size * 0.2;
  }

  private cellText(column: Column, item: ItemModel, index: number): string {
    const { printer, model } = this;
    switch (column.key) {
      case 'no':
        return String(index + 1);
      case 'code':
        return item.code;
      case 'description':
        return item.description;
      case 'quantity':
      case 'hours': {
        const quantity = item.quantity === null ? '' : printer.quantity(item.quantity);
        return this.design.columns.includes('unit') || !this.unitInQuantity ? quantity : `${quantity} ${item.unit}`;
      }
      case 'unit':
        return item.unit;
      case 'unitPrice':
      case 'rate':
        return item.unitPrice === null ? '' : printer.itemMoney(item.unitPrice);
      case 'taxRate':
        return model.taxes[0] ? printer.rate(model.taxes[0].line) : '0%';
      case 'amount':
        return printer.itemMoney(item.amount);
      case 'date':
        return printer.date(model.issueDate);
    }
  }

  private unitInQuantity = false;

  private get pageBottom(): number {
    return this.sheet.height - this.margin - this.base * 3;
  }

  private newPage(): void {
    this.sheet.addPage();
    this.y = this.margin + this.base * 2;
    if (this.rng.chance(0.7)) {
      const number = this.model.invoiceNumber ? ` ${this.model.invoiceNumber}` : '';
      this.sheet.text(`${this.model.vendorName} - ${this.title()}${number} (${this.pick(this.model.vocab.continued)})`, this.margin, this.y, { size: this.base * 0.85 });
      this.y += this.lineHeight * 2;
    }
  }

  private table(): void {
    const { model, sheet, design } = this;
    if (model.items.length === 0) {
      // No table: a sentence stands in for it.
      const texts = { en: 'Services rendered as agreed.', de: 'Für unsere Leistungen berechnen wir Ihnen:', fr: 'Prestations réalisées selon devis.' };
      sheet.text(texts[model.locale.lang], this.margin, this.y, { size: this.base });
      this.y += this.lineHeight * 2;
      return;
    }
    this.unitInQuantity = this.rng.chance(0.2);
    this.layoutColumns();
    this.y += this.base;
    const headerless = model.kind === 'bill' && this.rng.chance(0.5);
    if (headerless) {
      sheet.text(this.pick(model.vocab.currentCharges), this.margin, this.y, { size: this.base * 1.1, bold: true });
      this.y += this.lineHeight * 1.5;
    } else {
      this.tableHeader();
    }
    const size = this.base;
    const repeatHeader = this.rng.chance(0.85);
    model.items.forEach((item, index) => {
      const description = this.columns.find((column) => column.key === 'description') as Column;
      const lines = sheet.wrap(item.description, description.right - description.left - this.base - 6, size);
      const rowHeight = Math.max(lines.length, 1) * size * 1.2 + size * 0.6;
      if (this.y + rowHeight > this.pageBottom) {
        this.newPage();
        if (repeatHeader && !headerless) this.tableHeader();
      }
      if (design.striped && index % 2 === 1) sheet.rect(this.margin - 4, this.y - size * 1.05, this.right - this.margin + 8, rowHeight, { fill: 0.93 });
      for (const column of this.columns) {
        if (column.key === 'description') {
          const pad = column === this.columns[0] ? 0 : this.base;
          lines.forEach((line, i) => sheet.text(line, column.left + pad, this.y + i * size * 1.2, { size }));
          continue;
        }
        const text = this.cellText(column, item, index);
        if (column.numeric) sheet.text(text, column.right - 4, this.y, { size, align: 'right' });
        else sheet.text(text, column.left + (column === this.columns[0] ? 0 : this.base), this.y, { size });
      }
      if (design.tableHeader === 'boxed' || design.tableHeader === 'rule') sheet.hline(this.margin - 4, this.right + 4, this.y + rowHeight - size * 1.05, 0.3);
      this.y += rowHeight;
    });
    this.y += this.base * 0.5;
  }

  // ---- totals and footer --------------------------------------------------------------------

  private totals(): void {
    const { model, sheet, printer, design } = this;
    const vocab = model.vocab;
    const rows: { label: string; value: string; strong?: boolean }[] = [];
    if (model.show.subtotal) rows.push({ label: this.pick(vocab.subtotal), value: printer.money(model.subtotal) });
    const adjustments: { label: string; value: string }[] = [];
    if (model.discount !== null) adjustments.push({ label: this.pick(vocab.discount), value: printer.discount(model.discount) });
    if (model.shipping !== null) adjustments.push({ label: this.pick(vocab.shipping), value: printer.money(model.shipping) });
    rows.push(...(this.rng.chance(0.2) ? adjustments.reverse() : adjustments));
    for (const tax of model.taxes) rows.push({ label: printer.taxLabel(tax.line, this.rng), value: printer.money(tax.cents) });
    let totalLabel = this.pick(vocab.total).replace('{code}', printer.code);
    const needsCode = (model.marker === 'none' || model.locale.namesCode === true) && !this.currencyStated;
    let codeNote: string | null = null;
    if (needsCode) {
      if (this.rng.chance(0.5) && !totalLabel.includes(printer.code)) totalLabel = this.rng.chance(0.5) ? `${totalLabel} (${printer.code})` : `${totalLabel} ${printer.code}`;
      else if (!totalLabel.includes(printer.code)) codeNote = this.pick(vocab.currencyNote).replace('{code}', printer.code);
    }
    rows.push({ label: totalLabel, value: printer.money(model.total), strong: true });
    if (model.paid !== null) {
      rows.push({ label: this.pick(vocab.paid), value: printer.discount(model.paid) });
      rows.push({ label: this.pick(vocab.balance), value: printer.money(model.total - model.paid), strong: true });
    }

    const size = this.base;
    const lh = this.lineHeight * 1.15;
    if (this.y + rows.length * lh + this.lineHeight * 4 > this.pageBottom) this.newPage();
    this.y += lh * 0.5;
    const amountColumn = this.columns.find((column) => column.key === 'amount');
    const valueRight = design.totals === 'under-columns' && amountColumn ? amountColumn.right - 4 : this.right;
    const labelX =
      design.totals === 'under-columns' && this.columns.length > 2
        ? (this.columns[Math.max(1, this.columns.length - 3)] as Column).left
        : this.W * this.pick([0.55, 0.6, 0.62]);
    // Labels that would run into their values start further left.
    const widestRow = Math.max(...rows.map((row) => sheet.textWidth(row.label, size, true) + sheet.textWidth(row.value, size, true) + 16));
    const labelStart = Math.min(labelX, valueRight - widestRow);
    for (const row of rows) {
      const bold = row.strong === true;
      if (design.totals === 'boxed-total' && bold) sheet.rect(labelStart - 6, this.y - size * 1.15, valueRight - labelStart + 10, size * 1.7, { fill: 0.85 });
      if (design.totals === 'label-right-aligned') sheet.text(row.label, Math.min(valueRight - 100, valueRight - sheet.textWidth(row.value, size, true) - 16), this.y, { size, bold, align: 'right' });
      else sheet.text(row.label, labelStart, this.y, { size, bold });
      sheet.text(row.value, valueRight, this.y, { size, bold, align: 'right' });
      this.y += lh;
    }
    this.y += this.lineHeight;
    if (codeNote) {
      sheet.text(codeNote, this.rng.chance(0.5) ? this.margin : labelX, this.y, { size: size * 0.9 });
      this.y += this.lineHeight;
    }
    if (model.locale.id === 'en-IN' && this.rng.chance(0.7)) {
      sheet.text(`Amount in words: ${this.pick(['Rupees', 'INR', 'Indian Rupees'])} ${indianWords(Math.floor(model.total / 100))} Only`, this.margin, this.y, { size: size * 0.9 });
      this.y += this.lineHeight;
    }
  }

  private footer(): void {
    const { model, sheet } = this;
    this.y += this.lineHeight;
    const notes = this.rng.shuffle(model.vocab.notes).slice(0, this.rng.int(0, 3));
    for (const note of notes) {
      if (this.y > this.pageBottom) break;
      for (const line of sheet.wrap(note, this.right - this.margin, this.base * 0.85)) {
        sheet.text(line, this.margin, this.y, { size: this.base * 0.85 });
        this.y += this.base * 1.15;
      }
    }
    const pages = sheet.pages;
    const footerLine = this.rng.chance(0.4) ? `${model.vendorName} · ${model.vendorAddress.join(' · ')} · ${this.pick(model.locale.registration)}` : null;
    const numbered = pages.length > 1 ? this.rng.chance(0.85) : this.rng.chance(0.2);
    const pageFormat = this.pick(model.vocab.page);
    pages.forEach((page, i) => {
      sheet.page = page;
      const y = sheet.height - this.margin * 0.6;
      if (footerLine) sheet.text(footerLine, this.W / 2, y - this.base, { size: this.base * 0.7, align: 'center' });
      if (numbered) sheet.text(pageFormat.replace('{p}', String(i + 1)).replace('{n}', String(pages.length)), this.right, y, { size: this.base * 0.75, align: 'right' });
    });
  }
}

function withColon(label: string): string {
  return /[:#]$/.test(label) ? label : `${label}:`;
}

function slug(name: string): string {
  return name.toLowerCase().normalize('NFD').replace(/[^a-z]+/g, '').slice(0, 16) || 'company';
}

function shiftMonth(iso: string, months: number, days = 0): string {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCMonth(date.getUTCMonth() + months);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}
