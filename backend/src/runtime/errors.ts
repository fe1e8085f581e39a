/** Where an error comes from, as Grafana classifies it (DataResponse.errorSource). */
export type ErrorSource = 'plugin' | 'downstream';

/**
 * An error that belongs to one query (refId): it becomes that refId's status and message while
 * the other queries of the request carry on.
 */
export class QueryError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly source: ErrorSource = 'plugin'
  ) {
    super(message);
    this.name = 'QueryError';
  }

  static badRequest(message: string): QueryError {
    return new QueryError(400, message, 'plugin');
  }
}

export function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

export function abortError(signal?: AbortSignal): Error {
  const reason: unknown = signal?.reason;
  if (reason instanceof Error && reason.name === 'AbortError') {
    return reason;
  }
  const error = new Error(typeof reason === 'string' ? reason : 'the call was cancelled');
  error.name = 'AbortError';
  return error;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
