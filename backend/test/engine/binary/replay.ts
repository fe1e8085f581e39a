/**
 * Test doubles for the binary operators: an operator that replays given series step by step, a
 * constant scalar, and a runner that gathers an operator's output per series in promqltest notation.
 */
import type { Labels } from '../../../src/storage';
import { engineTestContext } from '../helpers/context';
import { checkAborted, type QueryContext, stepCount } from '../../../src/engine/model/context';
import type { VectorOperator } from '../../../src/engine/model/operator';
import type { StepVector } from '../../../src/engine/model/step-vector';

export function testContext(
  range: { start?: number; end?: number; step?: number; stepsBatch?: number } = {}
): QueryContext {
  return engineTestContext({ stepsBatch: 3, ...range });
}

/** `name{a="b", c="d"}`, `{a="b"}` or a bare name, as in promqltest files. */
export function parseLabels(text: string): Labels {
  const m = /^\s*([a-zA-Z_:][a-zA-Z0-9_:]*)?\s*(?:\{(.*)\})?\s*$/.exec(text);
  if (!m) {
    throw new Error(`bad series: ${text}`);
  }
  const out: { name: string; value: string }[] = [];
  if (m[1]) {
    out.push({ name: '__name__', value: m[1] });
  }
  const pair = /\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*,?/g;
  for (let p = pair.exec(m[2] ?? ''); p !== null; p = pair.exec(m[2] ?? '')) {
    out.push({ name: p[1], value: JSON.parse(`"${p[2]}"`) as string });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function renderLabels(labels: Labels): string {
  const name = labels.find((l) => l.name === '__name__')?.value ?? '';
  const rest = labels.filter((l) => l.name !== '__name__').map((l) => `${l.name}=${JSON.stringify(l.value)}`);
  return `${name}{${rest.join(', ')}}`;
}

function parseNumber(token: string): number {
  switch (token) {
    case 'NaN':
      return NaN;
    case 'Inf':
    case '+Inf':
      return Infinity;
    case '-Inf':
      return -Infinity;
  }
  const n = Number(token);
  if (Number.isNaN(n)) {
    throw new Error(`bad value: ${token}`);
  }
  return n;
}

/** promqltest's expanding notation (`0+10x3`, `1x2`, `_`, `_x2`) into one value per step. */
export function parseValues(text: string): (number | undefined)[] {
  const out: (number | undefined)[] = [];
  for (const token of text.trim().split(/\s+/).filter(Boolean)) {
    const missing = /^_(?:x(\d+))?$/.exec(token);
    if (missing) {
      out.push(...new Array<undefined>(missing[1] ? Number(missing[1]) : 1).fill(undefined));
      continue;
    }
    const expanding = /^(.+?)(?:([+-])(.+))?x(\d+)$/.exec(token);
    if (expanding) {
      const start = parseNumber(expanding[1]);
      const delta = expanding[2] ? parseNumber(expanding[3]) * (expanding[2] === '-' ? -1 : 1) : 0;
      for (let i = 0; i <= Number(expanding[4]); i++) {
        out.push(start + i * delta);
      }
      continue;
    }
    out.push(parseNumber(token));
  }
  return out;
}

/** Replays series given as `[labels, values per step]` ('' labels for a scalar-like `{}`). */
export class ReplayOperator implements VectorOperator {
  private readonly labels: Labels[];
  private readonly values: (number | undefined)[][];
  private step = 0;
  nextCalls = 0;

  constructor(
    private readonly ctx: QueryContext,
    series: readonly (readonly [string, string])[]
  ) {
    this.labels = series.map(([l]) => parseLabels(l));
    this.values = series.map(([, v]) => parseValues(v));
  }

  series(): Promise<readonly Labels[]> {
    return Promise.resolve(this.labels);
  }

  next(): Promise<StepVector[] | null> {
    checkAborted(this.ctx.signal);
    this.nextCalls++;
    const total = stepCount(this.ctx);
    if (this.step >= total) {
      return Promise.resolve(null);
    }
    const batch: StepVector[] = [];
    for (; this.step < total && batch.length < this.ctx.stepsBatch; this.step++) {
      const sv: StepVector = { t: this.ctx.start + this.step * this.ctx.step, ids: [], values: [] };
      this.values.forEach((vs, id) => {
        const v = vs[this.step];
        if (v !== undefined) {
          sv.ids.push(id);
          sv.values.push(v);
        }
      });
      batch.push(sv);
    }
    return Promise.resolve(batch);
  }

  describe(): string {
    return '[replay]';
  }

  children(): readonly VectorOperator[] {
    return [];
  }
}

export function vector(ctx: QueryContext, series: Record<string, string>): ReplayOperator {
  return new ReplayOperator(ctx, Object.entries(series));
}

/** A scalar operand: one unlabelled series with a sample at every step. */
export function scalar(ctx: QueryContext, value: number): ReplayOperator {
  return new ReplayOperator(ctx, [['{}', `${value}x${stepCount(ctx) - 1}`]]);
}

/** Runs an operator and renders its output as `labels -> values per step` (missing: undefined). */
export async function run(op: VectorOperator, ctx: QueryContext): Promise<Map<string, (number | undefined)[]>> {
  const labels = await op.series();
  const keys = labels.map(renderLabels);
  if (new Set(keys).size !== keys.length) {
    throw new Error(`duplicate output series: ${keys.join(' ')}`);
  }
  const steps = stepCount(ctx);
  const values = labels.map(() => new Array<number | undefined>(steps).fill(undefined));
  let step = 0;
  for (let batch = await op.next(); batch !== null; batch = await op.next()) {
    for (const sv of batch) {
      expect(sv.t).toBe(ctx.start + step * ctx.step);
      sv.ids.forEach((id, i) => {
        expect(values[id][step]).toBeUndefined();
        values[id][step] = sv.values[i];
      });
      step++;
    }
  }
  expect(step).toBe(steps);
  const out = new Map<string, (number | undefined)[]>();
  keys.forEach((key, id) => {
    if (values[id].some((v) => v !== undefined)) {
      out.set(key, values[id]);
    }
  });
  return out;
}

/** Compares with promqltest's tolerance (relative 1e-6, NaN equals NaN), order-insensitively. */
export async function expectResult(
  op: VectorOperator,
  ctx: QueryContext,
  expected: Record<string, string>
): Promise<void> {
  const actual = await run(op, ctx);
  const want = new Map(Object.entries(expected).map(([l, v]) => [renderLabels(parseLabels(l)), parseValues(v)]));
  expect([...actual.keys()].sort()).toEqual([...want.keys()].sort());
  for (const [key, values] of want) {
    const got = actual.get(key) ?? [];
    const steps = Math.max(values.length, got.length);
    for (let i = 0; i < steps; i++) {
      const a = got[i];
      const e = values[i];
      const same =
        a === e || (a !== undefined && e !== undefined && ((Number.isNaN(a) && Number.isNaN(e)) || almostEqual(a, e)));
      if (!same) {
        throw new Error(`${key} at step ${i}: got ${String(a)}, want ${String(e)}`);
      }
    }
  }
}

function almostEqual(a: number, b: number): boolean {
  if (a === b) {
    return true;
  }
  const diff = Math.abs(a - b);
  if (a === 0 || b === 0 || diff < Number.MIN_VALUE) {
    return diff < 1e-6 * Number.MIN_VALUE;
  }
  return diff / (Math.abs(a) + Math.abs(b)) < 1e-6;
}
