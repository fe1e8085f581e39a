/** Grafana data frames: the in-memory model plus Arrow IPC and frame-JSON codecs (shared/reference/frames.md). */
export * from './types';
export type { Column } from './column';
export { Frame } from './frame';
export { encodeArrowFile } from './arrow-encode';
export { decodeArrowFile } from './arrow-decode';
export { encodeFrameJSON, type FrameJSONInclude } from './json-encode';
export { decodeFrameJSON, appendFrameJSONData } from './json-decode';
