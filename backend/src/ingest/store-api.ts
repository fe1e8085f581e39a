/** The part of the store's API the receiver uses (ingest imports storage, never the other way round). */
import type { Storage } from '../storage';

export type { AppendOutcome, Label, Labels, SeriesSamples } from '../storage';
export type IngestStorage = Pick<Storage, 'append'>;
