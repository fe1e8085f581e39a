/**
 * The frame model handlers see. It mirrors grafana-plugin-sdk-go's data.Frame closely enough
 * that every frame we encode decodes there exactly (shared/reference/frames.md).
 */

/** Field types Grafana's Go SDK can decode (frames.md §1.4). Each may be nullable. */
export type FieldType =
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'uint8'
  | 'uint16'
  | 'uint32'
  | 'uint64'
  | 'float32'
  | 'float64'
  | 'string'
  | 'bool'
  | 'time'
  | 'json'
  | 'enum';

/** Grafana FieldConfig, passed through as JSON. Sluice-specific keys belong under `custom`. */
export type FieldConfig = Record<string, unknown>;

export type NoticeSeverity = 'info' | 'warning' | 'error';

export interface Notice {
  severity: NoticeSeverity;
  text: string;
  link?: string;
  /** 0 none, 1 meta, 2 error, 3 data, 4 stats: Go decodes an integer only. */
  inspect?: 0 | 1 | 2 | 3 | 4;
}

export interface QueryStat extends FieldConfig {
  displayName: string;
  value: number;
}

/** data.FrameMeta; keys Go does not know are dropped there, so extras go under `custom`. */
export interface FrameMeta {
  type?: string;
  typeVersion?: [number, number];
  path?: string;
  pathSeparator?: string;
  custom?: unknown;
  stats?: QueryStat[];
  notices?: Notice[];
  channel?: string;
  preferredVisualisationType?: string;
  preferredVisualisationPluginId?: string;
  executedQueryString?: string;
  dataTopic?: string;
  uniqueRowIdFields?: number[];
}

export interface FieldSchema {
  name: string;
  type: FieldType;
  nullable: boolean;
  labels?: Record<string, string>;
  config?: FieldConfig;
}

export interface FrameSchema {
  name: string;
  refId: string;
  meta?: FrameMeta;
  fields: FieldSchema[];
}
