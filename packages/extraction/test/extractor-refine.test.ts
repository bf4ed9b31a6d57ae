import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExtractor, createModelRefiner } from '../src/index.js';
import { answer, startChatCompletionsServer, type ChatCompletionsServer } from './fixtures/chat-completions-server.js';
import { renderInvoicePdf, SAMPLE_INVOICE } from './fixtures/render-invoice.js';

let server: ChatCompletionsServer;
beforeAll(async () => {
  server = await startChatCompletionsServer();
});
afterAll(() => server.close());

describe('an extractor with a model provider', () => {
  it('sends the page text (no image bytes) and merges the answer; the local result stands when the model fails', async () => {
    const extractor = createExtractor({
      refine: createModelRefiner({ baseUrl: server.baseUrl, apiKey: 'test-key', model: 'reader', timeoutMs: 2_000, retries: 0 }),
    });
    try {
      const bytes = await renderInvoicePdf(SAMPLE_INVOICE, { layout: 'minimal' });
      const input = { bytes, mimeType: 'application/pdf', kind: 'bill' as const };
      const { lineItems: _lines, ...fields } = SAMPLE_INVOICE;
      server.script(answer({ ...fields, lineItems: [] }));
      const refined = await extractor.extract(input);
      const request = server.requests.at(-1)!;
      const sent = JSON.stringify(request.body);
      expect(sent).toContain(SAMPLE_INVOICE.invoiceNumber);
      expect(sent).not.toContain('%PDF');
      expect(refined.fields.total.value).toBe(SAMPLE_INVOICE.total);
      expect(refined.reasons.join(' ')).toMatch(/model/);

      server.script({ kind: 'status', status: 400 });
      const local = await extractor.extract(input);
      expect(local.reasons.join(' ')).toMatch(/local result kept/);
      expect(local.fields.invoiceNumber.value).toBe(SAMPLE_INVOICE.invoiceNumber);
    } finally {
      await extractor.close();
    }
  });
});
