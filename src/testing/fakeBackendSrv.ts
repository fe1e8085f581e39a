import type { BackendSrv, BackendSrvRequest, FetchResponse } from '@grafana/runtime';
import { Observable, of, Subscriber, throwError } from 'rxjs';

/**
 * One response of a fake `chunked()` call, driven by the test: set the status, send bytes in any
 * split, end or break the body. `cancelled` tells whether the client unsubscribed (aborted).
 */
export class ControlledResponse {
  cancelled = false;
  private subscriber?: Subscriber<FetchResponse<Uint8Array | undefined>>;
  private status = 200;
  private closed = false;

  constructor(readonly options: BackendSrvRequest) {}

  get body(): unknown {
    return this.options.data;
  }

  attach(subscriber: Subscriber<FetchResponse<Uint8Array | undefined>>): () => void {
    this.subscriber = subscriber;
    return () => {
      if (!this.closed) {
        this.cancelled = true;
      }
    };
  }

  /** The status line: chunked() reports it with the first piece of the body. */
  respond(status: number): this {
    this.status = status;
    this.emit(undefined);
    return this;
  }

  send(data: string | Uint8Array): this {
    this.emit(typeof data === 'string' ? new TextEncoder().encode(data) : data);
    return this;
  }

  /** The end of the body, as Grafana's chunked() reports it: a last emission without data. */
  end(): void {
    this.emit(undefined);
    this.closed = true;
    this.subscriber?.complete();
  }

  /** A broken connection. */
  fail(error: unknown): void {
    this.closed = true;
    this.subscriber?.error(error);
  }

  private emit(data: Uint8Array | undefined): void {
    const status = this.status;
    this.subscriber?.next({
      data,
      status,
      ok: status >= 200 && status < 300,
      statusText: '',
      headers: new Headers(),
      redirected: false,
      type: 'basic',
      url: this.options.url,
      config: this.options,
    });
  }
}

type FetchHandler = (options: BackendSrvRequest) => unknown;

/**
 * The edge the frontend talks through: installed with setBackendSrv(), so Grafana's own base class
 * (super.query, getResource, health) and Sluice's code both reach it.
 */
export class FakeBackendSrv {
  readonly chunkedResponses: ControlledResponse[] = [];
  readonly fetchRequests: BackendSrvRequest[] = [];
  /** Called as each chunked() request is subscribed; may answer at once (synchronously). */
  onChunked: (response: ControlledResponse) => void = () => undefined;
  /** Answers fetch(): return a body, or throw {status, data} for an HTTP error. */
  onFetch: FetchHandler = () => ({});

  readonly chunked = jest.fn(
    (options: BackendSrvRequest) =>
      new Observable<FetchResponse<Uint8Array | undefined>>((subscriber) => {
        const response = new ControlledResponse(options);
        this.chunkedResponses.push(response);
        const detach = response.attach(subscriber);
        this.onChunked(response);
        return detach;
      })
  );

  readonly fetch = jest.fn((options: BackendSrvRequest) => {
    this.fetchRequests.push(options);
    let data: unknown;
    try {
      data = this.onFetch(options);
    } catch (error) {
      return throwError(() => error);
    }
    return of({
      data,
      status: 200,
      ok: true,
      statusText: 'OK',
      headers: new Headers(),
      redirected: false,
      type: 'basic' as ResponseType,
      url: options.url,
      config: options,
    });
  });

  /** The last chunked() response, for tests that drive one request at a time. */
  get last(): ControlledResponse {
    const response = this.chunkedResponses[this.chunkedResponses.length - 1];
    if (!response) {
      throw new Error('no chunked() request was made');
    }
    return response;
  }

  asBackendSrv(): BackendSrv {
    return this as unknown as BackendSrv;
  }
}
