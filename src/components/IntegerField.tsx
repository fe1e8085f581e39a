import { Field, Input } from '@grafana/ui';
import type { KeyboardEvent } from 'react';

interface Props {
  id: string;
  label: string;
  description: string;
  value: unknown;
  /** Shown under the input; the field is marked invalid while there is one. */
  error?: string;
  placeholder?: string;
  width?: number;
  onChange: (text: string) => void;
  onBlur?: () => void;
  onKeyDown?: (event: KeyboardEvent<HTMLInputElement>) => void;
}

/**
 * A text input for an integer. Text rather than type="number" so it can hold a template variable
 * and so a mistake stays visible with its message instead of being swallowed by the browser.
 */
export function IntegerField({ id, label, description, value, error, placeholder, width, ...handlers }: Props) {
  return (
    <Field label={label} description={description} invalid={Boolean(error)} error={error} htmlFor={id}>
      <Input
        id={id}
        inputMode="numeric"
        width={width ?? 24}
        value={value === undefined || value === null ? '' : String(value)}
        placeholder={placeholder}
        onChange={(event) => handlers.onChange(event.currentTarget.value)}
        onBlur={handlers.onBlur}
        onKeyDown={handlers.onKeyDown}
      />
    </Field>
  );
}
