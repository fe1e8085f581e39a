import { DataQueryResponse, LoadingState } from '@grafana/data';
import { config, setBackendSrv, setTemplateSrv } from '@grafana/runtime';

import { FakeBackendSrv } from '../testing/fakeBackendSrv';
import { fakeTemplateSrv } from '../testing/fakeTemplateSrv';
import { DS_UID, makeDataSource, makeRequest, ndjson, syntheticQuery } from '../testing/fixtures';
import { ByteChunk, fetchByteSource } from './byteSource';

/** A fetch whose body the test writes into; `cancelled` records the reader being cancelled. */
function streamingFetch(status = 200) {
  const state = {
    cancelled: false,
    signal: undefined as AbortSignal | undefined,
    init: undefined as RequestInit | undefined,
  };
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({
    start: (c) => {
      controller = c;
    },
    cancel: () => {
      state.cancelled = true;
    },
  });
  const fetchMock = jest.fn(async (_url: string, init?: RequestInit) => {
    state.init = init;
    state.signal = init?.signal ?? undefined;
    return { status, ok: status >= 200 && status < 300, body } as unknown as Response;
  });
  return {
    fetchMock,
    state,
    write: (text: string) => controller.enqueue(new TextEncoder().encode(text)),
    close: () => controller.close(),
  };
}

/** Lets the fetch source's promise chain run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('fetchByteSource', () => {
  it('emits the status first, then each piece of the body, then completes', async () => {
    const { fetchMock, write, close, state } = streamingFetch();
    const chunks: ByteChunk[] = [];
    let completed = false;
    fetchByteSource(fetchMock as unknown as typeof fetch)({
      url: '/x',
      headers: { Accept: 'a/b' },
      body: { q: 1 },
    }).subscribe({
      next: (chunk) => chunks.push(chunk),
      complete: () => (completed = true),
    });
    await settle();
    write('ab');
    await settle();
    write('cd');
    close();
    await settle();
    expect(chunks.map((c) => [c.status, c.bytes && new TextDecoder().decode(c.bytes)])).toEqual([
      [200, undefined],
      [200, 'ab'],
      [200, 'cd'],
    ]);
    expect(completed).toBe(true);
    expect(state.init).toMatchObject({ method: 'POST', body: '{"q":1}', credentials: 'same-origin' });
    expect(state.init?.headers).toMatchObject({ Accept: 'a/b', 'Content-Type': 'application/json' });
  });

  it('aborts the fetch and cancels the body when unsubscribed', async () => {
    const { fetchMock, write, state } = streamingFetch();
    const chunks: ByteChunk[] = [];
    const subscription = fetchByteSource(fetchMock as unknown as typeof fetch)({
      url: '/x',
      headers: {},
      body: {},
    }).subscribe((chunk) => chunks.push(chunk));
    await settle();
    write('ab');
    await settle();
    subscription.unsubscribe();
    await settle();
    expect(state.signal?.aborted).toBe(true);
    expect(state.cancelled).toBe(true);
    expect(chunks).toHaveLength(2);
  });
});

describe('a Grafana without chunked()', () => {
  beforeEach(() => {
    const backend = new FakeBackendSrv();
    setBackendSrv({ fetch: backend.fetch } as unknown as ReturnType<FakeBackendSrv['asBackendSrv']>);
    setTemplateSrv(fakeTemplateSrv({}));
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('streams through fetch + ReadableStream, with the sub-path and org header backendSrv would add', async () => {
    const stream = streamingFetch();
    Object.assign(globalThis, { fetch: stream.fetchMock });
    config.appSubUrl = '/grafana';
    config.bootData.user.orgId = 3;
    const datasource = makeDataSource({ transport: 'resource' });
    const packets: DataQueryResponse[] = [];
    const subscription = datasource.query(makeRequest([syntheticQuery('A')])).subscribe((p) => packets.push(p));
    await settle();
    expect(stream.fetchMock).toHaveBeenCalledWith(
      `/grafana/api/datasources/uid/${DS_UID}/resources/query`,
      expect.anything()
    );
    expect(stream.state.init?.headers).toMatchObject({ 'X-Grafana-Org-Id': '3', Accept: 'application/x-ndjson' });
    stream.write(ndjson.frame('A', 0, 10));
    await settle();
    expect(packets.map((p) => p.state)).toEqual([LoadingState.Streaming]);
    subscription.unsubscribe();
    await settle();
    expect(stream.state.signal?.aborted).toBe(true);
    expect(stream.state.cancelled).toBe(true);
    config.appSubUrl = '';
  });
});
