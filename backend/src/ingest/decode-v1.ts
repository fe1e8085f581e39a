/**
 * Remote write 1.0: decodes a `prometheus.WriteRequest` (already Snappy-decoded) and validates it in one
 * pass over the bytes, straight into a columnar batch.
 *
 * The fast path: a sender writes a series' labels as a run of `TimeSeries.labels` fields, and the store
 * keys its series by exactly those bytes (storage seriesKey). So the raw bytes of a TimeSeries' label
 * fields find a known series (KnownSeries: predicted, else one map lookup), and its labels are neither
 * decoded nor validated again: the store only holds label sets that passed validation, and equal bytes
 * are equal labels. Keys longer than `fastKeyLimit` go the slow way, so a store opened with other limits
 * cannot let an over-long label through. Unknown series, unusual encodings (interleaved fields,
 * unsorted labels) and stores without an index take the slow path: decode, check, normalise.
 *
 * WriteRequest: timeseries = 1, metadata = 3. TimeSeries: labels = 1, samples = 2, exemplars = 3,
 * histograms = 4. Label: name = 1, value = 2 (bytes, so invalid UTF-8 is a 400, not U+FFFD).
 */
import { BatchBuilder } from './batch';
import {
  checkSeries,
  DecodedRequest,
  fastKeyLimit,
  KnownSeries,
  normalised,
  readSample,
  SeriesState,
} from './decode-common';
import { badRequest } from './errors';
import type { IngestLimits } from './limits';
import type { Label, Labels, SeriesIndex, SeriesRef } from './store-api';
import { decodeLabelString } from './strings';
import { WireError, WireReader } from './wire';

const r = new WireReader();
const builder = new BatchBuilder();
const state = new SeriesState();

export function decodeV1(body: Uint8Array, limits: IngestLimits, series?: SeriesIndex): DecodedRequest {
  const buf = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  r.reset(buf);
  builder.reset();
  const end = buf.length;
  const fastLimit = fastKeyLimit(limits);
  const known = series !== undefined ? new KnownSeries(series) : undefined;
  let problem: string | undefined;
  let index = 0;
  let exemplars = 0;
  let metadata = 0;
  try {
    while (r.pos < end) {
      const tag = r.tag(end);
      if (tag === 0x0a) {
        const seriesEnd = r.length(end) + r.pos;
        const p = readTimeSeries(buf, seriesEnd, index, limits, known, fastLimit, problem === undefined);
        r.pos = seriesEnd; // a problem may have stopped reading the series' labels half-way
        exemplars += state.exemplars;
        if (p !== undefined && problem === undefined) problem = p;
        index++;
      } else if (tag === 0x1a) {
        r.scan(r.length(end) + r.pos);
        metadata++;
      } else {
        r.skip(tag, end);
      }
    }
  } catch (err) {
    builder.reset();
    if (err instanceof WireError) throw badRequest(`invalid prometheus.WriteRequest protobuf: ${err.message}`);
    throw err;
  }
  if (problem !== undefined) {
    builder.reset();
    throw badRequest(problem);
  }
  const samples = builder.n;
  return { batch: builder.finish(), samples, exemplars, metadata };
}

/**
 * Reads one TimeSeries [r.pos, end). With `check` false (an earlier series already failed) only its
 * structure is checked. Returns the series' problem, if any.
 */
function readTimeSeries(
  buf: Buffer,
  end: number,
  index: number,
  limits: IngestLimits,
  known: KnownSeries | undefined,
  fastLimit: number,
  check: boolean
): string | undefined {
  const start = r.pos;
  const s = state;
  s.reset(builder.n);
  let labelsStart = -1;
  let labelsEnd = -1;
  let contiguous = true;
  while (r.pos < end) {
    const fieldStart = r.pos;
    const tag = r.tag(end);
    if (tag === 0x12) {
      readSample(r, r.length(end) + r.pos, builder, s, check);
    } else if (tag === 0x0a) {
      const labelEnd = r.length(end) + r.pos;
      if (labelsStart < 0) labelsStart = fieldStart;
      else if (fieldStart !== labelsEnd) contiguous = false;
      // Label contents are checked when decoded (slow path) or known good (fast path).
      if (check) r.pos = labelEnd;
      else r.scan(labelEnd);
      labelsEnd = labelEnd;
    } else if (tag === 0x1a) {
      scanExemplar(r.length(end) + r.pos);
      s.exemplars++;
    } else if (tag === 0x22) {
      r.pos = r.length(end) + r.pos;
      s.histograms = true;
    } else {
      r.skip(tag, end);
    }
  }
  if (!check) return undefined;

  let ref: SeriesRef | undefined;
  if (known !== undefined) {
    if (contiguous && labelsStart >= 0 && labelsEnd - labelsStart <= fastLimit) {
      ref = known.findBytes(buf, labelsStart, labelsEnd);
    } else {
      known.skip();
    }
  }
  let entry: SeriesRef | Labels;
  let labels: Labels;
  if (ref !== undefined) {
    labels = ref.labels;
    entry = ref;
  } else {
    const raw = decodeLabels(buf, start, end, index);
    if (typeof raw === 'string') return raw;
    const checked = normalised(raw, index, limits);
    if (typeof checked === 'string') return checked;
    labels = checked;
    entry = labels;
  }
  const problem = checkSeries(builder, s, index, labels);
  if (problem !== undefined) return problem;
  if (builder.n > s.first) builder.endSeries(entry);
  return undefined;
}

/**
 * The labels of the TimeSeries [start, end) (its fields already delimited; the Label messages are
 * checked here), or the problem.
 */
function decodeLabels(buf: Buffer, start: number, end: number, index: number): Label[] | string {
  const labels: Label[] = [];
  r.pos = start;
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag !== 0x0a) {
      r.skip(tag, end);
      continue;
    }
    const labelEnd = r.length(end) + r.pos;
    let nameAt = 0;
    let nameEnd = 0;
    let valueAt = 0;
    let valueEnd = 0;
    while (r.pos < labelEnd) {
      const t = r.tag(labelEnd);
      if (t === 0x0a) {
        nameEnd = r.length(labelEnd) + r.pos;
        nameAt = r.pos;
        r.pos = nameEnd;
      } else if (t === 0x12) {
        valueEnd = r.length(labelEnd) + r.pos;
        valueAt = r.pos;
        r.pos = valueEnd;
      } else {
        r.skip(t, labelEnd);
      }
    }
    const j = labels.length;
    const name = decodeLabelString(buf, nameAt, nameEnd);
    if (name === undefined) return `series ${index}: name of label ${j} is not valid UTF-8`;
    const value = decodeLabelString(buf, valueAt, valueEnd);
    if (value === undefined) return `series ${index}: value of label ${j} is not valid UTF-8`;
    labels.push({ name, value });
  }
  return labels;
}

/** Exemplar: labels = 1 (Label messages, checked like the series' own), value = 2, timestamp = 3. */
function scanExemplar(end: number): void {
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag === 0x0a) r.scan(r.length(end) + r.pos);
    else r.skip(tag, end);
  }
}
