/** A request the receiver refuses; `status` is the HTTP status to answer with, `message` the body. */
export class IngestError extends Error {
  constructor(
    readonly status: 400 | 401 | 404 | 405 | 413 | 415,
    message: string
  ) {
    super(message);
    this.name = 'IngestError';
  }
}

export function badRequest(message: string): IngestError {
  return new IngestError(400, message);
}
