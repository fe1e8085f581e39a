import type { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { Field, FieldSet, Input, RadioButtonGroup } from '@grafana/ui';
import { useId } from 'react';

import { parseIntervalMs } from '../../backend/src/datasource/promql-interval';
import { BACKEND_SETTINGS, BROWSER_SETTINGS, IntegerSettingSpec, PROMQL_SETTINGS, TRANSPORTS } from '../settings';
import type { SluiceOptions, TransportPreference } from '../types';
import { formatInteger, parseIntegerInput, validateInteger } from '../validation';
import { BackendStatus } from './BackendStatus';
import { IntegerField } from './IntegerField';

type Props = DataSourcePluginOptionsEditorProps<SluiceOptions>;

/**
 * Datasource settings. No secrets: Sluice has none yet, so secureJsonData stays unused.
 * A mistyped number is stored as typed and flagged here; the backend rejects it on Save & test
 * by name rather than a previous value being kept without a word.
 */
export function ConfigEditor({ options, onOptionsChange }: Props) {
  const id = useId();
  const jsonData = options.jsonData ?? {};

  const setInteger = (key: IntegerSettingSpec['key'], text: string) => {
    const value = parseIntegerInput(text);
    const next: Record<string, unknown> = { ...jsonData };
    if (value === undefined) {
      delete next[key];
    } else {
      next[key] = value;
    }
    onOptionsChange({ ...options, jsonData: next as SluiceOptions });
  };
  const setTransport = (transport: TransportPreference) =>
    onOptionsChange({ ...options, jsonData: { ...jsonData, transport } });
  const setScrapeInterval = (text: string) => {
    const next: SluiceOptions = { ...jsonData, timeInterval: text.trim() };
    if (next.timeInterval === '') {
      delete next.timeInterval;
    }
    onOptionsChange({ ...options, jsonData: next });
  };
  const scrapeInterval = jsonData.timeInterval ?? '';
  const scrapeIntervalError =
    scrapeInterval === '' || (parseIntervalMs(scrapeInterval) ?? 0) > 0 ? undefined : 'A duration such as 15s or 1m';

  const integerField = (spec: IntegerSettingSpec) => (
    <IntegerField
      key={spec.key}
      id={`${id}-${spec.key}`}
      label={spec.label}
      description={`${spec.description} ${formatInteger(spec.min)}–${formatInteger(spec.max)}.`}
      placeholder={`${formatInteger(spec.defaultValue)} (default)`}
      value={jsonData[spec.key]}
      error={validateInteger(jsonData[spec.key], spec)}
      onChange={(text) => setInteger(spec.key, text)}
    />
  );

  return (
    <>
      <FieldSet label="Backend">
        <BackendStatus uid={options.uid} version={options.version} />
      </FieldSet>
      <FieldSet label="Chunking (applied by the backend)">{BACKEND_SETTINGS.map(integerField)}</FieldSet>
      <FieldSet label="PromQL">
        <Field
          label="Scrape interval"
          description="How often the stored series are scraped: the default step and the base of $__rate_interval."
          invalid={Boolean(scrapeIntervalError)}
          error={scrapeIntervalError}
          htmlFor={`${id}-timeInterval`}
        >
          <Input
            id={`${id}-timeInterval`}
            width={24}
            value={scrapeInterval}
            placeholder="15s (default)"
            onChange={(event) => setScrapeInterval(event.currentTarget.value)}
          />
        </Field>
        {PROMQL_SETTINGS.map(integerField)}
      </FieldSet>
      <FieldSet label="Browser">
        {BROWSER_SETTINGS.map(integerField)}
        <Field
          label="Transport"
          description={TRANSPORTS.find((t) => t.value === (jsonData.transport ?? 'auto'))?.description}
          useFieldset
        >
          <RadioButtonGroup<TransportPreference>
            options={TRANSPORTS.map(({ value, label, description }) => ({ value, label, description }))}
            value={jsonData.transport ?? 'auto'}
            onChange={setTransport}
          />
        </Field>
      </FieldSet>
    </>
  );
}
