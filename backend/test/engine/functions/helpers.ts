/**
 * Helpers for the function tests: range windows cut like the engine cuts them ((t - range, t],
 * left-open), one step of a range function, and the output of an operator per step.
 */
import type { Labels } from '../../../src/storage';
import type { AnnotationSink, RangeFunction, RangeWindow } from '../../../src/engine/functions/types';
import type { VectorOperator } from '../../../src/engine/model/operator';
import type { Samples } from '../helpers/promqltest';
import { collect } from '../helpers/replay';

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

/** Labels from `{a="b", c="d"}`-like pairs, sorted by name. */
export function labels(pairs: Record<string, string>): Labels {
  return Object.entries(pairs)
    .map(([name, value]) => ({ name, value }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Drains an operator: per step, a map of labels text (`a=b,c=d`) → value. */
export async function collectSamples(op: VectorOperator): Promise<{ t: number; samples: Record<string, number> }[]> {
  const { series, steps } = await collect(op);
  return steps.map((sv) => {
    const samples: Record<string, number> = {};
    sv.ids.forEach((id, i) => {
      samples[series[id].map((l) => `${l.name}=${l.value}`).join(',')] = sv.values[i];
    });
    return { t: sv.t, samples };
  });
}
