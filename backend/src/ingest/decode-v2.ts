/**
 * Remote write 2.0: decodes an `io.prometheus.write.v2.Request` (already Snappy-decoded), resolves the
 * symbol table and validates it. Start timestamps (Sample.start_timestamp and the pre-3.9 TimeSeries
 * field 6) are decoded but not stored yet: the store has no place for them.
 */
import { Request } from '../generated/prometheus/write/v2/types';
import type { DecodedRequest } from './decoded';
import { badRequest } from './errors';
import type { IngestLimits } from './limits';
import type { Label, SeriesSamples } from './store-api';
import { decodeUtf8, normaliseLabels, seriesSamples } from './validate';

export function decodeV2(body: Uint8Array, limits: IngestLimits): DecodedRequest {
  let req: Request;
  try {
    req = Request.decode(body);
  } catch (err) {
    throw badRequest(`invalid io.prometheus.write.v2.Request protobuf: ${(err as Error).message}`);
  }
  const symbols = req.symbols.map((s, i) => decodeUtf8(s, () => `symbol ${i}`));
  if (symbols.length > 0 && symbols[0] !== '') {
    throw badRequest(`symbols[0] must be the empty string, got ${JSON.stringify(symbols[0].slice(0, 64))}`);
  }
  const symbol = (ref: number, where: () => string): string => {
    if (ref >= symbols.length) {
      throw badRequest(`${where()}: symbol reference ${ref} is out of range (${symbols.length} symbols)`);
    }
    return symbols[ref];
  };
  const series: SeriesSamples[] = [];
  let samples = 0;
  let exemplars = 0;
  let metadata = 0;
  for (let i = 0; i < req.timeseries.length; i++) {
    const ts = req.timeseries[i];
    const refs = ts.labelsRefs;
    if (refs.length % 2 !== 0) {
      throw badRequest(`series ${i}: labels_refs has an odd length ${refs.length}`);
    }
    const raw: Label[] = [];
    for (let j = 0; j < refs.length; j += 2) {
      raw.push({
        name: symbol(refs[j], () => `series ${i} label ${j / 2} name`),
        value: symbol(refs[j + 1], () => `series ${i} label ${j / 2} value`),
      });
    }
    const labels = normaliseLabels(raw, i, limits);
    if (ts.histograms.length > 0) {
      throw badRequest(`series ${i}: native histograms are not supported yet`);
    }
    exemplars += ts.exemplars.length;
    if (ts.metadata !== undefined) {
      metadata++;
    }
    const out = seriesSamples(labels, ts.samples, i);
    samples += out.values.length;
    if (out.values.length > 0) {
      series.push(out);
    }
  }
  return { series, samples, exemplars, metadata };
}
