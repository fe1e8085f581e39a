/**
 * hclog-style JSON logging on stderr. go-plugin parses each stderr line as hclog JSON and
 * Grafana re-logs it with its level; stdout belongs to the handshake alone.
 */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

const LEVEL_RANK: Record<LogLevel, number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4 };

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  with(fields: LogFields): Logger;
}

export type LogSink = (line: string) => void;

const stderrSink: LogSink = (line) => process.stderr.write(line);

export function isLogLevel(value: string): value is LogLevel {
  return value in LEVEL_RANK;
}

export function createLogger(options: { level?: LogLevel; module?: string; sink?: LogSink } = {}): Logger {
  return new HclogLogger(LEVEL_RANK[options.level ?? 'info'], { '@module': options.module ?? 'sluice' }, options.sink);
}

class HclogLogger implements Logger {
  constructor(
    private readonly minRank: number,
    private readonly base: LogFields,
    private readonly sink: LogSink = stderrSink
  ) {}

  debug(message: string, fields?: LogFields): void {
    this.write('debug', message, fields);
  }
  info(message: string, fields?: LogFields): void {
    this.write('info', message, fields);
  }
  warn(message: string, fields?: LogFields): void {
    this.write('warn', message, fields);
  }
  error(message: string, fields?: LogFields): void {
    this.write('error', message, fields);
  }

  with(fields: LogFields): Logger {
    return new HclogLogger(this.minRank, { ...this.base, ...fields }, this.sink);
  }

  private write(level: LogLevel, message: string, fields?: LogFields): void {
    if (LEVEL_RANK[level] < this.minRank) {
      return;
    }
    const entry: LogFields = { '@level': level, '@message': message, '@timestamp': new Date().toISOString() };
    Object.assign(entry, this.base, fields);
    for (const key of Object.keys(entry)) {
      const value = entry[key];
      if (value instanceof Error) {
        entry[key] = value.message;
      } else if (typeof value === 'bigint') {
        entry[key] = value.toString();
      }
    }
    this.sink(JSON.stringify(entry) + '\n');
  }
}
