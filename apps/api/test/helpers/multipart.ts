import { randomUUID } from 'node:crypto';

/** One part of a hand-built form: a field without `filename`, a file with one. */
export interface FormPart {
  name: string;
  content: Uint8Array | string;
  filename?: string;
  contentType?: string;
}

/** A multipart/form-data body of these parts in this order, built by hand so tests control every byte. */
export function multipartParts(parts: FormPart[]) {
  const boundary = `----billflow${randomUUID()}`;
  const encoded = parts.map((part) =>
    Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"${part.filename === undefined ? '' : `; filename="${part.filename}"`}\r\n` +
          (part.contentType ? `Content-Type: ${part.contentType}\r\n` : '') +
          '\r\n',
      ),
      Buffer.from(part.content),
      Buffer.from('\r\n'),
    ]),
  );
  return { payload: Buffer.concat([...encoded, Buffer.from(`--${boundary}--\r\n`)]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** A multipart/form-data body with one file part. */
export function multipartBody(file: Uint8Array, options: { field?: string; filename?: string; contentType?: string } = {}) {
  return multipartParts([
    { name: options.field ?? 'file', filename: options.filename ?? 'document.pdf', contentType: options.contentType ?? 'application/octet-stream', content: file },
  ]);
}
