import type { QueryResultMetaNotice, QueryResultMetaStat } from '@grafana/data';

import { formatInteger } from '../validation';

/**
 * What has arrived for one query. Rows, chunks and bytes are counted as received here (the bytes
 * of each line, a close estimate of the wire size); the backend's progress lines add the total
 * it expects, which the notice turns into a percentage and an ETA.
 */
export class QueryProgress {
  rows = 0;
  chunks = 0;
  bytes = 0;
  total?: number;
  /** PromQL: series sent so far, of how many, and samples the engine read. */
  seriesDone?: number;
  seriesTotal?: number;
  samplesScanned?: number;

  addChunk(rows: number, bytes: number): void {
    this.rows += rows;
    this.bytes += bytes;
    this.chunks++;
  }

  setTotal(total: number | undefined): void {
    if (total !== undefined && total >= 0) {
      this.total = total;
    }
  }

  setSeries(progress: { seriesDone?: number; seriesTotal?: number; samplesScanned?: number }): void {
    this.seriesDone = progress.seriesDone ?? this.seriesDone;
    this.seriesTotal = progress.seriesTotal ?? this.seriesTotal;
    this.samplesScanned = progress.samplesScanned ?? this.samplesScanned;
  }

  stats(elapsedMs: number): QueryResultMetaStat[] {
    const stats: QueryResultMetaStat[] = [
      { displayName: 'Rows received', value: this.rows },
      { displayName: 'Chunks received', value: this.chunks },
      { displayName: 'Bytes received', value: this.bytes, unit: 'decbytes' },
      { displayName: 'Elapsed', value: Math.round(elapsedMs), unit: 'ms' },
    ];
    if (this.total !== undefined) {
      stats.push({ displayName: 'Rows expected', value: this.total });
    }
    if (this.seriesTotal !== undefined) {
      stats.push({ displayName: 'Series', value: this.seriesTotal });
    }
    if (this.samplesScanned !== undefined) {
      stats.push({ displayName: 'Samples scanned', value: this.samplesScanned });
    }
    return stats;
  }

  notice(elapsedMs: number): QueryResultMetaNotice {
    return { severity: 'info', text: formatProgress(this, elapsedMs), inspect: 'stats' };
  }
}

/**
 * "Streaming: 120,000 of 1,000,000 rows (12%), 2.1 MB, ETA 3 s"; without a total, rows and bytes;
 * for a query that counts series, "Streaming: 3 of 12 series (25%), 4,000 rows, 2.1 MB, ETA 9 s".
 */
export function formatProgress(
  progress: Pick<QueryProgress, 'rows' | 'bytes' | 'total'> &
    Partial<Pick<QueryProgress, 'seriesDone' | 'seriesTotal'>>,
  elapsedMs: number
): string {
  const { rows, bytes, total, seriesDone, seriesTotal } = progress;
  if (seriesTotal !== undefined && seriesTotal > 0 && seriesDone !== undefined) {
    const percent = Math.min(100, Math.floor((seriesDone * 100) / seriesTotal));
    let text = `Streaming: ${formatInteger(seriesDone)} of ${formatInteger(seriesTotal)} series (${percent}%), ${formatInteger(rows)} rows, ${formatBytes(bytes)}`;
    if (seriesDone > 0 && seriesDone < seriesTotal) {
      text += `, ETA ${formatDuration((elapsedMs * (seriesTotal - seriesDone)) / seriesDone)}`;
    }
    return text;
  }
  if (total === undefined || total <= 0) {
    return `Streaming: ${formatInteger(rows)} rows, ${formatBytes(bytes)}`;
  }
  const percent = Math.min(100, Math.floor((rows * 100) / total));
  let text = `Streaming: ${formatInteger(rows)} of ${formatInteger(total)} rows (${percent}%), ${formatBytes(bytes)}`;
  if (rows > 0 && rows < total) {
    text += `, ETA ${formatDuration((elapsedMs * (total - rows)) / rows)}`;
  }
  return text;
}

/** Decimal units, like the rest of Grafana's byte display: 2.1 MB, 480 kB. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit > 0 && value < 10 ? 1 : 0;
  return `${value.toFixed(digits)} ${units[unit]}`;
}

/** Rounded up, because an ETA that says 0 s while rows are still coming is wrong. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 60) {
    return `${seconds} s`;
  }
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) {
    return `${minutes} min ${seconds % 60} s`;
  }
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
