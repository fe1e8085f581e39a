import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { openStorage } from '../../src/storage';

jest.setTimeout(60_000);

const CHILD = `
const { openStorage } = require(process.argv[2]);
(async () => {
  const s = await openStorage({ dataDir: process.argv[3], fsync: 'always', walSegmentBytes: 65536 });
  const t0 = Number(process.argv[4]);
  let acked = 0;
  for (let i = 0; ; i++) {
    const batch = [];
    for (let k = 0; k < 50; k++) batch.push({ labels: [{ name: 'k', value: String(k) }], timestamps: [t0 + i], values: new Float64Array([i]) });
    const o = await s.append(batch);
    acked += o.samplesWritten;
    process.stdout.write(acked + '\\n');
  }
})();
`;

it('keeps every acknowledged sample across SIGKILL', async () => {
  const dir = fs.mkdtempSync(join(tmpdir(), 'sluice-crash-'));
  try {
    const bundle = join(dir, 'storage.js');
    await build({
      entryPoints: [resolve(__dirname, '../../src/storage/index.ts')],
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      outfile: bundle,
      logLevel: 'silent',
    });
    fs.writeFileSync(join(dir, 'child.js'), CHILD);
    const data = join(dir, 'data');
    const t0 = Date.now() - 3600_000;
    const child = spawn(process.execPath, [join(dir, 'child.js'), bundle, data, String(t0)], { stdio: 'pipe' });
    let out = '';
    let err = '';
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    await new Promise<void>((resolveRun) => {
      child.stdout.on('data', (b: Buffer) => {
        out += b.toString();
        const lines = out.trim().split('\n');
        if (Number(lines[lines.length - 1]) >= 20_000) resolveRun();
      });
      child.on('exit', () => resolveRun());
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.on('close', r));
    expect(err).toBe('');
    const acked = Math.max(...out.trim().split('\n').map(Number));
    expect(acked).toBeGreaterThanOrEqual(20_000);
    const s = await openStorage({ dataDir: data });
    const stored = s.stats().samples;
    expect(stored).toBeGreaterThanOrEqual(acked);
    // per series: a gap-free prefix with the right values
    for (const d of s.select([], -Infinity, Infinity)) {
      expect(d.timestamps.length).toBeGreaterThanOrEqual(acked / 50);
      for (let i = 0; i < d.timestamps.length; i++) {
        expect(d.timestamps[i]).toBe(t0 + i);
        expect(d.values[i]).toBe(i);
      }
    }
    await s.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
