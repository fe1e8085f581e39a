import { isStaleMarker } from '../../storage';
import type { SeriesPoints } from './series-source';

/**
 * What a range function reads: the points of each series over the whole span the query's windows
 * cover, stale markers removed (range functions never see them).
 */
export interface PointSource {
  load(): Promise<SeriesPoints[]>;
  describe(): string;
}

export function withoutStaleMarkers(s: SeriesPoints): SeriesPoints {
  let stale = 0;
  for (let i = 0; i < s.values.length; i++) if (isStaleMarker(s.values[i])) stale++;
  if (stale === 0) return s;
  const n = s.values.length - stale;
  const timestamps = new Float64Array(n);
  const values = new Float64Array(n);
  let j = 0;
  for (let i = 0; i < s.values.length; i++) {
    if (isStaleMarker(s.values[i])) continue;
    timestamps[j] = s.timestamps[i];
    values[j] = s.values[i];
    j++;
  }
  return { labels: s.labels, timestamps, values };
}
