/**
 * Prometheus' `labels.Labels.String()` rendering (`{a="b", c="d"}`), which its error messages embed:
 * values quoted like Go's strconv.Quote, names quoted only when they are not legacy-valid.
 */
import type { Labels } from '../../storage';
import { goQuote } from '../parser/quote';

const LEGACY_LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function prometheusLabelsString(labels: Labels): string {
  const parts = labels.map((l) => `${LEGACY_LABEL_NAME.test(l.name) ? l.name : goQuote(l.name)}=${goQuote(l.value)}`);
  return `{${parts.join(', ')}}`;
}

/** Go compares strings by their UTF-8 bytes; JS by UTF-16 units, which differs above U+FFFF. */
export function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
