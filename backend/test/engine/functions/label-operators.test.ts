/** label_replace and label_join against functions.test. */
import { LabelJoinOperator } from '../../../src/engine/operators/label-join';
import { LabelReplaceOperator, expandTemplate } from '../../../src/engine/operators/label-replace';
import { testContext } from '../helpers/context';
import { replayValues } from '../helpers/replay';
import { collectSamples, labels } from './helpers';

const POS = { start: 0, end: 1 };
const ctx = () => testContext({ start: 0, end: 0, step: 60_000 });

function testmetric() {
  const c = ctx();
  const child = replayValues(
    c,
    [
      labels({ __name__: 'testmetric', src: 'source-value-10', dst: 'original-destination-value' }),
      labels({ __name__: 'testmetric', src: 'source-value-20', dst: 'original-destination-value' }),
    ],
    [[0], [1]]
  );
  return { c, child };
}

async function replace(dst: string, replacement: string, src: string, regex: string): Promise<string[]> {
  const { c, child } = testmetric();
  const op = new LabelReplaceOperator(c, child, dst, replacement, src, regex, POS);
  const [step] = await collectSamples(op);
  return Object.keys(step.samples);
}

describe('LabelReplaceOperator', () => {
  it('replaces on a full-string match', async () => {
    expect(await replace('dst', 'destination-value-$1', 'src', 'source-value-(.*)')).toEqual([
      '__name__=testmetric,dst=destination-value-10,src=source-value-10',
      '__name__=testmetric,dst=destination-value-20,src=source-value-20',
    ]);
    expect(await replace('dst', 'destination-value-$1', 'src', 'value-(.*)')).toEqual([
      '__name__=testmetric,dst=original-destination-value,src=source-value-10',
      '__name__=testmetric,dst=original-destination-value,src=source-value-20',
    ]);
    expect(await replace('dst', '$1-value-$2', 'src', '(.*)-value-(.*)')).toEqual([
      '__name__=testmetric,dst=source-value-10,src=source-value-10',
      '__name__=testmetric,dst=source-value-20,src=source-value-20',
    ]);
  });

  it('treats a missing source as empty and removes labels set to empty', async () => {
    expect(await replace('dst', 'value-$1', 'nonexistent-src', 'source-value-(.*)')).toEqual([
      '__name__=testmetric,dst=original-destination-value,src=source-value-10',
      '__name__=testmetric,dst=original-destination-value,src=source-value-20',
    ]);
    expect(await replace('dst', 'value-$1', 'nonexistent-src', '(.*)')).toEqual([
      '__name__=testmetric,dst=value-,src=source-value-10',
      '__name__=testmetric,dst=value-,src=source-value-20',
    ]);
    expect(await replace('dst', '', 'dst', '.*')).toEqual([
      '__name__=testmetric,src=source-value-10',
      '__name__=testmetric,src=source-value-20',
    ]);
  });

  it('fails on a bad regex, a bad destination or colliding outputs', async () => {
    await expect(replace('dst', 'value-$1', 'src', '(.*')).rejects.toThrow(
      'invalid regular expression in label_replace(): (.*'
    );
    await expect(replace('', '', 'src', '(.*)')).rejects.toThrow('invalid destination label name in label_replace(): ');
    await expect(replace('\uDC00', '', 'src', '(.*)')).rejects.toThrow('invalid destination label name');
    await expect(replace('src', '', '', '')).rejects.toThrow('vector cannot contain metrics with the same labelset');
  });

  it('merges colliding series that never share a step', async () => {
    const c = testContext({ start: 0, end: 60_000, step: 60_000 });
    const child = replayValues(
      c,
      [labels({ a: '1' }), labels({ a: '2' })],
      [
        [5, undefined],
        [undefined, 6],
      ]
    );
    const op = new LabelReplaceOperator(c, child, 'a', '', 'a', '.*', POS);
    expect(await op.series()).toEqual([[]]);
    expect(await collectSamples(op)).toEqual([
      { t: 0, samples: { '': 5 } },
      { t: 60_000, samples: { '': 6 } },
    ]);
  });
});

describe('expandTemplate', () => {
  const match = (re: RegExp, s: string) => re.exec(s) as RegExpExecArray;

  it('expands like Go regexp.Expand', () => {
    const m = match(/^(?<first>a)(b)?(c)$/u, 'ac');
    expect(expandTemplate('$1-${2}-$3-$first-${first}', m)).toBe('a--c-a-a');
    expect(expandTemplate('$1x', m)).toBe('');
    expect(expandTemplate('${1}x', m)).toBe('ax');
    expect(expandTemplate('$$1 $ ${1 $!', m)).toBe('$1 $ ${1 $!');
    expect(expandTemplate('$01 $9 $nope', m)).toBe('  ');
  });
});

describe('LabelJoinOperator', () => {
  async function join(dst: string, sep: string, srcs: string[]): Promise<string[]> {
    const c = ctx();
    const child = replayValues(
      c,
      [
        labels({ src: 'a', src1: 'b', src2: 'c', dst: 'original-destination-value' }),
        labels({ src: 'd', src1: 'e', src2: 'f', dst: 'original-destination-value' }),
      ],
      [[0], [1]]
    );
    const [step] = await collectSamples(new LabelJoinOperator(c, child, dst, sep, srcs, POS));
    return Object.keys(step.samples);
  }

  it('joins source values in order, missing ones as empty', async () => {
    expect(await join('dst', '-', ['src', 'src1', 'src2'])).toEqual([
      'dst=a-b-c,src=a,src1=b,src2=c',
      'dst=d-e-f,src=d,src1=e,src2=f',
    ]);
    expect(await join('dst', '-', ['src', 'src3', 'src1'])).toEqual([
      'dst=a--b,src=a,src1=b,src2=c',
      'dst=d--e,src=d,src1=e,src2=f',
    ]);
    expect(await join('dst', '', ['emptysrc', 'emptysrc1'])).toEqual(['src=a,src1=b,src2=c', 'src=d,src1=e,src2=f']);
    expect(await join('dst', ', ', [])).toEqual(['src=a,src1=b,src2=c', 'src=d,src1=e,src2=f']);
  });

  it('fails on bad names and duplicate outputs', async () => {
    await expect(join('dst', '-', [''])).rejects.toThrow('invalid source label name in label_join(): ');
    await expect(join('', '-', ['src'])).rejects.toThrow('invalid destination label name in label_join(): ');
    const c = ctx();
    const child = replayValues(c, [labels({ label: 'a', this: 'a' }), labels({ label: 'b', this: 'a' })], [[1], [1]]);
    await expect(collectSamples(new LabelJoinOperator(c, child, 'label', '', ['this'], POS))).rejects.toThrow(
      'vector cannot contain metrics with the same labelset'
    );
  });
});
