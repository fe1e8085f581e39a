import { QueryError as EngineError, type InstantSample, type PromQLEngine, type RangeSeries } from '../engine';
import type { ChunkedDataWriter, FrameSpec } from '../runtime/chunked/writer';
import { abortError, QueryError } from '../runtime/errors';
import type { FrameMeta, Notice } from '../runtime/frames';
import type { DataQuery } from '../runtime/handlers';
import type { Labels } from '../storage';
import { seriesDisplayName } from './promql-legend';
import { planPromQL, PromQLPlan, PromQLQuery } from './promql-query';
import type { DatasourceSettings } from './settings';

/**
 * queryTypes `promql` and `promql-instant`: PromQL over the embedded store, answered with Grafana's
 * data-plane frames as its Prometheus datasource does. A range query is one `timeseries-multi` frame
 * per series (`Time`, and `Value` carrying the series' labels), each written as soon as the engine
 * hands it over, so the first series reach Grafana while later ones are still being computed; an
 * instant vector is one `numeric-multi` frame per sample.
 */
export interface PromQLRun {
  engine: PromQLEngine;
  settings: DatasourceSettings;
  writer: ChunkedDataWriter;
  signal: AbortSignal;
  chunkRows?: number;
}

const TIMESERIES_MULTI = { type: 'timeseries-multi', typeVersion: [0, 1] } satisfies FrameMeta;
const NUMERIC_MULTI = { type: 'numeric-multi', typeVersion: [0, 1] } satisfies FrameMeta;

export async function runPromQL(query: DataQuery, promql: PromQLQuery, run: PromQLRun): Promise<void> {
  const plan = planPromQL(query, promql, run.settings);
  try {
    if (promql.instant) {
      await runInstant(query.refId, promql, plan, run);
    } else {
      await runRange(query.refId, promql, plan, run);
    }
  } catch (error) {
    throw queryErrorOf(error, run.settings, run.signal);
  }
}

async function runRange(refId: string, promql: PromQLQuery, plan: PromQLPlan, run: PromQLRun): Promise<void> {
  const stream = await run.engine.streamRangeQuery(plan.expr, plan.startMs, plan.endMs, plan.stepMs, {
    signal: run.signal,
    lookbackDeltaMs: run.settings.lookbackDeltaMs,
    onProgress: (p) =>
      run.writer.reportProgress(refId, {
        seriesDone: p.seriesDone,
        seriesTotal: p.seriesTotal ?? undefined,
        samplesScanned: p.samplesScanned,
      }),
  });
  const frames = new SeriesFrames(refId, promql, plan, run);
  // One series behind the engine: the annotations come after the last series, and they belong on
  // the last frame's meta, which goes out with its first chunk.
  let previous: RangeSeries | undefined;
  for await (const series of stream.series) {
    if (previous) {
      await frames.write(previous.labels, previous.timestamps, previous.values, TIMESERIES_MULTI);
    }
    previous = series;
  }
  const notices = noticesOf(stream.annotations());
  if (previous) {
    await frames.write(previous.labels, previous.timestamps, previous.values, TIMESERIES_MULTI, notices);
  } else {
    await frames.writeNoData(TIMESERIES_MULTI, notices);
  }
}

async function runInstant(refId: string, promql: PromQLQuery, plan: PromQLPlan, run: PromQLRun): Promise<void> {
  const result = await run.engine.instantQuery(plan.expr, plan.timeMs, {
    signal: run.signal,
    lookbackDeltaMs: run.settings.lookbackDeltaMs,
  });
  const notices = noticesOf(result);
  const frames = new SeriesFrames(refId, promql, plan, run);
  switch (result.resultType) {
    case 'scalar':
      return frames.write([], [result.t], [result.v], NUMERIC_MULTI, notices);
    case 'string':
      return frames.writeString(result.t, result.v, notices);
    case 'vector':
      return writeAll(result.samples, (s: InstantSample) => [s.labels, [s.t], [s.v]], frames, NUMERIC_MULTI, notices);
    case 'matrix':
      // An instant query of a range selector (`x[5m]`) answers raw samples: time series again.
      return writeAll(result.series, (s) => [s.labels, s.timestamps, s.values], frames, TIMESERIES_MULTI, notices);
  }
}

async function writeAll<T>(
  items: readonly T[],
  parts: (item: T) => [Labels, ArrayLike<number>, ArrayLike<number>],
  frames: SeriesFrames,
  meta: FrameMeta,
  notices: Notice[]
): Promise<void> {
  if (items.length === 0) {
    return frames.writeNoData(meta, notices);
  }
  for (let i = 0; i < items.length; i++) {
    const [labels, timestamps, values] = parts(items[i]);
    const last = i === items.length - 1;
    await frames.write(labels, timestamps, values, meta, last ? notices : []);
    frames.progress(items.length);
  }
}

/** Writes a query's series one frame each; frameIds `series-0`, `series-1`, …. */
class SeriesFrames {
  private written = 0;

  constructor(
    private readonly refId: string,
    private readonly promql: PromQLQuery,
    private readonly plan: PromQLPlan,
    private readonly run: PromQLRun
  ) {}

  async write(
    labels: Labels,
    timestamps: ArrayLike<number>,
    values: ArrayLike<number>,
    type: FrameMeta,
    notices: Notice[] = []
  ): Promise<void> {
    const record = Object.fromEntries(labels.map((l) => [l.name, l.value]));
    const name = seriesDisplayName(this.promql.legendFormat, record, this.plan.expr);
    const spec: FrameSpec = {
      name: '',
      meta: this.meta(type, notices),
      fields: [
        { name: 'Time', type: 'time', nullable: false, config: { interval: this.plan.stepMs } },
        {
          name: 'Value',
          type: 'float64',
          nullable: false,
          labels: record,
          ...(name === '' ? {} : { config: { displayNameFromDS: name } }),
        },
      ],
    };
    await this.writeFrame(spec, [timestamps, values]);
  }

  /** Prometheus' string result: a time and the text, outside the data-plane numeric types. */
  async writeString(time: number, value: string, notices: Notice[]): Promise<void> {
    const spec: FrameSpec = {
      name: '',
      meta: this.meta({ type: 'table', typeVersion: [0, 0] }, notices),
      fields: [
        { name: 'Time', type: 'time', nullable: false },
        { name: 'Value', type: 'string', nullable: false },
      ],
    };
    await this.writeFrame(spec, [[time], [value]]);
  }

  /** The data plane's "no data": one frame of the type without fields, still carrying the meta. */
  async writeNoData(type: FrameMeta, notices: Notice[]): Promise<void> {
    const frame = this.run.writer.openFrame(this.refId, 'nodata', {
      name: '',
      meta: this.meta(type, notices),
      fields: [],
    });
    await frame.close();
  }

  progress(total: number): void {
    this.run.writer.reportProgress(this.refId, { seriesDone: this.written, seriesTotal: total });
  }

  private async writeFrame(spec: FrameSpec, columns: ArrayLike<unknown>[]): Promise<void> {
    const options = this.run.chunkRows ? { chunkRows: this.run.chunkRows } : {};
    const frame = this.run.writer.openFrame(this.refId, `series-${this.written}`, spec, options);
    this.written++;
    await frame.appendColumns(columns);
    await frame.close();
  }

  /** The inspector's query text on the first frame, as Grafana does; notices where they are known. */
  private meta(type: FrameMeta, notices: Notice[]): FrameMeta {
    return {
      ...type,
      ...(this.written === 0 ? { executedQueryString: this.plan.executedQueryString } : {}),
      ...(notices.length > 0 ? { notices } : {}),
    };
  }
}

/** Prometheus' warnings and infos ("PromQL warning: …") as frame notices, which Grafana shows on the panel. */
function noticesOf(annotations: { warnings: string[]; infos: string[] }): Notice[] {
  return [
    ...annotations.warnings.map((text) => ({ severity: 'warning' as const, text })),
    ...annotations.infos.map((text) => ({ severity: 'info' as const, text })),
  ];
}

/**
 * The engine's errors as this query's status, the way Prometheus' HTTP API maps them and Grafana
 * shows them: a bad expression 400, a failure while running it 422, a timeout 504. The limits a
 * query can hit are named, so the message says which setting to change.
 */
export function queryErrorOf(error: unknown, settings: DatasourceSettings, signal: AbortSignal): unknown {
  if (!(error instanceof EngineError)) {
    return error;
  }
  switch (error.type) {
    case 'bad_data':
      return new QueryError(400, error.message, 'downstream');
    case 'execution': {
      const limit = /too many samples/i.test(error.message)
        ? ` (the datasource setting queryMaxSamples is ${settings.queryMaxSamples})`
        : '';
      return new QueryError(422, error.message + limit, 'downstream');
    }
    case 'timeout':
      return new QueryError(
        504,
        `${error.message} (the datasource setting queryTimeoutMs is ${settings.queryTimeoutMs})`,
        'downstream'
      );
    case 'canceled':
      // Grafana went away: the call's cancellation, not an answer for this query.
      return signal.aborted ? abortError(signal) : new QueryError(503, error.message, 'downstream');
    case 'internal':
      return new QueryError(500, error.message, 'plugin');
  }
}
