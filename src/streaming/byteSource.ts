import { config, getBackendSrv } from '@grafana/runtime';
import { Observable } from 'rxjs';
import { catchError, map } from 'rxjs/operators';

/** A streaming POST: JSON body out, bytes back. */
export interface ByteRequest {
  url: string;
  headers: Record<string, string>;
  body: unknown;
  /** Grafana cancels an in-flight request when another one with the same id starts. */
  requestId?: string;
}

/**
 * A piece of the response body. Every piece carries the response's status, so the first one
 * decides between reading, falling back and failing; `bytes` may be absent (headers only).
 */
export interface ByteChunk {
  status: number;
  ok: boolean;
  bytes?: Uint8Array;
}

/**
 * Where streamed bytes come from: emits the body in pieces as they arrive and completes at its end.
 * Unsubscribing must abort the request, which is how the backend learns to stop. Tests feed
 * generated streams through this interface.
 */
export type ByteSource = (request: ByteRequest) => Observable<ByteChunk>;

/** An HTTP failure reported by a byte source as an error rather than as a chunk. */
export class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    message: string
  ) {
    super(message);
    this.name = 'HttpStatusError';
  }
}

/** getBackendSrv().chunked() (Grafana 11.6+) if this Grafana has it, else fetch + ReadableStream. */
export function defaultByteSource(): ByteSource {
  const backendSrv = getBackendSrv();
  return typeof backendSrv?.chunked === 'function' ? backendSrvByteSource : fetchByteSource(globalThis.fetch);
}

/** Grafana's chunked(): its auth, org header and base URL; unsubscribing aborts the fetch. */
export const backendSrvByteSource: ByteSource = (request) =>
  getBackendSrv()
    .chunked({
      url: request.url,
      method: 'POST',
      data: request.body,
      headers: request.headers,
      requestId: request.requestId,
      showErrorAlert: false,
    })
    .pipe(
      map((response) => ({ status: response.status, ok: response.ok, bytes: response.data })),
      catchError((error: unknown) => {
        throw toHttpStatusError(error) ?? error;
      })
    );

/** fetch + ReadableStream, for Grafana versions without chunked(). */
export function fetchByteSource(fetchImpl: typeof fetch): ByteSource {
  return (request) =>
    new Observable<ByteChunk>((subscriber) => {
      const controller = new AbortController();
      let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
      const read = async () => {
        const response = await fetchImpl(`${config.appSubUrl ?? ''}${request.url}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', ...orgHeader(), ...request.headers },
          body: JSON.stringify(request.body),
          credentials: 'same-origin',
          signal: controller.signal,
        });
        const head = { status: response.status, ok: response.ok };
        if (!response.body) {
          subscriber.next({ ...head, bytes: new Uint8Array(await response.arrayBuffer()) });
          subscriber.complete();
          return;
        }
        subscriber.next(head);
        reader = response.body.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done || controller.signal.aborted) {
            break;
          }
          subscriber.next({ ...head, bytes: value });
        }
        subscriber.complete();
      };
      read().catch((error: unknown) => {
        if (!controller.signal.aborted) {
          subscriber.error(error);
        }
      });
      return () => {
        controller.abort();
        reader?.cancel().catch(() => undefined);
      };
    });
}

/** backendSrv adds the org header itself; a bare fetch has to. */
function orgHeader(): Record<string, string> {
  const orgId = config.bootData?.user?.orgId;
  return orgId ? { 'X-Grafana-Org-Id': String(orgId) } : {};
}

/** Grafana's fetch errors are objects with `status` and `data`; anything else stays as it is. */
function toHttpStatusError(error: unknown): HttpStatusError | undefined {
  if (error instanceof HttpStatusError) {
    return error;
  }
  if (error && typeof error === 'object' && typeof (error as { status?: unknown }).status === 'number') {
    const { status, data, statusText } = error as { status: number; data?: unknown; statusText?: string };
    return new HttpStatusError(status, messageFromBody(data) ?? statusText ?? `HTTP ${status}`);
  }
  return undefined;
}

/** The human part of an error body: Grafana's `message`, the backend's `error`, or the text. */
export function messageFromBody(body: unknown): string | undefined {
  if (typeof body === 'string') {
    const text = body.trim();
    if (text.startsWith('{')) {
      try {
        return messageFromBody(JSON.parse(text));
      } catch {
        // not JSON after all: the text is the message
      }
    }
    return text === '' ? undefined : text.slice(0, 500);
  }
  if (body && typeof body === 'object') {
    const { message, error } = body as { message?: unknown; error?: unknown };
    if (typeof message === 'string' && message !== '') {
      return message;
    }
    if (typeof error === 'string' && error !== '') {
      return error;
    }
  }
  return undefined;
}
