import { finished, PassThrough, type Readable } from 'node:stream';
import type { Multipart, MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';

/**
 * One file and at most a few small fields (ignored). `parts` equals files +
 * fields, so any extra part is refused whichever kind it is.
 */
export const MULTIPART_LIMITS = { files: 1, fields: 10, fieldSize: 1_024, parts: 11, headerPairs: 100 };

/** Room for part headers, boundaries and the small fields around the file. */
const ENVELOPE_BYTES = 64 * 1024;

/** Count and size limits answer 413 like an oversized file: the body carries more than we accept. */
const LIMIT_ERRORS: Record<string, () => AppError> = {
  FST_PARTS_LIMIT: () => new AppError(413, 'TOO_MANY_PARTS', `send at most ${MULTIPART_LIMITS.parts} multipart parts`, { limit: MULTIPART_LIMITS.parts }),
  FST_FILES_LIMIT: () => new AppError(413, 'TOO_MANY_FILES', 'send exactly one file, in the field `file`', { limit: MULTIPART_LIMITS.files }),
  FST_FIELDS_LIMIT: () => new AppError(413, 'TOO_MANY_FIELDS', `send at most ${MULTIPART_LIMITS.fields} fields besides the file`, { limit: MULTIPART_LIMITS.fields }),
};

const fieldTooLarge = () =>
  new AppError(413, 'FIELD_TOO_LARGE', `a form field is longer than ${MULTIPART_LIMITS.fieldSize} bytes`, { limit: MULTIPART_LIMITS.fieldSize });

const truncatedBody = () => new AppError(400, 'MALFORMED_MULTIPART', 'the multipart body ended before its closing boundary');
const missingBoundary = () => new AppError(400, 'MALFORMED_MULTIPART', 'the multipart content type names no boundary');
const overDeadline = (deadlineMs: number) =>
  new AppError(408, 'REQUEST_TIMEOUT', `the multipart body was not read within ${deadlineMs} ms`, { deadlineMs });

function asUploadError(error: unknown): unknown {
  const code = (error as { code?: string }).code;
  // The client went away (or the request timeout cut it off) before the body ended.
  if (code === 'ECONNRESET') return truncatedBody();
  if (error instanceof Error && error.message === 'Multipart: Boundary not found') return missingBoundary();
  const limitError = code ? LIMIT_ERRORS[code] : undefined;
  return limitError ? limitError() : error;
}

type Parts = AsyncIterator<Multipart>;

/** The next file part; fields before it are checked and skipped. Undefined when the body has no file. */
async function nextFile(parts: Parts): Promise<MultipartFile | undefined> {
  for (;;) {
    const next = await parts.next().catch((error: unknown) => Promise.reject(asUploadError(error)));
    if (next.done) return undefined;
    if (next.value.type === 'file') return next.value;
    if (next.value.valueTruncated) throw fieldTooLarge();
  }
}

/** The parts after the file: small fields only (a second file is refused by the files limit). */
async function restOfBody(parts: Parts): Promise<void> {
  const extra = await nextFile(parts);
  if (extra) {
    extra.file.resume();
    throw LIMIT_ERRORS.FST_FILES_LIMIT!();
  }
}

/**
 * The upload's one file, read from `request` as it arrives. The stream ends only
 * once the whole body was read and found within the limits; a second file, too
 * many parts or fields, an oversized field or a truncated body make it fail with
 * a 4xx AppError instead, so whoever stores the stream undoes what it stored.
 *
 * The whole body must be read within deadlineMs (408 otherwise): the multipart
 * parser (@fastify/busboy 3.2.6) stalls for good on some skipped parts larger
 * than its buffer, after the body has arrived, where no socket timeout applies.
 */
export async function singleUploadedFile(
  request: FastifyRequest,
  limits: { maxFileBytes: number; deadlineMs: number },
): Promise<{ filename: string; file: Readable }> {
  const { maxFileBytes, deadlineMs } = limits;
  const fileTooLarge = () => new AppError(413, 'FILE_TOO_LARGE', `the file is larger than ${maxFileBytes} bytes`, { maxBytes: maxFileBytes });
  if (Number(request.headers['content-length']) > maxFileBytes + ENVELOPE_BYTES) throw fileTooLarge();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(overDeadline(deadlineMs)), deadlineMs)));
  expired.catch(() => undefined);
  const parts = request.parts({ limits: { ...MULTIPART_LIMITS, fileSize: maxFileBytes + 1 } })[Symbol.asyncIterator]();
  const part = await Promise.race([nextFile(parts), expired]).catch((error: unknown) => {
    clearTimeout(timer);
    throw error;
  });
  if (!part || part.fieldname !== 'file') {
    clearTimeout(timer);
    part?.file.resume();
    throw new AppError(400, 'FILE_REQUIRED', 'send the document in the multipart field `file`');
  }

  const file = new PassThrough();
  // The consumer may look at the stream only later (it checks the entity first): an early
  // failure stays on the stream (readable.errored) for it instead of being an uncaught 'error'.
  file.on('error', () => undefined);
  const fail = (error: unknown) => {
    clearTimeout(timer);
    file.destroy(asUploadError(error) as Error);
  };
  expired.catch(fail);
  // `finished` also reports a part that ended or broke before these listeners existed.
  finished(part.file, (error) => {
    // Past fileSize the parser stops reading the part, which then looks cut short.
    if (part.file.truncated) fail(fileTooLarge());
    else if (error) fail(truncatedBody());
    else
      restOfBody(parts).then(() => {
        clearTimeout(timer);
        file.end();
      }, fail);
  });
  part.file.pipe(file, { end: false });
  return { filename: part.filename, file };
}
