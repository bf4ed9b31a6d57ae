import type { UploadFile } from './corpus-files.js';

/** When one upload was sent and answered (Date.now() ms), and the document it made. */
export interface UploadTiming {
  documentId: string;
  /** Index into the servers the uploads were spread across. */
  server: number;
  startedAt: number;
  respondedAt: number;
}

export interface UploadStreamOptions {
  /** Server base URLs; file i goes to urls[i % urls.length]. */
  urls: string[];
  entityId: string;
  token: string;
  kind: 'bills' | 'invoices';
  /** Uploads in flight at once. */
  concurrency: number;
}

async function uploadOne(url: string, file: UploadFile, options: UploadStreamOptions): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([file.bytes], { type: file.mimeType }), file.filename);
  const response = await fetch(`${url}/api/entities/${options.entityId}/${options.kind}/scan`, {
    method: 'POST',
    headers: { authorization: `Bearer ${options.token}` },
    body: form,
  });
  const body = (await response.json()) as { documentId?: string; duplicate?: boolean; code?: string };
  if (response.status !== 202 || !body.documentId) throw new Error(`upload of ${file.filename} answered ${response.status} ${body.code ?? ''}${body.duplicate ? ' (duplicate)' : ''}`);
  return body.documentId;
}

/** Uploads every file once, `concurrency` at a time, spread round-robin across the servers; any answer but 202 aborts. */
export async function uploadStream(files: UploadFile[], options: UploadStreamOptions): Promise<UploadTiming[]> {
  const timings: UploadTiming[] = [];
  let next = 0;
  const client = async () => {
    while (next < files.length) {
      const index = next++;
      const server = index % options.urls.length;
      const startedAt = Date.now();
      const documentId = await uploadOne(options.urls[server]!, files[index]!, options);
      timings.push({ documentId, server, startedAt, respondedAt: Date.now() });
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, files.length) }, client));
  return timings;
}
