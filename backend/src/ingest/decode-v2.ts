/**
 * Remote write 2.0: decodes an `io.prometheus.write.v2.Request` (already Snappy-decoded), resolves the
 * symbol table and validates it, straight into a columnar batch. Start timestamps (Sample.start_timestamp
 * and the pre-3.9 TimeSeries field 6) are skipped: the store has no place for them yet.
 *
 * Fast path as in v1 (see decode-v1.ts): a series' key is assembled from the raw bytes of its name and
 * value symbols in the layout of storage seriesKey, and a known series is appended without building its
 * labels. A series with an empty value takes the slow path (its label is dropped there).
 *
 * Request: symbols = 4, timeseries = 5 (1–3 reserved). TimeSeries: labels_refs = 1 (packed or not),
 * samples = 2, histograms = 3, exemplars = 4, metadata = 5.
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
import { latin1 } from './store-api';
import { decodeLabelString } from './strings';
import { WireError, WireReader } from './wire';

const r = new WireReader();
const builder = new BatchBuilder();
const state = new SeriesState();
/** [start, end) pairs of the symbols and of the time series, and one series' labels_refs (reused). */
const symbolAt: number[] = [];
const seriesAt: number[] = [];
const refs: number[] = [];

export function decodeV2(body: Uint8Array, limits: IngestLimits, series?: SeriesIndex): DecodedRequest {
  const buf = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  r.reset(buf);
  builder.reset();
  symbolAt.length = 0;
  seriesAt.length = 0;
  const end = buf.length;
  let problem: string | undefined;
  let exemplars = 0;
  let metadata = 0;
  try {
    // Symbols may follow the series that use them, so collect both first.
    while (r.pos < end) {
      const tag = r.tag(end);
      if (tag === 0x22 || tag === 0x2a) {
        const n = r.length(end);
        (tag === 0x22 ? symbolAt : seriesAt).push(r.pos, r.pos + n);
        r.pos += n;
      } else {
        r.skip(tag, end);
      }
    }
    const symbols: string[] = [];
    for (let i = 0; i < symbolAt.length; i += 2) {
      const s = decodeLabelString(buf, symbolAt[i], symbolAt[i + 1]);
      if (s === undefined) {
        problem = `symbol ${i / 2} is not valid UTF-8`;
        break;
      }
      symbols.push(s);
    }
    if (problem === undefined && symbols.length > 0 && symbols[0] !== '') {
      problem = `symbols[0] must be the empty string, got ${JSON.stringify(symbols[0].slice(0, 64))}`;
    }
    const keys = series !== undefined ? new KeyPieces(buf) : undefined;
    const known = series !== undefined ? new KnownSeries(series) : undefined;
    const fastLimit = fastKeyLimit(limits);
    for (let i = 0; i < seriesAt.length; i += 2) {
      r.pos = seriesAt[i];
      const check = problem === undefined;
      const p = readTimeSeries(seriesAt[i + 1], i / 2, limits, symbols, known, keys, fastLimit, check);
      exemplars += state.exemplars;
      if (state.metadata) metadata++;
      if (p !== undefined && problem === undefined) problem = p;
    }
  } catch (err) {
    builder.reset();
    if (err instanceof WireError) throw badRequest(`invalid io.prometheus.write.v2.Request protobuf: ${err.message}`);
    throw err;
  }
  if (problem !== undefined) {
    builder.reset();
    throw badRequest(problem);
  }
  const samples = builder.n;
  return { batch: builder.finish(), samples, exemplars, metadata };
}

function readTimeSeries(
  end: number,
  index: number,
  limits: IngestLimits,
  symbols: readonly string[],
  known: KnownSeries | undefined,
  keys: KeyPieces | undefined,
  fastLimit: number,
  check: boolean
): string | undefined {
  const s = state;
  s.reset(builder.n);
  refs.length = 0;
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag === 0x12) {
      readSample(r, r.length(end) + r.pos, builder, s, check);
    } else if (tag === 0x0a) {
      const packedEnd = r.length(end) + r.pos;
      while (r.pos < packedEnd) refs.push(r.uint32(packedEnd));
    } else if (tag === 0x08) {
      refs.push(r.uint32(end));
    } else if (tag === 0x1a) {
      r.pos = r.length(end) + r.pos;
      s.histograms = true;
    } else if (tag === 0x22) {
      r.scan(r.length(end) + r.pos);
      s.exemplars++;
    } else if (tag === 0x2a) {
      r.scan(r.length(end) + r.pos);
      s.metadata = true;
    } else {
      r.skip(tag, end);
    }
  }
  if (!check) return undefined;

  if (refs.length % 2 !== 0) return `series ${index}: labels_refs has an odd length ${refs.length}`;
  const n = symbols.length;
  for (let j = 0; j < refs.length; j += 2) {
    if (refs[j] >= n) return outOfRange(index, j, 'name', refs[j], n);
    if (refs[j + 1] >= n) return outOfRange(index, j, 'value', refs[j + 1], n);
  }
  let ref: SeriesRef | undefined;
  if (known !== undefined && keys !== undefined) {
    const key = keys.key(refs);
    if (key !== undefined && key.length <= fastLimit) ref = known.find(key);
    else known.skip();
  }
  let entry: SeriesRef | Labels;
  let labels: Labels;
  if (ref !== undefined) {
    labels = ref.labels;
    entry = ref;
  } else {
    const raw: Label[] = [];
    for (let j = 0; j < refs.length; j += 2) raw.push({ name: symbols[refs[j]], value: symbols[refs[j + 1]] });
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

function outOfRange(index: number, j: number, what: string, ref: number, n: number): string {
  return `series ${index} label ${j / 2} ${what}: symbol reference ${ref} is out of range (${n} symbols)`;
}

/** A uvarint as latin1 characters. */
function uvarint(x: number): string {
  let s = '';
  while (x >= 0x80) {
    s += String.fromCharCode((x & 0x7f) | 0x80);
    x >>>= 7;
  }
  return s + String.fromCharCode(x);
}

/** Builds seriesKey-layout keys from symbol bytes; each symbol's two field forms are made once per request. */
class KeyPieces {
  private readonly names: Array<string | undefined> = [];
  private readonly values: Array<string | undefined> = [];

  constructor(private readonly buf: Buffer) {}

  /** The key of a labels_refs list, or undefined when a value is empty. */
  key(pairs: readonly number[]): string | undefined {
    let key = '';
    for (let j = 0; j < pairs.length; j += 2) {
      const v = pairs[j + 1];
      if (symbolAt[2 * v] === symbolAt[2 * v + 1]) return undefined;
      const name = (this.names[pairs[j]] ??= this.field(0x0a, pairs[j]));
      const value = (this.values[v] ??= this.field(0x12, v));
      key += '\x0a' + uvarint(name.length + value.length) + name + value;
    }
    return key;
  }

  private field(tag: number, sym: number): string {
    const start = symbolAt[2 * sym];
    const end = symbolAt[2 * sym + 1];
    return String.fromCharCode(tag) + uvarint(end - start) + latin1(this.buf, start, end);
  }
}
