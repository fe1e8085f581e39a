/**
 * Test helpers: promqltest's `load` notation expanded into samples, range windows cut like the
 * engine cuts them ((t - range, t], left-open), and a replaying child operator.
 */
import type { Labels } from '../../../src/storage';
import type { AnnotationSink, RangeFunction, RangeWindow } from '../../../src/engine/functions/types';
import { engineTestContext } from '../helpers/context';
import { type QueryContext } from '../../../src/engine/model/context';
import type { VectorOperator } from '../../../src/engine/model/operator';
import type { StepVector } from '../../../src/engine/model/step-vector';

export interface Samples {
  ts: number[];
  vs: number[];
}

function parseValue(s: string): number {
  if (/^[+-]?inf$/i.test(s)) {
    return s.startsWith('-') ? -Infinity : Infinity;
  }
  return s.toLowerCase() === 'nan' ? NaN : Number(s);
}

/** Expands `load` points ("0+10x3 _ 5 NaN 1x2") at t = 0, interval, 2·interval, … (ms). */
export function load(points: string, intervalMs: number): Samples {
  const out: Samples = { ts: [], vs: [] };
  let slot = 0;
  for (const item of points.trim().split(/\s+/)) {
    const gap = /^_(?:x(\d+))?$/.exec(item);
    if (gap) {
      slot += gap[1] === undefined ? 1 : Number(gap[1]);
      continue;
    }
    const series = /^([+-]?[^+\-x]+(?:e[+-]?\d+)?)(?:([+-])([^x]+))?x(\d+)$/i.exec(item);
    if (series) {
      const start = parseValue(series[1]);
      const step = series[3] === undefined ? 0 : parseValue(series[3]) * (series[2] === '-' ? -1 : 1);
      for (let i = 0; i <= Number(series[4]); i++) {
        out.ts.push(slot++ * intervalMs);
        out.vs.push(start + i * step);
      }
      continue;
    }
    out.ts.push(slot++ * intervalMs);
    out.vs.push(parseValue(item));
  }
  return out;
}

/** The window (t - range - offset, t - offset] over `samples`. */
export function windowAt(samples: Samples, t: number, range: number, offset = 0): RangeWindow {
  const rangeEnd = t - offset;
  const rangeStart = rangeEnd - range;
  let from = 0;
  while (from < samples.ts.length && samples.ts[from] <= rangeStart) from++;
  let to = from;
  while (to < samples.ts.length && samples.ts[to] <= rangeEnd) to++;
  return { ts: samples.ts, vs: samples.vs, from, to, rangeStart, rangeEnd };
}

export class RecordingSink implements AnnotationSink {
  readonly warnings: string[] = [];
  readonly infos: string[] = [];
  warn(message: string): void {
    this.warnings.push(message);
  }
  info(message: string): void {
    this.infos.push(message);
  }
}

export interface EvalOptions {
  args?: number[];
  metricName?: string;
  offset?: number;
  sink?: RecordingSink;
}

/** One step of a range function, like `fn(metric[range] offset o)` evaluated at t. */
export function evalRange(
  fn: RangeFunction,
  samples: Samples,
  t: number,
  range: number,
  options: EvalOptions = {}
): number | undefined {
  return fn.compute({
    window: windowAt(samples, t, range, options.offset),
    t,
    args: options.args ?? [],
    metricName: options.metricName ?? '',
    annotations: options.sink ?? new RecordingSink(),
  });
}

export const S = 1000;
export const M = 60 * S;

export function testContext(start: number, end: number, step: number, query = ''): QueryContext {
  return engineTestContext({ start, end, step, query });
}

/**
 * A child operator replaying given series: `values[id][step]` (undefined = no sample), cut into
 * batches of the context's stepsBatch.
 */
export class ReplayOperator implements VectorOperator {
  private step = 0;
  constructor(
    private readonly ctx: QueryContext,
    private readonly labels: Labels[],
    private readonly values: (number | undefined)[][]
  ) {}

  static scalar(ctx: QueryContext, value: number | ((t: number) => number)): ReplayOperator {
    const steps = Math.floor((ctx.end - ctx.start) / ctx.step) + 1;
    const at = (i: number) => (typeof value === 'number' ? value : value(ctx.start + i * ctx.step));
    return new ReplayOperator(ctx, [[]], [Array.from({ length: steps }, (_, i) => at(i))]);
  }

  async series(): Promise<readonly Labels[]> {
    return this.labels;
  }

  async next(): Promise<StepVector[] | null> {
    const steps = Math.floor((this.ctx.end - this.ctx.start) / this.ctx.step) + 1;
    if (this.step >= steps) {
      return null;
    }
    const out: StepVector[] = [];
    for (let n = 0; n < this.ctx.stepsBatch && this.step < steps; n++, this.step++) {
      const sv: StepVector = { t: this.ctx.start + this.step * this.ctx.step, ids: [], values: [] };
      this.values.forEach((series, id) => {
        const v = series[this.step];
        if (v !== undefined) {
          sv.ids.push(id);
          sv.values.push(v);
        }
      });
      out.push(sv);
    }
    return out;
  }

  describe(): string {
    return '[replay]';
  }

  children(): readonly VectorOperator[] {
    return [];
  }
}

/** Labels from `{a="b", c="d"}`-like pairs, sorted by name. */
export function labels(pairs: Record<string, string>): Labels {
  return Object.entries(pairs)
    .map(([name, value]) => ({ name, value }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Drains an operator: its series and, per step, a map of labels text → value. */
export async function collect(op: VectorOperator): Promise<{ t: number; samples: Record<string, number> }[]> {
  const series = await op.series();
  const out: { t: number; samples: Record<string, number> }[] = [];
  for (let batch = await op.next(); batch !== null; batch = await op.next()) {
    for (const sv of batch) {
      const samples: Record<string, number> = {};
      sv.ids.forEach((id, i) => {
        samples[series[id].map((l) => `${l.name}=${l.value}`).join(',')] = sv.values[i];
      });
      out.push({ t: sv.t, samples });
    }
  }
  return out;
}
