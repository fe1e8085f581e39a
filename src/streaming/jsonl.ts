import { optionalNumber, parseJSONObject, requireFrame, requireString, StreamEvent } from './events';

/**
 * One line of Grafana's chunked query endpoint (Accept: text/jsonl), written by Grafana from the
 * plugin's QueryChunkedData messages:
 *   {"refId":"A","frameId":"…","frame":{schema?,data}}
 *   {"refId":"A","error":"…","errorSource":"plugin"}
 * There is no end line: the body's clean end is the end, and a cut connection fails the read.
 * Lines with neither a frame nor an error (nothing to show) yield undefined.
 */
export function parseJsonlLine(text: string): StreamEvent | undefined {
  const line = parseJSONObject(text);
  const refId = typeof line.refId === 'string' && line.refId !== '' ? line.refId : undefined;
  if (typeof line.error === 'string' && line.error !== '') {
    return {
      type: 'error',
      refId,
      status: optionalNumber(line.status),
      message: line.error,
      errorSource: typeof line.errorSource === 'string' ? line.errorSource : undefined,
    };
  }
  if (line.frame === undefined || line.frame === null) {
    return undefined;
  }
  return {
    type: 'frame',
    refId: requireString(line, 'refId'),
    // Grafana's facade over unary QueryData numbers frames; an absent id still names one frame.
    frameId: typeof line.frameId === 'string' && line.frameId !== '' ? line.frameId : '0',
    frame: requireFrame(line),
  };
}
