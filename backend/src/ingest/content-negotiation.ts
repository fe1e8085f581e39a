/**
 * Chooses the remote-write schema from the request headers, as the spec (2.0 §"Content-Type") and
 * client_golang's reference receiver do: a missing Content-Type is v1; `application/x-protobuf` without a
 * `proto` parameter or with `proto=prometheus.WriteRequest` is v1; `proto=io.prometheus.write.v2.Request`
 * is v2; anything else is 415. Content-Encoding must be `snappy` (zstd etc. → 415, which is what makes
 * vmagent fall back to Snappy).
 */
import { IngestError } from './errors';

export type RemoteWriteVersion = 1 | 2;

export const V1_PROTO = 'prometheus.WriteRequest';
export const V2_PROTO = 'io.prometheus.write.v2.Request';

export function negotiateVersion(contentType: string | undefined): RemoteWriteVersion {
  if (contentType === undefined || contentType.trim() === '') {
    return 1;
  }
  const [mediaType, ...params] = contentType.split(';').map((p) => p.trim());
  if (mediaType.toLowerCase() !== 'application/x-protobuf') {
    throw new IngestError(415, `unsupported Content-Type ${JSON.stringify(contentType)}`);
  }
  let proto: string | undefined;
  for (const param of params) {
    const eq = param.indexOf('=');
    if (eq < 0) continue;
    if (param.slice(0, eq).trim().toLowerCase() === 'proto') {
      proto = param
        .slice(eq + 1)
        .trim()
        .replace(/^"(.*)"$/, '$1');
    }
  }
  if (proto === undefined || proto === V1_PROTO) {
    return 1;
  }
  if (proto === V2_PROTO) {
    return 2;
  }
  throw new IngestError(415, `unsupported remote-write protobuf message ${JSON.stringify(proto)}`);
}

export function checkContentEncoding(contentEncoding: string | undefined): void {
  // Senders MUST send `Content-Encoding: snappy`; client_golang also accepts a missing header.
  if (contentEncoding === undefined || contentEncoding.trim() === '') {
    return;
  }
  if (contentEncoding.trim().toLowerCase() !== 'snappy') {
    throw new IngestError(415, `unsupported Content-Encoding ${JSON.stringify(contentEncoding)}; only snappy`);
  }
}
