/**
 * Prometheus' promqltest notation for test data and expectations: series like `name{a="b"}`, points
 * like `0+10x3 _ 5 NaN 1x2` (expanding notation), `load` blocks, and its float comparison.
 */
import type { Labels } from '../../../src/storage';
import { formatLabels } from '../../../src/engine/model/labels';

/** `name{a="b", c="d"}`, `{a="b"}` or a bare name into labels sorted by name. */
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
  return labels.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** A number, `NaN`, `Inf`, `+Inf` or `-Inf` (any case). */
export function parseValue(text: string): number {
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
  const n = Number(text);
  if (text.trim() === '' || Number.isNaN(n)) {
    throw new Error(`bad value: ${text}`);
  }
  return n;
}

const NUMBER = String.raw`(?:inf|nan|(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?)`;
/** `start(+|-)deltaxN` or `startxN`. */
const EXPANDING = new RegExp(String.raw`^([-+]?${NUMBER})(?:([-+])(${NUMBER}))?x(\d+)$`, 'i');

/** Points in expanding notation (`a+bxn`, `a-bxn`, `axn`, `_`, `_xn`, plain values): one per slot, undefined for `_`. */
export function expandPoints(text: string): (number | undefined)[] {
  const out: (number | undefined)[] = [];
  for (const token of text.trim().split(/\s+/).filter(Boolean)) {
    const missing = /^_(?:x(\d+))?$/.exec(token);
    if (missing) {
      for (let i = 0; i < Number(missing[1] ?? 1); i++) {
        out.push(undefined);
      }
      continue;
    }
    const m = EXPANDING.exec(token);
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

/** One `load <interval>` block: `<series> <points>` per line (`#` comments and blank lines skipped). */
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

/** One series' samples in time order. */
export interface Samples {
  ts: number[];
  vs: number[];
}

/** The samples of one series' `load` points ("0+10x3 _ 5 NaN 1x2") at t = 0, interval, 2·interval, … (ms). */
export function loadSamples(points: string, intervalMs: number): Samples {
  const out: Samples = { ts: [], vs: [] };
  expandPoints(points).forEach((v, slot) => {
    if (v !== undefined) {
      out.ts.push(slot * intervalMs);
      out.vs.push(v);
    }
  });
  return out;
}

const MIN_NORMAL = 2.2250738585072014e-308;

/** promqltest's comparison (util/almost.Equal with epsilon 1e-6): NaN equals NaN; undefined only itself. */
export function almostEqual(a: number | undefined, b: number | undefined): boolean {
  if (a === undefined || b === undefined) {
    return a === b;
  }
  if ((Number.isNaN(a) && Number.isNaN(b)) || a === b) {
    return true;
  }
  const absSum = Math.abs(a) + Math.abs(b);
  const diff = Math.abs(a - b);
  if (a === 0 || b === 0 || absSum < MIN_NORMAL) {
    return diff < 1e-6 * MIN_NORMAL;
  }
  return diff / Math.min(absSum, Number.MAX_VALUE) < 1e-6;
}

/** `<series> <rest>` lines (blank ones skipped): the series' key (formatLabels) and the rest. */
function seriesLines(text: string): [string, string][] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .map((l) => {
      const close = l.lastIndexOf('}');
      return [formatLabels(parseLabels(l.slice(0, close + 1))), l.slice(close + 1).trim()];
    });
}

/** Expected instant results in promqltest notation, `{a="b"} 1` per line, against `labels → value` pairs. */
export function expectInstant(actual: [string, number][], expected: string, ordered = false): void {
  const want = seriesLines(expected).map(([key, value]): [string, number] => [key, parseValue(value)]);
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

/**
 * Expected range results against `labels → value per step` (see asMatrix): `{a="b"} 1 2 _ 4` per line,
 * or as `{ '{a="b"}': '1 2 _ 4' }`. Missing trailing points mean no sample.
 */
export function expectMatrix(
  actual: Map<string, (number | undefined)[]>,
  expected: string | Record<string, string>
): void {
  const lines =
    typeof expected === 'string'
      ? seriesLines(expected)
      : Object.entries(expected).map(([l, v]): [string, string] => [formatLabels(parseLabels(l)), v]);
  const want = new Map(lines.map(([key, points]) => [key, expandPoints(points)]));
  const describe = (m: Map<string, (number | undefined)[]>): string =>
    [...m.entries()]
      .map(([k, v]) => `  ${k} ${v.map((x) => (x === undefined ? '_' : String(x))).join(' ')}`)
      .join('\n');
  const ok =
    actual.size === want.size &&
    [...want.entries()].every(([k, w]) => {
      const a = actual.get(k);
      return (
        a !== undefined &&
        Array.from({ length: Math.max(a.length, w.length) }, (_, i) => almostEqual(a[i], w[i])).every(Boolean)
      );
    });
  if (!ok) {
    throw new Error(`result mismatch\nexpected:\n${describe(want)}\nactual:\n${describe(actual)}`);
  }
}
