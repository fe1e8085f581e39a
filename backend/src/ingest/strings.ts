/**
 * Label strings from request bytes: strict UTF-8, interned. Label text repeats endlessly across series
 * and requests (names, jobs, hosts), so each distinct byte string is decoded once: a Map from the bytes
 * (as a latin1 string, one character per byte) to the decoded string. For ASCII, the usual case, that
 * latin1 string already is the decoded string, so no TextDecoder call is made at all.
 */
import { latin1 } from './store-api';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Enough for the label vocabulary of a large fleet; when full it starts over (a cache, not a store). */
const MAX_ENTRIES = 1 << 16;
/** Longer strings are decoded but not cached (a cache entry would outweigh the work it saves). */
const MAX_CACHED_BYTES = 256;

const interned = new Map<string, string>();

/**
 * The UTF-8 string of buf[start, end), or undefined when the bytes are not valid UTF-8 (the caller
 * names the string in its 400).
 */
export function decodeLabelString(buf: Buffer, start: number, end: number): string | undefined {
  if (start === end) return '';
  const raw = latin1(buf, start, end);
  const hit = interned.get(raw);
  if (hit !== undefined) return hit;
  let ascii = true;
  for (let i = start; i < end; i++) {
    if (buf[i] >= 0x80) {
      ascii = false;
      break;
    }
  }
  let s: string;
  if (ascii) {
    s = raw;
  } else {
    try {
      s = utf8.decode(buf.subarray(start, end));
    } catch {
      return undefined;
    }
  }
  if (end - start <= MAX_CACHED_BYTES) {
    if (interned.size >= MAX_ENTRIES) interned.clear();
    interned.set(raw, s);
  }
  return s;
}
