import { abortError } from './errors';
import type { RuntimeMetrics } from './metrics';

export type CallOutcome = 'ok' | 'error' | 'cancelled';

/** One data or resource call in flight. */
export class TrackedCall {
  private readonly controller = new AbortController();
  private ended = false;

  constructor(
    private readonly tracker: CallTracker,
    readonly method: string,
    private readonly stopTimer: () => void
  ) {}

  /** Handlers see only this; it fires on Grafana's cancel or on Shutdown. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  cancel(reason: string): void {
    if (!this.controller.signal.aborted) {
      this.controller.abort(abortError(AbortSignal.abort(reason)));
    }
  }

  /** Records the outcome once; later calls are ignored. */
  end(outcome: CallOutcome): void {
    if (this.ended) {
      return;
    }
    this.ended = true;
    this.stopTimer();
    this.tracker.finished(this, outcome);
  }
}

/**
 * Knows every data and resource call in flight, so Shutdown can cancel them all and
 * CollectMetrics can count them.
 */
export class CallTracker {
  private readonly active = new Set<TrackedCall>();

  constructor(private readonly metrics: RuntimeMetrics) {}

  begin(method: string): TrackedCall {
    const call = new TrackedCall(this, method, this.metrics.callDuration.startTimer({ method }));
    this.active.add(call);
    this.metrics.callsInFlight.inc({ method });
    return call;
  }

  finished(call: TrackedCall, outcome: CallOutcome): void {
    if (this.active.delete(call)) {
      this.metrics.callsInFlight.dec({ method: call.method });
      this.metrics.calls.inc({ method: call.method, outcome });
    }
  }

  get size(): number {
    return this.active.size;
  }

  cancelAll(reason: string): void {
    for (const call of this.active) {
      call.cancel(reason);
    }
  }
}
