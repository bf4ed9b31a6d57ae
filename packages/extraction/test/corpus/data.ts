import type { Lang } from './format.js';
import type { Random } from './random.js';

/** Word pools for names and items. Names are built from parts, so that few repeat across the corpus. */
const NAME_WORDS: Record<Lang, string[]> = {
  en: ['Northwind', 'Contoso', 'Fabrikam', 'Litware', 'Tailspin', 'Blue Sky', 'Harbor', 'Summit', 'Evergreen', 'Redwood', 'Granite', 'Silverline', 'Brightwell', 'Oakridge', 'Pinnacle', 'Riverside', 'Lakeshore', 'Ironclad', 'Maple Leaf', 'Sterling', 'Crescent', 'Beacon', 'Cobalt', 'Meridian', 'Ashford', 'Kestrel', 'Juniper', 'Falcon', 'Atlas', 'Horizon'],
  de: ['Müller', 'Schneider', 'Becker', 'Hoffmann', 'Nordlicht', 'Alpen', 'Rheinland', 'Sonnenberg', 'Weißdorn', 'Eichenhof', 'Bergmann', 'Lindner', 'Krause', 'Fuchs', 'Brückner', 'Hansen', 'Seeblick', 'Grünwald', 'Vogel', 'Schäfer'],
  fr: ['Dupont', 'Lefèvre', 'Moreau', 'Bernard', 'Rousseau', 'Lumière', 'Bellevue', 'Beaulieu', 'Fontaine', 'Garnier', 'Chevalier', 'Marchand', 'Lambert', 'Provence', 'Atlantique', 'Mercier', 'Boulanger', 'Clément', 'Girard', 'Roux'],
};

const TRADES: Record<Lang, string[]> = {
  en: ['Consulting', 'Supplies', 'Traders', 'Logistics', 'Design', 'Plumbing', 'Electric', 'Software', 'Print Works', 'Catering', 'Office Solutions', 'Engineering', 'Media', 'Hardware', 'Landscaping', 'Analytics', 'Marketing', 'Security'],
  de: ['Consulting', 'Bürobedarf', 'Haustechnik', 'Logistik', 'Elektro', 'Druckerei', 'Software', 'Metallbau', 'Gartenbau', 'Medien', 'Handel', 'Reinigung', 'Werbetechnik'],
  fr: ['Conseil', 'Fournitures', 'Logistique', 'Électricité', 'Imprimerie', 'Informatique', 'Bâtiment', 'Traiteur', 'Communication', 'Services', 'Distribution', 'Menuiserie'],
};

const FIRST_NAMES = ['Anna', 'James', 'Maria', 'Lukas', 'Sophie', 'Rahul', 'Priya', 'Olivier', 'Claire', 'Tom', 'Emma', 'Jonas', 'Chloé', 'Arjun', 'Sarah', 'Felix', 'Lena', 'David', 'Camille', 'Noah'];
const LAST_NAMES = ['Smith', 'Alvarez', 'Weber', 'Martin', 'Sharma', 'Dubois', 'Fischer', 'Johnson', 'Patel', 'Laurent', 'Brown', 'Keller', 'Nguyen', 'Iyer', 'Wagner', 'Petit', 'Okafor', 'Rossi'];

export function companyName(rng: Random, lang: Lang, suffixes: string[]): string {
  const base = rng.pick(NAME_WORDS[lang]);
  const style = rng.int(0, 3);
  const suffix = rng.pick(suffixes);
  if (style === 0) return `${base} ${suffix}`;
  if (style === 1) return `${base} ${rng.pick(TRADES[lang])} ${suffix}`;
  if (style === 2) return `${base} ${rng.pick(TRADES[lang])}`;
  return `${base} & ${rng.pick(NAME_WORDS[lang])} ${suffix}`;
}

export function personName(rng: Random): string {
  return `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`;
}

export function firstName(rng: Random): string {
  return rng.pick(FIRST_NAMES);
}

/** Products and services: [description, typical price range in major units, unit kind]. */
type Item = [string, number, number, 'piece' | 'hour' | 'weight' | 'service'];

const ITEMS: Record<Lang, Item[]> = {
  en: [
    ['Consulting services', 80, 220, 'hour'], ['Software development', 90, 180, 'hour'], ['Project management', 70, 150, 'hour'],
    ['Website maintenance (monthly)', 150, 600, 'service'], ['Logo design', 300, 1500, 'service'], ['On-site support', 60, 140, 'hour'],
    ['USB-C cable 2m', 5, 25, 'piece'], ['Office chair, ergonomic', 120, 450, 'piece'], ['A4 copier paper, 5 reams', 18, 35, 'piece'],
    ['Toner cartridge HP 305A', 45, 120, 'piece'], ['LED monitor 24 inch', 110, 260, 'piece'], ['Wireless keyboard and mouse set', 25, 80, 'piece'],
    ['Stainless steel bolts M8 x 40', 0.2, 2, 'piece'], ['Copper pipe 15mm (3m length)', 8, 22, 'piece'], ['Annual software licence', 200, 2400, 'service'],
    ['Cloud hosting - Standard plan', 20, 400, 'service'], ['Catering for 25 guests', 300, 900, 'service'], ['Delivery and installation', 50, 250, 'service'],
    ['Coffee beans, house blend 1kg', 14, 30, 'weight'], ['Printer repair', 60, 200, 'service'], ['Safety gloves (pair)', 2, 9, 'piece'],
    ['Translation of contract documents, English to German', 200, 900, 'service'], ['Photography session, half day', 250, 700, 'service'],
    ['Garden maintenance visit', 40, 160, 'service'], ['Electrical inspection and certificate', 90, 300, 'service'], ['Paint, white matt 10L', 30, 70, 'piece'],
    ['Workshop facilitation', 500, 1500, 'service'], ['Travel expenses', 40, 400, 'service'], ['Data recovery', 150, 900, 'service'],
    ['Replacement battery pack', 35, 95, 'piece'], ['Tax preparation services', 150, 600, 'service'], ['Security audit', 900, 4000, 'service'],
  ],
  de: [
    ['Beratungsleistung', 80, 200, 'hour'], ['Softwareentwicklung', 85, 160, 'hour'], ['Montagearbeiten', 45, 90, 'hour'],
    ['Wartungsvertrag (monatlich)', 100, 500, 'service'], ['Bürostuhl ergonomisch', 150, 480, 'piece'], ['Kopierpapier A4, 500 Blatt', 4, 9, 'piece'],
    ['Tonerkartusche schwarz', 40, 110, 'piece'], ['Schrauben M6 x 30, verzinkt', 0.1, 1, 'piece'], ['Kupferrohr 15 mm, 5 m', 20, 45, 'piece'],
    ['Anfahrtspauschale', 25, 80, 'service'], ['Gartenpflege', 35, 70, 'hour'], ['Reinigung Büroflächen', 200, 900, 'service'],
    ['Lizenzgebühr Jahresabo', 300, 2500, 'service'], ['Druck Flyer DIN A5, 1000 Stück', 60, 200, 'service'], ['Elektroinstallation Küche', 400, 1800, 'service'],
    ['Kaffeebohnen 1 kg', 12, 28, 'weight'], ['Übersetzung Vertragsunterlagen', 200, 800, 'service'], ['Schulung Mitarbeiter (Tagessatz)', 600, 1400, 'service'],
    ['Monitor 27 Zoll', 180, 420, 'piece'], ['Netzwerkkabel Cat6, 10 m', 6, 18, 'piece'], ['Fräsarbeiten nach Zeichnung', 120, 600, 'service'],
    ['Heizungswartung inkl. Abgasmessung', 90, 220, 'service'], ['Versandkarton 40x30x20', 0.5, 2, 'piece'],
  ],
  fr: [
    ['Prestation de conseil', 80, 200, 'hour'], ['Développement logiciel', 80, 160, 'hour'], ["Main d'oeuvre", 40, 75, 'hour'],
    ['Maintenance site web (mensuel)', 100, 500, 'service'], ['Chaise de bureau ergonomique', 130, 450, 'piece'], ['Ramette papier A4', 4, 8, 'piece'],
    ['Cartouche d\'encre noire', 30, 90, 'piece'], ['Vis inox M8 x 40', 0.1, 1, 'piece'], ['Tube cuivre 14 mm, 2 m', 12, 30, 'piece'],
    ['Frais de déplacement', 30, 150, 'service'], ['Entretien espaces verts', 35, 65, 'hour'], ['Nettoyage des locaux', 180, 800, 'service'],
    ['Licence logicielle annuelle', 250, 2000, 'service'], ['Impression flyers A5 (1000 ex.)', 50, 180, 'service'], ['Installation électrique cuisine', 350, 1600, 'service'],
    ['Café en grains 1 kg', 12, 30, 'weight'], ['Traduction de documents', 150, 700, 'service'], ['Formation du personnel (journée)', 500, 1300, 'service'],
    ['Écran 27 pouces', 170, 400, 'piece'], ['Câble réseau Cat6, 10 m', 5, 15, 'piece'], ['Révision chaudière', 90, 200, 'service'],
  ],
};

const RECEIPT_ITEMS: Record<Lang, [string, number, number][]> = {
  en: [['Flat white', 2.8, 4.5], ['Latte', 3, 5], ['Croissant', 1.8, 3.5], ['Bagel w/ cream cheese', 3, 6], ['Orange juice', 2.5, 4.5], ['Sandwich BLT', 5, 9], ['Milk 2L', 1.5, 3.5], ['Bread, sourdough', 3, 6], ['Bananas', 1, 3], ['Eggs (12)', 2.5, 5], ['Cheddar 400g', 3.5, 7], ['Pasta 500g', 1, 2.5], ['Olive oil 1L', 6, 12], ['Chicken breast', 5, 11], ['Dish soap', 2, 4], ['Paper towels', 3, 8], ['Burger', 8, 15], ['Fries', 2.5, 5], ['Soda', 1.5, 3], ['Salad', 6, 12], ['Printer ink', 15, 40], ['AA batteries 4pk', 4, 9], ['Notebook', 2, 6], ['Parking', 2, 12], ['Unleaded fuel', 30, 80]],
  de: [['Brötchen', 0.35, 0.8], ['Milch 1L', 0.9, 1.6], ['Butter 250g', 1.8, 3.2], ['Käse Gouda', 2, 5], ['Äpfel 1kg', 2, 4], ['Bananen', 1, 2.5], ['Kaffee 500g', 4, 9], ['Mineralwasser 6x1,5L', 2, 6], ['Nudeln 500g', 0.8, 2], ['Tomaten', 1.5, 4], ['Schokolade', 0.8, 2.5], ['Brezel', 0.7, 1.5], ['Cappuccino', 2.5, 4.5], ['Apfelschorle', 2, 4], ['Schnitzel', 10, 18], ['Pfand', 0.25, 3.1], ['Waschmittel', 4, 12], ['Zahnpasta', 1, 3]],
  fr: [['Baguette', 0.9, 1.5], ['Croissant', 1, 1.8], ['Café', 1.5, 3], ['Lait 1L', 0.9, 1.5], ['Beurre doux', 2, 4], ['Fromage comté', 4, 9], ['Pommes 1kg', 2, 4], ['Eau minérale 6x1,5L', 2, 5], ['Pâtes 500g', 0.8, 2], ['Jambon 4 tranches', 2.5, 5], ['Yaourt nature x4', 1.5, 3], ['Pain au chocolat', 1.1, 1.9], ['Vin rouge', 5, 15], ['Salade composée', 7, 13], ['Menu du jour', 12, 22]],
};

const BILL_CHARGES: Record<Lang, [string, number, number][]> = {
  en: [['Monthly service charge', 15, 60], ['Energy usage (kWh)', 40, 220], ['Water usage', 20, 90], ['Line rental', 15, 25], ['Calls and messages', 2, 30], ['Data add-on', 5, 25], ['Standing charge', 5, 20], ['Equipment rental', 5, 15], ['Broadband', 25, 60], ['Waste collection', 10, 30], ['Late payment fee', 5, 15], ['Meter reading service', 3, 8]],
  de: [['Grundgebühr', 5, 25], ['Verbrauch Strom (kWh)', 40, 200], ['Wasserverbrauch', 20, 80], ['Internet-Flatrate', 25, 50], ['Telefonie', 3, 20], ['Gerätemiete', 3, 10], ['Abfallgebühr', 10, 30]],
  fr: [['Abonnement mensuel', 10, 40], ['Consommation électricité', 40, 200], ['Consommation eau', 20, 80], ['Forfait internet', 25, 50], ['Appels', 2, 20], ['Location box', 3, 10], ['Redevance', 5, 20]],
};

export interface ItemChoice {
  description: string;
  minPrice: number;
  maxPrice: number;
  kind: Item[3];
}

export function itemChoices(rng: Random, lang: Lang, count: number): ItemChoice[] {
  const pool = rng.shuffle(ITEMS[lang]);
  const items: ItemChoice[] = [];
  for (let i = 0; i < count; i++) {
    const [description, minPrice, maxPrice, kind] = pool[i % pool.length] as Item;
    // Long tables repeat items; a suffix keeps descriptions distinct, as real item lists are.
    const suffix = i >= pool.length ? ` (${rng.pick(['batch', 'lot', 'ref.'])} ${i + 1})` : rng.chance(0.15) ? ` - ${rng.pick(['model', 'ref.', 'order'])} ${rng.pick(['A', 'B', 'X', 'Z'])}-${rng.int(10, 999)}` : '';
    items.push({ description: description + suffix, minPrice, maxPrice, kind });
  }
  return items;
}

export function receiptItems(rng: Random, lang: Lang, count: number): [string, number, number][] {
  return rng.shuffle(RECEIPT_ITEMS[lang]).slice(0, count);
}

export function billCharges(rng: Random, lang: Lang, count: number): [string, number, number][] {
  return rng.shuffle(BILL_CHARGES[lang]).slice(0, count);
}

export function invoiceNumber(rng: Random, year: number): string {
  const n = rng.int(1, 99999);
  switch (rng.int(0, 9)) {
    case 0: return `INV-${year}-${String(n).padStart(4, '0')}`;
    case 1: return String(rng.int(1000, 999999));
    case 2: return `${year}-${String(rng.int(1, 999)).padStart(3, '0')}`;
    case 3: return `RE-${rng.int(10000, 99999)}`;
    case 4: return `F${year}/${String(rng.int(1, 9999)).padStart(4, '0')}`;
    case 5: return `${rng.pick(['A', 'B', 'SE', 'NW', 'TX'])}-${rng.int(100, 99999)}`;
    case 6: return `${rng.pick(['SE', 'KT', 'MH'])}/${String(year - 2001).padStart(2, '0')}-${String(year - 2000).padStart(2, '0')}/${String(rng.int(1, 9999)).padStart(4, '0')}`;
    case 7: return `${String(n).padStart(6, '0')}`;
    case 8: return `INV${rng.int(100000, 999999)}`;
    default: return `${rng.pick(['2024', '2025', '2026'])}${String(rng.int(1, 9999)).padStart(5, '0')}`;
  }
}
