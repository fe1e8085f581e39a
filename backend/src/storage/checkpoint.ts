/**
 * Checkpoints: dataDir/checkpoint.NNNNNNNN holds the whole head (series records, chunk records and the
 * out-of-order buffers as sample records) as of the end of WAL segment NNNNNNNN. Written to a temp file,
 * fsynced, renamed; older checkpoints and covered segments are deleted afterwards.
 */
import * as fs from 'node:fs';
import { join } from 'node:path';
import { Head } from './head';
import { encodeChunk, encodeSamples, encodeSeries, readFrames } from './records';
import { fsyncDir, segmentName } from './wal';

const CHECKPOINT_RE = /^checkpoint\.(\d{8})$/;

export function latestCheckpoint(dataDir: string): { path: string; segment: number } | undefined {
  let best: { path: string; segment: number } | undefined;
  for (const f of fs.readdirSync(dataDir)) {
    const m = CHECKPOINT_RE.exec(f);
    if (m && (best === undefined || Number(m[1]) > best.segment)) {
      best = { path: join(dataDir, f), segment: Number(m[1]) };
    }
  }
  return best;
}

export function writeCheckpoint(dataDir: string, head: Head, segment: number): void {
  const path = join(dataDir, `checkpoint.${segmentName(segment)}`);
  const tmp = `${path}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  try {
    const flush = (b: Buffer): void => {
      let off = 0;
      while (off < b.length) off += fs.writeSync(fd, b, off, b.length - off);
    };
    for (const s of head.byId.values()) {
      flush(encodeSeries(s.id, s.labels));
      for (const c of s.closed ?? []) flush(encodeChunk(s.id, c.bytes));
      if (s.open !== null) flush(encodeChunk(s.id, s.open.bytes()));
      const ooo = s.ooo;
      if (ooo !== null && ooo.n > 0) {
        const ids = new Uint32Array(ooo.n).fill(s.id);
        flush(encodeSamples(ids, ooo.ts, ooo.vs32, ooo.n));
      }
    }
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, path);
  fsyncDir(dataDir);
  for (const f of fs.readdirSync(dataDir)) {
    const m = CHECKPOINT_RE.exec(f);
    if ((m && Number(m[1]) < segment) || (f.startsWith('checkpoint.') && f.endsWith('.tmp'))) {
      fs.rmSync(join(dataDir, f), { force: true });
    }
  }
}

/** Checkpoints are written atomically, so any damage is fatal rather than a torn tail. */
export function readCheckpoint(path: string): Buffer[] {
  const { payloads, torn } = readFrames(fs.readFileSync(path));
  if (torn) throw new Error(`corrupt checkpoint ${path}`);
  return payloads;
}
