/**
 * A real sender: Debian's `prometheus` 2.42 (apt package `prometheus`, remote write 1.0 only) scrapes
 * itself every second and remote-writes to the receiver. Skipped when the binary is missing, unless
 * REQUIRE_PROMETHEUS=1 (CI) turns that into a failure. PROMETHEUS_BIN overrides /usr/bin/prometheus.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { killAll, spawnTracked } from '../helpers/process';
import { waitUntil } from '../helpers/wait';
import { startTestServer } from './helpers';

const bin = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';
const available = existsSync(bin);
if (!available && process.env.REQUIRE_PROMETHEUS === '1') {
  throw new Error(`REQUIRE_PROMETHEUS=1 but ${bin} is missing (apt-get install prometheus)`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

afterEach(killAll);

(available ? it : it.skip)(
  'Prometheus scraping itself remote-writes its series (v1) into the store',
  async () => {
    const { server, storage, warnings } = await startTestServer({ bearerToken: 'from-prometheus' });
    const dir = mkdtempSync(join(tmpdir(), 'sluice-prom-'));
    try {
      const port = await freePort();
      writeFileSync(
        join(dir, 'prometheus.yml'),
        [
          'global: { scrape_interval: 1s, evaluation_interval: 1s }',
          'scrape_configs:',
          `  - job_name: self`,
          `    static_configs: [{ targets: ['127.0.0.1:${port}'] }]`,
          'remote_write:',
          `  - url: http://${server.address}/api/v1/write`,
          '    authorization: { credentials: from-prometheus }',
          '    queue_config: { batch_send_deadline: 1s, min_backoff: 100ms, max_backoff: 1s }',
          '',
        ].join('\n')
      );
      const prom = spawnTracked(
        bin,
        [
          `--config.file=${join(dir, 'prometheus.yml')}`,
          `--storage.tsdb.path=${join(dir, 'data')}`,
          `--web.listen-address=127.0.0.1:${port}`,
        ],
        { PATH: process.env.PATH ?? '' }
      );
      const up = () =>
        storage.batches.some((b) =>
          b.some(
            (s) =>
              s.labels.some((l) => l.name === '__name__' && l.value === 'up') &&
              s.labels.some((l) => l.name === 'job' && l.value === 'self') &&
              Array.from(s.values).includes(1)
          )
        );
      const arrived = await waitUntil(() => up() && storage.samples > 500, 20_000, 100);
      if (!arrived) {
        throw new Error(`no samples from Prometheus\nwarnings: ${warnings.join('\n')}\nstderr:\n${prom.stderr}`);
      }
      expect(server.metrics.requestsByStatus[204]).toBeGreaterThan(0);
      // Prometheus sends valid requests only; anything else would be a receiver bug.
      expect(Object.keys(server.metrics.requestsByStatus)).toEqual(['204']);
      // Labels arrive sorted and unique; Prometheus adds instance and job.
      for (const s of storage.batches.flat()) {
        const names = s.labels.map((l) => l.name);
        expect([...names].sort()).toEqual(names);
        expect(new Set(names).size).toBe(names.length);
        expect(names).toEqual(expect.arrayContaining(['__name__', 'instance', 'job']));
      }
      await prom.kill();
    } finally {
      await killAll();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
  40_000
);
