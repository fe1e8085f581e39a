import type { QueryEditorProps } from '@grafana/data';
import { Field, Input } from '@grafana/ui';
import { useId, useState } from 'react';

import type { DataSource } from '../datasource';
import type { SluiceOptions, SluiceQuery, SluiceVariableQuery } from '../types';

type Props = QueryEditorProps<DataSource, SluiceQuery, SluiceOptions, SluiceVariableQuery>;

/** The text of a query variable; saved on blur so the variable is not re-run on every keystroke. */
export function VariableQueryEditor({ query, onChange }: Props) {
  const id = useId();
  // Dashboards from before this editor may store the query as a bare string.
  const initial = typeof query === 'string' ? query : (query?.query ?? '');
  const [text, setText] = useState(initial);
  return (
    <Field
      label="Query"
      description={
        'label_values(label), label_values(selector, label), label_names(), metrics(regex) or query_result(expr) ' +
        'over the embedded store, as in Prometheus; series for the synthetic series. Template variables are resolved first.'
      }
      htmlFor={id}
    >
      <Input
        id={id}
        value={text}
        placeholder="label_values(instance)"
        onChange={(event) => setText(event.currentTarget.value)}
        onBlur={() => onChange({ refId: 'variable', ...(typeof query === 'object' ? query : {}), query: text })}
      />
    </Field>
  );
}
