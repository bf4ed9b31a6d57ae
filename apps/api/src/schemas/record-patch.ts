import { z } from 'zod';
import { decimalString, isoDate } from './common.js';

export const recordStatuses = ['DRAFT', 'PENDING_REVIEW', 'APPROVED'] as const;

export const lineItemSchema = z.object({
  description: z.string().min(1).max(1_000),
  quantity: decimalString.nullable(),
  unitPrice: decimalString.nullable(),
  amount: decimalString,
});

const optionalText = z.string().trim().min(1).max(500).nullable().optional();
const optionalDecimal = decimalString.nullable().optional();

export const recordPatchSchema = z
  .object({
    vendorName: optionalText,
    customerName: optionalText,
    invoiceNumber: optionalText,
    issueDate: isoDate.nullable().optional(),
    dueDate: isoDate.nullable().optional(),
    currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as USD').nullable().optional(),
    subtotal: optionalDecimal,
    discount: optionalDecimal,
    shipping: optionalDecimal,
    tax: optionalDecimal,
    total: optionalDecimal,
    lineItems: z.array(lineItemSchema).max(1_000).optional(),
    status: z.literal('APPROVED').optional().describe('set to APPROVED to approve the record; approved records are read-only'),
  })
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, 'send at least one field to change');
export type RecordPatch = z.infer<typeof recordPatchSchema>;
