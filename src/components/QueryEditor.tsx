import type { QueryEditorProps } from '@grafana/data';
import { Combobox, ComboboxOption, Field, RadioButtonGroup, Stack } from '@grafana/ui';
import { KeyboardEvent, useId } from 'react';

import type { DataSource } from '../datasource';
import { fieldValue, isKnownQueryType, QUERY_TYPES, QueryFieldSpec, querySpec, validateQuery } from '../queryTypes';
import type { QueryType, SluiceOptions, SluiceQuery } from '../types';
import { parseIntegerInput } from '../validation';
import { IntegerField } from './IntegerField';
import { TextField } from './TextField';

type Props = QueryEditorProps<DataSource, SluiceQuery, SluiceOptions>;

const ALL_TYPES = Object.keys(QUERY_TYPES) as QueryType[];

/**
 * Built from QUERY_TYPES, so a new member of the query union shows up here by itself. Variants
 * (PromQL instant) are not listed: their base type's editor switches to them.
 */
const QUERY_TYPE_OPTIONS: Array<ComboboxOption<QueryType>> = ALL_TYPES.filter(
  (value) => !QUERY_TYPES[value].variantOf
).map((value) => ({ value, label: QUERY_TYPES[value].label, description: QUERY_TYPES[value].description }));

/** The range/instant switch of a base type: the base first, then its variants. */
function variantOptions(base: QueryType): Array<{ value: QueryType; label: string; description: string }> {
  const variants = ALL_TYPES.filter((value) => QUERY_TYPES[value].variantOf === base);
  if (variants.length === 0) {
    return [];
  }
  return [base, ...variants].map((value) => ({
    value,
    label: value === base ? 'Range' : 'Instant',
    description: QUERY_TYPES[value].description,
  }));
}

/**
 * One row per query: the type, then that type's fields. Mistakes are shown under their field and
 * keep the query from running; a valid query runs on blur and on Shift+Enter.
 */
export function QueryEditor({ query, onChange, onRunQuery }: Props) {
  const id = useId();
  const spec = querySpec(query.queryType);
  const errors = validateQuery(query);
  const runnable = spec !== undefined && Object.keys(errors).length === 0;
  const base = isKnownQueryType(query.queryType) ? (spec?.variantOf ?? query.queryType) : undefined;
  const variants = base ? variantOptions(base) : [];

  const run = () => {
    if (runnable) {
      onRunQuery();
    }
  };
  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (event.key === 'Enter' && event.shiftKey) {
      event.preventDefault();
      run();
    }
  };
  const change = (next: SluiceQuery) => {
    onChange(next);
    if (Object.keys(validateQuery(next)).length === 0) {
      onRunQuery();
    }
  };
  const onTypeChange = (option: ComboboxOption<QueryType>) => {
    if (base === option.value) {
      return;
    }
    // The new type's defaults, keeping what identifies the query and what every type shares.
    change({
      ...QUERY_TYPES[option.value].defaults,
      refId: query.refId,
      datasource: query.datasource,
      hide: query.hide,
      chunkRows: query.chunkRows,
    } as SluiceQuery);
  };
  // Range and instant share their fields: only the type changes.
  const onVariantChange = (queryType: QueryType) => change({ ...query, queryType } as SluiceQuery);

  const renderField = (field: QueryFieldSpec<SluiceQuery>) => {
    const value = fieldValue(query, field.key);
    if (field.kind === 'integer') {
      return (
        <IntegerField
          key={field.key}
          id={`${id}-${field.key}`}
          label={field.label}
          description={field.description}
          placeholder={field.placeholder}
          value={value}
          error={errors[field.key]}
          onChange={(text) => onChange(withField(query, field.key, parseIntegerInput(text)))}
          onBlur={run}
          onKeyDown={onKeyDown}
        />
      );
    }
    const text = value === undefined || value === null || value === field.emptyValue ? '' : String(value);
    return (
      <TextField
        key={field.key}
        id={`${id}-${field.key}`}
        label={field.label}
        description={field.description}
        placeholder={field.placeholder}
        multiline={field.multiline}
        value={text}
        error={errors[field.key]}
        onChange={(next) => onChange(withField(query, field.key, next === '' ? field.emptyValue : next))}
        onBlur={run}
        onKeyDown={onKeyDown}
      />
    );
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
          value={base ?? null}
          onChange={onTypeChange}
        />
      </Field>
      {variants.length > 0 && (
        <Field label="Type" description="Range: a series over time. Instant: one value, at the end.">
          <RadioButtonGroup<QueryType>
            options={variants}
            value={query.queryType as QueryType}
            onChange={onVariantChange}
          />
        </Field>
      )}
      {spec?.fields.map(renderField)}
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
