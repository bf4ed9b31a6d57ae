import { textPdf } from '../../../test/helpers/documents.js';

/** An HTTP status, or `network-error` when no answer came (server killed, connection refused, 60 s timeout). */
export type UploadStatus = number | 'network-error';

export interface UploadOutcome {
  index: number;
  filename: string;
  status: UploadStatus;
  /** From a 2xx answer. */
  documentId?: string;
}

export interface UploadRunOptions {
  count: number;
  concurrency: number;
  entityId: string;
  token: string;
  /** The base URL of a server that is up; waits while none is. */
  serverUrl(): Promise<string>;
  /** Awaited before upload `index` starts: where a scenario triggers its fault and slows uploads during it. */
  beforeUpload?(index: number): Promise<void>;
}

const UPLOAD_TIMEOUT_MS = 60_000;

export const isAccepted = (status: UploadStatus) => typeof status === 'number' && status >= 200 && status < 300;

/** A distinct one-page invoice per upload, so every file is a new document. */
function chaosPdf(runId: string, index: number): Promise<Buffer> {
  return textPdf(['INVOICE', `Invoice # CHAOS-${runId}-${index}`, 'From: Chaos Supplies Ltd', `Total: $${index + 1}.00`], `${runId}-${index}`);
}

async function uploadOne(options: UploadRunOptions, runId: string, index: number): Promise<UploadOutcome> {
  const filename = `chaos-${runId}-${index}.pdf`;
  const form = new FormData();
  form.append('file', new Blob([await chaosPdf(runId, index)], { type: 'application/pdf' }), filename);
  try {
    const response = await fetch(`${await options.serverUrl()}/api/entities/${options.entityId}/bills/scan`, {
      method: 'POST',
      headers: { authorization: `Bearer ${options.token}` },
      body: form,
      signal: AbortSignal.timeout(UPLOAD_TIMEOUT_MS),
    });
    const body = (await response.json().catch(() => ({}))) as { documentId?: string };
    return { index, filename, status: response.status, ...(isAccepted(response.status) && body.documentId ? { documentId: body.documentId } : {}) };
  } catch {
    return { index, filename, status: 'network-error' };
  }
}

/** Uploads `count` distinct PDFs, `concurrency` at a time, each exactly once (a failed request is not retried). */
export async function uploadDocuments(options: UploadRunOptions, runId: string): Promise<UploadOutcome[]> {
  const outcomes: UploadOutcome[] = [];
  let next = 0;
  const lane = async () => {
    while (next < options.count) {
      const index = next++;
      await options.beforeUpload?.(index);
      outcomes.push(await uploadOne(options, runId, index));
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, lane));
  return outcomes.sort((a, b) => a.index - b.index);
}
