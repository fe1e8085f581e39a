/**
 * Reads a V8 `.cpuprofile` (node --cpu-prof) and sums self time by function and by source file,
 * counting only samples inside given time windows. V8 stamps samples with its monotonic clock in µs,
 * the clock process.hrtime() reads, so the benchmark can mark when each query ran. Frames in the
 * bundle are mapped back to backend/src through the bundle's source map.
 */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface Frame {
  frame: string;
  selfMs: number;
  pct: number;
}

export interface ProfileSummary {
  sampledMs: number;
  topFunctions: Frame[];
  topFiles: Frame[];
}

/** Monotonic µs, on the clock V8's profiler uses. */
export function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

export function summarize(path: string, windows: Array<[number, number]>, root: string, top = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as Profile;
  const maps = new Map<string, SourceMap | null>();
  const mapOf = (url: string): SourceMap | null => {
    let map = maps.get(url);
    if (map === undefined) {
      map = null;
      try {
        const file = url.startsWith('file://') ? fileURLToPath(url) : url;
        if (file && existsSync(`${file}.map`)) map = new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')));
      } catch {
        map = null;
      }
      maps.set(url, map);
    }
    return map;
  };
  const names = new Map<number, { fn: string; file: string }>();
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber, columnNumber } = node.callFrame;
    const fn = functionName || '(anonymous)';
    if (!url) {
      names.set(node.id, { fn, file: fn.startsWith('(') ? fn : '(native)' });
      continue;
    }
    const map = mapOf(url);
    const entry = map?.findEntry(lineNumber, columnNumber) as
      { originalSource?: string; originalLine?: number } | undefined;
    if (entry?.originalSource) {
      const bundle = url.startsWith('file://') ? fileURLToPath(url) : url;
      const source = entry.originalSource.startsWith('file://')
        ? fileURLToPath(entry.originalSource)
        : isAbsolute(entry.originalSource)
          ? entry.originalSource
          : resolve(dirname(bundle), entry.originalSource);
      const file = relative(root, source);
      names.set(node.id, { fn: `${fn} ${file}:${(entry.originalLine ?? 0) + 1}`, file });
    } else {
      const file = url.startsWith('node:') ? url : relative(root, url.replace(/^file:\/\//, ''));
      names.set(node.id, { fn: `${fn} ${file}:${lineNumber + 1}`, file });
    }
  }
  const byFn = new Map<string, number>();
  const byFile = new Map<string, number>();
  let total = 0;
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i];
    // A sample stands for the time until the next one.
    const dt = i + 1 < profile.timeDeltas.length ? profile.timeDeltas[i + 1] : 0;
    if (!windows.some(([a, b]) => t >= a && t <= b)) continue;
    const name = names.get(profile.samples[i]);
    if (!name || name.fn.startsWith('(idle)')) continue;
    total += dt;
    byFn.set(name.fn, (byFn.get(name.fn) ?? 0) + dt);
    byFile.set(name.file, (byFile.get(name.file) ?? 0) + dt);
  }
  const rank = (m: Map<string, number>): Frame[] =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([frame, us]) => ({ frame, selfMs: Math.round(us / 100) / 10, pct: Math.round((us / total) * 1000) / 10 }));
  return { sampledMs: Math.round(total / 1000), topFunctions: rank(byFn), topFiles: rank(byFile) };
}
