import { optionalNumber, parseJSONObject, ProtocolError, requireFrame, requireString, StreamEvent } from './events';

/**
 * One line of the backend's `POST resources/query` stream (application/x-ndjson):
 *   {"type":"frame","refId","frameId","rows","frame":{schema?,data}}
 *   {"type":"progress","refId","rows","total"?,"seriesDone"?,"seriesTotal"?,"samplesScanned"?,"chunks","bytes","elapsedMs"}
 *   {"type":"error","refId"?,"status","error","errorSource"}
 *   {"type":"end",…totals}
 */
export function parseResourceLine(text: string): StreamEvent {
  const line = parseJSONObject(text);
  switch (line.type) {
    case 'frame':
      return {
        type: 'frame',
        refId: requireString(line, 'refId'),
        frameId: requireString(line, 'frameId'),
        frame: requireFrame(line),
      };
    case 'progress':
      return {
        type: 'progress',
        refId: requireString(line, 'refId'),
        rows: optionalNumber(line.rows) ?? 0,
        total: optionalNumber(line.total),
        seriesDone: optionalNumber(line.seriesDone),
        seriesTotal: optionalNumber(line.seriesTotal),
        samplesScanned: optionalNumber(line.samplesScanned),
      };
    case 'error':
      return {
        type: 'error',
        refId: typeof line.refId === 'string' && line.refId !== '' ? line.refId : undefined,
        status: optionalNumber(line.status),
        message: typeof line.error === 'string' && line.error !== '' ? line.error : 'the query failed',
        errorSource: typeof line.errorSource === 'string' ? line.errorSource : undefined,
      };
    case 'end':
      return { type: 'end' };
    default:
      throw new ProtocolError(`unknown line type ${JSON.stringify(line.type)}`);
  }
}
