import { Annotations, type QueryContext, SampleBudget } from '../../../src/engine/model/context';

/** A query context for operator unit tests: 5m lookback, 1m subquery step, no practical sample limit. */
export function engineTestContext(
  range: { start?: number; end?: number; step?: number; stepsBatch?: number; query?: string } = {}
): QueryContext {
  return {
    query: range.query ?? '',
    start: range.start ?? 0,
    end: range.end ?? range.start ?? 0,
    step: range.step ?? 60_000,
    lookbackDelta: 5 * 60_000,
    stepsBatch: range.stepsBatch ?? 10,
    noStepSubqueryInterval: 60_000,
    samples: new SampleBudget(1e9),
    annotations: new Annotations(),
    signal: new AbortController().signal,
    stats: { samplesScanned: 0 },
  };
}
