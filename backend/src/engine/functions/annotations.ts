/**
 * Texts of the Prometheus annotations (util/annotations/annotations.go) that functions emit, without
 * the "PromQL warning: " / "PromQL info: " prefix (Annotations adds it) and without the position.
 * Names and label values in them escape only ASCII (goQuoteAsciiEscapes), as they always have.
 */
import { formatGoFloat, goQuoteAsciiEscapes } from '../parser/go-format';

function forMetricName(message: string, metricName: string): string {
  return metricName === '' ? message : `${message} for metric name ${goQuoteAsciiEscapes(metricName)}`;
}

export function invalidQuantileWarning(q: number): string {
  return `quantile value should be between 0 and 1, got ${formatGoFloat(q)}`;
}

export function possibleNonCounterInfo(metricName: string): string {
  return `metric might not be a counter, name does not end in _total/_sum/_count/_bucket: ${goQuoteAsciiEscapes(metricName)}`;
}

export function badBucketLabelWarning(metricName: string, le: string): string {
  return forMetricName(
    `bucket label "le" is missing or has a malformed value of ${goQuoteAsciiEscapes(le)}`,
    metricName
  );
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
