export interface Label {
  name: string;
  value: string;
}

/** Sorted by name, unique, non-empty names. */
export type Labels = readonly Label[];

export class LabelsError extends Error {}

/** Throws LabelsError unless the labels are sorted by name, unique, with non-empty names. */
export function validateLabels(labels: Labels): void {
  if (labels.length === 0) {
    throw new LabelsError('a series needs at least one label');
  }
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (typeof l.name !== 'string' || typeof l.value !== 'string' || l.name === '') {
      throw new LabelsError(`invalid label at index ${i}`);
    }
    if (i > 0 && labels[i - 1].name >= l.name) {
      throw new LabelsError(`labels are not sorted by name or not unique at '${l.name}'`);
    }
  }
}

/**
 * The canonical key of a label set (the series-map key). The separator bytes cannot be confused with
 * label text because every string is length-prefixed.
 */
export function labelsKey(labels: Labels): string {
  let key = '';
  for (const l of labels) {
    key += `${l.name.length}:${l.name}${l.value.length}:${l.value}`;
  }
  return key;
}

/**
 * Node's latin1 decoder behind `buf.toString('latin1', start, end)`, called directly: toString's
 * argument handling costs more than the decoding of a short key. It has been on Buffer.prototype in
 * every Node release; toString stands in should it ever go.
 */
const latin1Slice = (Buffer.prototype as unknown as { latin1Slice?: (start: number, end: number) => string })
  .latin1Slice;

/** Bytes as a latin1 string (one character per byte): how keys are held. */
export function latin1(buf: Buffer, start: number, end: number): string {
  return latin1Slice !== undefined ? latin1Slice.call(buf, start, end) : buf.toString('latin1', start, end);
}

let scratch = Buffer.allocUnsafe(1024);

/** UTF-8 byte length of `s`, counted in JS for ASCII (label text nearly always is). */
export function utf8Length(s: string): number {
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) >= 0x80) return Buffer.byteLength(s, 'utf8');
  }
  return s.length;
}

function uvarintSize(x: number): number {
  return x < 0x80 ? 1 : x < 0x4000 ? 2 : x < 0x200000 ? 3 : x < 0x10000000 ? 4 : 5;
}

function putUvarint(x: number, off: number): number {
  while (x >= 0x80) {
    scratch[off++] = (x & 0x7f) | 0x80;
    x >>>= 7;
  }
  scratch[off++] = x;
  return off;
}

/** Writes tag, uvarint length `n` and `s` as UTF-8; returns the new offset. */
function putString(tag: number, s: string, n: number, off: number): number {
  scratch[off++] = tag;
  off = putUvarint(n, off);
  if (n === s.length) {
    for (let i = 0; i < n; i++) scratch[off + i] = s.charCodeAt(i);
  } else {
    scratch.write(s, off, n, 'utf8');
  }
  return off + n;
}

/**
 * The store's key for a series: its labels exactly as remote write 1.0 puts them on the wire — a run of
 * `TimeSeries.labels` fields (tag 0x0a, length, a `Label` message of name = 1 and value = 2) — one
 * latin1 character per byte. A Prometheus sender's bytes for a known series are then the key itself, so
 * the receiver finds the series without decoding a single label (see ingest/decode-v1.ts). Label sets that hold an empty value (remote write drops such labels, so no
 * request's bytes may ever match them) get a leading NUL, which cannot start a valid field.
 */
export function seriesKey(labels: Labels): string {
  let max = 1;
  for (const l of labels) max += 24 + 3 * (l.name.length + l.value.length);
  if (scratch.length < max) scratch = Buffer.allocUnsafe(2 * max);
  let off = 0;
  let empty = false;
  for (const l of labels) {
    if (l.value === '') empty = true;
    const nl = utf8Length(l.name);
    const vl = utf8Length(l.value);
    scratch[off++] = 0x0a;
    off = putUvarint(2 + uvarintSize(nl) + nl + uvarintSize(vl) + vl, off);
    off = putString(0x12, l.value, vl, putString(0x0a, l.name, nl, off));
  }
  const key = latin1(scratch, 0, off);
  return empty ? '\0' + key : key;
}

function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Prometheus' labels.Compare: name, then value, pairwise; a shorter prefix sorts first. */
export function compareLabels(a: Labels, b: Labels): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = cmpStr(a[i].name, b[i].name) || cmpStr(a[i].value, b[i].value);
    if (c !== 0) {
      return c;
    }
  }
  return a.length - b.length;
}
