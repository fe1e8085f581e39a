/**
 * Label and sample checks shared by the v1 and v2 decoders. Everything here throws a 400 IngestError
 * naming the problem (and the series); nothing is appended before the whole request passed.
 */
import type { Label, SeriesSamples } from './store-api';
import { badRequest } from './errors';
import type { IngestLimits } from './limits';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decodes UTF-8 strictly; `what` names the string in the error. */
export function decodeUtf8(bytes: Uint8Array, what: () => string): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw badRequest(`${what()} is not valid UTF-8`);
  }
}

/** A short rendering of a label set for error messages, e.g. `{__name__="up", job="x"}`. */
export function describeLabels(labels: readonly Label[]): string {
  const s = `{${labels.map((l) => `${l.name}=${JSON.stringify(l.value)}`).join(', ')}}`;
  return s.length > 200 ? `${s.slice(0, 200)}…}` : s;
}

/**
 * Checks and normalises the labels of one series (`index` is its position in the request).
 * - Empty names and duplicate names are rejected: the spec forbids them and there is no right answer
 *   for which duplicate wins.
 * - Labels with an empty value are dropped: in Prometheus' data model an empty value means "label
 *   absent", and Prometheus does the same when it builds label sets.
 * - Unsorted labels are accepted and sorted. The spec says senders MUST sort them, but the order carries
 *   no meaning, sorting is cheap and unambiguous, and rejecting would make a whole batch from a sloppy
 *   sender un-ingestible (the store needs them sorted, so we sort rather than trusting the sender).
 */
export function normaliseLabels(labels: Label[], index: number, limits: IngestLimits): Label[] {
  const where = () => `series ${index} ${describeLabels(labels)}`;
  if (labels.length > limits.maxLabelsPerSeries) {
    throw badRequest(`${where()} has ${labels.length} labels, more than the limit of ${limits.maxLabelsPerSeries}`);
  }
  let sorted = true;
  let kept = labels;
  for (let i = 0; i < labels.length; i++) {
    const { name, value } = labels[i];
    if (name === '') {
      throw badRequest(`${where()} has a label with an empty name`);
    }
    if (longerThan(name, limits.maxLabelNameLength)) {
      throw badRequest(
        `${where()}: label name ${JSON.stringify(name.slice(0, 64))} is longer than ${limits.maxLabelNameLength} bytes`
      );
    }
    if (longerThan(value, limits.maxLabelValueLength)) {
      throw badRequest(
        `${where()}: value of label ${JSON.stringify(name)} is longer than ${limits.maxLabelValueLength} bytes`
      );
    }
    if (i > 0 && !(labels[i - 1].name < name)) {
      sorted = false;
    }
    if (value === '' && kept === labels) {
      kept = labels.slice(0, i);
    } else if (value !== '' && kept !== labels) {
      kept.push(labels[i]);
    }
  }
  if (!sorted) {
    kept = kept === labels ? labels.slice() : kept;
    kept.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
  for (let i = 1; i < kept.length; i++) {
    if (kept[i - 1].name === kept[i].name) {
      throw badRequest(`${where()} has duplicate label name ${JSON.stringify(kept[i].name)}`);
    }
  }
  if (kept.length === 0) {
    throw badRequest(`series ${index} has no labels`);
  }
  return kept;
}

/** Whether `s` is longer than `limit` bytes of UTF-8 (a UTF-16 unit is 1–3 bytes, so count only when needed). */
function longerThan(s: string, limit: number): boolean {
  return s.length > limit || (s.length * 3 > limit && Buffer.byteLength(s) > limit);
}

/**
 * The store refuses (throws on) timestamps with |t| ≥ 2^52 ms (about ±142,000 years); checking the same
 * bound here makes such a request a 400 rather than a store error answered with 500 (which senders retry
 * forever).
 */
export const MAX_ABS_TIMESTAMP_MS = 2 ** 52;

/**
 * Converts an int64 millisecond timestamp. Timestamps far in the past or future but within the bound are
 * passed on; the store decides and counts its rejections (too old / too new).
 */
export function toMillis(ts: bigint, where: () => string): number {
  const n = Number(ts);
  if (!(Math.abs(n) < MAX_ABS_TIMESTAMP_MS)) {
    throw badRequest(`${where()}: timestamp ${ts} is out of range (|t| must be below 2^52 ms)`);
  }
  return n;
}

/**
 * Samples of one series must be in timestamp order. Equal timestamps are passed on (the store treats them
 * as duplicates); a decreasing timestamp is a sender bug and rejects the request.
 */
export function checkSampleOrder(series: SeriesSamples, index: number): void {
  const ts = series.timestamps;
  for (let i = 1; i < ts.length; i++) {
    if (ts[i] < ts[i - 1]) {
      throw badRequest(
        `series ${index} ${describeLabels(series.labels)}: samples are not in timestamp order (${ts[i - 1]} then ${ts[i]})`
      );
    }
  }
}

/** One series' samples as the store takes them: millisecond times and exact value bits, in order. */
export function seriesSamples(
  labels: Label[],
  samples: readonly { timestamp: bigint; value: number }[],
  index: number
): SeriesSamples {
  const n = samples.length;
  const timestamps = new Float64Array(n);
  const values = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    timestamps[k] = toMillis(samples[k].timestamp, () => `series ${index} sample ${k}`);
    values[k] = samples[k].value;
  }
  const series = { labels, timestamps, values };
  checkSampleOrder(series, index);
  return series;
}
