import { isFieldType } from './field-types';
import type { FieldSchema, FrameMeta, FrameSchema } from './types';

/**
 * Validates a schema and returns a frozen deep copy: encoders cache per-frame schema output, so later
 * mutation must fail loudly instead of being silently ignored.
 */
export function normaliseSchema(schema: FrameSchema): FrameSchema {
  if (typeof schema !== 'object' || schema === null) throw new TypeError('frame schema must be an object');
  const name = optionalString(schema.name, 'frame name');
  const refId = optionalString(schema.refId, 'frame refId');
  if (!Array.isArray(schema.fields)) throw new TypeError('frame schema: fields must be an array');
  const fields = schema.fields.map(normaliseField);
  const out: FrameSchema = { name, refId, fields };
  if (schema.meta !== undefined && schema.meta !== null) {
    if (typeof schema.meta !== 'object') throw new TypeError('frame meta must be an object');
    // Go always has a typeVersion ([0,0] = pre data plane); carrying it here makes round trips exact.
    out.meta = jsonCopy(schema.meta, 'frame meta');
    out.meta.typeVersion ??= [0, 0];
  }
  return deepFreeze(out);
}

function normaliseField(field: FieldSchema, index: number): FieldSchema {
  const where = `field #${index}`;
  if (typeof field !== 'object' || field === null) throw new TypeError(`${where} must be an object`);
  const name = optionalString(field.name, `${where} name`);
  if (!isFieldType(field.type)) throw new TypeError(`${where} "${name}": unknown type ${String(field.type)}`);
  if (typeof field.nullable !== 'boolean') throw new TypeError(`${where} "${name}": nullable must be a boolean`);
  const out: FieldSchema = { name, type: field.type, nullable: field.nullable };
  if (field.labels !== undefined && field.labels !== null) out.labels = normaliseLabels(field.labels, where);
  if (field.config !== undefined && field.config !== null) {
    if (typeof field.config !== 'object') throw new TypeError(`${where} "${name}": config must be an object`);
    out.config = jsonCopy(field.config, `${where} config`);
  }
  return out;
}

/** Go rejects non-string label values and emits keys sorted (frames.md §1.3, §1.9). */
function normaliseLabels(labels: Record<string, string>, where: string): Record<string, string> {
  if (typeof labels !== 'object' || Array.isArray(labels)) throw new TypeError(`${where}: labels must be an object`);
  const out: Record<string, string> = {};
  for (const key of Object.keys(labels).sort()) {
    const value = labels[key];
    if (typeof value !== 'string') {
      throw new TypeError(`${where}: label "${key}" must be a string, got ${typeof value}`);
    }
    out[key] = value;
  }
  return out;
}

function optionalString(value: unknown, what: string): string {
  if (value === undefined) return '';
  if (typeof value !== 'string') throw new TypeError(`${what} must be a string`);
  return value;
}

function jsonCopy<T>(value: T, what: string): T {
  try {
    return JSON.parse(JSON.stringify(value)) as T;
  } catch (e) {
    throw new TypeError(`${what} is not JSON-serialisable: ${(e as Error).message}`);
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Meta JSON as Go writes it: `typeVersion` always present, after `type` (Go struct order). */
export function metaToJSON(meta: FrameMeta): string {
  const { type, typeVersion, ...rest } = meta;
  const ordered: Record<string, unknown> = {};
  if (type !== undefined) ordered.type = type;
  ordered.typeVersion = typeVersion ?? [0, 0];
  return JSON.stringify(Object.assign(ordered, rest));
}

/** Keys sorted by code unit like Go; JSON.stringify alone would put integer-like keys first. */
export function labelsToJSON(labels: Record<string, string>): string {
  const keys = Object.keys(labels).sort();
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    out += (i === 0 ? '' : ',') + JSON.stringify(keys[i]) + ':' + JSON.stringify(labels[keys[i]]);
  }
  return out + '}';
}
