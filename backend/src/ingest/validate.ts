/**
 * Label checks shared by the v1 and v2 decoders (sample checks: decode-common.ts). Everything here
 * throws a 400 IngestError naming the problem (and the series); nothing is appended before the whole
 * request passed.
 */
import type { Label } from './store-api';
import { badRequest } from './errors';
import type { IngestLimits } from './limits';

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
