import type { ScopedVars } from '@grafana/data';
import type { TemplateSrv } from '@grafana/runtime';

/** Resolves $name and ${name} from fixed values, scoped variables first, like Grafana's TemplateSrv. */
export function fakeTemplateSrv(values: Record<string, string>): TemplateSrv {
  const replace = (text?: string, scopedVars?: ScopedVars) =>
    (text ?? '').replace(/\$\{(\w+)\}|\$(\w+)/g, (match, braced?: string, bare?: string) => {
      const name = braced ?? bare ?? '';
      const scoped = scopedVars?.[name]?.value;
      if (scoped !== undefined) {
        return String(scoped);
      }
      return values[name] ?? match;
    });
  return {
    replace,
    getVariables: () => [],
    containsTemplate: (text?: string) => /\$/.test(text ?? ''),
    updateTimeRange: () => undefined,
  } as unknown as TemplateSrv;
}
