export { startQueryApi, parseListen } from './server';
export type { QueryApiOptions, QueryApiServer, QueryEngineLike } from './server';
export { ResettableStore } from './resettable-store';
export { ParamError, parseDurationNs, parseTimeNs, nsToMs } from './params';
