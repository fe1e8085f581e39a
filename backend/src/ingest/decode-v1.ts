/** Remote write 1.0: decodes a `prometheus.WriteRequest` (already Snappy-decoded) and validates it. */
import { WriteRequest } from '../generated/prometheus/types';
import type { DecodedRequest } from './decoded';
import { badRequest } from './errors';
import type { IngestLimits } from './limits';
import type { Label, SeriesSamples } from './store-api';
import { decodeUtf8, normaliseLabels, seriesSamples } from './validate';

export function decodeV1(body: Uint8Array, limits: IngestLimits): DecodedRequest {
  let req: WriteRequest;
  try {
    req = WriteRequest.decode(body);
  } catch (err) {
    throw badRequest(`invalid prometheus.WriteRequest protobuf: ${(err as Error).message}`);
  }
  const series: SeriesSamples[] = [];
  let samples = 0;
  let exemplars = 0;
  for (let i = 0; i < req.timeseries.length; i++) {
    const ts = req.timeseries[i];
    const raw: Label[] = ts.labels.map((l, j) => ({
      name: decodeUtf8(l.name, () => `series ${i}: name of label ${j}`),
      value: decodeUtf8(l.value, () => `series ${i}: value of label ${j}`),
    }));
    const labels = normaliseLabels(raw, i, limits);
    if (ts.histograms.length > 0) {
      throw badRequest(`series ${i}: native histograms are not supported yet`);
    }
    exemplars += ts.exemplars.length;
    const out = seriesSamples(labels, ts.samples, i);
    samples += out.values.length;
    if (out.values.length > 0) {
      series.push(out);
    }
  }
  return { series, samples, exemplars, metadata: req.metadata.length };
}
