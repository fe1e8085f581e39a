import { Annotations, type QueryContext, SampleBudget } from '../../../src/engine/model/context';

/**
 * A query context for operator unit tests: 1m steps and batches of 3 steps unless given, 5m lookback,
 * 1m subquery step, no practical sample limit. Without `end` it is an instant query at `start`.
 */
export function testContext(
  range: { start?: number; end?: number; step?: number; stepsBatch?: number; query?: string } = {}
): QueryContext {
  return {
    query: range.query ?? '',
    start: range.start ?? 0,
    end: range.end ?? range.start ?? 0,
    step: range.step ?? 60_000,
    lookbackDelta: 5 * 60_000,
    stepsBatch: range.stepsBatch ?? 3,
    noStepSubqueryInterval: 60_000,
    samples: new SampleBudget(1e9),
    annotations: new Annotations(),
    signal: new AbortController().signal,
    stats: { samplesScanned: 0 },
  };
}
