import { parseSeriesSelector, SelectorError } from '../engine/parser/selector';
import type { ChunkedDataWriter, FrameSpec } from '../runtime/chunked/writer';
import { QueryError } from '../runtime/errors';
import type { DataQuery } from '../runtime/handlers';
import { isStaleMarker, LabelMatcher, MatcherError, Storage } from '../storage';
import type { QueryModel } from './query';

/**
 * queryType `samples`: the raw samples of a series selector over the query's time range, as a long
 * table (time, value, one string field per label), streamed series by series so that exporting
 * millions of samples never holds them all.
 */
export const SAMPLES_FRAME_ID = 'samples';
const BATCH_ROWS = 4096;

export interface SamplesQuery {
  selector: string;
  matchers: LabelMatcher[];
}

export function parseSamplesQuery(model: QueryModel): SamplesQuery {
  if (typeof model.selector !== 'string' || model.selector.trim() === '') {
    throw QueryError.badRequest('selector is required, e.g. http_requests_total{job="api"}');
  }
  try {
    return { selector: model.selector, matchers: parseSeriesSelector(model.selector) };
  } catch (error) {
    if (error instanceof SelectorError || error instanceof MatcherError) {
      throw QueryError.badRequest(`invalid selector ${JSON.stringify(model.selector)}: ${error.message}`);
    }
    throw error;
  }
}

export async function runSamples(
  query: DataQuery,
  samples: SamplesQuery,
  storage: Storage,
  writer: ChunkedDataWriter,
  chunkRows: number | undefined
): Promise<void> {
  const labelNames = storage.labelNames(samples.matchers);
  const spec: FrameSpec = {
    name: 'samples',
    meta: {
      type: 'table',
      typeVersion: [0, 0],
      executedQueryString: samples.selector,
      preferredVisualisationType: 'table',
    },
    fields: [
      { name: 'time', type: 'time', nullable: false },
      { name: 'value', type: 'float64', nullable: false },
      ...labelNames.map((name) => ({ name, type: 'string' as const, nullable: true })),
    ],
  };
  const frame = writer.openFrame(query.refId, SAMPLES_FRAME_ID, spec, chunkRows ? { chunkRows } : {});
  const { from, to } = query.timeRange;
  for (const series of storage.select(samples.matchers, from, to)) {
    const byName = new Map(series.labels.map((l) => [l.name, l.value]));
    const labelValues = labelNames.map((name) => byName.get(name) ?? null);
    const { timestamps, values } = withoutStaleMarkers(series.timestamps, series.values);
    for (let start = 0; start < timestamps.length; start += BATCH_ROWS) {
      const end = Math.min(timestamps.length, start + BATCH_ROWS);
      const labelColumns = labelValues.map((value) => new Array<string | null>(end - start).fill(value));
      await frame.appendColumns([timestamps.subarray(start, end), values.subarray(start, end), ...labelColumns]);
    }
  }
  await frame.close();
}

/** Stale markers say "this series ended here" inside the store; they are not samples to show. */
function withoutStaleMarkers(
  timestamps: Float64Array,
  values: Float64Array
): { timestamps: Float64Array; values: Float64Array } {
  let stale = 0;
  for (let i = 0; i < values.length; i++) {
    if (isStaleMarker(values[i])) {
      stale++;
    }
  }
  if (stale === 0) {
    return { timestamps, values };
  }
  const t = new Float64Array(values.length - stale);
  const v = new Float64Array(values.length - stale);
  for (let i = 0, j = 0; i < values.length; i++) {
    if (!isStaleMarker(values[i])) {
      t[j] = timestamps[i];
      v[j++] = values[i];
    }
  }
  return { timestamps: t, values: v };
}
