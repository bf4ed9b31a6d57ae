import { randomUUID } from 'node:crypto';

/** A multipart/form-data body with one file part, built by hand so tests control every byte. */
export function multipartBody(file: Uint8Array, options: { field?: string; filename?: string; contentType?: string } = {}) {
  const boundary = `----billflow${randomUUID()}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${options.field ?? 'file'}"; filename="${options.filename ?? 'document.pdf'}"\r\n` +
      `Content-Type: ${options.contentType ?? 'application/octet-stream'}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { payload: Buffer.concat([head, file, tail]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
