import { CoreApp, dateTime } from '@grafana/data';
import { setBackendSrv, setTemplateSrv } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';

import { toMetricFindValues } from './datasource';
import { FakeBackendSrv } from './testing/fakeBackendSrv';
import { fakeTemplateSrv } from './testing/fakeTemplateSrv';
import { DS_UID, makeDataSource, makeRequest } from './testing/fixtures';
import type { SluiceQuery, SyntheticQuery } from './types';

let backend: FakeBackendSrv;

beforeEach(() => {
  backend = new FakeBackendSrv();
  setBackendSrv(backend.asBackendSrv());
  setTemplateSrv(fakeTemplateSrv({ rows: '5000', seed: '42', many: '1,2' }));
});

describe('applyTemplateVariables', () => {
  it('resolves variables in string fields and turns resolved integers into numbers', () => {
    const query = { refId: 'A', queryType: 'synthetic', rows: '$rows', seed: '${seed}', chunkRows: 500 } as const;
    expect(makeDataSource().applyTemplateVariables(query, {})).toEqual({
      refId: 'A',
      queryType: 'synthetic',
      rows: 5000,
      seed: 42,
      chunkRows: 500,
    });
  });

  it('prefers scoped variables (repeated panels) over dashboard ones', () => {
    const query: SyntheticQuery = { refId: 'A', queryType: 'synthetic', rows: '$rows' };
    const scoped = { rows: { text: '7', value: '7' } };
    expect((makeDataSource().applyTemplateVariables(query, scoped) as SyntheticQuery).rows).toBe(7);
  });

  it('leaves what does not resolve to an integer as text, for the backend to reject by name', () => {
    const query: SluiceQuery = { refId: 'A', queryType: 'synthetic', rows: '$many', seed: '$unknown' };
    expect(makeDataSource().applyTemplateVariables(query, {})).toMatchObject({ rows: '1,2', seed: '$unknown' });
  });

  it('does not touch refId or queryType', () => {
    const query = { refId: '$rows', queryType: 'synthetic', rows: 1 } as SluiceQuery;
    expect(makeDataSource().applyTemplateVariables(query, {})).toMatchObject({
      refId: '$rows',
      queryType: 'synthetic',
    });
  });
});

describe('filterQuery and getDefaultQuery', () => {
  const datasource = makeDataSource();

  it('drops hidden queries and queries with nothing to run', () => {
    expect(datasource.filterQuery({ refId: 'A', queryType: 'synthetic', rows: 10 })).toBe(true);
    expect(datasource.filterQuery({ refId: 'A', queryType: 'synthetic', rows: '$rows' })).toBe(true);
    expect(datasource.filterQuery({ refId: 'A', queryType: 'synthetic', rows: 10, hide: true })).toBe(false);
    expect(datasource.filterQuery({ refId: 'A', queryType: 'synthetic' })).toBe(false);
    expect(datasource.filterQuery({ refId: 'A', queryType: 'synthetic', rows: '' })).toBe(false);
    expect(datasource.filterQuery({ refId: 'A' } as SluiceQuery)).toBe(false);
  });

  it('keeps a query of a type this frontend does not know, so the backend can name the problem', () => {
    expect(datasource.filterQuery({ refId: 'A', queryType: 'logs' } as unknown as SluiceQuery)).toBe(true);
  });

  it('runs a PromQL query only once it has an expression', () => {
    expect(datasource.filterQuery({ refId: 'A', queryType: 'promql', expr: 'up' })).toBe(true);
    expect(datasource.filterQuery({ refId: 'A', queryType: 'promql-instant', expr: ' ' })).toBe(false);
    expect(datasource.filterQuery({ refId: 'A', queryType: 'promql' })).toBe(false);
  });

  it('sends PromQL with the built-in variables of the request resolved and the time zone offset', () => {
    const ds = makeDataSource({ transport: 'resource' });
    const request = makeRequest(
      [{ refId: 'A', queryType: 'promql', expr: 'increase(x[$__range])[$__rate_interval:]' }],
      {
        intervalMs: 15_000,
        scopedVars: { __interval: { text: '15s', value: '15s' }, __interval_ms: { text: '15000', value: 15_000 } },
      }
    );
    ds.query(request).subscribe();
    const body = backend.last.body as { queries: Array<Record<string, unknown>> };
    expect(body.queries[0]).toMatchObject({
      queryType: 'promql',
      expr: 'increase(x[3600s])[1m:]',
      utcOffsetSec: 0,
      intervalMs: 15_000,
    });
  });

  it('starts new queries as a runnable synthetic query', () => {
    const query = datasource.getDefaultQuery(CoreApp.PanelEditor);
    expect(query).toEqual({ queryType: 'synthetic', rows: 10_000, seed: 1 });
    expect(datasource.filterQuery({ refId: 'A', ...query } as SluiceQuery)).toBe(true);
  });

  it('answers an empty request without calling the backend', async () => {
    const response = await lastValueFrom(
      datasource.query(makeRequest([{ refId: 'A', queryType: 'synthetic', rows: 1, hide: true }]))
    );
    expect(response.data).toEqual([]);
    expect(backend.chunked).not.toHaveBeenCalled();
    expect(backend.fetch).not.toHaveBeenCalled();
  });
});

describe('variable queries', () => {
  it('asks the backend resource POST variables with the resolved query and time range', async () => {
    backend.onFetch = () => [{ text: 'series-0', value: 's0' }, 'series-1'];
    const values = await makeDataSource().metricFindQuery(
      { refId: 'V', query: 'series rows=$rows' },
      { range: { from: dateTime(1000), to: dateTime(2000), raw: { from: 'now-1h', to: 'now' } } }
    );
    expect(values).toEqual([
      { text: 'series-0', value: 's0' },
      { text: 'series-1', value: 'series-1' },
    ]);
    expect(backend.fetchRequests).toEqual([
      expect.objectContaining({
        method: 'POST',
        url: `/api/datasources/uid/${DS_UID}/resources/variables`,
        data: { query: 'series rows=5000', from: '1000', to: '2000' },
      }),
    ]);
  });

  it('serves query variables through CustomVariableSupport', async () => {
    backend.onFetch = () => ['a', 'b'];
    const datasource = makeDataSource();
    const request = makeRequest([{ refId: 'V', query: 'series' } as unknown as SluiceQuery]);
    const support = datasource.variables as unknown as {
      query: (r: typeof request) => ReturnType<typeof datasource.query>;
    };
    const response = await lastValueFrom(support.query(request));
    expect(response.data).toEqual([
      { text: 'a', value: 'a' },
      { text: 'b', value: 'b' },
    ]);
    expect(backend.fetchRequests[0].data).toMatchObject({ query: 'series', from: '1700000000000' });
  });

  it('refuses an answer that is not a list of values', () => {
    expect(() => toMetricFindValues({ values: [] })).toThrow(/not return a list/);
    expect(() => toMetricFindValues([{ nope: 1 }])).toThrow(/unusable value/);
  });
});

describe('testDatasource', () => {
  it("shows CheckHealth's message on success", async () => {
    backend.onFetch = () => ({ status: 'OK', message: 'Sluice dev is working (plugin mode)' });
    await expect(makeDataSource().testDatasource()).resolves.toEqual({
      status: 'success',
      message: 'Sluice dev is working (plugin mode)',
    });
    expect(backend.fetchRequests[0].url).toBe(`/api/datasources/uid/${DS_UID}/health`);
  });

  it("shows CheckHealth's message on failure", async () => {
    backend.onFetch = () => {
      throw { status: 400, data: { status: 'ERROR', message: 'datasource settings: chunkRows must be an integer' } };
    };
    await expect(makeDataSource().testDatasource()).rejects.toMatchObject({
      status: 'error',
      message: 'datasource settings: chunkRows must be an integer',
    });
  });

  it('still says something useful when the backend did not answer at all', async () => {
    backend.onFetch = () => {
      throw { status: 502, data: undefined };
    };
    await expect(makeDataSource().testDatasource()).rejects.toMatchObject({
      status: 'error',
      message: expect.stringMatching(/^Health check failed: the Sluice backend did not answer/),
    });
  });
});
