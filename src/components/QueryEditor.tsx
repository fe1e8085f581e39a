import type { QueryEditorProps } from '@grafana/data';
import { Combobox, ComboboxOption, Field, Stack } from '@grafana/ui';
import { KeyboardEvent, useId } from 'react';

import type { DataSource } from '../datasource';
import { fieldValue, isKnownQueryType, QUERY_TYPES, querySpec, validateQuery } from '../queryTypes';
import type { QueryType, SluiceOptions, SluiceQuery } from '../types';
import { parseIntegerInput } from '../validation';
import { IntegerField } from './IntegerField';

type Props = QueryEditorProps<DataSource, SluiceQuery, SluiceOptions>;

/** Built from QUERY_TYPES, so a new member of the query union shows up here by itself. */
const QUERY_TYPE_OPTIONS: Array<ComboboxOption<QueryType>> = (Object.keys(QUERY_TYPES) as QueryType[]).map((value) => ({
  value,
  label: QUERY_TYPES[value].label,
  description: QUERY_TYPES[value].description,
}));

/**
 * One row per query: the type, then that type's fields. Mistakes are shown under their field and
 * keep the query from running; a valid query runs on blur and on Shift+Enter.
 */
export function QueryEditor({ query, onChange, onRunQuery }: Props) {
  const id = useId();
  const spec = querySpec(query.queryType);
  const errors = validateQuery(query);
  const runnable = spec !== undefined && Object.keys(errors).length === 0;

  const run = () => {
    if (runnable) {
      onRunQuery();
    }
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter' && event.shiftKey) {
      event.preventDefault();
      run();
    }
  };
  const onTypeChange = (option: ComboboxOption<QueryType>) => {
    // (Compared as strings: with one member in the union, TypeScript would narrow the rest to never.)
    if ((query.queryType as string) === option.value) {
      return;
    }
    // The new type's defaults, keeping what identifies the query and what every type shares.
    const next = {
      ...QUERY_TYPES[option.value].defaults,
      refId: query.refId,
      datasource: query.datasource,
      hide: query.hide,
      chunkRows: query.chunkRows,
    } as SluiceQuery;
    onChange(next);
    if (Object.keys(validateQuery(next)).length === 0) {
      onRunQuery();
    }
  };

  return (
    <Stack direction="row" gap={2} wrap="wrap" alignItems="flex-start">
      <Field
        label="Query type"
        description={spec?.description ?? 'What the backend should run.'}
        invalid={spec === undefined}
        error={typeError(query.queryType)}
        htmlFor={`${id}-queryType`}
      >
        <Combobox
          id={`${id}-queryType`}
          width={24}
          options={QUERY_TYPE_OPTIONS}
          value={isKnownQueryType(query.queryType) ? query.queryType : null}
          onChange={onTypeChange}
        />
      </Field>
      {spec?.fields.map((field) => (
        <IntegerField
          key={field.key}
          id={`${id}-${field.key}`}
          label={field.label}
          description={field.description}
          placeholder={field.placeholder}
          value={fieldValue(query, field.key)}
          error={errors[field.key]}
          onChange={(text) => onChange(withField(query, field.key, parseIntegerInput(text)))}
          onBlur={run}
          onKeyDown={onKeyDown}
        />
      ))}
    </Stack>
  );
}

function typeError(queryType: unknown): string | undefined {
  if (isKnownQueryType(queryType)) {
    return undefined;
  }
  return queryType
    ? `Unknown query type ${JSON.stringify(queryType)}; choose one of ${Object.keys(QUERY_TYPES).join(', ')}`
    : 'Choose a query type';
}

/** An emptied field is removed, so the backend applies its default instead of receiving "". */
function withField(query: SluiceQuery, key: string, value: number | string | undefined): SluiceQuery {
  const next: Record<string, unknown> = { ...query };
  if (value === undefined) {
    delete next[key];
  } else {
    next[key] = value;
  }
  return next as unknown as SluiceQuery;
}
