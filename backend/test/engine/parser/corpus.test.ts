/**
 * Sluice's parser and printer against Prometheus' own, on ~2,600 queries: every eval of Prometheus'
 * promqltest files, every input of its parser tests, and Sluice's error cases (see the fixture header).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseExpr } from '../../../src/engine/parser/parse';
import { printExpr } from '../../../src/engine/parser/printer';

interface Row {
  query: string;
  kind: 'OK' | 'ERR';
  want: string;
}

const rows: Row[] = readFileSync(join(__dirname, 'fixtures/prometheus-parser-corpus.tsv'), 'utf8')
  .split('\n')
  .filter((line) => line !== '' && !line.startsWith('#'))
  .map((line) => {
    const [query, kind, want] = line.split('\t');
    const unescape = (s: string) => s.replace(/\\n/g, '\n');
    return { query: unescape(query), kind: kind as Row['kind'], want: unescape(want) };
  });

/** Experimental syntax Sluice rejects on purpose. */
const UNSUPPORTED = [
  'unsupported: duration expressions (arithmetic, parentheses, step(), range(), min_of(), max_of()) are not supported',
  'unsupported: the anchored and smoothed range modifiers are not supported',
  'unsupported: the fill(), fill_left() and fill_right() binary operator modifiers are not supported',
  'unsupported: the trim operators </ and >/ are not supported',
];

/** Where Sluice knowingly differs from Prometheus, and why. */
const KNOWN_DIFFERENCES = new Map<string, string>([
  // The lezer grammar does not take the keyword `offset` as a metric name.
  ['offset{step="1s"}[5m]', 'keyword as metric name'],
  // Syntax errors whose wording lezer's error recovery does not let us rebuild.
  ['foo[5m:1m1]', 'syntax error text'],
  ['foo[step]', 'syntax error text'],
  ['foo[5s x 5s]', 'syntax error text'],
  ['foo[5s s 5s]', 'syntax error text'],
]);

/** The store's regex engine (JS RegExp checked for RE2 compatibility) words regex errors its own way. */
const isRegexCase = (r: Row) => /error parsing regexp/.test(r.want);

function run(query: string): { ok: true; text: string } | { ok: false; message: string } {
  try {
    return { ok: true, text: printExpr(parseExpr(query)) };
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
}

describe('the Prometheus parser corpus', () => {
  it('has the expected size', () => {
    expect(rows.length).toBeGreaterThan(2500);
  });

  it('prints every query Prometheus accepts exactly like Prometheus (or rejects it as unsupported)', () => {
    const mismatches: string[] = [];
    let supported = 0;
    for (const r of rows.filter((r) => r.kind === 'OK' && !KNOWN_DIFFERENCES.has(r.query) && !isRegexCase(r))) {
      const got = run(r.query);
      if (!got.ok) {
        if (!UNSUPPORTED.includes(got.message)) {
          mismatches.push(`${r.query}\n  rejected: ${got.message}`);
        }
        continue;
      }
      supported++;
      if (got.text !== r.want) {
        mismatches.push(`${r.query}\n  Prometheus: ${r.want}\n  Sluice:     ${got.text}`);
      }
    }
    expect(mismatches).toEqual([]);
    expect(supported).toBeGreaterThan(1900);
  });

  it('re-parses its own output to the same text', () => {
    const unstable: string[] = [];
    for (const r of rows.filter((r) => r.kind === 'OK')) {
      const first = run(r.query);
      if (!first.ok) {
        continue;
      }
      const second = run(first.text);
      if (!second.ok || second.text !== first.text) {
        unstable.push(`${r.query}\n  → ${first.text}\n  → ${second.ok ? second.text : second.message}`);
      }
    }
    expect(unstable).toEqual([]);
  });

  it('rejects every query Prometheus rejects, with Prometheus’ message', () => {
    const mismatches: string[] = [];
    for (const r of rows.filter((r) => r.kind === 'ERR')) {
      const got = run(r.query);
      if (got.ok) {
        mismatches.push(`${r.query}\n  accepted as ${got.text}`);
        continue;
      }
      if (got.message.startsWith('unsupported: ') || KNOWN_DIFFERENCES.has(r.query)) {
        continue;
      }
      // For regex errors only the position is Prometheus'; the text comes from the store's regex engine.
      const want = isRegexCase(r) ? r.want.replace(/parse error: .*/s, 'parse error: ') : r.want;
      const have = isRegexCase(r) ? got.message.replace(/parse error: .*/s, 'parse error: ') : got.message;
      if (have !== want) {
        mismatches.push(`${r.query}\n  Prometheus: ${r.want}\n  Sluice:     ${got.message}`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});
