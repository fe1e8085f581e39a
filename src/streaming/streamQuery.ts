import { DataQueryError, DataQueryResponse, LoadingState } from '@grafana/data';
import { Observable, Subscriber, Subscription } from 'rxjs';

import type { BrowserLimits } from '../settings';
import { ByteChunk, ByteSource, HttpStatusError, messageFromBody } from './byteSource';
import type { StreamEvent } from './events';
import { FrameAccumulator } from './frameAccumulator';
import { LineSplitter } from './lineReader';
import { QueryProgress } from './progress';
import type { StreamTransport, TransportName } from './transports';

/** The transport is not there (404/406/501 before the first line): try the next one. */
export class TransportUnavailableError extends Error {
  constructor(
    readonly transport: TransportName,
    readonly status: number
  ) {
    super(`the ${transport} transport is not available here (HTTP ${status})`);
    this.name = 'TransportUnavailableError';
  }
}

export interface StreamingQueryOptions {
  transport: StreamTransport;
  source: ByteSource;
  /** The `{from, to, queries}` request body. */
  body: unknown;
  headers: Record<string, string>;
  requestId?: string;
  /** The queries of the request, in order: each gets a packet even if nothing arrived for it. */
  refIds: string[];
  limits: BrowserLimits;
  /** Cumulative snapshots go out at most this often, plus the final one. */
  snapshotIntervalMs: number;
}

/** Error bodies are only read for their message. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;

/**
 * Runs one query request over a streaming transport. Emits cumulative frames per query (key =
 * refId, state Streaming) as chunks arrive, then one Done packet per query, then completes.
 * Query errors and stream failures become packet errors, with the rows already received kept;
 * the only error thrown is TransportUnavailableError, before anything was emitted.
 * Unsubscribing aborts the request.
 */
export function streamingQuery(options: StreamingQueryOptions): Observable<DataQueryResponse> {
  return new Observable<DataQueryResponse>((subscriber) => new StreamingRun(options, subscriber).start());
}

class StreamingRun {
  private readonly lines = new LineSplitter();
  private readonly frames: FrameAccumulator;
  private readonly progress = new Map<string, QueryProgress>();
  private readonly errors = new Map<string, DataQueryError>();
  private readonly dirty = new Set<string>();
  private readonly startedAt = Date.now();
  private status?: number;
  /** Set when the response is an HTTP error: its body is kept for the message. */
  private errorBody?: Uint8Array[];
  private errorBodyBytes = 0;
  private sawLine = false;
  private sawEnd = false;
  private finished = false;
  private source?: Subscription;
  private timer?: ReturnType<typeof setTimeout>;
  private lastEmitAt = -Infinity;

  constructor(
    private readonly options: StreamingQueryOptions,
    private readonly subscriber: Subscriber<DataQueryResponse>
  ) {
    this.frames = new FrameAccumulator(options.limits);
  }

  start(): () => void {
    const { transport, body, headers, requestId } = this.options;
    const source = this.options
      .source({ url: transport.url, body, requestId, headers: { ...headers, Accept: transport.accept } })
      .subscribe({
        next: (chunk) => this.guard(() => this.onChunk(chunk)),
        error: (error: unknown) => this.guard(() => this.onSourceError(error)),
        complete: () => this.guard(() => this.onSourceComplete()),
      });
    this.source = source;
    // A source that emits synchronously may have finished the run before subscribe() returned.
    if (this.finished) {
      source.unsubscribe();
    }
    return () => this.stop();
  }

  /** Nothing may escape into the source's callbacks: a bug here becomes the request's error. */
  private guard(step: () => void): void {
    try {
      step();
    } catch (error) {
      this.failRequest(`Sluice could not read the ${this.options.transport.name} stream: ${errorText(error)}`);
    }
  }

  private onChunk(chunk: ByteChunk): void {
    if (this.finished) {
      return;
    }
    if (this.status === undefined) {
      this.status = chunk.status;
      if (this.options.transport.unavailableStatuses.includes(chunk.status)) {
        return this.unavailable(chunk.status);
      }
      if (!chunk.ok) {
        this.errorBody = [];
      }
    }
    if (!chunk.bytes || chunk.bytes.length === 0) {
      return;
    }
    if (this.errorBody) {
      if (this.errorBodyBytes < MAX_ERROR_BODY_BYTES) {
        this.errorBody.push(chunk.bytes);
        this.errorBodyBytes += chunk.bytes.length;
      }
      return;
    }
    this.handleLines(this.lines.push(chunk.bytes));
    if (this.finished) {
      return;
    }
    if (this.sawEnd || this.options.refIds.every((refId) => this.frames.isCut(refId))) {
      // Complete, or nothing more would be kept: stop reading, which also tells the backend to stop.
      return this.finish();
    }
    this.scheduleSnapshot();
  }

  private onSourceComplete(): void {
    if (this.finished) {
      return;
    }
    if (this.errorBody) {
      return this.failHttp();
    }
    this.handleLines(this.lines.end());
    if (!this.finished && this.options.transport.requiresEndLine && !this.sawEnd) {
      return this.failRequest(
        'stream ended early: the response closed before its end line, so the result is incomplete'
      );
    }
    this.finish();
  }

  private onSourceError(error: unknown): void {
    if (this.finished) {
      return;
    }
    if (error instanceof HttpStatusError && !this.sawLine) {
      if (this.options.transport.unavailableStatuses.includes(error.status)) {
        return this.unavailable(error.status);
      }
      return this.failRequest(`HTTP ${error.status}: ${error.message}`, error.status);
    }
    this.failRequest(
      this.sawLine
        ? `stream interrupted, the result is incomplete: ${errorText(error)}`
        : `request failed: ${errorText(error)}`
    );
  }

  private handleLines(lines: string[]): void {
    for (const line of lines) {
      if (this.finished || this.sawEnd) {
        return;
      }
      this.handleLine(line);
    }
  }

  private handleLine(line: string): void {
    const event: StreamEvent | undefined = this.options.transport.parseLine(line);
    this.sawLine = true;
    if (!event) {
      return;
    }
    switch (event.type) {
      case 'frame': {
        const progress = this.progressOf(event.refId);
        this.dirty.add(event.refId);
        try {
          const result = this.frames.add(event.refId, event.frameId, event.frame);
          progress.addChunk(result.rows, line.length);
          result.changed.forEach((refId) => this.dirty.add(refId));
        } catch (error) {
          // A chunk that does not fit its frame spoils that query only.
          progress.addChunk(0, line.length);
          this.setError(event.refId, { message: errorText(error) });
        }
        return;
      }
      case 'progress':
        this.progressOf(event.refId).setTotal(event.total);
        this.progressOf(event.refId).setSeries(event);
        this.dirty.add(event.refId);
        return;
      case 'error':
        if (event.refId === undefined) {
          return this.failRequest(event.message, event.status);
        }
        this.setError(event.refId, { message: event.message, status: event.status });
        return;
      case 'end':
        this.sawEnd = true;
        return;
    }
  }

  private progressOf(refId: string): QueryProgress {
    let progress = this.progress.get(refId);
    if (!progress) {
      progress = new QueryProgress();
      this.progress.set(refId, progress);
    }
    return progress;
  }

  private setError(refId: string, error: Omit<DataQueryError, 'refId'>): void {
    if (!this.errors.has(refId)) {
      this.errors.set(refId, { ...error, refId });
    }
    this.dirty.add(refId);
  }

  private failHttp(): void {
    const bytes = new Uint8Array(this.errorBodyBytes);
    let offset = 0;
    for (const piece of this.errorBody ?? []) {
      bytes.set(piece.subarray(0, bytes.length - offset), offset);
      offset += Math.min(piece.length, bytes.length - offset);
    }
    const message = messageFromBody(new TextDecoder().decode(bytes)) ?? 'no message';
    this.failRequest(`HTTP ${this.status}: ${message}`, this.status);
  }

  /** The whole request failed: every query without an error of its own gets this one. */
  private failRequest(message: string, status?: number): void {
    if (this.finished) {
      return;
    }
    for (const refId of this.allRefIds()) {
      this.setError(refId, { message, status });
    }
    this.finish();
  }

  private unavailable(status: number): void {
    this.stop();
    this.subscriber.error(new TransportUnavailableError(this.options.transport.name, status));
  }

  private finish(): void {
    if (this.finished) {
      return;
    }
    this.stop();
    this.emit(LoadingState.Done, this.allRefIds());
    this.subscriber.complete();
  }

  /** Teardown: stop reading (aborting the request), no more emissions. */
  private stop(): void {
    this.finished = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.source?.unsubscribe();
  }

  private scheduleSnapshot(): void {
    if (this.dirty.size === 0 || this.timer !== undefined) {
      return;
    }
    const wait = this.lastEmitAt + this.options.snapshotIntervalMs - Date.now();
    if (wait <= 0) {
      this.emit(LoadingState.Streaming, [...this.dirty]);
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.finished) {
        this.emit(LoadingState.Streaming, [...this.dirty]);
      }
    }, wait);
  }

  private emit(state: LoadingState, refIds: string[]): void {
    const now = Date.now();
    const elapsed = now - this.startedAt;
    for (const refId of refIds) {
      const progress = this.progress.get(refId);
      const data = this.frames.snapshot(refId, {
        stats: progress?.stats(elapsed),
        // The progress notice is for the wait; the final packet drops it.
        notices: progress && state === LoadingState.Streaming ? [progress.notice(elapsed)] : undefined,
      });
      const error = this.errors.get(refId);
      this.subscriber.next(error ? { key: refId, state, data, errors: [error] } : { key: refId, state, data });
    }
    this.dirty.clear();
    this.lastEmitAt = now;
  }

  /** The request's queries first, in order, then any other refId the stream mentioned. */
  private allRefIds(): string[] {
    const seen = [...this.options.refIds, ...this.frames.refIds(), ...this.progress.keys(), ...this.errors.keys()];
    return [...new Set(seen)];
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
