/**
 * RE2 inline flags translated to JS (Node 20 has no scoped modifiers). Every expectation was checked
 * against Go's regexp with Prometheus' wrapping `^(?s:…)$`.
 */
import { MatcherError } from '../../src/storage';
import { compileRegex } from '../../src/storage/regex';

const KELVIN = '\u212a';
const LONG_S = '\u017f';

describe('case-insensitive regex flags', () => {
  it.each<[string, string[], string[]]>([
    // promql/promqltest/testdata/selectors.test
    ['(?i:PRO).*', ['production', 'PRODUCTION', 'Production'], ['canary', 'xproduction']],
    ['.*?(?i:PRO).*', ['xProd'], ['canary']],
    ['.*((?i)DUC).*', ['production', 'PRODUCTION'], ['canary']],
    ['.*(?i:TION)', ['production', 'PRODUCTION'], ['productio']],
    // Unicode simple case folding, as RE2's (?i)
    ['(?i)k', ['k', 'K', KELVIN], ['x']],
    ['(?i)s', ['s', 'S', LONG_S], []],
    ['(?i)ß', ['ẞ', 'ß'], ['s']],
    ['(?i)σ', ['ς', 'Σ', 'σ'], []],
    ['(?i)µ', ['Μ', 'μ'], []],
    ['(?i)ǅ', ['ǆ', 'Ǆ'], []],
    ['(?i)i', ['I'], ['ı', 'İ']],
    ['(?i)\\x41', ['a'], []],
    // classes: folded members, folded before negation
    ['(?i)[a-z]', [KELVIN, LONG_S, 'Q'], ['1']],
    ['(?i)[^k]', ['a'], ['k', 'K', KELVIN]],
    ['(?i)[é-ë]+', ['ÉÊË'], []],
    ['(?i)[\\x41-\\x43]', ['b'], ['d']],
    ['(?i)\\w', [LONG_S, KELVIN, '_'], []],
    ['\\w', ['_'], [LONG_S, KELVIN]],
    ['(?i)\\W', ['-'], [LONG_S, 'k']],
    ['(?i)[\\W]', ['-'], [LONG_S, 'k']],
    ['(?i)[^\\W]', [LONG_S], ['-']],
    // scopes: (?i) holds to the end of the enclosing group, across alternatives
    ['(?i:a)b', ['Ab'], ['AB']],
    ['a(?i)b|c', ['C', 'aB'], ['AB']],
    ['(a(?i)b)|c', [], ['C']],
    ['(?i)a(?-i)b', ['Ab'], ['AB']],
    ['(?i)a(?-i:b)c', ['AbC'], ['ABc']],
    ['(?i-i)a', ['a'], ['A']],
    ['(?)a', ['a'], []],
    ['(?is)a.b', ['A\nB'], []],
  ])('%j', (re, yes, no) => {
    const r = compileRegex(re);
    for (const s of yes) {
      expect([s, r.test(s)]).toEqual([s, true]);
    }
    for (const s of no) {
      expect([s, r.test(s)]).toEqual([s, false]);
    }
  });

  it('does not fold group names', () => {
    expect(compileRegex('(?i)(?P<Name>k)').exec(KELVIN)?.groups).toEqual({ Name: KELVIN });
  });
});

describe('the s and U flags', () => {
  it('matches newlines with . unless (?-s)', () => {
    expect(compileRegex('.').test('\n')).toBe(true);
    expect(compileRegex('(?-s).').test('\n')).toBe(false);
    expect(compileRegex('(?-s).').test('\r')).toBe(true); // RE2 excludes only \n
    expect(compileRegex('(?-s:a.b)|.').test('a\nb')).toBe(false);
    expect(compileRegex('(?-s:a.b)|.').test('\n')).toBe(true);
  });

  it('swaps greediness under (?U), which label_replace captures show', () => {
    expect(compileRegex('(?U)(a+)(a*)').exec('aaa')?.slice(1)).toEqual(['a', 'aa']);
    expect(compileRegex('(?U)(a+?)(a*)').exec('aaa')?.slice(1)).toEqual(['aaa', '']);
    expect(compileRegex('(?U)(a{1,2})(a*)').exec('aaa')?.slice(1)).toEqual(['a', 'aa']);
    expect(compileRegex('(a+)(a*)').exec('aaa')?.slice(1)).toEqual(['aaa', '']);
  });
});

describe('unsupported flags', () => {
  it.each(['(?m)a', '(?m:a)', '(?im)a', '(?i-m)a', '(?i-)a', '(?x)a', '(?i', '(?P=n)'])('rejects %j', (re) => {
    expect(() => compileRegex(re)).toThrow(MatcherError);
  });

  it('says why', () => {
    expect(() => compileRegex('(?m)^a$')).toThrow(
      `unsupported regex flag m in '(?m)'; only i, s and U are supported in "(?m)^a$"`
    );
  });
});
