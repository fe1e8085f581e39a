import { formatBytes, formatDuration, formatProgress, QueryProgress } from './progress';

describe('progress', () => {
  it('says rows of total, percent, size and ETA when the total is known', () => {
    expect(formatProgress({ rows: 120_000, total: 1_000_000, bytes: 2_100_000 }, 400)).toBe(
      'Streaming: 120,000 of 1,000,000 rows (12%), 2.1 MB, ETA 3 s'
    );
  });

  it('says rows and size without a total, and no ETA once everything arrived', () => {
    expect(formatProgress({ rows: 5000, bytes: 480_000 }, 100)).toBe('Streaming: 5,000 rows, 480 kB');
    expect(formatProgress({ rows: 10, total: 10, bytes: 999 }, 100)).toBe('Streaming: 10 of 10 rows (100%), 999 B');
  });

  it('counts series for queries that report them (PromQL), with an ETA from series done', () => {
    expect(formatProgress({ rows: 4000, bytes: 2_100_000, seriesDone: 3, seriesTotal: 12 }, 3000)).toBe(
      'Streaming: 3 of 12 series (25%), 4,000 rows, 2.1 MB, ETA 9 s'
    );
    const progress = new QueryProgress();
    progress.setSeries({ seriesDone: 0, seriesTotal: 2, samplesScanned: 900 });
    progress.setSeries({ seriesDone: 1 });
    expect(progress).toMatchObject({ seriesDone: 1, seriesTotal: 2, samplesScanned: 900 });
    expect(progress.stats(10)).toEqual(
      expect.arrayContaining([
        { displayName: 'Series', value: 2 },
        { displayName: 'Samples scanned', value: 900 },
      ])
    );
    expect(progress.notice(10).text).toMatch(/^Streaming: 1 of 2 series \(50%\)/);
  });

  it('formats sizes and durations for people', () => {
    expect([0, 999, 1000, 2_100_000, 12_500_000, 3_000_000_000].map(formatBytes)).toEqual([
      '0 B',
      '999 B',
      '1.0 kB',
      '2.1 MB',
      '13 MB',
      '3.0 GB',
    ]);
    expect([10, 2500, 59_000, 61_000, 3_725_000].map(formatDuration)).toEqual([
      '1 s',
      '3 s',
      '59 s',
      '1 min 1 s',
      '1 h 2 min',
    ]);
  });

  it('counts chunks as they arrive and reports them as stats', () => {
    const progress = new QueryProgress();
    progress.addChunk(1000, 40_000);
    progress.addChunk(500, 20_000);
    progress.setTotal(3000);
    expect(progress.stats(250)).toEqual([
      { displayName: 'Rows received', value: 1500 },
      { displayName: 'Chunks received', value: 2 },
      { displayName: 'Bytes received', value: 60_000, unit: 'decbytes' },
      { displayName: 'Elapsed', value: 250, unit: 'ms' },
      { displayName: 'Rows expected', value: 3000 },
    ]);
    expect(progress.notice(250)).toEqual({
      severity: 'info',
      inspect: 'stats',
      text: 'Streaming: 1,500 of 3,000 rows (50%), 60 kB, ETA 1 s',
    });
  });
});
