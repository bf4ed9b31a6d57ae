import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createModelRefiner } from '../src/providers/index.js';
import type { ModelProviderOptions, Refinement } from '../src/providers/index.js';
import { parseAnswer } from '../src/providers/model-refiner.js';
import { retryAfterMs } from '../src/providers/chat-completions.js';
import type { ExtractedFields, ExtractionResult } from '../src/types.js';
import { answer, startChatCompletionsServer } from './fixtures/chat-completions-server.js';
import type { ChatCompletionsServer } from './fixtures/chat-completions-server.js';

const API_KEY = 'sk-test-secret-key-12345';
const MODEL = 'invoice-reader-mini';

const PAGE_TEXT = [
  'Acme Supplies Inc.',
  'INVOICE                         Invoice No. INV-1001',
  'Bill To: Globex Corporation     Date: 03/01/2024',
  '                                Due: 03/31/2024',
  'Description        Qty   Unit Price   Amount',
  'Widget              2        30.00     60.00',
  'Gadget              1        40.00     40.00',
  'Subtotal                               100.00',
  'Sales Tax 8%                             8.00',
  'Total                              USD 108.00',
].join('\n');

const missing = { value: null, confidence: 0 };

/** A local result that missed the tax and the due date, so its totals do not reconcile. */
function localResult(overrides: Partial<ExtractedFields> = {}, extra: Partial<ExtractionResult> = {}): ExtractionResult {
  return {
    method: 'pdf-text',
    pageCount: 1,
    fields: {
      vendorName: { value: 'Acme Supplies Inc.', confidence: 0.9 },
      customerName: { value: 'Globex Corporation', confidence: 0.9 },
      invoiceNumber: { value: 'INV-1001', confidence: 0.9 },
      issueDate: { value: '2024-03-01', confidence: 0.9 },
      dueDate: missing,
      currency: { value: 'USD', confidence: 0.9 },
      subtotal: { value: '100.00', confidence: 0.63 },
      discount: missing,
      shipping: missing,
      tax: missing,
      total: { value: '108.00', confidence: 0.63 },
      ...overrides,
    },
    lineItems: [
      { description: 'Widget', quantity: '2', unitPrice: '30.00', amount: '60.00', confidence: 0.98 },
      { description: 'Gadget', quantity: '1', unitPrice: '40.00', amount: '40.00', confidence: 0.98 },
    ],
    confidence: 0.6,
    reasons: [
      'totals do not reconcile: subtotal = total',
      'quantity × unit price = amount on every priced line item',
      'line items sum to subtotal',
    ],
    durationMs: 12,
    ...extra,
  };
}

/** What a good model says about PAGE_TEXT. */
function goodAnswer(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    vendorName: 'Acme Supplies Inc.',
    customerName: 'Globex Corporation',
    invoiceNumber: 'INV-1001',
    issueDate: '2024-03-01',
    dueDate: '2024-03-31',
    currency: 'USD',
    subtotal: '100.00',
    discount: null,
    shipping: null,
    tax: '8.00',
    total: '108.00',
    lineItems: [
      { description: 'Widget', quantity: '2', unitPrice: '30.00', amount: '60.00' },
      { description: 'Gadget', quantity: '1', unitPrice: '40.00', amount: '40.00' },
    ],
    ...overrides,
  };
}

let server: ChatCompletionsServer;
const refinements: Refinement[] = [];

function refiner(options: Partial<ModelProviderOptions> = {}) {
  const refine = createModelRefiner({ baseUrl: server.baseUrl, apiKey: API_KEY, model: MODEL, timeoutMs: 5_000, ...options });
  return async (input: Parameters<typeof refine>[0]): Promise<Refinement> => {
    const refinement = await refine(input);
    refinements.push(refinement);
    return refinement;
  };
}

beforeEach(async () => {
  server = await startChatCompletionsServer();
});

afterEach(async () => {
  await server.close();
  // Whatever happened, nothing the caller may log carries the document text or the key.
  for (const { result, reason } of refinements.splice(0)) {
    const visible = JSON.stringify({ reason, reasons: result.reasons });
    expect(visible).not.toContain(API_KEY);
    expect(visible).not.toContain('Bill To');
    expect(visible).not.toContain('Widget');
  }
});

describe('model provider: good answers', () => {
  it('fills missing fields from the model, confirms the agreeing ones and recomputes the confidence', async () => {
    server.script(answer(goodAnswer()));
    const local = localResult();
    const { result, usedModel, reason } = await refiner()({ text: PAGE_TEXT, local });

    expect(usedModel).toBe(true);
    expect(reason).toBe('model answer merged');
    // Filled: the tax makes subtotal + tax = total hold, so it is trusted more than the due date.
    expect(result.fields.tax).toEqual({ value: '8.00', confidence: 0.9 });
    expect(result.fields.dueDate).toEqual({ value: '2024-03-31', confidence: 0.75 });
    // Agreeing fields keep the local value with a higher confidence.
    expect(result.fields.vendorName.value).toBe('Acme Supplies Inc.');
    expect(result.fields.vendorName.confidence).toBeGreaterThan(0.9);
    expect(result.fields.total.value).toBe('108.00');
    expect(result.fields.total.confidence).toBeGreaterThan(0.63);
    // Still missing where the model had nothing.
    expect(result.fields.discount).toEqual(missing);
    expect(result.lineItems).toEqual(local.lineItems);

    expect(result.confidence).toBeGreaterThanOrEqual(0.85);
    expect(result.confidence).toBeGreaterThan(local.confidence);
    expect(result.reasons).not.toContain('totals do not reconcile: subtotal = total');
    expect(result.reasons).toContain('totals reconcile: subtotal + tax = total');
    expect(result.reasons).toContain('line items sum to subtotal');
    expect(result.reasons).toContain('model filled due date, tax');
    expect(result.reasons.some((r) => r.startsWith('model confirms vendor name'))).toBe(true);
    expect(result.durationMs).toBeGreaterThanOrEqual(local.durationMs);
    // The local result is not mutated.
    expect(local).toEqual(localResult());
  });

  it('sends the model, the bearer key, the JSON schema and the page text, never image bytes', async () => {
    server.script(answer(goodAnswer()));
    await refiner()({ text: PAGE_TEXT, local: localResult() });

    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/v1/chat/completions');
    expect(request?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request?.headers['content-type']).toBe('application/json');

    const body = request?.body as {
      model: string;
      temperature: number;
      messages: { role: string; content: unknown }[];
      response_format: { type: string; json_schema: { name: string; strict: boolean; schema: Record<string, unknown> } };
    };
    expect(body.model).toBe(MODEL);
    expect(body.temperature).toBe(0);
    expect(body.messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(body.messages[0]?.content).toContain('YYYY-MM-DD');
    expect(body.messages[1]?.content).toBe(PAGE_TEXT);

    expect(body.response_format.type).toBe('json_schema');
    expect(body.response_format.json_schema.name).toBe('invoice');
    expect(body.response_format.json_schema.strict).toBe(true);
    const schema = body.response_format.json_schema.schema as {
      type: string;
      additionalProperties: boolean;
      required: string[];
      properties: Record<string, unknown>;
    };
    expect(schema.type).toBe('object');
    expect(schema.additionalProperties).toBe(false);
    expect(schema).not.toHaveProperty('$schema');
    // Strict structured outputs need every property listed as required.
    expect([...schema.required].sort()).toEqual(Object.keys(schema.properties).sort());
    expect(schema.required).toEqual(expect.arrayContaining(['vendorName', 'issueDate', 'currency', 'total', 'lineItems']));

    // Text only: no image parts, no data URLs, no base64 blobs.
    expect(typeof body.messages[1]?.content).toBe('string');
    expect(request?.rawBody).not.toMatch(/image_url|input_image|data:image|base64/);
  });

  it('cuts the page text to maxTextChars and says so', async () => {
    server.script(answer(goodAnswer()));
    const text = `${PAGE_TEXT}\n${'x'.repeat(500)}`;
    const { result } = await refiner({ maxTextChars: 200 })({ text, local: localResult() });
    const body = server.requests[0]?.body as { messages: { content: string }[] };
    expect(body.messages[1]?.content).toBe(text.slice(0, 200));
    expect(result.reasons).toContain('page text cut to 200 characters for the model');
  });

  it('normalises forgiving variants: numbers, lower-case currency, signed discount, fenced JSON', async () => {
    const content = '```json\n' + JSON.stringify(goodAnswer({ currency: 'usd ', tax: 8, discount: '-0.00', dueDate: '' })) + '\n```';
    server.script({ kind: 'answer', content });
    const { result, usedModel } = await refiner()({ text: PAGE_TEXT, local: localResult() });
    expect(usedModel).toBe(true);
    expect(result.fields.tax.value).toBe('8.00');
    expect(result.fields.discount.value).toBe('0.00');
    expect(result.fields.dueDate).toEqual(missing);
    expect(result.fields.currency.value).toBe('USD');
  });

  it('pads model amounts to the currency minor units', async () => {
    server.script(answer(goodAnswer({ tax: '8', dueDate: null })));
    const { result } = await refiner()({ text: PAGE_TEXT, local: localResult() });
    expect(result.fields.tax.value).toBe('8.00');
  });
});

describe('model provider: merge rules', () => {
  it('keeps a high-confidence local value the model disagrees with, a little less sure', async () => {
    server.script(answer(goodAnswer({ invoiceNumber: 'INV-1007', vendorName: 'ACME SUPPLIES INC' })));
    const { result, usedModel } = await refiner()({ text: PAGE_TEXT, local: localResult() });
    expect(usedModel).toBe(true);
    expect(result.fields.invoiceNumber).toEqual({ value: 'INV-1001', confidence: 0.81 });
    expect(result.reasons).toContain('model disagrees on invoice number; local value kept');
    // Case and punctuation differences are agreement, and the local spelling is kept.
    expect(result.fields.vendorName.value).toBe('Acme Supplies Inc.');
    expect(result.fields.vendorName.confidence).toBeGreaterThan(0.9);
  });

  it('replaces a low-confidence local value the model reads differently', async () => {
    server.script(answer(goodAnswer()));
    const local = localResult({ issueDate: { value: '2024-01-03', confidence: 0.5 } });
    const { result } = await refiner()({ text: PAGE_TEXT, local });
    expect(result.fields.issueDate).toEqual({ value: '2024-03-01', confidence: 0.75 });
    expect(result.reasons).toContain('model replaced low-confidence issue date');
  });

  it('keeps an unsure local amount when it, not the model, makes the totals add up', async () => {
    server.script(answer(goodAnswer({ subtotal: '1000.00' })));
    const local = localResult({ tax: { value: '8.00', confidence: 0.63 } });
    const { result } = await refiner()({ text: PAGE_TEXT, local });
    expect(result.fields.subtotal.value).toBe('100.00');
    expect(result.reasons).toContain('model disagrees on subtotal; local value kept');
  });

  it('does not let a model answer lift the confidence when a key field is still missing', async () => {
    server.script(answer(goodAnswer({ vendorName: null })));
    const { result } = await refiner()({ text: PAGE_TEXT, local: localResult({ vendorName: missing }) });
    expect(result.fields.vendorName).toEqual(missing);
    expect(result.confidence).toBeLessThanOrEqual(0.6);
    expect(result.reasons).toContain('vendor name not found');
  });

  it('takes the model line items when there are none locally and they add up', async () => {
    server.script(answer(goodAnswer()));
    const { result } = await refiner()({ text: PAGE_TEXT, local: localResult({}, { lineItems: [] }) });
    expect(result.lineItems).toEqual([
      { description: 'Widget', quantity: '2', unitPrice: '30.00', amount: '60.00', confidence: 0.9 },
      { description: 'Gadget', quantity: '1', unitPrice: '40.00', amount: '40.00', confidence: 0.9 },
    ]);
    expect(result.reasons).toContain('line items taken from the model');
  });

  it('takes the model line items when the local ones do not sum to the subtotal and the model ones do', async () => {
    server.script(answer(goodAnswer()));
    const local = localResult(
      {},
      { lineItems: [{ description: 'Widget', quantity: '2', unitPrice: '30.00', amount: '60.00', confidence: 0.6 }] },
    );
    const { result } = await refiner()({ text: PAGE_TEXT, local });
    expect(result.lineItems.map((item) => item.amount)).toEqual(['60.00', '40.00']);
  });

  it('keeps local line items that add up, and ignores model ones that do not', async () => {
    server.script(answer(goodAnswer({ lineItems: [{ description: 'Widget', quantity: '2', unitPrice: '30.00', amount: '60.00' }] })));
    const local = localResult();
    const { result } = await refiner()({ text: PAGE_TEXT, local });
    expect(result.lineItems).toEqual(local.lineItems);

    server.script(answer(goodAnswer({ lineItems: [{ description: 'Widget', quantity: '2', unitPrice: '30.00', amount: '60.00' }] })));
    const second = await refiner()({ text: PAGE_TEXT, local: localResult({}, { lineItems: [] }) });
    expect(second.result.lineItems).toEqual([]);
    expect(second.result.reasons).toContain('model line items do not sum to the subtotal or total; not used');
  });
});

describe('model provider: failures keep the local result', () => {
  const expectLocalKept = (refinement: Refinement, local: ExtractionResult, why: RegExp): void => {
    expect(refinement.usedModel).toBe(false);
    expect(refinement.reason).toMatch(why);
    expect(refinement.reason).toMatch(/; local result kept$/);
    expect(refinement.result.fields).toEqual(local.fields);
    expect(refinement.result.lineItems).toEqual(local.lineItems);
    expect(refinement.result.confidence).toBe(local.confidence);
    expect(refinement.result.reasons.slice(0, local.reasons.length)).toEqual(local.reasons);
    expect(refinement.result.reasons.at(-1)).toMatch(/^model provider failed \(.+\); local result kept$/);
  };

  it('a malformed JSON answer', async () => {
    server.script({ kind: 'answer', content: '{"vendorName": "Acme", "total": ' });
    const local = localResult();
    const refinement = await refiner()({ text: PAGE_TEXT, local });
    expectLocalKept(refinement, local, /^model failed: malformed JSON answer/);
    expect(server.requests).toHaveLength(1);
  });

  it('an answer that violates the schema (localised amount, currency name, impossible date)', async () => {
    server.script(answer(goodAnswer({ total: '1.234,56', currency: 'dollars', issueDate: '2024-02-30' })));
    const local = localResult();
    const refinement = await refiner()({ text: PAGE_TEXT, local });
    expectLocalKept(refinement, local, /^model failed: answer does not match the schema \(.*total.*\)/);
    expect(refinement.reason).toContain('currency');
    expect(refinement.reason).toContain('issueDate');
    // Paths only, never the offending values.
    expect(refinement.reason).not.toContain('1.234,56');
    expect(refinement.reason).not.toContain('dollars');
  });

  it('an answer missing required fields', async () => {
    const { lineItems: _dropped, ...withoutItems } = goodAnswer();
    server.script(answer(withoutItems));
    const local = localResult();
    expectLocalKept(await refiner()({ text: PAGE_TEXT, local }), local, /schema \(lineItems\)/);
  });

  it('a response that is not a chat completion, and a refusal', async () => {
    server.script({ kind: 'raw', status: 200, body: '<html>gateway</html>' }, { kind: 'answer', content: null, refusal: 'I cannot help' });
    const local = localResult();
    expectLocalKept(await refiner()({ text: PAGE_TEXT, local }), local, /response is not JSON/);
    expectLocalKept(await refiner()({ text: PAGE_TEXT, local }), local, /model refused/);
  });

  it('a 401 is not retried, and the key stays out of the reason', async () => {
    server.script({ kind: 'status', status: 401, body: JSON.stringify({ error: { message: `Incorrect API key provided: ${API_KEY}` } }) });
    const local = localResult();
    const refinement = await refiner()({ text: PAGE_TEXT, local });
    expectLocalKept(refinement, local, /^model failed: HTTP 401;/);
    expect(server.requests).toHaveLength(1);
  });

  it('a hang times out within the timeout', async () => {
    server.script({ kind: 'hang' }, { kind: 'hang' }, { kind: 'hang' });
    const local = localResult();
    const started = Date.now();
    const refinement = await refiner({ timeoutMs: 400 })({ text: PAGE_TEXT, local });
    const elapsed = Date.now() - started;
    expectLocalKept(refinement, local, /^model failed: timeout after 400 ms/);
    expect(elapsed).toBeGreaterThanOrEqual(390);
    expect(elapsed).toBeLessThan(1_000);
    expect(server.requests).toHaveLength(1);
  });

  it('gives up when the server keeps failing after the retries', async () => {
    server.script(...Array.from({ length: 5 }, () => ({ kind: 'status' as const, status: 503 })));
    const local = localResult();
    const refinement = await refiner({ retries: 1 })({ text: PAGE_TEXT, local });
    expectLocalKept(refinement, local, /^model failed: HTTP 503 after 2 attempt\(s\)/);
    expect(server.requests).toHaveLength(2);
  });

  it('retries a refused connection, then gives up', async () => {
    const closedUrl = server.baseUrl;
    await server.close();
    const local = localResult();
    const refinement = await createModelRefiner({ baseUrl: closedUrl, apiKey: API_KEY, model: MODEL, retries: 1 })({ text: PAGE_TEXT, local });
    refinements.push(refinement);
    expectLocalKept(refinement, local, /^model failed: network error after 2 attempt\(s\)/);
    server = await startChatCompletionsServer();
  });

  it('skips the call when there is no page text', async () => {
    const local = localResult();
    const refinement = await refiner()({ text: '  \n ', local });
    expect(refinement.usedModel).toBe(false);
    expect(refinement.reason).toBe('model skipped: no page text; local result kept');
    expect(refinement.result.fields).toEqual(local.fields);
    expect(server.requests).toHaveLength(0);
  });
});

describe('model provider: retries', () => {
  it('retries a 500 after the backoff and merges the answer', async () => {
    server.script({ kind: 'status', status: 500 }, answer(goodAnswer()));
    const { result, usedModel } = await refiner()({ text: PAGE_TEXT, local: localResult() });
    expect(usedModel).toBe(true);
    expect(result.fields.tax.value).toBe('8.00');
    expect(server.requests).toHaveLength(2);
    const [first, second] = server.requests;
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(450);
    expect(second?.rawBody).toBe(first?.rawBody);
  });

  it('waits for Retry-After on a 429, then merges the answer', async () => {
    server.script({ kind: 'status', status: 429, headers: { 'retry-after': '1' } }, answer(goodAnswer()));
    const { usedModel } = await refiner()({ text: PAGE_TEXT, local: localResult() });
    expect(usedModel).toBe(true);
    const [first, second] = server.requests;
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(950);
  });

  it('gives up at once when Retry-After outlasts the timeout', async () => {
    server.script({ kind: 'status', status: 429, headers: { 'retry-after': '30' } }, answer(goodAnswer()));
    const local = localResult();
    const started = Date.now();
    const refinement = await refiner({ timeoutMs: 2_000 })({ text: PAGE_TEXT, local });
    expect(refinement.usedModel).toBe(false);
    expect(refinement.reason).toMatch(/^model failed: timeout after 2000 ms \(HTTP 429 after 1 attempt\(s\)\)/);
    expect(Date.now() - started).toBeLessThan(500);
    expect(server.requests).toHaveLength(1);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(retryAfterMs('2')).toBe(2_000);
    expect(retryAfterMs('0.5')).toBe(500);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 7_000)).toBe(3_000);
    expect(retryAfterMs('soon')).toBeNull();
    expect(retryAfterMs(null)).toBeNull();
  });
});

describe('model provider: caller abort', () => {
  // Decision: an aborted caller signal rejects with the signal's reason, as extractDocument does;
  // the caller asked to stop, so there is no result to hand back.
  it('rejects promptly with the signal reason while the request hangs', async () => {
    server.script({ kind: 'hang' });
    const controller = new AbortController();
    const reason = new Error('job cancelled');
    const refine = refiner({ timeoutMs: 10_000 });
    const started = Date.now();
    setTimeout(() => controller.abort(reason), 100);
    await expect(refine({ text: PAGE_TEXT, local: localResult(), signal: controller.signal })).rejects.toBe(reason);
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('rejects promptly during a retry backoff', async () => {
    server.script({ kind: 'status', status: 429, headers: { 'retry-after': '5' } });
    const controller = new AbortController();
    const refine = refiner({ timeoutMs: 10_000 });
    const started = Date.now();
    setTimeout(() => controller.abort(new Error('stop')), 150);
    await expect(refine({ text: PAGE_TEXT, local: localResult(), signal: controller.signal })).rejects.toThrow('stop');
    expect(Date.now() - started).toBeLessThan(600);
    expect(server.requests).toHaveLength(1);
  });

  it('rejects before calling when the signal is already aborted', async () => {
    const refine = refiner();
    await expect(refine({ text: PAGE_TEXT, local: localResult(), signal: AbortSignal.abort(new Error('gone')) })).rejects.toThrow('gone');
    expect(server.requests).toHaveLength(0);
  });
});

describe('answer parsing', () => {
  it('accepts a complete answer and names the failing path otherwise', () => {
    expect(parseAnswer(JSON.stringify(goodAnswer())).total).toBe('108.00');
    expect(() => parseAnswer('[]')).toThrow(/schema/);
    expect(() => parseAnswer(JSON.stringify(goodAnswer({ lineItems: [{ description: 'x', quantity: '1', unitPrice: '1', amount: '1,00' }] })))).toThrow(
      /lineItems\.0\.amount/,
    );
  });
});
