/** What the decoders hand to validation: one remote-write request, schema-independent. */
import type { SeriesSamples } from './store-api';

export interface DecodedRequest {
  series: SeriesSamples[];
  /** Float samples in `series`. */
  samples: number;
  /** Received but not stored (exemplars and metadata are accepted and ignored). */
  exemplars: number;
  metadata: number;
}
