/**
 * Prometheus-style parse errors: `<line>:<col>: parse error: <message>`, where the column counts
 * UTF-8 bytes from 1 like Go's posrange.StartPosInput, so messages match Prometheus byte for byte.
 */
import { QueryError } from '../api';

/** `line:col` of a byte offset in `query` (Prometheus' PositionRange.StartPosInput). */
export function formatPosition(query: string, bytePos: number): string {
  if (query === '') {
    return 'unknown position';
  }
  const bytes = Buffer.from(query, 'utf8');
  if (bytePos < 0 || bytePos > bytes.length) {
    return 'invalid position';
  }
  let line = 1;
  let lastLineBreak = -1;
  for (let i = 0; i < bytePos; i++) {
    if (bytes[i] === 0x0a) {
      lastLineBreak = i;
      line++;
    }
  }
  return `${line}:${bytePos - lastLineBreak}`;
}

export function parseError(query: string, bytePos: number, message: string): QueryError {
  return new QueryError('bad_data', `${formatPosition(query, bytePos)}: parse error: ${message}`);
}

/** Syntax Prometheus accepts (usually behind a feature flag) that Sluice does not implement. */
export function unsupported(message: string): QueryError {
  return new QueryError('bad_data', `unsupported: ${message}`);
}
