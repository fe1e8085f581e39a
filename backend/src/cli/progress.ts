/** Live progress of a streamed query on stderr: chunks, rows, bytes, rows/s. */
export class Progress {
  chunks = 0;
  rows = 0;
  bytes = 0;
  firstChunkMs?: number;
  private readonly started = performance.now();
  private lastDraw = 0;

  constructor(
    private readonly enabled: boolean,
    private readonly interactive = process.stderr.isTTY === true
  ) {}

  chunk(rows: number, bytes: number): void {
    this.firstChunkMs ??= performance.now() - this.started;
    this.chunks++;
    this.rows += rows;
    this.bytes += bytes;
    const now = performance.now();
    if (this.enabled && now - this.lastDraw >= (this.interactive ? 100 : 1000)) {
      this.lastDraw = now;
      this.draw(false);
    }
  }

  get elapsedMs(): number {
    return performance.now() - this.started;
  }

  summary(): string {
    const seconds = this.elapsedMs / 1000;
    const rate = seconds > 0 ? this.rows / seconds : 0;
    const first = this.firstChunkMs === undefined ? '' : ` · first chunk ${this.firstChunkMs.toFixed(1)} ms`;
    return (
      `${this.chunks.toLocaleString('en-US')} chunks · ${this.rows.toLocaleString('en-US')} rows · ` +
      `${formatBytes(this.bytes)} · ${formatCount(rate)} rows/s · ${seconds.toFixed(2)} s${first}`
    );
  }

  finish(label: string): void {
    if (this.enabled) {
      this.draw(true, label);
    }
  }

  private draw(final: boolean, label = 'streaming'): void {
    const line = `${label}: ${this.summary()}`;
    if (this.interactive) {
      process.stderr.write(`\r\x1b[K${line}${final ? '\n' : ''}`);
    } else {
      process.stderr.write(line + '\n');
    }
  }
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

function formatCount(value: number): string {
  if (value >= 1e6) {
    return `${(value / 1e6).toFixed(2)}M`;
  }
  if (value >= 1e3) {
    return `${(value / 1e3).toFixed(1)}k`;
  }
  return value.toFixed(0);
}
