/**
 * Write-ahead log: numbered segment files (dataDir/wal/00000001, …) of framed records. Writes are
 * synchronous; `sync()` fsyncs the current segment. On replay a torn or corrupt tail of the LAST segment
 * is cut off (a crash mid-write); corruption in an earlier segment is fatal.
 */
import * as fs from 'node:fs';
import { join } from 'node:path';
import { readFrames } from './records';

export class WalCorruptionError extends Error {}

const SEGMENT_RE = /^\d{8}$/;

export function segmentName(n: number): string {
  return String(n).padStart(8, '0');
}

export function listSegments(dir: string): number[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => SEGMENT_RE.test(f))
    .map(Number)
    .sort((a, b) => a - b);
}

export function fsyncDir(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function fsyncAsync(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fs.fsync(fd, (err) => (err ? reject(err) : resolve())));
}

export class Wal {
  private fd: number;
  private size: number;
  private current: number;
  private dirty = false;
  /** fsyncs in flight; segments rotate() closed meanwhile stay open until they end (retired fds). */
  private syncing = 0;
  private retired: number[] = [];

  private constructor(
    readonly dir: string,
    private readonly segmentBytes: number,
    current: number
  ) {
    this.current = current;
    const path = join(dir, segmentName(current));
    this.fd = fs.openSync(path, 'a');
    this.size = fs.fstatSync(this.fd).size;
  }

  /**
   * Replays segments numbered above `after`, calling `onPayload` per record, then opens the log for
   * appending (to a fresh segment).
   */
  static open(dir: string, segmentBytes: number, after: number, onPayload: (p: Buffer) => void): Wal {
    fs.mkdirSync(dir, { recursive: true });
    const segs = listSegments(dir);
    for (const n of segs) {
      if (n <= after) fs.rmSync(join(dir, segmentName(n)), { force: true }); // left over from a checkpoint
    }
    const live = segs.filter((n) => n > after);
    for (let i = 0; i < live.length; i++) {
      const path = join(dir, segmentName(live[i]));
      const buf = fs.readFileSync(path);
      const { payloads, goodEnd, torn } = readFrames(buf);
      for (const p of payloads) onPayload(p);
      if (torn) {
        if (i !== live.length - 1) {
          throw new WalCorruptionError(`corrupt WAL segment ${path} at offset ${goodEnd}`);
        }
        fs.truncateSync(path, goodEnd);
      }
    }
    const last = live.length > 0 ? live[live.length - 1] : after;
    const wal = new Wal(dir, segmentBytes, last + 1);
    fsyncDir(dir);
    return wal;
  }

  get currentSegment(): number {
    return this.current;
  }

  /** Bytes in all live segments. */
  bytes(): number {
    let total = 0;
    for (const n of listSegments(this.dir)) {
      if (n === this.current) total += this.size;
      else total += fs.statSync(join(this.dir, segmentName(n))).size;
    }
    return total;
  }

  /** Appends records (as one write when possible); rotates to a new segment when this one is full. */
  write(records: Buffer[]): void {
    const total = records.reduce((s, r) => s + r.length, 0);
    if (this.size > 0 && this.size + total > this.segmentBytes) this.rotate();
    const buf = records.length === 1 ? records[0] : Buffer.concat(records, total);
    let off = 0;
    while (off < buf.length) off += fs.writeSync(this.fd, buf, off, buf.length - off);
    this.size += total;
    this.dirty = true;
  }

  /** fsyncs everything written so far (several may be in flight: the store overlaps group commits). */
  async sync(): Promise<void> {
    if (!this.dirty) return;
    this.dirty = false;
    this.syncing++;
    try {
      await fsyncAsync(this.fd);
    } finally {
      if (--this.syncing === 0) this.closeRetired();
    }
  }

  /** Closes the current segment (fsynced) and starts the next; returns the number of the closed one. */
  rotate(): number {
    fs.fsyncSync(this.fd);
    if (this.syncing > 0) this.retired.push(this.fd);
    else fs.closeSync(this.fd);
    const closed = this.current;
    this.current++;
    this.fd = fs.openSync(join(this.dir, segmentName(this.current)), 'a');
    this.size = 0;
    this.dirty = false;
    fsyncDir(this.dir);
    return closed;
  }

  /** Deletes segments numbered ≤ n. */
  truncateUpTo(n: number): void {
    for (const s of listSegments(this.dir)) {
      if (s <= n && s !== this.current) fs.rmSync(join(this.dir, segmentName(s)), { force: true });
    }
  }

  close(): void {
    fs.fsyncSync(this.fd);
    fs.closeSync(this.fd);
    this.closeRetired();
  }

  private closeRetired(): void {
    for (const fd of this.retired) fs.closeSync(fd);
    this.retired = [];
  }
}

/** What the store needs of a WAL. */
export type WalLike = Pick<Wal, 'write' | 'sync' | 'rotate' | 'truncateUpTo' | 'close' | 'bytes'>;

/** A WAL that keeps nothing, for the in-memory scratch store (see openScratchStorage). */
export class NullWal implements WalLike {
  write(): void {}
  async sync(): Promise<void> {}
  rotate(): number {
    return 0;
  }
  truncateUpTo(): void {}
  close(): void {}
  bytes(): number {
    return 0;
  }
}
