import { z } from 'zod';

export const errorSchema = z
  .object({
    code: z.string(),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: 'Error' });

/** The error answers a route may give, for its OpenAPI description. */
export const errorResponses = (...statusCodes: number[]) => Object.fromEntries(statusCodes.map((status) => [status, errorSchema]));

export const idParamsSchema = z.object({ id: z.uuid() });

/** "1234.56": money travels as decimal strings, never as binary floats. */
export const decimalString = z.string().regex(/^-?\d{1,14}(\.\d{1,4})?$/, 'a decimal number such as 1234.56');
export const isoDate = z.iso.date();
