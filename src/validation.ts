/** Inclusive bounds of an integer setting or query field. */
export interface IntegerRange {
  min: number;
  max: number;
}

/** `$var`, `${var}`, `${var:format}` or the deprecated `[[var]]`: resolved only when the query runs. */
const TEMPLATE_VARIABLE = /^(\$\w+|\$\{[^}]+\}|\[\[[^\]]+\]\])$/;
const INTEGER = /^-?\d+$/;

export function isTemplateVariable(text: string): boolean {
  return TEMPLATE_VARIABLE.test(text.trim());
}

/**
 * Turns what the user typed into what is stored: nothing for an empty input (the default applies),
 * a number for an integer, and the text itself otherwise (a variable, or a mistake that
 * validateInteger reports).
 */
export function parseIntegerInput(text: string): number | string | undefined {
  const trimmed = text.trim();
  if (trimmed === '') {
    return undefined;
  }
  return INTEGER.test(trimmed) ? Number(trimmed) : text;
}

export interface IntegerRules extends IntegerRange {
  required?: boolean;
  /** Query fields accept template variables; datasource settings do not. */
  allowVariables?: boolean;
}

/** The message to show under the field, or undefined when the value is fine. */
export function validateInteger(value: unknown, rules: IntegerRules): string | undefined {
  if (value === undefined || value === null || value === '') {
    return rules.required ? 'Required' : undefined;
  }
  if (typeof value === 'string' && rules.allowVariables && isTemplateVariable(value)) {
    return undefined;
  }
  const number = typeof value === 'string' && INTEGER.test(value.trim()) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number)) {
    return rules.allowVariables ? 'Must be an integer or a template variable such as $rows' : 'Must be an integer';
  }
  if (number < rules.min || number > rules.max) {
    return `Must be between ${formatInteger(rules.min)} and ${formatInteger(rules.max)}`;
  }
  return undefined;
}

/** An integer setting's value when valid, else the fallback; for limits the browser applies itself. */
export function integerOr(value: unknown, fallback: number, range: IntegerRange): number {
  const number = typeof value === 'string' && INTEGER.test(value.trim()) ? Number(value) : value;
  return typeof number === 'number' && Number.isInteger(number) && number >= range.min && number <= range.max
    ? number
    : fallback;
}

export function formatInteger(value: number): string {
  return value.toLocaleString('en-US');
}
