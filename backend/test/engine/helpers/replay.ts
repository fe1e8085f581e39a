/**
 * Test doubles and runners for operator tests: a child operator that replays given step vectors (or
 * values per series and step, or a scalar), an instant selector over `load`ed series, and helpers that
 * drain an operator and render its output.
 */
import type { Labels } from '../../../src/storage';
import { stepCount, type QueryContext } from '../../../src/engine/model/context';
import { compareLabels, formatLabels } from '../../../src/engine/model/labels';
import type { VectorOperator } from '../../../src/engine/model/operator';
import type { StepVector } from '../../../src/engine/model/step-vector';
import type { LoadedSeries } from './promqltest';

export function stepTimes(ctx: QueryContext): number[] {
  return Array.from({ length: stepCount(ctx) }, (_, i) => ctx.start + i * ctx.step);
}

/** A step as tests write it: plain arrays, converted to a StepVector's columns when replayed. */
export interface PlainStep {
  t: number;
  ids: number[];
  values: number[];
}

/** Replays the given steps (fresh copies each time), cut into batches of the context's stepsBatch. */
export class ReplayOperator implements VectorOperator {
  private position = 0;

  constructor(
    private readonly ctx: QueryContext,
    private readonly labels: readonly Labels[],
    private readonly steps: readonly PlainStep[]
  ) {}

  async series(): Promise<readonly Labels[]> {
    return this.labels;
  }

  async next(): Promise<StepVector[] | null> {
    if (this.position >= this.steps.length) {
      return null;
    }
    const batch = this.steps.slice(this.position, this.position + this.ctx.stepsBatch);
    this.position += batch.length;
    return batch.map((v) => ({ t: v.t, ids: Int32Array.from(v.ids), values: Float64Array.from(v.values) }));
  }

  describe(): string {
    return '[replay]';
  }

  children(): readonly VectorOperator[] {
    return [];
  }
}

/** Replays `values[id][step]` (undefined: no sample) at the context's step times. */
export function replayValues(
  ctx: QueryContext,
  labels: readonly Labels[],
  values: readonly (readonly (number | undefined)[])[]
): ReplayOperator {
  const steps = stepTimes(ctx).map((t, step) => {
    const sv: PlainStep = { t, ids: [], values: [] };
    values.forEach((series, id) => {
      const v = series[step];
      if (v !== undefined) {
        sv.ids.push(id);
        sv.values.push(v);
      }
    });
    return sv;
  });
  return new ReplayOperator(ctx, labels, steps);
}

/** A scalar operator: one value per step (a function of the step time, or a constant). */
export function scalar(ctx: QueryContext, value: number | ((t: number) => number)): ReplayOperator {
  const at = typeof value === 'number' ? () => value : value;
  return replayValues(ctx, [[]], [stepTimes(ctx).map(at)]);
}

/**
 * An instant vector selector over loaded series: the latest sample within the 5m lookback at every
 * step, series in label order as the store returns them. Later loads of the same series win.
 */
export function select(ctx: QueryContext, data: LoadedSeries[], match: (labels: Labels) => boolean): ReplayOperator {
  const byKey = new Map<string, LoadedSeries[]>();
  for (const s of data.filter((d) => match(d.labels))) {
    const key = formatLabels(s.labels);
    byKey.set(key, [...(byKey.get(key) ?? []), s]);
  }
  const series = [...byKey.values()].sort((a, b) => compareLabels(a[0].labels, b[0].labels));
  const steps = stepTimes(ctx).map((t) => {
    const vector: PlainStep = { t, ids: [], values: [] };
    series.forEach((loads, id) => {
      let best: { t: number; v: number } | undefined;
      for (const s of loads) {
        s.points.forEach((v, i) => {
          const ts = i * s.interval;
          if (v !== undefined && ts <= t && ts > t - ctx.lookbackDelta && (best === undefined || ts >= best.t)) {
            best = { t: ts, v };
          }
        });
      }
      if (best !== undefined) {
        vector.ids.push(id);
        vector.values.push(best.v);
      }
    });
    return vector;
  });
  return new ReplayOperator(
    ctx,
    series.map((s) => s[0].labels),
    steps
  );
}

/** Matches labels by equality, with `name` standing for __name__. */
export function matching(name: string, equal: Record<string, string> = {}): (labels: Labels) => boolean {
  return (labels) => {
    const get = (n: string): string => labels.find((l) => l.name === n)?.value ?? '';
    return (name === '' || get('__name__') === name) && Object.entries(equal).every(([n, v]) => get(n) === v);
  };
}

export interface Collected {
  series: readonly Labels[];
  steps: PlainStep[];
  batchSizes: number[];
}

/** Drains an operator: its series, all its steps (as plain arrays) and the size of every batch. */
export async function collect(op: VectorOperator): Promise<Collected> {
  const series = await op.series();
  const steps: PlainStep[] = [];
  const batchSizes: number[] = [];
  for (let batch = await op.next(); batch !== null; batch = await op.next()) {
    batchSizes.push(batch.length);
    for (const sv of batch) steps.push({ t: sv.t, ids: Array.from(sv.ids), values: Array.from(sv.values) });
  }
  return { series, steps, batchSizes };
}

/** The result at one step as `labels → value`, in emission order. */
export function atStep(result: Collected, index = 0): [string, number][] {
  const v = result.steps[index];
  return v.ids.map((id, i) => [formatLabels(result.series[id]), v.values[i]]);
}

/**
 * A range result as `labels → values per step` (undefined where absent), only series with samples.
 * Fails where the operator lists a label set twice or gives a series two samples at one step.
 */
export function asMatrix(result: Collected): Map<string, (number | undefined)[]> {
  const keys = result.series.map(formatLabels);
  if (new Set(keys).size !== keys.length) {
    throw new Error(`duplicate output series: ${keys.join(' ')}`);
  }
  const out = new Map<string, (number | undefined)[]>();
  result.steps.forEach((v, step) => {
    v.ids.forEach((id, i) => {
      const key = keys[id];
      const row = out.get(key) ?? new Array<number | undefined>(result.steps.length).fill(undefined);
      if (row[step] !== undefined) {
        throw new Error(`two samples of ${key} at step ${step}`);
      }
      row[step] = v.values[i];
      out.set(key, row);
    });
  });
  return out;
}

/** Runs an operator over the context's range: asMatrix of its output, which must cover exactly the range's steps. */
export async function runRange(op: VectorOperator, ctx: QueryContext): Promise<Map<string, (number | undefined)[]>> {
  const result = await collect(op);
  expect(result.steps.map((sv) => sv.t)).toEqual(stepTimes(ctx));
  return asMatrix(result);
}
