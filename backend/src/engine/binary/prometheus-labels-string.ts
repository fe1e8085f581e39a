/**
 * Prometheus' `labels.Labels.String()` rendering (`{a="b", c="d"}`), which its error messages embed:
 * values quoted like Go's strconv.Quote, names quoted only when they are not legacy-valid.
 */
import type { Labels } from '../../storage';
import { goQuote } from '../parser/go-format';
import { printLabelName } from '../parser/printer';

export function prometheusLabelsString(labels: Labels): string {
  const parts = labels.map((l) => `${printLabelName(l.name)}=${goQuote(l.value)}`);
  return `{${parts.join(', ')}}`;
}
