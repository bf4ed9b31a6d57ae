import type { DateStyle, Lang, NumberStyle } from './format.js';

/** Wording of one language. Every list is a set of variants the generator picks from. */
export interface Vocabulary {
  invoiceTitle: string[];
  billTitle: string[];
  receiptTitle: string[];
  number: string[];
  billNumber: string[];
  receiptNumber: string[];
  issue: string[];
  billIssue: string[];
  due: string[];
  customer: string[];
  vendor: string[];
  subtotal: string[];
  discount: string[];
  shipping: string[];
  /** "{rate}" is replaced by the rate ("19%"); a variant without it prints no rate. */
  tax: string[];
  /** Tax included in the total (receipts, consumer invoices). */
  includedTax: string[];
  total: string[];
  receiptTotal: string[];
  paid: string[];
  balance: string[];
  columns: Record<ColumnKey, string[]>;
  units: string[];
  hourUnits: string[];
  /** Lines that carry no fields but look like they might: terms, bank details, thanks. */
  notes: string[];
  receiptFooter: string[];
  cash: string[];
  change: string[];
  card: string[];
  cashier: string[];
  /** "Amount in words", "Billing period" and similar traps: {x} is replaced. */
  other: string[];
  accountNumber: string[];
  billingPeriod: string[];
  previousBalance: string[];
  paymentReceived: string[];
  currentCharges: string[];
  continued: string[];
  page: string[];
  currencyNote: string[];
}

export type ColumnKey = 'no' | 'code' | 'description' | 'quantity' | 'unit' | 'unitPrice' | 'taxRate' | 'amount' | 'date' | 'hours' | 'rate';

const EN: Vocabulary = {
  invoiceTitle: ['INVOICE', 'Invoice', 'TAX INVOICE', 'Tax Invoice', 'SALES INVOICE', 'Commercial Invoice', 'INVOICE'],
  billTitle: ['Your Bill', 'STATEMENT', 'Bill', 'Utility Bill', 'Service Invoice', 'Monthly Statement'],
  receiptTitle: ['RECEIPT', 'Sales Receipt', 'CUSTOMER COPY', 'Receipt', ''],
  number: ['Invoice #', 'Invoice #:', 'Invoice No.', 'Invoice No:', 'Invoice Number', 'Invoice Number:', 'INVOICE NO.', 'Inv. No.', 'Inv #', 'Invoice ID', 'Invoice Ref.', 'Bill Number', 'Bill No.'],
  billNumber: ['Bill Number', 'Bill No.', 'Invoice Number', 'Statement No.', 'Bill #', 'Invoice No.'],
  receiptNumber: ['Receipt #', 'Receipt No.', 'Receipt No:', 'Trans #', 'Transaction #', 'Trans. No.', 'Receipt:'],
  issue: ['Invoice Date', 'Invoice Date:', 'Date', 'Date:', 'Issue Date', 'Date of Issue', 'Dated', 'Date Issued', 'Tax Point', 'Invoice date', 'Billing Date'],
  billIssue: ['Bill Date', 'Statement Date', 'Date of Bill', 'Issue Date', 'Date'],
  due: ['Due Date', 'Due Date:', 'Payment Due', 'Due', 'Due By', 'Pay By', 'Payment Due Date', 'Date Due', 'Please pay by'],
  customer: ['Bill To', 'Bill To:', 'BILL TO', 'Billed To', 'Invoice To', 'Sold To', 'Customer', 'Customer:', 'Client', 'To:', 'Bill to'],
  vendor: ['From', 'From:', 'Vendor', 'Supplier', 'Seller', 'Payable To'],
  subtotal: ['Subtotal', 'Sub-total', 'Sub Total', 'SUBTOTAL', 'Net Total', 'Total excl. VAT', 'Net Amount', 'Total before tax', 'Subtotal:', 'Amount before tax', 'Taxable Value', 'Net'],
  discount: ['Discount', 'Less Discount', 'Discount (10%)', 'Promo discount', 'Total Discount', 'Discount:'],
  shipping: ['Shipping', 'Shipping & Handling', 'Freight', 'Delivery', 'Postage', 'Carriage', 'Delivery charge', 'S&H', 'Shipping:'],
  tax: ['Tax', 'Tax ({rate})', 'Sales Tax', 'Sales Tax ({rate})', 'Tax {rate}', 'Tax:', 'Sales tax @ {rate}', 'Total Tax'],
  includedTax: ['incl. VAT {rate}', 'Tax included ({rate})', 'Includes {rate} VAT', 'VAT included'],
  total: ['Total', 'TOTAL', 'Total Due', 'Amount Due', 'Balance Due', 'Grand Total', 'Invoice Total', 'Total Amount', 'Total ({code})', 'Total Payable', 'Amount Payable', 'TOTAL DUE', 'Total:', 'Please Pay'],
  receiptTotal: ['TOTAL', 'Total', 'TOTAL DUE', 'AMOUNT', 'Total:', 'BALANCE DUE'],
  paid: ['Amount Paid', 'Paid', 'Payments', 'Less: Payment received', 'Deposit paid'],
  balance: ['Balance Due', 'Balance', 'Amount Outstanding', 'Remaining Balance'],
  columns: {
    no: ['#', 'No.', 'Item #', 'Line'],
    code: ['SKU', 'Item Code', 'Part No.', 'Code', 'Product ID'],
    description: ['Description', 'Item', 'DESCRIPTION', 'Item Description', 'Product', 'Services', 'Details', 'Product / Service', 'Particulars'],
    quantity: ['Qty', 'Quantity', 'QTY', 'Units', 'Qty.'],
    unit: ['Unit', 'UoM'],
    unitPrice: ['Unit Price', 'Price', 'Rate', 'Unit Cost', 'Price Each', 'UNIT PRICE', 'Each'],
    taxRate: ['Tax', 'VAT %', 'Tax %', 'VAT Rate'],
    amount: ['Amount', 'Total', 'Line Total', 'AMOUNT', 'Ext. Price', 'Net Amount', 'Total Price'],
    date: ['Date'],
    hours: ['Hours', 'Hrs'],
    rate: ['Rate', 'Hourly Rate', 'Rate/hr'],
  },
  units: ['pcs', 'ea', 'unit', 'box', 'kg', 'set'],
  hourUnits: ['h', 'hrs', 'hours'],
  notes: [
    'Payment terms: Net 30. Please include the invoice number with your payment.',
    'Thank you for your business!',
    'Please make checks payable to the company above.',
    'Late payments are subject to a 1.5% monthly service charge.',
    'Terms: payment due within 14 days of the invoice date.',
    'Questions about this invoice? Contact accounts@example.com',
    'Goods remain the property of the seller until paid in full.',
    'Total hours this period are shown above.',
  ],
  receiptFooter: ['THANK YOU FOR SHOPPING WITH US', 'Thank you! Please come again', 'Keep this receipt for returns within 30 days', 'Have a nice day!'],
  cash: ['CASH', 'Cash', 'Cash tendered', 'TENDERED'],
  change: ['CHANGE', 'Change', 'Change due'],
  card: ['VISA', 'MASTERCARD', 'DEBIT CARD', 'AMEX', 'Card payment'],
  cashier: ['Cashier: {name}', 'Server: {name}', 'Register 3  Clerk {name}', 'Till 2 Op {name}'],
  other: ['PO Number: PO-{n}', 'Customer ID: C{n}', 'Order No. {n}', 'Account: {n}', 'Reference: REF-{n}', 'Project: Website {n}'],
  accountNumber: ['Account Number', 'Account No.', 'Customer Number', 'Account #'],
  billingPeriod: ['Billing period', 'Service period', 'Period'],
  previousBalance: ['Previous balance', 'Balance forward', 'Last bill'],
  paymentReceived: ['Payment received - thank you', 'Payments received', 'Payment'],
  currentCharges: ['Current charges', 'Summary of charges', 'This period'],
  continued: ['continued', 'continued on next page', '(cont.)'],
  page: ['Page {p} of {n}', 'Page {p}/{n}', '{p} / {n}'],
  currencyNote: ['All amounts in {code}', 'Currency: {code}', 'Amounts shown in {code}', 'Prices in {code}'],
};

const DE: Vocabulary = {
  invoiceTitle: ['Rechnung', 'RECHNUNG', 'Rechnung', 'Rechnung'],
  billTitle: ['Ihre Rechnung', 'Rechnung', 'Abrechnung', 'Monatsrechnung'],
  receiptTitle: ['Kassenbon', 'Quittung', 'Beleg', ''],
  number: ['Rechnungsnummer', 'Rechnungsnummer:', 'Rechnungsnr.', 'Rechnungs-Nr.', 'Rechnung Nr.', 'Re.-Nr.', 'Rechnungs-Nr.:', 'Belegnummer', 'Beleg-Nr.'],
  billNumber: ['Rechnungsnummer', 'Rechnungs-Nr.', 'Belegnummer'],
  receiptNumber: ['Bon-Nr.', 'Beleg-Nr.', 'Bon Nr:', 'Belegnummer', 'Beleg:'],
  issue: ['Rechnungsdatum', 'Rechnungsdatum:', 'Datum', 'Datum:', 'Belegdatum', 'Ausstellungsdatum', 'Rechnungsdatum'],
  billIssue: ['Rechnungsdatum', 'Datum', 'Erstellt am'],
  due: ['Fälligkeitsdatum', 'Fällig am', 'Zahlbar bis', 'Fällig bis', 'Fälligkeit', 'Zahlungsziel', 'Zahlbar bis:'],
  customer: ['Kunde', 'Kunde:', 'Rechnungsempfänger', 'Rechnungsempfänger:', 'Empfänger', 'Rechnung an', 'Kundenname'],
  vendor: ['Lieferant', 'Rechnungssteller', 'Verkäufer', 'Absender'],
  subtotal: ['Zwischensumme', 'Nettobetrag', 'Summe netto', 'Nettosumme', 'Gesamt netto', 'Netto', 'Zwischensumme:', 'Summe Netto', 'Warenwert netto'],
  discount: ['Rabatt', 'Nachlass', 'Rabatt 5%', 'abzgl. Rabatt'],
  shipping: ['Versandkosten', 'Versand', 'Lieferkosten', 'Porto', 'Fracht', 'Verpackung & Versand', 'Versand:'],
  tax: ['MwSt.', 'MwSt. {rate}', 'zzgl. {rate} MwSt.', 'USt. {rate}', 'Umsatzsteuer {rate}', 'Mehrwertsteuer', '{rate} USt.', 'MwSt {rate}', 'zzgl. USt. {rate}'],
  includedTax: ['inkl. {rate} MwSt.', 'enthaltene MwSt. {rate}', 'darin enthalten {rate} USt.', 'MwSt. {rate} enthalten'],
  total: ['Gesamtbetrag', 'Endbetrag', 'Summe', 'Gesamtsumme', 'Rechnungsbetrag', 'Bruttobetrag', 'Zu zahlen', 'Gesamt brutto', 'Summe brutto', 'Zahlbetrag', 'Gesamtbetrag:', 'Betrag', 'Gesamt'],
  receiptTotal: ['SUMME', 'Summe', 'Gesamt', 'ZU ZAHLEN', 'Total'],
  paid: ['Bereits bezahlt', 'Anzahlung', 'Gezahlt'],
  balance: ['Restbetrag', 'Offener Betrag', 'Noch zu zahlen'],
  columns: {
    no: ['Pos.', 'Pos', 'Nr.'],
    code: ['Art.-Nr.', 'Artikelnr.', 'Artikel-Nr.'],
    description: ['Bezeichnung', 'Beschreibung', 'Artikel', 'Leistung', 'Artikelbezeichnung', 'Leistungsbeschreibung'],
    quantity: ['Menge', 'Anzahl', 'Anz.', 'Stk.'],
    unit: ['Einheit', 'ME'],
    unitPrice: ['Einzelpreis', 'E-Preis', 'Preis', 'Stückpreis', 'Einzelpreis netto'],
    taxRate: ['MwSt.', 'USt.', 'MwSt.-Satz'],
    amount: ['Gesamtpreis', 'Gesamt', 'Betrag', 'Summe', 'Gesamt netto', 'Betrag EUR'],
    date: ['Datum'],
    hours: ['Stunden', 'Std.'],
    rate: ['Stundensatz', 'Satz'],
  },
  units: ['Stk.', 'Stück', 'St.', 'kg', 'Pkt.', 'Satz'],
  hourUnits: ['Std.', 'h'],
  notes: [
    'Zahlbar innerhalb von 14 Tagen ohne Abzug.',
    'Vielen Dank für Ihren Auftrag!',
    'Bitte geben Sie bei Zahlung die Rechnungsnummer an.',
    'Es gelten unsere Allgemeinen Geschäftsbedingungen.',
    'Leistungszeitraum entspricht dem Rechnungsdatum.',
    'Bankverbindung: Sparkasse, IBAN DE89 3704 0044 0532 0130 00, BIC COBADEFFXXX',
    'Bei Zahlung innerhalb von 7 Tagen 2% Skonto.',
  ],
  receiptFooter: ['Vielen Dank für Ihren Einkauf!', 'Danke und auf Wiedersehen', 'Bitte Bon aufbewahren', 'Umtausch nur mit Kassenbon'],
  cash: ['BAR', 'Bar', 'Gegeben', 'Bargeld'],
  change: ['Rückgeld', 'Zurück', 'RÜCKGELD'],
  card: ['EC-Karte', 'Girocard', 'Kartenzahlung', 'VISA'],
  cashier: ['Kasse 2  Bediener {name}', 'Es bediente Sie: {name}', 'Kassierer: {name}'],
  other: ['Kundennummer: {n}', 'Auftragsnummer: A-{n}', 'Bestellnr. {n}', 'Lieferschein-Nr. LS-{n}', 'Ihre Referenz: {n}', 'Steuernummer: 123/456/{n}'],
  accountNumber: ['Kundennummer', 'Vertragsnummer', 'Kunden-Nr.'],
  billingPeriod: ['Abrechnungszeitraum', 'Zeitraum', 'Leistungszeitraum'],
  previousBalance: ['Saldo Vormonat', 'Vorheriger Saldo'],
  paymentReceived: ['Zahlungseingang - vielen Dank', 'Zahlung erhalten'],
  currentCharges: ['Aktuelle Kosten', 'Ihre Leistungen', 'Übersicht'],
  continued: ['Fortsetzung', 'Fortsetzung folgt'],
  page: ['Seite {p} von {n}', 'Seite {p}/{n}'],
  currencyNote: ['Alle Beträge in {code}', 'Währung: {code}', 'Beträge in {code}'],
};

const FR: Vocabulary = {
  invoiceTitle: ['Facture', 'FACTURE', 'Facture', 'FACTURE'],
  billTitle: ['Votre facture', 'Facture', 'Relevé'],
  receiptTitle: ['Ticket de caisse', 'TICKET', 'Reçu', ''],
  number: ['Numéro de facture', 'N° de facture', 'Facture n°', 'Facture N°', 'N° facture', 'Numéro de facture :', 'Facture No', 'Réf. facture', 'N° :'],
  billNumber: ['Numéro de facture', 'N° de facture', 'Facture n°'],
  receiptNumber: ['Ticket n°', 'N° de ticket', 'Ticket :', 'Reçu n°'],
  issue: ['Date de facture', "Date d'émission", 'Date de facturation', 'Date', 'Date :', 'Émise le', 'Date de la facture'],
  billIssue: ['Date de facture', "Date d'émission", 'Date'],
  due: ['Échéance', "Date d'échéance", 'À payer avant le', 'Date limite de paiement', 'Payable avant le', 'Échéance :'],
  customer: ['Client', 'Client :', 'Facturé à', 'Destinataire', 'Adressé à', 'Facturer à'],
  vendor: ['Fournisseur', 'Émetteur', 'Vendeur', 'Prestataire'],
  subtotal: ['Sous-total', 'Total HT', 'Montant HT', 'Total hors taxes', 'Sous-total HT', 'TOTAL HT'],
  discount: ['Remise', 'Rabais', 'Remise 10%', 'Remise commerciale'],
  shipping: ['Frais de port', 'Livraison', 'Frais de livraison', "Frais d'expédition", 'Port'],
  tax: ['TVA', 'TVA {rate}', 'TVA ({rate})', 'Montant TVA', 'Total TVA', 'TVA à {rate}'],
  includedTax: ['dont TVA {rate}', 'TVA incluse ({rate})', 'TVA {rate} incluse'],
  total: ['Total TTC', 'Net à payer', 'Montant dû', 'Montant total', 'Total à payer', 'Montant TTC', 'TOTAL TTC', 'Total', 'Montant total TTC', 'Net à payer TTC'],
  receiptTotal: ['TOTAL', 'Total TTC', 'À PAYER', 'Montant'],
  paid: ['Acompte versé', 'Déjà payé', 'Acompte'],
  balance: ['Reste à payer', 'Solde dû'],
  columns: {
    no: ['N°', 'Réf.', '#'],
    code: ['Réf.', 'Référence', 'Code article'],
    description: ['Désignation', 'Description', 'Libellé', 'Article', 'Prestation', 'DÉSIGNATION'],
    quantity: ['Quantité', 'Qté', 'Qté.', 'QTÉ'],
    unit: ['Unité', 'U.'],
    unitPrice: ['Prix unitaire', 'P.U. HT', 'PU HT', 'Prix unit.', 'Prix unitaire HT', 'P.U.'],
    taxRate: ['TVA', 'Taux TVA', 'TVA %'],
    amount: ['Montant', 'Montant HT', 'Total HT', 'Total', 'Prix total'],
    date: ['Date'],
    hours: ['Heures', 'Nb heures'],
    rate: ['Taux horaire', 'Tarif'],
  },
  units: ['pce', 'u.', 'unité', 'kg', 'lot', 'forfait'],
  hourUnits: ['h', 'heures'],
  notes: [
    'Paiement à 30 jours à réception de facture.',
    'Merci pour votre confiance.',
    "En cas de retard de paiement, une indemnité forfaitaire de 40 € pour frais de recouvrement sera exigée.",
    "Pas d'escompte pour paiement anticipé.",
    'Conditions de paiement : virement bancaire.',
    'IBAN FR76 3000 6000 0112 3456 7890 189 - BIC AGRIFRPP',
    "Dispensé d'immatriculation au registre du commerce",
  ],
  receiptFooter: ['Merci de votre visite', 'À bientôt !', 'Merci et à bientôt', 'Conservez ce ticket'],
  cash: ['ESPÈCES', 'Espèces', 'Reçu espèces'],
  change: ['Rendu', 'RENDU', 'Monnaie rendue'],
  card: ['CB', 'Carte bancaire', 'CARTE BLEUE', 'VISA'],
  cashier: ['Caisse 1  Vendeur {name}', 'Vous avez été servi par {name}', 'Caissier : {name}'],
  other: ['N° client : {n}', 'Bon de commande : BC-{n}', 'Votre référence : {n}', 'N° TVA intracom. : FR12 345 678 {n}', 'SIRET : 123 456 789 000{n}'],
  accountNumber: ['N° client', 'Référence client', 'N° de contrat'],
  billingPeriod: ['Période de facturation', 'Période', 'Période du'],
  previousBalance: ['Solde précédent', 'Report'],
  paymentReceived: ['Paiement reçu - merci', 'Règlement reçu'],
  currentCharges: ['Détail de vos consommations', 'Vos prestations', 'Récapitulatif'],
  continued: ['suite', 'suite page suivante'],
  page: ['Page {p} sur {n}', 'Page {p}/{n}'],
  currencyNote: ['Montants exprimés en {code}', 'Devise : {code}', 'Tous les montants sont en {code}'],
};

export const VOCABULARY: Record<Lang, Vocabulary> = { en: EN, de: DE, fr: FR };

/** How amounts show their currency. */
export type MoneyMarker = 'symbol' | 'symbol-space' | 'symbol-after' | 'code-before' | 'code-after' | 'none';

export interface TaxLine {
  rate: string;
  /** Rate as a fraction. */
  value: number;
  /** Overrides the language's tax labels (GST, CGST, IGST, HST…). */
  labels?: string[];
}

export interface LocaleSpec {
  id: LocaleId;
  lang: Lang;
  currency: string;
  symbol: string;
  numbers: NumberStyle[];
  markers: MoneyMarker[];
  dates: DateStyle[];
  /** Alternative tax schemes: each one is the list of tax lines printed. */
  taxSchemes: TaxLine[][];
  /** Where the bare "$" needs the code named somewhere to be unambiguous. */
  namesCode?: boolean;
  companySuffixes: string[];
  cities: string[];
  streets: string[];
  registration: string[];
  /** Tax included in totals on receipts (EU consumer prices). */
  receiptTaxIncluded: boolean;
}

export type LocaleId = 'en-US' | 'en-GB' | 'en-CA' | 'en-AU' | 'en-IN' | 'en-IE' | 'en-NL' | 'de-DE' | 'de-CH' | 'fr-FR';

const pct = (rate: number, labels?: string[]): TaxLine => {
  const printed = `${rate}%`;
  return { rate: printed, value: rate / 100, ...(labels ? { labels } : {}) };
};

export const LOCALES: Record<LocaleId, LocaleSpec> = {
  'en-US': {
    id: 'en-US', lang: 'en', currency: 'USD', symbol: '$',
    numbers: [{ group: ',', decimal: '.' }],
    markers: ['symbol', 'symbol', 'symbol', 'code-before', 'none', 'symbol-space'],
    dates: ['MDY/', 'MDY/', 'M/D/Y', 'MonD,Y', 'MonthD,Y', 'ISO', 'MDY-'],
    taxSchemes: [[pct(8.25)], [pct(7)], [pct(6.5)], [pct(8.875)], [pct(4)], [pct(9.5)], []],
    companySuffixes: ['LLC', 'Inc.', 'Corp.', 'Co.', '& Sons', 'Group', 'Partners', 'Studio', 'Services'],
    cities: ['Portland, OR 97201', 'Austin, TX 78701', 'Springfield, IL 62701', 'Denver, CO 80202', 'Columbus, OH 43215', 'Raleigh, NC 27601'],
    streets: ['1200 Market Street, Suite 400', '42 Harbor Road', '77 Commerce Avenue', '9 Elm St.', '350 5th Ave, Floor 12'],
    registration: ['EIN 12-3456789', 'Tax ID: 98-7654321', 'Lic. #CA-55821'],
    receiptTaxIncluded: false,
  },
  'en-GB': {
    id: 'en-GB', lang: 'en', currency: 'GBP', symbol: '£',
    numbers: [{ group: ',', decimal: '.' }],
    markers: ['symbol', 'symbol', 'code-before', 'none', 'symbol'],
    dates: ['DMY/', 'DMY/', 'DMonY', 'DMonthY', 'DthMonthY', 'D-Mon-Y', 'DMY.'],
    taxSchemes: [[pct(20, ['VAT', 'VAT @ {rate}', 'VAT ({rate})', 'VAT {rate}', 'Total VAT', 'VAT Amount'])], [pct(5, ['VAT @ {rate}', 'VAT'])]],
    companySuffixes: ['Ltd', 'Limited', 'PLC', 'LLP', '& Co', 'Ltd.'],
    cities: ['London EC1A 1BB', 'Manchester M1 2AB', 'Bristol BS1 4DJ', 'Leeds LS1 5AA', 'Edinburgh EH1 1YZ'],
    streets: ['12 High Street', 'Unit 4, Riverside Park', '221B Baker Street', '3 Castle Lane', 'Flat 2, 18 Queen\'s Road'],
    registration: ['VAT Reg No: GB 123 4567 89', 'Company No. 08123456', 'VAT No. GB987654321'],
    receiptTaxIncluded: true,
  },
  'en-CA': {
    id: 'en-CA', lang: 'en', currency: 'CAD', symbol: '$', namesCode: true,
    numbers: [{ group: ',', decimal: '.' }],
    markers: ['symbol', 'code-before', 'symbol', 'none'],
    dates: ['ISO', 'MonD,Y', 'MonthD,Y', 'ISO'],
    taxSchemes: [[pct(5, ['GST {rate}', 'GST']), pct(7, ['PST {rate}', 'PST'])], [pct(13, ['HST {rate}', 'HST'])], [pct(5, ['GST'])], [pct(5, ['GST {rate}']), pct(9.975, ['QST {rate}', 'QST'])]],
    companySuffixes: ['Ltd.', 'Inc.', 'Corp.', 'Ltée'],
    cities: ['Toronto, ON M5V 2T6', 'Vancouver, BC V6B 1A1', 'Calgary, AB T2P 1J9', 'Ottawa, ON K1P 5G4'],
    streets: ['100 King St W', '555 Burrard Street', '8 Maple Crescent'],
    registration: ['GST/HST No. 123456789 RT0001', 'BN 987654321'],
    receiptTaxIncluded: false,
  },
  'en-AU': {
    id: 'en-AU', lang: 'en', currency: 'AUD', symbol: '$', namesCode: true,
    numbers: [{ group: ',', decimal: '.' }],
    markers: ['symbol', 'code-before', 'symbol'],
    dates: ['DMY/', 'DMonY', 'DMonthY', 'DMY/'],
    taxSchemes: [[pct(10, ['GST', 'GST {rate}', 'GST ({rate})', 'Total GST'])]],
    companySuffixes: ['Pty Ltd', 'Pty. Ltd.', 'Ltd'],
    cities: ['Sydney NSW 2000', 'Melbourne VIC 3000', 'Brisbane QLD 4000', 'Perth WA 6000'],
    streets: ['Level 5, 100 George Street', '12 Wattle Road', '48 Collins St'],
    registration: ['ABN 51 824 753 556', 'ABN: 12 345 678 901'],
    receiptTaxIncluded: true,
  },
  'en-IN': {
    id: 'en-IN', lang: 'en', currency: 'INR', symbol: 'Rs.',
    numbers: [{ group: ',', decimal: '.', indian: true }],
    markers: ['symbol-space', 'code-before', 'none', 'symbol-space', 'symbol'],
    dates: ['DMY/', 'DMY-', 'D-Mon-Y', 'DMonY', 'DMY.', 'DMonY-upper'],
    taxSchemes: [
      [pct(9, ['CGST @ {rate}', 'CGST {rate}', 'CGST']), pct(9, ['SGST @ {rate}', 'SGST {rate}', 'SGST'])],
      [pct(18, ['IGST @ {rate}', 'IGST {rate}', 'IGST'])],
      [pct(2.5, ['CGST @ {rate}', 'CGST']), pct(2.5, ['SGST @ {rate}', 'SGST'])],
      [pct(6, ['CGST {rate}']), pct(6, ['SGST {rate}'])],
      [pct(28, ['IGST {rate}'])],
    ],
    companySuffixes: ['Pvt Ltd', 'Private Limited', 'Pvt. Ltd.', 'LLP', 'Enterprises', 'Traders', '& Co.'],
    cities: ['Bengaluru 560001', 'Mumbai 400001', 'New Delhi 110001', 'Chennai 600002', 'Pune 411001'],
    streets: ['No. 14, 2nd Cross, Indiranagar', 'Plot 22, MIDC Industrial Area', '5th Floor, Tower B, Cyber City'],
    registration: ['GSTIN: 29ABCDE1234F1Z5', 'GSTIN 27AAACT2727Q1ZV', 'PAN: ABCDE1234F'],
    receiptTaxIncluded: false,
  },
  'en-IE': {
    id: 'en-IE', lang: 'en', currency: 'EUR', symbol: '€',
    numbers: [{ group: ',', decimal: '.' }],
    markers: ['symbol', 'symbol', 'code-before', 'code-after'],
    dates: ['DMY/', 'DMonY', 'DMonthY'],
    taxSchemes: [[pct(23, ['VAT @ {rate}', 'VAT', 'VAT {rate}'])], [pct(13.5, ['VAT @ {rate}'])]],
    companySuffixes: ['Ltd', 'Limited', 'DAC', 'Teoranta'],
    cities: ['Dublin 2, D02 XY45', 'Cork T12 AB34', 'Galway H91 CD56'],
    streets: ['14 Grafton Street', 'Unit 7, Docklands Business Park'],
    registration: ['VAT No. IE1234567T', 'CRO 654321'],
    receiptTaxIncluded: true,
  },
  'en-NL': {
    id: 'en-NL', lang: 'en', currency: 'EUR', symbol: '€',
    numbers: [{ group: '.', decimal: ',' }],
    markers: ['symbol-space', 'code-after', 'symbol', 'code-before'],
    dates: ['DMY-', 'DMY.', 'DMonY', 'DMonthY'],
    taxSchemes: [[pct(21, ['VAT {rate}', 'VAT', 'VAT ({rate})'])], [pct(9, ['VAT {rate}'])]],
    companySuffixes: ['B.V.', 'BV', 'N.V.'],
    cities: ['1012 AB Amsterdam', '3011 AA Rotterdam', '3511 CD Utrecht'],
    streets: ['Keizersgracht 123', 'Stationsplein 45', 'Herengracht 7'],
    registration: ['VAT: NL123456789B01', 'KvK 12345678'],
    receiptTaxIncluded: true,
  },
  'de-DE': {
    id: 'de-DE', lang: 'de', currency: 'EUR', symbol: '€',
    numbers: [{ group: '.', decimal: ',' }, { group: '.', decimal: ',' }, { group: '', decimal: ',' }],
    markers: ['symbol-after', 'symbol-after', 'code-after', 'none', 'symbol-space', 'code-before'],
    dates: ['DMY.', 'DMY.', 'D.M.Y', 'D.MonthY', 'D.MonY', 'DMY.yy'],
    taxSchemes: [[pct(19)], [pct(19)], [pct(7)], [pct(19), pct(7)]],
    companySuffixes: ['GmbH', 'GmbH & Co. KG', 'AG', 'KG', 'e.K.', 'UG (haftungsbeschränkt)', 'OHG'],
    cities: ['10115 Berlin', '80331 München', '20095 Hamburg', '50667 Köln', '60311 Frankfurt am Main', '70173 Stuttgart'],
    streets: ['Hauptstraße 5', 'Industriestr. 12a', 'Am Markt 3', 'Goethestraße 27', 'Lindenallee 88'],
    registration: ['USt-IdNr.: DE123456789', 'Amtsgericht Berlin HRB 12345', 'Steuernummer 27/123/45678', 'Geschäftsführer: Max Mustermann'],
    receiptTaxIncluded: true,
  },
  'de-CH': {
    id: 'de-CH', lang: 'de', currency: 'CHF', symbol: 'CHF',
    numbers: [{ group: "'", decimal: '.' }],
    markers: ['code-before', 'code-before', 'code-after', 'none'],
    dates: ['DMY.', 'D.MonthY', 'DMY.'],
    taxSchemes: [[pct(8.1, ['MWST {rate}', 'MWST', 'MwSt. {rate}'])], [pct(2.6, ['MWST {rate}'])]],
    companySuffixes: ['AG', 'GmbH', 'SA', 'Sarl'],
    cities: ['8001 Zürich', '3011 Bern', '4051 Basel', '6003 Luzern'],
    streets: ['Bahnhofstrasse 10', 'Seestrasse 44', 'Marktgasse 3'],
    registration: ['MWST-Nr. CHE-123.456.789 MWST', 'UID CHE-987.654.321'],
    receiptTaxIncluded: true,
  },
  'fr-FR': {
    id: 'fr-FR', lang: 'fr', currency: 'EUR', symbol: '€',
    numbers: [{ group: ' ', decimal: ',' }, { group: '\u00a0', decimal: ',' }, { group: '.', decimal: ',' }, { group: '', decimal: ',' }],
    markers: ['symbol-after', 'symbol-after', 'code-after', 'none'],
    dates: ['DMY/', 'DMY/', 'DmonthY-fr', 'DMY.', 'DMY-'],
    taxSchemes: [[pct(20)], [pct(20)], [pct(10)], [pct(5.5)]],
    companySuffixes: ['SARL', 'SAS', 'SA', 'EURL', 'SASU'],
    cities: ['75002 Paris', '69002 Lyon', '13001 Marseille', '33000 Bordeaux', '31000 Toulouse', '59000 Lille'],
    streets: ['12 rue de la Paix', '45 avenue Jean Jaurès', '3 boulevard Voltaire', '8 place Bellecour'],
    registration: ['SIRET 123 456 789 00012', 'RCS Paris B 123 456 789', 'N° TVA FR12345678901', 'Capital social 10 000 €'],
    receiptTaxIncluded: true,
  },
};

export const LOCALE_IDS = Object.keys(LOCALES) as LocaleId[];
