/** The query-path priming at start runs every one of its queries through the engine and the encoder. */
import { primeQueryPath } from '../../src/api/prime';

it('runs its representative queries once per process and writes their bodies', async () => {
  // 12 range queries over 24 instances × 240 steps: several megabytes of JSON in all
  expect(await primeQueryPath()).toBeGreaterThan(1_000_000);
  expect(await primeQueryPath()).toBe(0);
});
