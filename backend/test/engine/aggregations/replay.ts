/**
 * Test doubles for the aggregation operators: a child operator that replays given series and step
 * vectors, and a tiny loader for promqltest-style `load` lines whose instant-selector values feed it.
 */
import type { Labels } from '../../../src/storage';
import { engineTestContext } from '../helpers/context';
import { stepCount, type QueryContext } from '../../../src/engine/model/context';
import { compareLabels, formatLabels } from '../../../src/engine/model/labels';
import type { VectorOperator } from '../../../src/engine/model/operator';
import type { StepVector } from '../../../src/engine/model/step-vector';

export function makeContext(range: { start: number; end?: number; step?: number; stepsBatch?: number }): QueryContext {
  return engineTestContext({ step: 1, stepsBatch: 3, ...range });
}

export function stepTimes(ctx: QueryContext): number[] {
  return Array.from({ length: stepCount(ctx) }, (_, i) => ctx.start + i * ctx.step);
}

export class ReplayOperator implements VectorOperator {
  private position = 0;
  constructor(
    private readonly ctx: QueryContext,
    private readonly labels: Labels[],
    private readonly steps: StepVector[]
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
    return batch.map((v) => ({ t: v.t, ids: [...v.ids], values: [...v.values] }));
  }

  describe(): string {
    return 'replay';
  }

  children(): readonly VectorOperator[] {
    return [];
  }
}

/** A scalar operator: one value per step (a function of the step time, or a constant). */
export function scalar(ctx: QueryContext, value: number | ((t: number) => number)): ReplayOperator {
  const at = typeof value === 'number' ? () => value : value;
  return new ReplayOperator(
    ctx,
    [[]],
    stepTimes(ctx).map((t) => ({ t, ids: [0], values: [at(t)] }))
  );
}

/** `{a="b", c="d"}` or `name{a="b"}` into sorted labels. */
export function parseLabels(text: string): Labels {
  const m = /^([^{\s]*)\s*(?:\{(.*)\})?$/.exec(text.trim());
  if (m === null) {
    throw new Error(`bad series ${text}`);
  }
  const labels: { name: string; value: string }[] = [];
  if (m[1] !== '') {
    labels.push({ name: '__name__', value: m[1] });
  }
  for (const pair of (m[2] ?? '').matchAll(/([\w.]+)\s*=\s*"((?:[^"\\]|\\.)*)"/g)) {
    labels.push({ name: pair[1], value: JSON.parse(`"${pair[2]}"`) as string });
  }
  return labels.sort((a, b) => (a.name < b.name ? -1 : 1));
}

function parseValue(text: string): number {
  const t = text.toLowerCase();
  if (t === 'nan') {
    return NaN;
  }
  if (t === 'inf' || t === '+inf') {
    return Infinity;
  }
  if (t === '-inf') {
    return -Infinity;
  }
  return Number(text);
}

/** promqltest's expanding notation: `a+bxn`, `a-bxn`, `axn`, `_`, `_xn`, plain values. */
function expandPoints(text: string): (number | undefined)[] {
  const out: (number | undefined)[] = [];
  for (const token of text.trim().split(/\s+/)) {
    const missing = /^_(?:x(\d+))?$/.exec(token);
    if (missing) {
      for (let i = 0; i < Number(missing[1] ?? 1); i++) {
        out.push(undefined);
      }
      continue;
    }
    const m = /^([-+]?[^-+x]+(?:e[-+]?\d+)?)(?:([-+])([^x]+))?x(\d+)$/i.exec(token);
    if (m) {
      const start = parseValue(m[1]);
      const delta = m[2] === undefined ? 0 : parseValue(m[3]) * (m[2] === '-' ? -1 : 1);
      for (let i = 0; i <= Number(m[4]); i++) {
        out.push(start + i * delta);
      }
      continue;
    }
    out.push(parseValue(token));
  }
  return out;
}

export interface LoadedSeries {
  labels: Labels;
  /** Sample values at t = i * interval. */
  points: (number | undefined)[];
  interval: number;
}

/** One `load <interval>` block: `<series> <points>` per line. */
export function load(intervalMs: number, block: string): LoadedSeries[] {
  return block
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((line) => {
      const close = line.lastIndexOf('}');
      const split = close >= 0 ? close + 1 : line.indexOf(' ');
      return {
        labels: parseLabels(line.slice(0, split)),
        points: expandPoints(line.slice(split)),
        interval: intervalMs,
      };
    });
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
    const vector: StepVector = { t, ids: [], values: [] };
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
  steps: StepVector[];
  batchSizes: number[];
}

export async function collect(op: VectorOperator): Promise<Collected> {
  const series = await op.series();
  const steps: StepVector[] = [];
  const batchSizes: number[] = [];
  for (let batch = await op.next(); batch !== null; batch = await op.next()) {
    batchSizes.push(batch.length);
    steps.push(...batch);
  }
  return { series, steps, batchSizes };
}

/** The result at one step as `labels → value`, in emission order. */
export function atStep(result: Collected, index = 0): [string, number][] {
  const v = result.steps[index];
  return v.ids.map((id, i) => [formatLabels(result.series[id]), v.values[i]]);
}

/** A range result as `labels → values per step` (undefined where absent), only series with samples. */
export function asMatrix(result: Collected): Map<string, (number | undefined)[]> {
  const out = new Map<string, (number | undefined)[]>();
  result.steps.forEach((v, step) => {
    v.ids.forEach((id, i) => {
      const key = formatLabels(result.series[id]);
      const row = out.get(key) ?? new Array<number | undefined>(result.steps.length).fill(undefined);
      row[step] = v.values[i];
      out.set(key, row);
    });
  });
  return out;
}

/** promqltest's comparison: relative tolerance 1e-6, NaN equals NaN. */
export function almostEqual(a: number | undefined, b: number | undefined): boolean {
  if (a === undefined || b === undefined) {
    return a === b;
  }
  if (Number.isNaN(a) || Number.isNaN(b)) {
    return Number.isNaN(a) && Number.isNaN(b);
  }
  if (a === b) {
    return true;
  }
  return Math.abs(a - b) <= 1e-6 * Math.max(Math.abs(a), Math.abs(b));
}

/** Expected instant results in promqltest notation: `{a="b"} 1` per line. */
export function expectInstant(actual: [string, number][], expected: string, ordered = false): void {
  const want = expected
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .map((l): [string, number] => {
      const close = l.lastIndexOf('}');
      return [formatLabels(parseLabels(l.slice(0, close + 1))), parseValue(l.slice(close + 1).trim())];
    });
  const sortKey = (e: [string, number][]): [string, number][] =>
    ordered ? e : [...e].sort((x, y) => (x[0] < y[0] ? -1 : 1));
  const a = sortKey(actual);
  const w = sortKey(want);
  const ok = a.length === w.length && a.every((e, i) => e[0] === w[i][0] && almostEqual(e[1], w[i][1]));
  if (!ok) {
    throw new Error(
      `result mismatch\nexpected:\n${w.map((e) => `  ${e[0]} ${e[1]}`).join('\n')}\nactual:\n${a.map((e) => `  ${e[0]} ${e[1]}`).join('\n')}`
    );
  }
}

/** Expected range results: `{a="b"} 1 2 _ 4` per line (points in expanding notation). */
export function expectMatrix(actual: Map<string, (number | undefined)[]>, expected: string): void {
  const want = new Map<string, (number | undefined)[]>();
  for (const l of expected.split('\n').map((x) => x.trim())) {
    if (l === '') {
      continue;
    }
    const close = l.lastIndexOf('}');
    want.set(formatLabels(parseLabels(l.slice(0, close + 1))), expandPoints(l.slice(close + 1)));
  }
  const describe = (m: Map<string, (number | undefined)[]>): string =>
    [...m.entries()]
      .map(([k, v]) => `  ${k} ${v.map((x) => (x === undefined ? '_' : String(x))).join(' ')}`)
      .join('\n');
  const ok =
    actual.size === want.size &&
    [...want.entries()].every(([k, w]) => {
      const a = actual.get(k);
      return a !== undefined && a.length === w.length && a.every((x, i) => almostEqual(x, w[i]));
    });
  if (!ok) {
    throw new Error(`result mismatch\nexpected:\n${describe(want)}\nactual:\n${describe(actual)}`);
  }
}
