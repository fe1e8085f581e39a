import { LabelMatcher, MatcherError, MatchType, parseMatcher } from '../../src/storage';
import { PostingsIndex } from '../../src/storage/postings';

const series: Record<number, Record<string, string>> = {
  1: { __name__: 'up', job: 'api', env: 'prod' },
  2: { __name__: 'up', job: 'api' },
  3: { __name__: 'up', job: 'db', env: '' },
  4: { __name__: 'up', job: 'apix', env: 'dev' },
};

function index(): PostingsIndex {
  const p = new PostingsIndex();
  for (const [id, ls] of Object.entries(series)) {
    const labels = Object.entries(ls)
      .filter(([, v]) => v !== '')
      .map(([name, value]) => ({ name, value }))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    p.add(Number(id), labels);
  }
  return p;
}

const m = (t: MatchType, n: string, v: string): LabelMatcher => parseMatcher(t, n, v);

describe('matcher semantics', () => {
  const p = index();
  it.each<[MatchType, string, string, number[]]>([
    ['=', 'job', 'api', [1, 2]],
    ['!=', 'job', 'api', [3, 4]],
    ['=~', 'job', 'api', [1, 2]], // fully anchored: not apix
    ['=~', 'job', 'ap.*', [1, 2, 4]],
    ['=~', 'job', 'api|db', [1, 2, 3]],
    ['!~', 'job', 'api', [3, 4]],
    ['=', 'env', '', [2, 3]], // empty value = label missing
    ['!=', 'env', '', [1, 4]],
    ['=~', 'env', '', [2, 3]],
    ['=~', 'env', 'prod|', [1, 2, 3]],
    ['!~', 'env', 'prod', [2, 3, 4]], // missing label matches a negative matcher
    ['!=', 'env', 'prod', [2, 3, 4]],
    ['=~', 'env', '.+', [1, 4]],
    ['=~', 'env', '.*', [1, 2, 3, 4]],
    ['=', 'nope', 'x', []],
    ['!=', 'nope', 'x', [1, 2, 3, 4]],
    ['=~', 'job', '(?i)API', [1, 2]],
    ['=~', 'job', '\\w+x', [4]],
  ])('%s %s %j', (type, name, value, want) => {
    expect(p.select([m(type, name, value)])).toEqual(want);
  });

  it('intersects several matchers', () => {
    expect(p.select([m('=', '__name__', 'up'), m('=~', 'job', 'api.*'), m('!=', 'env', 'dev')])).toEqual([1, 2]);
  });

  it('regex dot matches newline like Prometheus (?s)', () => {
    const q = new PostingsIndex();
    q.add(1, [{ name: 'a', value: 'x\ny' }]);
    expect(q.select([m('=~', 'a', 'x.y')])).toEqual([1]);
  });

  it.each([
    '(a)\\1',
    '(?=a)a',
    '(?!a)b',
    '(?<=a)b',
    '(?<!a)b',
    '(?>a)',
    'a*+',
    'a++',
    '\\p{L}',
    '\\pL',
    '\\Qa.b\\E',
    '\\Aabc',
    'abc\\z',
    '[[:alpha:]]',
    '(?m)a',
    'a{1001}',
    '(unclosed',
    '[\\S]',
  ])('rejects %j', (re) => {
    expect(() => parseMatcher('=~', 'a', re)).toThrow(MatcherError);
    expect(() => parseMatcher('!~', 'a', re)).toThrow(MatcherError);
  });

  it('translates RE2 \\s to its ASCII set', () => {
    const q = new PostingsIndex();
    q.add(1, [{ name: 'a', value: 'x y' }]);
    q.add(2, [{ name: 'a', value: 'x\u00a0y' }]); // JS \s would match NBSP, RE2 does not
    expect(q.select([m('=~', 'a', 'x\\sy')])).toEqual([1]);
    expect(q.select([m('=~', 'a', 'x\\Sy')])).toEqual([2]);
  });
});
