import { z } from 'zod';

/**
 * The model's answer: one zod schema is both the JSON schema sent with the request (structured
 * output) and the validator of what comes back. Formats follow the package's own output: money and
 * quantities are dot-decimal strings, dates YYYY-MM-DD, currency an ISO 4217 code, null when the
 * document does not print the value.
 */

const DECIMAL = /^-?\d+(?:\.\d+)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const CURRENCY = /^[A-Z]{3}$/;

/** The pattern keeps the JSON schema small (some servers compile it into a grammar); the refinement checks the calendar. */
const isoDate = z
  .string()
  .regex(DATE)
  .refine((value) => isCalendarDate(value), { message: 'not a calendar date' });

const decimal = z.string().regex(DECIMAL);

const text = (description: string) => z.string().nullable().describe(description);
const money = (description: string) => decimal.nullable().describe(`${description} Dot-decimal string without currency or grouping, e.g. "1234.50"; null if not printed.`);
const date = (description: string) => isoDate.nullable().describe(`${description} As YYYY-MM-DD; null if not printed.`);

export const modelLineItemSchema = z.object({
  description: z.string().min(1).describe('The item description as printed.'),
  quantity: decimal.nullable().describe('Quantity as a dot-decimal string, e.g. "2" or "1.5"; null if not printed.'),
  unitPrice: decimal.nullable().describe('Unit price as a dot-decimal string; null if not printed.'),
  amount: decimal.describe('Line amount as a dot-decimal string.'),
});

export const modelAnswerSchema = z.object({
  vendorName: text('Name of the business that issued the document (the seller); null if not printed.'),
  customerName: text('Name of the customer billed ("Bill To"); null if not printed.'),
  invoiceNumber: text('The invoice or bill number exactly as printed; null if not printed.'),
  issueDate: date('Date the document was issued.'),
  dueDate: date('Date payment is due, only if printed (do not compute it from payment terms).'),
  currency: z.string().regex(CURRENCY).nullable().describe('ISO 4217 code of the amounts, e.g. "USD", "EUR", "INR"; null if it cannot be told.'),
  subtotal: money('Amount before discount, shipping and tax.'),
  discount: money('Discount as a positive amount.'),
  shipping: money('Shipping or delivery charge.'),
  tax: money('Total tax (the sum of all tax lines, e.g. CGST + SGST).'),
  total: money('Invoice total = subtotal − discount + shipping + tax (not a balance after payments).'),
  lineItems: z.array(modelLineItemSchema).describe('The item table rows in order; an empty array if there is none.'),
});

export type ModelAnswer = z.infer<typeof modelAnswerSchema>;
export type ModelLineItem = z.infer<typeof modelLineItemSchema>;

/** The JSON schema for response_format (without "$schema", which some servers reject). */
export const modelAnswerJsonSchema: Record<string, unknown> = (() => {
  const { $schema: _ignored, ...schema } = z.toJSONSchema(modelAnswerSchema) as Record<string, unknown>;
  return schema;
})();

const MONEY_FIELDS = new Set(['subtotal', 'discount', 'shipping', 'tax', 'total']);

/**
 * Forgiving clean-up before validation, for servers that do not enforce the schema: trims strings,
 * reads "" as null, upper-cases the currency, turns plain JSON numbers into decimal strings, drops a
 * leading "+" and the sign of a discount. Anything else malformed is left for the schema to reject.
 */
export function normaliseAnswer(raw: unknown): unknown {
  if (!isRecord(raw)) return raw;
  const out: Record<string, unknown> = { ...raw };
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'lineItems') continue;
    let cleaned = MONEY_FIELDS.has(key) ? cleanDecimal(value) : cleanString(value);
    if (key === 'currency' && typeof cleaned === 'string') cleaned = cleaned.toUpperCase();
    if (key === 'discount' && typeof cleaned === 'string') cleaned = cleaned.replace(/^-/, '');
    out[key] = cleaned;
  }
  if (Array.isArray(raw.lineItems)) {
    out.lineItems = raw.lineItems.map((item: unknown) =>
      isRecord(item)
        ? {
            ...item,
            description: cleanString(item.description),
            quantity: cleanDecimal(item.quantity),
            unitPrice: cleanDecimal(item.unitPrice),
            amount: cleanDecimal(item.amount),
          }
        : item,
    );
  }
  return out;
}

function cleanString(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim().replace(/\s+/g, ' ');
  return trimmed === '' ? null : trimmed;
}

function cleanDecimal(value: unknown): unknown {
  if (typeof value === 'number' && Number.isFinite(value)) {
    const printed = String(value);
    return DECIMAL.test(printed) ? printed : value;
  }
  const cleaned = cleanString(value);
  return typeof cleaned === 'string' ? cleaned.replace(/^\+/, '') : cleaned;
}

function isCalendarDate(value: string): boolean {
  const [year = 0, month = 0, day = 0] = value.split('-').map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
