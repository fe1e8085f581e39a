import { css } from '@emotion/css';
import { Field, Input, TextArea } from '@grafana/ui';
import type { KeyboardEvent } from 'react';

interface Props {
  id: string;
  label: string;
  description: string;
  value: string;
  /** Shown under the input; the field is marked invalid while there is one. */
  error?: string;
  placeholder?: string;
  /** A multi-line, monospaced editor for expressions; Enter adds a line, Shift+Enter runs. */
  multiline?: boolean;
  onChange: (text: string) => void;
  onBlur?: () => void;
  onKeyDown?: (event: KeyboardEvent<HTMLElement>) => void;
}

const expression = css({ fontFamily: 'monospace', minWidth: '40em' });

/** A text input, or a textarea for expressions, with its label, description and inline error. */
export function TextField({ id, label, description, value, error, placeholder, multiline, ...handlers }: Props) {
  const common = {
    id,
    value,
    placeholder,
    onBlur: handlers.onBlur,
    onKeyDown: handlers.onKeyDown,
  };
  return (
    <Field label={label} description={description} invalid={Boolean(error)} error={error} htmlFor={id}>
      {multiline ? (
        <TextArea
          {...common}
          className={expression}
          rows={Math.min(12, Math.max(3, value.split('\n').length))}
          spellCheck={false}
          onChange={(event) => handlers.onChange(event.currentTarget.value)}
        />
      ) : (
        <Input {...common} width={32} onChange={(event) => handlers.onChange(event.currentTarget.value)} />
      )}
    </Field>
  );
}
