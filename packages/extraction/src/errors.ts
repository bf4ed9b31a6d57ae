/**
 * The input itself cannot be read (corrupt or encrypted PDF, unreadable image).
 * Retrying cannot help, so callers treat it as final.
 */
export class UnreadableDocumentError extends Error {
  constructor(
    message: string,
    readonly reason: 'corrupt' | 'encrypted' | 'unsupported' | 'too-large',
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'UnreadableDocumentError';
  }
}
