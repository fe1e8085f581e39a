import { QueryError } from '../api';
import type { PositionRange } from '../parser/ast';

/** The evaluation window of an operator tree and the limits shared by all its operators. */
export interface QueryContext {
  /** The query text, for the positions in annotations. */
  query: string;
  /** First and last step (inclusive) and the step width, in ms. An instant query has start = end. */
  start: number;
  end: number;
  step: number;
  lookbackDelta: number;
  stepsBatch: number;
  noStepSubqueryInterval: number;
  samples: SampleBudget;
  annotations: Annotations;
  signal: AbortSignal;
  stats: { samplesScanned: number };
}

export function stepCount(ctx: Pick<QueryContext, 'start' | 'end' | 'step'>): number {
  return Math.floor((ctx.end - ctx.start) / ctx.step) + 1;
}

/**
 * Counts the samples a query holds in memory at once (Prometheus' max-samples limit): operators
 * `take()` when they load or produce samples and `give()` back what they drop.
 */
export class SampleBudget {
  private current = 0;
  peak = 0;
  constructor(readonly limit: number) {}

  take(n: number): void {
    this.current += n;
    if (this.current > this.peak) {
      this.peak = this.current;
    }
    if (this.current > this.limit) {
      throw new QueryError('execution', 'query processing would load too many samples into memory in query execution');
    }
  }

  give(n: number): void {
    this.current -= n;
  }
}

/** Warnings and infos (deduplicated), reported with the result like Prometheus' annotations. */
export class Annotations {
  readonly warnings = new Set<string>();
  readonly infos = new Set<string>();

  warn(message: string): void {
    this.warnings.add(`PromQL warning: ${message}`);
  }

  info(message: string): void {
    this.infos.add(`PromQL info: ${message}`);
  }
}

/** Throws the engine's cancellation or timeout error when the query's signal fired. */
export function checkAborted(signal: AbortSignal): void {
  if (signal.aborted) {
    const reason: unknown = signal.reason;
    if (reason instanceof QueryError) {
      throw reason;
    }
    throw new QueryError('canceled', 'query was canceled');
  }
}

/** Prometheus' `line:col` of a position (1-based), as annotations and some errors show it. */
export function positionText(query: string, pos: PositionRange): string {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < pos.start && i < query.length; i++) {
    if (query.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return `${line}:${pos.start - lineStart + 1}`;
}

/** An annotation sink for one expression: messages get the expression's position appended. */
export function annotationsAt(ctx: Pick<QueryContext, 'query' | 'annotations'>, pos: PositionRange) {
  const where = ` (${positionText(ctx.query, pos)})`;
  return {
    warn: (message: string) => ctx.annotations.warn(message + where),
    info: (message: string) => ctx.annotations.info(message + where),
  };
}
