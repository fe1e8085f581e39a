export { startIngestServer, WRITE_PATH } from './server';
export type { IngestLogger, IngestServer, IngestServerOptions } from './server';
export type { IngestLimits } from './limits';
export { DEFAULT_LIMITS } from './limits';
export type { IngestMetrics } from './metrics';
export { encodeV1, encodeV2, sendRemoteWrite } from './sender';
export type { SenderSeries } from './sender';
