import type { ScopedVars } from '@grafana/data';
import type { TemplateSrv } from '@grafana/runtime';

type FormatFunction = (value: string | string[], variable: { multi: boolean; includeAll: boolean }) => string;

/**
 * Resolves $name and ${name} from fixed values, scoped variables first, like Grafana's TemplateSrv.
 * An array value is a multi-value variable; a format function gets it with `{multi: true}`, as
 * Grafana passes the variable.
 */
export function fakeTemplateSrv(values: Record<string, string | string[]>): TemplateSrv {
  const replace = (text?: string, scopedVars?: ScopedVars, format?: string | FormatFunction) =>
    (text ?? '').replace(/\$\{(\w+)\}|\$(\w+)/g, (match, braced?: string, bare?: string) => {
      const name = braced ?? bare ?? '';
      const scoped = scopedVars?.[name]?.value;
      const value: string | string[] | undefined = scoped !== undefined ? String(scoped) : values[name];
      if (value === undefined) {
        return match;
      }
      if (typeof format === 'function') {
        const multi = Array.isArray(value);
        return format(value, { multi, includeAll: false });
      }
      return Array.isArray(value) ? `{${value.join(',')}}` : value;
    });
  return {
    replace,
    getVariables: () => [],
    containsTemplate: (text?: string) => /\$/.test(text ?? ''),
    updateTimeRange: () => undefined,
  } as unknown as TemplateSrv;
}
