import { checkContentEncoding, negotiateVersion } from '../../src/ingest/content-negotiation';
import { IngestError } from '../../src/ingest/errors';

function status(f: () => unknown): number | undefined {
  try {
    f();
    return undefined;
  } catch (e) {
    return (e as IngestError).status;
  }
}

describe('content negotiation (remote write 2.0 spec, client_golang receiver)', () => {
  it.each([
    [undefined, 1],
    ['', 1],
    ['application/x-protobuf', 1],
    ['application/x-protobuf;proto=prometheus.WriteRequest', 1],
    ['application/x-protobuf; proto=prometheus.WriteRequest', 1],
    ['application/x-protobuf;proto=io.prometheus.write.v2.Request', 2],
    ['Application/X-Protobuf; proto="io.prometheus.write.v2.Request"', 2],
  ])('%j → v%d', (ct, v) => {
    expect(negotiateVersion(ct)).toBe(v);
  });

  it.each([
    'application/json',
    'text/plain',
    'application/x-protobuf;proto=io.prometheus.write.v3.Request',
    'application/x-protobuf;proto=prometheus.ReadRequest',
  ])('%j → 415', (ct) => {
    expect(status(() => negotiateVersion(ct))).toBe(415);
  });

  it('accepts snappy (and a missing header), refuses zstd, gzip, identity with 415', () => {
    expect(status(() => checkContentEncoding('snappy'))).toBeUndefined();
    expect(status(() => checkContentEncoding(undefined))).toBeUndefined();
    for (const enc of ['zstd', 'gzip', 'identity', 'snappy-framed']) {
      expect(status(() => checkContentEncoding(enc))).toBe(415);
    }
  });
});
