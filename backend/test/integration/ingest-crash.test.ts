/**
 * kill -9 while a sender writes: the real backend process (WAL fsync `always`, the default) takes
 * remote write from the in-repo sender, several requests in flight at all times, and is SIGKILLed
 * mid-stream. After a restart on the same data directory every sample that was acknowledged with 204
 * must be there, exactly, and nothing that was never sent; the store must take and serve new writes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { encodeV1, sendRemoteWrite } from '../../src/ingest';
import { killAll } from '../helpers/process';
import { seriesKey, startStore, StoreProcess, storedSamples, storeSettings } from '../helpers/store';
import { sleep } from '../helpers/wait';

jest.setTimeout(90_000);

const WORKERS = 4;
const SERIES_PER_REQUEST = 200;
const SAMPLES_PER_SERIES = 5;
const STEP_MS = 10;
/** Well inside the default 15 d retention, far from "now" so nothing is too new either. */
const BASE_MS = Date.now() - 3_600_000;

const dataDir = mkdtempSync(join(tmpdir(), 'sluice-crash-'));
let store: StoreProcess | undefined;

afterAll(async () => {
  store?.clients.close();
  await killAll();
  rmSync(dataDir, { recursive: true, force: true });
});

function labelsOf(worker: number, s: number): Record<string, string> {
  return { __name__: 'crash_test_value', worker: String(worker), series: String(s).padStart(3, '0') };
}

/** The deterministic value of a sample, so a wrong value cannot pass for a right one. */
function valueOf(worker: number, s: number, t: number): number {
  return worker * 1e9 + s * 1e6 + (t - BASE_MS) / STEP_MS + 0.25;
}

interface Batch {
  worker: number;
  timestamps: number[];
}

test('every sample acknowledged before a SIGKILL is there after the restart, and nothing un-sent', async () => {
  store = await startStore(dataDir);
  const url = store.writeUrl!;
  const proc = store.proc;

  const acked: Batch[] = [];
  /** Sent but not acknowledged (in flight at the kill, or failed): may or may not be stored. */
  const unacked: Batch[] = [];
  const statuses = new Map<string, number>();
  let stop = false;
  let killed = false;

  const worker = async (w: number) => {
    for (let request = 0; !stop; request++) {
      const timestamps = Array.from(
        { length: SAMPLES_PER_SERIES },
        (_, i) => BASE_MS + (request * SAMPLES_PER_SERIES + i) * STEP_MS
      );
      const body = encodeV1(
        Array.from({ length: SERIES_PER_REQUEST }, (_, s) => {
          const labels = labelsOf(w, s);
          return {
            labels: Object.keys(labels)
              .sort()
              .map((name) => [name, labels[name]] as const),
            timestamps,
            values: Float64Array.from(timestamps, (t) => valueOf(w, s, t)),
          };
        })
      );
      const batch = { worker: w, timestamps };
      try {
        const result = await sendRemoteWrite(url, body);
        statuses.set(String(result.status), (statuses.get(String(result.status)) ?? 0) + 1);
        if (result.status === 204) {
          acked.push(batch);
        } else {
          unacked.push(batch);
          if (!killed) {
            throw new Error(`write answered ${result.status} while the backend ran: ${result.body}`);
          }
        }
      } catch (error) {
        if (!killed) {
          throw error;
        }
        statuses.set('error', (statuses.get('error') ?? 0) + 1);
        unacked.push(batch);
        return;
      }
    }
  };

  const workers = Array.from({ length: WORKERS }, (_, w) => worker(w));
  await sleep(1_500);
  const ackedBeforeKill = acked.length;
  killed = true;
  proc.child.kill('SIGKILL');
  const exit = await proc.exited;
  stop = true;
  await Promise.all(workers);
  expect(exit.signal).toBe('SIGKILL');
  // The kill must land mid-stream: plenty acknowledged, and requests cut off (one per worker at most).
  expect(ackedBeforeKill).toBeGreaterThan(10);
  expect(statuses.get('error') ?? 0).toBeGreaterThan(0);
  expect(unacked.length).toBeLessThanOrEqual(WORKERS);
  store.clients.close();

  const t0 = performance.now();
  store = await startStore(dataDir);
  const replayMs = performance.now() - t0;

  const lastSent = Math.max(...[...acked, ...unacked].flatMap((b) => b.timestamps));
  const stored = await storedSamples(
    store.clients,
    '{__name__="crash_test_value"}',
    BASE_MS - 60_000,
    lastSent + 60_000
  );

  // What must be there (acknowledged) and what may be there (also the unacknowledged requests).
  const must = new Map<string, Set<number>>();
  const may = new Map<string, Set<number>>();
  for (const [batches, target] of [
    [acked, must],
    [[...acked, ...unacked], may],
  ] as const) {
    for (const b of batches) {
      for (let s = 0; s < SERIES_PER_REQUEST; s++) {
        const key = seriesKey(labelsOf(b.worker, s));
        const set = target.get(key) ?? new Set<number>();
        b.timestamps.forEach((t) => set.add(t));
        target.set(key, set);
      }
    }
  }

  let missing = 0;
  let unsent = 0;
  let wrongValue = 0;
  for (const [key, expected] of must) {
    const series = stored.get(key);
    const have = new Set(series?.timestamps ?? []);
    for (const t of expected) {
      if (!have.has(t)) missing++;
    }
  }
  for (const [key, series] of stored) {
    const allowed = may.get(key);
    const w = Number(series.labels.worker);
    const s = Number(series.labels.series);
    series.timestamps.forEach((t, i) => {
      if (!allowed?.has(t)) unsent++;
      else if (series.values[i] !== valueOf(w, s, t)) wrongValue++;
    });
    // Timestamps come back strictly increasing: no duplicates from a replayed WAL.
    for (let i = 1; i < series.timestamps.length; i++) {
      expect(series.timestamps[i]).toBeGreaterThan(series.timestamps[i - 1]);
    }
  }
  const ackedSamples = acked.length * SERIES_PER_REQUEST * SAMPLES_PER_SERIES;
  expect({ missing, unsent, wrongValue }).toEqual({ missing: 0, unsent: 0, wrongValue: 0 });
  expect(stored.size).toBe(must.size);
  const storedCount = [...stored.values()].reduce((n, s) => n + s.timestamps.length, 0);
  expect(storedCount).toBeGreaterThanOrEqual(ackedSamples);
  expect(storedCount).toBeLessThanOrEqual(ackedSamples + unacked.length * SERIES_PER_REQUEST * SAMPLES_PER_SERIES);

  // Still a working store: a new write after the restart is accepted and readable.
  const after = lastSent + 1_000;
  const write = await sendRemoteWrite(
    store.writeUrl!,
    encodeV1([
      {
        labels: [
          ['__name__', 'crash_test_value'],
          ['series', '000'],
          ['worker', '0'],
        ],
        timestamps: [after],
        values: Float64Array.of(42),
      },
      {
        labels: [
          ['__name__', 'after_crash'],
          ['job', 'x'],
        ],
        timestamps: [after],
        values: Float64Array.of(7),
      },
    ])
  );
  expect(write.status).toBe(204);
  const again = await storedSamples(
    store.clients,
    '{__name__=~"crash_test_value|after_crash", series=~"000|"}',
    after,
    after
  );
  const rows = [...again.values()].map((s) => [seriesKey(s.labels), s.timestamps, s.values]);
  expect(rows.sort()).toEqual(
    [
      [seriesKey({ __name__: 'after_crash', job: 'x' }), [after], [7]],
      [seriesKey(labelsOf(0, 0)), [after], [42]],
    ].sort()
  );
  expect(await storeSettings(store.clients)).toMatchObject({ series: stored.size + 1 });

  console.log(
    `ingest-crash: ${acked.length} requests acknowledged (${ackedSamples} samples), ${unacked.length} cut off, ` +
      `${storedCount} samples replayed in ${replayMs.toFixed(0)} ms (start to first settings)`
  );
});
