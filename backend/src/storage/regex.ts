/**
 * Compiles a Prometheus (RE2) label-matcher regex into a JavaScript RegExp, fully anchored as Prometheus
 * does (`^(?s:…)$`, so `.` also matches a newline), or rejects it with MatcherError when JavaScript would
 * not match it like RE2. The compiled RegExp uses the `su` flags (code-point semantics like RE2's UTF-8).
 *
 * Rejected (JS would parse them differently, or RE2 does not support them):
 *   - backreferences `\1`…`\9`, `\k<name>`                 (RE2: unsupported)
 *   - lookarounds `(?=`, `(?!`, `(?<=`, `(?<!`              (RE2: unsupported)
 *   - atomic groups `(?>` and possessive quantifiers `*+`, `++`, `?+`, `}+`
 *   - Unicode classes `\p…` / `\P…`                         (RE2 and JS name classes and scripts differently)
 *   - `\Q…\E` quoting, `\A`, `\z`, `\C`, `\x{…}`, octal `\0NN` / `\1NN`, `\pN` forms
 *   - POSIX classes `[[:alpha:]]`                           (JS reads them as plain characters)
 *   - the `m` (multi-line) flag, in `(?m)` or `(?m:…)`
 *   - `\S` inside a character class
 *   - anything JS's `u`-mode parser rejects (e.g. `\-` outside a class, `x{,3}`), and `{n,m}` over 1000
 * Translated:
 *   - `\s` → `[\t\n\f\r ]` (and inside a class its members), `\S` → `[^\t\n\f\r ]` (RE2's are ASCII-only)
 *   - `(?P<name>` → `(?<name>`
 *   - inline flags `(?flags)` (rest of the enclosing group) and `(?flags:…)`, with `-` to clear, for
 *     i, s and U. JS (Node 20) has no scoped modifiers, so their effect is written out:
 *       i: every literal becomes the class of its case-fold orbit (`k` → `[Kk\u212A]`), classes get the
 *          orbits of their members, `\w` gains ſ (U+017F) and K (U+212A) as RE2's folded `\w` does;
 *       s: on by default (Prometheus' wrapper); with `(?-s)` a `.` becomes `[^\n]` (RE2 excludes only \n);
 *       U: quantifiers swap greediness (`a+` lazy, `a+?` greedy).
 *
 * RE2's (?i) uses Unicode simple case folding (orbits such as k/K/U+212A, s/S/U+017F, σ/Σ/ς). The orbits
 * here come from JS's toLowerCase/toUpperCase links, each checked with JS's own case-insensitive
 * matching (which uses simple case folding); folds only reachable through multi-character mappings
 * (e.g. U+1FD3 ~ U+0390, which Go's tables lack too) are not included.
 */
import { MatcherError } from './matcher-error';

const RE2_SPACE = '\\t\\n\\f\\r ';
/** RE2's folded `\w` adds these two to [0-9A-Za-z_] (the orbits of k and s). */
const FOLDED_WORD_EXTRA = '\\u017F\\u212A';
/** The complement of RE2's folded `\w`, as ranges usable inside a JS class (for `(?i)[\W…]`). */
const FOLDED_NON_WORD = '\\0-\\/:-@\\[-\\^`\\{-\\u017E\\u0180-\\u2129\\u212B-\\u{10FFFF}';

interface Flags {
  /** Case-insensitive. */
  i: boolean;
  /** `.` matches \n. */
  s: boolean;
  /** Ungreedy: quantifiers are lazy unless followed by `?`. */
  U: boolean;
}

export function compileRegex(source: string): RegExp {
  const out = new Translator(source).translate();
  try {
    return new RegExp(`^(?:${out})$`, 'su');
  } catch (e) {
    throw new MatcherError(`invalid regex ${JSON.stringify(source)}: ${(e as Error).message}`);
  }
}

/** One member of a character class: a code point, or an escape whose members are emitted as is. */
interface ClassAtom {
  text: string;
  cp: number | null;
  end: number;
}

class Translator {
  private i = 0;
  private out = '';
  /** Prometheus wraps the regex in `(?s:…)`. */
  private flags: Flags = { i: false, s: true, U: false };
  /** The flags to restore at each open group's `)`. */
  private readonly groups: Flags[] = [];

  constructor(private readonly src: string) {}

  private fail(message: string): never {
    throw new MatcherError(`${message} in ${JSON.stringify(this.src)}`);
  }

  translate(): string {
    const src = this.src;
    while (this.i < src.length) {
      const c = src[this.i];
      if (c === '\\') {
        this.escape();
      } else if (c === '[') {
        this.out += this.charClass();
      } else if (c === '(') {
        this.openGroup();
      } else if (c === ')') {
        this.flags = this.groups.pop() ?? this.flags;
        this.out += c;
        this.i++;
      } else if (c === '.') {
        this.out += this.flags.s ? '.' : '[^\\n]';
        this.i++;
      } else if (c === '*' || c === '+' || c === '?' || c === '{') {
        this.quantifier();
      } else {
        const cp = src.codePointAt(this.i) ?? 0;
        const text = String.fromCodePoint(cp);
        this.out += this.flags.i ? foldedLiteral(cp, text) : text;
        this.i += text.length;
      }
    }
    return this.out;
  }

  /** Escapes outside a class. */
  private escape(): void {
    const src = this.src;
    const n = src[this.i + 1];
    if (n === undefined) {
      throw new MatcherError(`invalid regex ${JSON.stringify(src)}: trailing backslash`);
    }
    this.rejectEscape(this.i);
    const fold = this.flags.i;
    if (n === 's') {
      this.out += `[${RE2_SPACE}]`;
    } else if (n === 'S') {
      this.out += `[^${RE2_SPACE}]`;
    } else if (n === 'w' && fold) {
      this.out += `[\\w${FOLDED_WORD_EXTRA}]`;
    } else if (n === 'W' && fold) {
      this.out += `[^\\w${FOLDED_WORD_EXTRA}]`;
    } else if (n === 'x' && fold && /^[0-9a-fA-F]{2}$/.test(src.slice(this.i + 2, this.i + 4))) {
      // An escaped letter folds like a written one: (?i)\x41 matches "a".
      const text = src.slice(this.i, this.i + 4);
      this.out += foldedLiteral(parseInt(text.slice(2), 16), text);
      this.i += 4;
      return;
    } else {
      this.out += '\\' + n;
    }
    this.i += 2;
  }

  /** Escapes RE2 and JS read differently, or that RE2 does not have. */
  private rejectEscape(at: number): void {
    const n = this.src[at + 1];
    if (/[1-9kpPQEAzC]/.test(n) || (n === '0' && /[0-7]/.test(this.src[at + 2] ?? ''))) {
      this.fail(`unsupported regex escape \\${n}`);
    }
    if (n === 'x' && this.src[at + 2] === '{') {
      this.fail('unsupported regex escape \\x{…}');
    }
  }

  /** `*`, `+`, `?`, `{n,m}` with an optional lazy `?`; possessive forms are rejected. */
  private quantifier(): void {
    const src = this.src;
    const c = src[this.i];
    let text = c;
    if (c === '{') {
      const m = /^\{(\d+)(?:,(\d*))?\}/.exec(src.slice(this.i));
      if (!m) {
        // Not a repetition: RE2 reads a literal `{` (JS u-mode rejects it, as before).
        this.out += c;
        this.i++;
        return;
      }
      if (Number(m[1]) > 1000 || (m[2] !== undefined && m[2] !== '' && Number(m[2]) > 1000)) {
        this.fail('repetition count over 1000');
      }
      text = m[0];
    }
    this.i += text.length;
    if (src[this.i] === '+') {
      this.fail('possessive quantifiers are not supported');
    }
    let lazy = false;
    if (src[this.i] === '?') {
      lazy = true;
      this.i++;
    }
    // (?U) swaps the meaning of the trailing `?`.
    this.out += text + (lazy !== this.flags.U ? '?' : '');
  }

  /** `(`, `(?:`, `(?P<name>`, `(?<name>`, `(?flags)`, `(?flags:`. */
  private openGroup(): void {
    const src = this.src;
    if (src[this.i + 1] !== '?') {
      this.groups.push(this.flags);
      this.out += '(';
      this.i++;
      return;
    }
    const rest = src.slice(this.i + 2);
    const named = /^P?<([A-Za-z0-9_]+)>/.exec(rest);
    if (named) {
      // The name is copied as is: it must not be case-folded like literals.
      this.groups.push(this.flags);
      this.out += `(?<${named[1]}>`;
      this.i += 2 + named[0].length;
      return;
    }
    const flags = /^([A-Za-z]*)(?:-([A-Za-z]*))?([:)])/.exec(rest);
    if (!flags || !/^[imsU]*$/.test(flags[1]) || !/^[imsU]*$/.test(flags[2] ?? '') || flags[2] === '') {
      this.fail(`unsupported group syntax '(?${rest.slice(0, 2)}'`);
    }
    const [whole, set, clear = '', end] = flags;
    if ((set + clear).includes('m')) {
      this.fail(`unsupported regex flag m in '(?${whole}'; only i, s and U are supported`);
    }
    const next: Flags = { ...this.flags };
    for (const f of set) {
      next[f as keyof Flags] = true;
    }
    for (const f of clear) {
      next[f as keyof Flags] = false;
    }
    this.i += 2 + whole.length;
    if (end === ':') {
      this.groups.push(this.flags);
      this.out += '(?:';
    }
    // `(?flags)` emits nothing and holds until the enclosing group closes, like RE2.
    this.flags = next;
  }

  /**
   * A character class. Members are copied (with RE2's `\s` written out); under (?i) the case-fold
   * orbits of all members are appended, and RE2 folds before negating, so `(?i)[^k]` also excludes K
   * and U+212A.
   */
  private charClass(): string {
    const src = this.src;
    const fold = this.flags.i;
    let j = this.i + 1;
    let out = '[';
    if (src[j] === '^') {
      out += '^';
      j++;
    }
    const ranges: [number, number][] = [];
    if (src[j] === ']') {
      // A leading ']' (or '^]') is a literal in RE2.
      out += '\\]';
      ranges.push([0x5d, 0x5d]);
      j++;
    }
    while (j < src.length && src[j] !== ']') {
      if (src[j] === '[' && src[j + 1] === ':') {
        this.fail('POSIX character classes are not supported');
      }
      const lo = this.classAtom(j, fold);
      j = lo.end;
      if (lo.cp !== null && src[j] === '-' && j + 1 < src.length && src[j + 1] !== ']') {
        const hi = this.classAtom(j + 1, fold);
        out += `${lo.text}-${hi.text}`;
        j = hi.end;
        if (hi.cp !== null) {
          ranges.push([lo.cp, hi.cp]);
        }
        continue;
      }
      out += lo.text;
      if (lo.cp !== null) {
        ranges.push([lo.cp, lo.cp]);
      }
    }
    if (fold) {
      out += foldAdditions(ranges);
    }
    if (j < src.length) {
      out += ']';
      j++;
    }
    // An unterminated class is left for JS to reject.
    this.i = j;
    return out;
  }

  private classAtom(j: number, fold: boolean): ClassAtom {
    const src = this.src;
    if (src[j] !== '\\') {
      const cp = src.codePointAt(j) ?? 0;
      const text = String.fromCodePoint(cp);
      return { text, cp, end: j + text.length };
    }
    const n = src[j + 1];
    if (n === undefined) {
      throw new MatcherError(`invalid regex ${JSON.stringify(src)}: trailing backslash`);
    }
    this.rejectEscape(j);
    const raw = (text: string): ClassAtom => ({ text, cp: null, end: j + 2 });
    switch (n) {
      case 's':
        return raw(RE2_SPACE);
      case 'S':
        return this.fail('unsupported \\S inside a character class');
      case 'w':
        return raw(fold ? `\\w${FOLDED_WORD_EXTRA}` : '\\w');
      case 'W':
        return raw(fold ? FOLDED_NON_WORD : '\\W');
      case 'x': {
        const hex = src.slice(j + 2, j + 4);
        if (/^[0-9a-fA-F]{2}$/.test(hex)) {
          return { text: `\\x${hex}`, cp: parseInt(hex, 16), end: j + 4 };
        }
        return raw('\\x');
      }
      default: {
        const control = CONTROL_ESCAPES[n];
        if (control !== undefined) {
          return { text: `\\${n}`, cp: control, end: j + 2 };
        }
        // Escaped punctuation is the character itself; other escapes (\d, \D, …) have no case.
        return /[A-Za-z0-9]/.test(n) ? raw(`\\${n}`) : { text: `\\${n}`, cp: n.charCodeAt(0), end: j + 2 };
      }
    }
  }
}

const CONTROL_ESCAPES: Record<string, number> = { n: 0x0a, t: 0x09, r: 0x0d, f: 0x0c, v: 0x0b };

/** A code point as a JS u-mode pattern character, in or outside a class. */
function patternChar(cp: number): string {
  return /[A-Za-z0-9]/.test(String.fromCodePoint(cp)) ? String.fromCodePoint(cp) : `\\u{${cp.toString(16)}}`;
}

/** A literal under (?i): the class of its fold orbit, or the literal itself when it has no other case. */
function foldedLiteral(cp: number, text: string): string {
  const orbit = foldOrbits().orbitOf.get(cp);
  return orbit ? `[${orbit.map(patternChar).join('')}]` : text;
}

/** The fold-orbit members of the given ranges that are not in them, as class members. */
function foldAdditions(ranges: [number, number][]): string {
  const { sortedKeys, orbitOf } = foldOrbits();
  const inRanges = (cp: number): boolean => ranges.some(([lo, hi]) => cp >= lo && cp <= hi);
  const extra = new Set<number>();
  for (const [lo, hi] of ranges) {
    // Only code points with another case matter; walk those inside the range.
    for (let k = lowerBound(sortedKeys, lo); k < sortedKeys.length && sortedKeys[k] <= hi; k++) {
      for (const member of orbitOf.get(sortedKeys[k]) ?? []) {
        if (!inRanges(member)) {
          extra.add(member);
        }
      }
    }
  }
  const sorted = [...extra].sort((a, b) => a - b);
  let out = '';
  for (let k = 0; k < sorted.length;) {
    let end = k;
    while (end + 1 < sorted.length && sorted[end + 1] === sorted[end] + 1) {
      end++;
    }
    out += end > k ? `${patternChar(sorted[k])}-${patternChar(sorted[end])}` : patternChar(sorted[k]);
    k = end + 1;
  }
  return out;
}

function lowerBound(sorted: number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < value) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

interface FoldTable {
  /** Each code point that has other cases → its whole orbit, ascending. */
  orbitOf: Map<number, number[]>;
  sortedKeys: number[];
}

let foldTable: FoldTable | null = null;

/** Every cased code point is below this (Adlam ends at U+1E943). */
const CASED_LIMIT = 0x1f000;

/**
 * Unicode simple case-fold orbits, built once on first use (a few tens of ms): code points are linked to their
 * single-code-point toLowerCase/toUpperCase when JS's case-insensitive matching (simple case folding
 * under the `u` flag) agrees they are equal — which drops links such as ı → I that are case
 * mappings but not folds — and each connected set is an orbit.
 */
function foldOrbits(): FoldTable {
  if (foldTable) {
    return foldTable;
  }
  const parent = new Map<number, number>();
  const find = (x: number): number => {
    let r = x;
    while (parent.get(r) !== undefined && parent.get(r) !== r) {
      r = parent.get(r) as number;
    }
    return r;
  };
  for (let cp = 0; cp < CASED_LIMIT; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) {
      continue;
    }
    const ch = String.fromCodePoint(cp);
    for (const other of [ch.toLowerCase(), ch.toUpperCase()]) {
      const ocp = other.codePointAt(0) ?? 0;
      if (other === ch || String.fromCodePoint(ocp) !== other) {
        continue;
      }
      // A mapping that round-trips (k → K → k) is a plain case pair; only the others (K → k,
      // ſ → S, ı → I) need JS's folding to decide, which keeps this to ~100 RegExps.
      const roundTrip = other.toLowerCase() === ch || other.toUpperCase() === ch;
      if (!roundTrip && !new RegExp(`^\\u{${cp.toString(16)}}$`, 'iu').test(other)) {
        continue;
      }
      for (const x of [cp, ocp]) {
        if (!parent.has(x)) {
          parent.set(x, x);
        }
      }
      const a = find(cp);
      const b = find(ocp);
      if (a !== b) {
        parent.set(a, b);
      }
    }
  }
  const byRoot = new Map<number, number[]>();
  for (const cp of parent.keys()) {
    const root = find(cp);
    const members = byRoot.get(root) ?? [];
    members.push(cp);
    byRoot.set(root, members);
  }
  const orbitOf = new Map<number, number[]>();
  for (const members of byRoot.values()) {
    members.sort((a, b) => a - b);
    for (const cp of members) {
      orbitOf.set(cp, members);
    }
  }
  foldTable = { orbitOf, sortedKeys: [...orbitOf.keys()].sort((a, b) => a - b) };
  return foldTable;
}
