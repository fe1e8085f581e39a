/** count_values: cases from Prometheus' aggregators.test (float samples only). */
import { CountValuesOperator } from '../../../src/engine/aggregations/count-values';
import type { QueryContext } from '../../../src/engine/model/context';
import type { VectorOperator } from '../../../src/engine/model/operator';
import { testContext } from '../helpers/context';
import { expectInstant, expectMatrix, load } from '../helpers/promqltest';
import { asMatrix, atStep, collect, matching, select } from '../helpers/replay';

const M = 60_000;

function countValues(
  ctx: QueryContext,
  label: string,
  child: VectorOperator,
  grouping: string[] = [],
  without = false
): CountValuesOperator {
  return new CountValuesOperator(ctx, child, label, grouping, without);
}

describe('count_values over versions', () => {
  const data = load(
    5 * M,
    `
    version{job="api-server", instance="0", group="production"}	6
    version{job="api-server", instance="1", group="production"}	6
    version{job="api-server", instance="2", group="production"}	6
    version{job="api-server", instance="0", group="canary"}		8
    version{job="api-server", instance="1", group="canary"}		8
    version{job="app-server", instance="0", group="production"}	6
    version{job="app-server", instance="1", group="production"}	6
    version{job="app-server", instance="0", group="canary"}		7
    version{job="app-server", instance="1", group="canary"}		7`
  );
  const run = async (label: string, grouping: string[] = [], without = false): Promise<[string, number][]> => {
    const c = testContext({ start: M });
    return atStep(await collect(countValues(c, label, select(c, data, matching('version')), grouping, without)));
  };

  it('counts equal values', async () => {
    expectInstant(await run('version'), '{version="6"} 5\n{version="7"} 2\n{version="8"} 2');
  });

  it('without keeps the other labels but not the name', async () => {
    expectInstant(
      await run('version', ['instance'], true),
      `{job="api-server", group="production", version="6"} 3
       {job="api-server", group="canary", version="8"} 2
       {job="app-server", group="production", version="6"} 2
       {job="app-server", group="canary", version="7"} 2`
    );
  });

  it('the value label overwrites an input label', async () => {
    const expected = `{job="6", group="production"} 5
       {job="8", group="canary"} 2
       {job="7", group="canary"} 2`;
    expectInstant(await run('job', ['instance'], true), expected);
    expectInstant(await run('job', ['job', 'group']), expected);
  });

  it('a without list can remove the value label itself', async () => {
    expectInstant(
      await run('instance', ['instance'], true),
      '{job="api-server", group="production"} 3\n{job="api-server", group="canary"} 2\n{job="app-server", group="production"} 2\n{job="app-server", group="canary"} 2'
    );
  });

  it('rejects an invalid label name with Prometheus text', async () => {
    const c = testContext({ start: M });
    // "a\xc5z": the parser keeps a byte that is not UTF-8 as a lone surrogate U+DCC5.
    await expect(collect(countValues(c, 'a\udcc5z', select(c, data, matching('version'))))).rejects.toThrow(
      /^invalid label name "a\\xc5z"$/
    );
    await expect(collect(countValues(c, '', select(c, data, matching('version'))))).rejects.toThrow(
      /^invalid label name ""$/
    );
  });
});

describe('count_values formats values like strconv.FormatFloat(v, f, -1, 64)', () => {
  const data = load(
    5 * M,
    `
    data{job="a", instance="0"} 1
    data{job="a", instance="1"} 1
    data{job="a", instance="2"} 1.5
    data{job="b", instance="0"} 0
    data{job="b", instance="1"} -0
    data{job="b", instance="2"} NaN
    data{job="b", instance="3"} NaN
    data{job="c", instance="0"} Inf
    data{job="c", instance="1"} -Inf
    data{job="c", instance="2"} 1e10
    data{job="c", instance="3"} 1e-3
    data{job="c", instance="4"} 1.5`
  );
  const run = async (grouping: string[] = [], without = false): Promise<[string, number][]> => {
    const c = testContext({ start: 0 });
    return atStep(await collect(countValues(c, 'value', select(c, data, matching('data')), grouping, without)));
  };

  it('counts 0 and -0 apart and spells out NaN and Inf', async () => {
    expectInstant(
      await run(),
      `{value="1"} 2
       {value="1.5"} 2
       {value="0"} 1
       {value="-0"} 1
       {value="NaN"} 2
       {value="+Inf"} 1
       {value="-Inf"} 1
       {value="10000000000"} 1
       {value="0.001"} 1`
    );
  });

  it('by and without', async () => {
    const expected = `{job="a", value="1"} 2
      {job="a", value="1.5"} 1
      {job="b", value="0"} 1
      {job="b", value="-0"} 1
      {job="b", value="NaN"} 2
      {job="c", value="+Inf"} 1
      {job="c", value="-Inf"} 1
      {job="c", value="10000000000"} 1
      {job="c", value="0.001"} 1
      {job="c", value="1.5"} 1`;
    expectInstant(await run(['job']), expected);
    expectInstant(await run(['instance'], true), expected);
  });
});

describe('count_values over a range', () => {
  it('follows the values at each step and replays the child batches', async () => {
    const data = load(
      5 * M,
      `
      data{instance="0"} 1 1 2
      data{instance="1"} 1 2 2`
    );
    const c = testContext({ start: 0, end: 10 * M, step: 5 * M, stepsBatch: 2 });
    const op = countValues(c, 'value', select(c, data, matching('data')));
    const series = await op.series();
    expect(series.length).toBe(2);
    const result = await collect(op);
    expect(result.batchSizes).toEqual([2, 1]);
    expectMatrix(asMatrix(result), '{value="1"} 2 1 _\n{value="2"} _ 1 2');
    expect(op.describe()).toBe('count_values ("value")');
  });

  it('gives the buffered samples back to the budget', async () => {
    const data = load(5 * M, 'data{instance="0"} 1 2 3');
    const c = testContext({ start: 0, end: 10 * M, step: 5 * M, stepsBatch: 1 });
    const op = countValues(c, 'value', select(c, data, matching('data')));
    await op.series();
    expect(c.samples.peak).toBe(3);
    await collect(op);
    c.samples.take(3);
    expect(c.samples.peak).toBe(3);
  });
});
