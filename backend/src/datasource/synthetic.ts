import type { ChunkedDataWriter, FrameSpec } from '../runtime/chunked/writer';
import type { DataQuery } from '../runtime/handlers';
import { queryInteger, QueryModel } from './query';
import { mulberry32 } from './random';
import type { DatasourceSettings } from './settings';

/**
 * queryType `synthetic`: a deterministic frame of any size, Sluice's load generator. The Go
 * reference plugin in conformance/ produces the identical rows, so the two can be compared.
 */
export const SYNTHETIC_FRAME_ID = 'synthetic';

export const SYNTHETIC_FRAME: FrameSpec = {
  name: 'synthetic',
  fields: [
    { name: 'time', type: 'time', nullable: false },
    { name: 'value', type: 'float64', nullable: false },
    { name: 'series', type: 'string', nullable: false },
  ],
};

export const SYNTHETIC_SERIES = 10;
const SERIES_NAMES = Array.from({ length: SYNTHETIC_SERIES }, (_, i) => `series-${i}`);
const ROW_SPACING_MS = 1000;

export interface SyntheticQuery {
  rows: number;
  seed: number;
}

export function parseSyntheticQuery(model: QueryModel, settings: DatasourceSettings): SyntheticQuery {
  return {
    rows: queryInteger('rows', model.rows, { min: 0, max: settings.syntheticMaxRows }),
    seed: model.seed === undefined ? 1 : queryInteger('seed', model.seed, { min: 0, max: 2 ** 32 - 1 }),
  };
}

/** The walk adds without multiplying, leaving no room for fused multiply-adds to differ from Go. */
export class SyntheticRows {
  private readonly uniform: () => number;
  private level = 50;

  constructor(seed: number) {
    this.uniform = mulberry32(seed);
  }

  nextValue(): number {
    this.level += this.uniform() - 0.5;
    return this.level;
  }
}

/** Rows are generated in column batches, like the Go reference builds each chunk's slices. */
const BATCH_ROWS = 1024;

export async function runSynthetic(
  query: DataQuery,
  synthetic: SyntheticQuery,
  writer: ChunkedDataWriter,
  chunkRows: number | undefined
): Promise<void> {
  const frame = writer.openFrame(query.refId, SYNTHETIC_FRAME_ID, SYNTHETIC_FRAME, chunkRows ? { chunkRows } : {});
  writer.expectRows(query.refId, synthetic.rows);
  const generator = new SyntheticRows(synthetic.seed);
  const start = query.timeRange.from;
  const times = new Float64Array(BATCH_ROWS);
  const values = new Float64Array(BATCH_ROWS);
  const series: string[] = new Array(BATCH_ROWS);
  for (let done = 0; done < synthetic.rows;) {
    const count = Math.min(BATCH_ROWS, synthetic.rows - done);
    for (let j = 0; j < count; j++) {
      const i = done + j;
      times[j] = start + i * ROW_SPACING_MS;
      values[j] = generator.nextValue();
      series[j] = SERIES_NAMES[i % SYNTHETIC_SERIES];
    }
    const batch =
      count === BATCH_ROWS
        ? [times, values, series]
        : [times.subarray(0, count), values.subarray(0, count), series.slice(0, count)];
    await frame.appendColumns(batch);
    done += count;
  }
  await frame.close();
}
