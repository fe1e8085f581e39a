/** The part of the store's API the receiver uses (ingest imports storage, never the other way round). */
import type { Storage } from '../storage';

export type { AppendBatch, AppendOutcome, Label, Labels, SeriesRef, SeriesSamples } from '../storage';
export { latin1 } from '../storage';

/**
 * `append` is all a store must offer. A store that also has `lookup` and `appendBatch` (the real one)
 * gets the fast path: known series are found from their raw label bytes and appended by handle.
 */
export type IngestStorage = Pick<Storage, 'append'> & Partial<Pick<Storage, 'appendBatch' | 'lookup' | 'lookupBytes'>>;

/** The store's series index as the decoders use it. */
export type SeriesIndex = Pick<Storage, 'lookup' | 'lookupBytes'>;
