/**
 * Series names as Grafana's Prometheus datasource gives them (promlib querydata getName), so legends
 * read the same after moving a dashboard over:
 *
 * - empty legend format: the series in Prometheus notation, `up{instance="a:9100", job="node"}`;
 * - `__auto`: no name from the datasource when there are labels (Grafana then names the series by
 *   its labels itself);
 * - anything else: the text with every `{{label}}` replaced by that label's value, or by nothing
 *   when the series has no such label;
 * - a series without any label (`sum(rate(x[5m]))`) is named after the expression.
 *
 * An empty result means "no displayNameFromDS".
 */
export const LEGEND_AUTO = '__auto';

const PLACEHOLDER = /\{\{\s*(.+?)\s*\}\}/g;

export function seriesDisplayName(legendFormat: string, labels: Record<string, string>, expr: string): string {
  let legend = prometheusSeriesName(labels);
  if (legendFormat === LEGEND_AUTO) {
    if (Object.keys(labels).length > 0) {
      legend = '';
    }
  } else if (legendFormat !== '') {
    legend = legendFormat.replace(PLACEHOLDER, (_match, name: string) => labels[name] ?? '');
  }
  return legend === '{}' ? expr : legend;
}

/** `name{a="x", b="y"}` with the other labels sorted, `name` alone, or `{}` for no labels at all. */
export function prometheusSeriesName(labels: Record<string, string>): string {
  const name = labels.__name__;
  const rest = Object.keys(labels)
    .filter((key) => key !== '__name__')
    .sort()
    .map((key) => `${key}=${JSON.stringify(labels[key])}`);
  if (rest.length === 0) {
    return name ?? '{}';
  }
  return `${name ?? ''}{${rest.join(', ')}}`;
}
