import { startIngestServer, type IngestServer, type IngestServerOptions } from '../../src/ingest/server';
import type { AppendOutcome, IngestStorage, SeriesSamples } from '../../src/ingest/store-api';

/** An in-memory stand-in for the store's `append`, recording every batch (values kept as Float64Array). */
export class FakeStorage implements IngestStorage {
  readonly batches: SeriesSamples[][] = [];
  /** Lets a test make the store refuse samples or fail. */
  outcome?: (batch: readonly SeriesSamples[]) => AppendOutcome;
  fail = false;

  async append(batch: readonly SeriesSamples[]): Promise<AppendOutcome> {
    if (this.fail) throw new Error('disk on fire');
    this.batches.push(
      batch.map((s) => ({
        labels: s.labels.map((l) => ({ ...l })),
        timestamps: Float64Array.from(s.timestamps),
        values: Float64Array.from(s.values),
      }))
    );
    const samples = batch.reduce((n, s) => n + s.values.length, 0);
    return (
      this.outcome?.(batch) ?? { samplesWritten: samples, rejectedOutOfOrder: 0, rejectedTooOld: 0, rejectedTooNew: 0 }
    );
  }

  get samples(): number {
    return this.batches.flat().reduce((n, s) => n + s.values.length, 0);
  }
}

export async function startTestServer(
  options: Partial<IngestServerOptions> = {}
): Promise<{ server: IngestServer; storage: FakeStorage; url: string; warnings: string[] }> {
  const storage = new FakeStorage();
  const warnings: string[] = [];
  const server = await startIngestServer({
    storage,
    listen: '127.0.0.1:0',
    logger: { warn: (msg, fields) => warnings.push(`${msg} ${JSON.stringify(fields)}`) },
    ...options,
  });
  return { server, storage, url: `http://${server.address}/api/v1/write`, warnings };
}

/** The 64 bits of a double as a hex string (compares NaN payloads exactly). */
export function bits(v: number): string {
  const b = Buffer.alloc(8);
  b.writeDoubleBE(v);
  return b.toString('hex');
}

export function fromBits(hex: string): number {
  return Buffer.from(hex, 'hex').readDoubleBE();
}

/**
 * Doubles from their bit patterns, written straight into a Float64Array: a NaN payload would not
 * survive a plain JS array (V8 quiets signalling NaNs there).
 */
export function valuesFromBits(hexes: readonly string[]): Float64Array {
  return new Float64Array(
    new Uint8Array(Buffer.from(hexes.map((h) => h.match(/../g)!.reverse().join('')).join(''), 'hex')).buffer
  );
}

export const STALE_NAN_HEX = '7ff0000000000002';

/** Deterministic PRNG. */
export { mulberry32 as rng } from '../../src/datasource/random';
