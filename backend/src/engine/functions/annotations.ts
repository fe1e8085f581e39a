/**
 * Texts of the Prometheus annotations (util/annotations/annotations.go) that functions emit, without
 * the "PromQL warning: " / "PromQL info: " prefix (Annotations adds it) and without the position.
 */
import { formatGoFloat } from './go-float';

const GO_ESCAPES: Record<string, string> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '\\': '\\\\',
  '"': '\\"',
};

/** Go's %q for the ASCII range (other printable characters are kept, as Go does). */
export function goQuote(s: string): string {
  let body = '';
  for (const ch of s) {
    const code = ch.charCodeAt(0);
    if (ch in GO_ESCAPES) {
      body += GO_ESCAPES[ch];
    } else if (code < 0x20 || code === 0x7f) {
      body += `\\x${code.toString(16).padStart(2, '0')}`;
    } else {
      body += ch;
    }
  }
  return `"${body}"`;
}

function forMetricName(message: string, metricName: string): string {
  return metricName === '' ? message : `${message} for metric name ${goQuote(metricName)}`;
}

export function invalidQuantileWarning(q: number): string {
  return `quantile value should be between 0 and 1, got ${formatGoFloat(q)}`;
}

export function possibleNonCounterInfo(metricName: string): string {
  return `metric might not be a counter, name does not end in _total/_sum/_count/_bucket: ${goQuote(metricName)}`;
}

export function badBucketLabelWarning(metricName: string, le: string): string {
  return forMetricName(`bucket label "le" is missing or has a malformed value of ${goQuote(le)}`, metricName);
}

export function invalidIntegralStrategyWarning(strategy: number): string {
  return `strategy should be 0, 1, or 2 (default), using 2, got ${formatGoFloat(strategy)}`;
}

/** The head of the monotonicity info; the operator appends the merged details. */
export function forcedMonotonicityInfo(metricName: string): string {
  return forMetricName(
    'input to histogram_quantile needed to be fixed for monotonicity (see https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile)',
    metricName
  );
}
