/**
 * XXH64 against published vectors and cespare/xxhash, and the label hash against Prometheus'
 * labels.Hash() of the default (stringlabels) build, values computed with Prometheus v0.316.0.
 */
import { labelsHash, ratioKeeps, sampleOffset } from '../../../src/engine/aggregations/ratio-sampler';
import { xxhash64 } from '../../../src/engine/aggregations/xxhash64';

const hex = (h: bigint): string => h.toString(16).padStart(16, '0');

describe('xxhash64', () => {
  it('matches the published test vectors', () => {
    expect(hex(xxhash64(new Uint8Array(0)))).toBe('ef46db3751d8e999');
    expect(hex(xxhash64(Buffer.from('a')))).toBe('d24ec4f1a98c6e5b');
    expect(hex(xxhash64(Buffer.from('abc')))).toBe('44bc2cf5ad770999');
  });

  it('matches cespare/xxhash on every tail and stripe length', () => {
    const bytes = Uint8Array.from({ length: 100 }, (_, i) => (i * 7) & 0xff);
    const expected: [number, string][] = [
      [0, 'ef46db3751d8e999'],
      [1, 'e934a84adb052768'],
      [3, '9ff70a635a6209ab'],
      [4, 'ae5acdc00a55ac41'],
      [7, 'd734a6b26f3da63e'],
      [8, '87116b3365b924eb'],
      [9, '340667a92c4324ff'],
      [31, '0f187c62b1e722b7'],
      [32, '91b0cb0931a8c629'],
      [33, '931b043cf8d65b94'],
      [63, '219110bf13e2fa26'],
      [64, 'bf3052e3445775d0'],
      [100, '8e2272c08247d5db'],
    ];
    for (const [n, h] of expected) {
      expect([n, hex(xxhash64(bytes.subarray(0, n)))]).toEqual([n, h]);
    }
  });
});

describe("Prometheus' labels.Hash and the sampling offset", () => {
  it.each([
    [
      [
        { name: '__name__', value: 'x' },
        { name: 'i', value: '00' },
      ],
      '51a66a434ef1813f',
      0.3189455427481729,
    ],
    [
      [
        { name: '__name__', value: 'http_requests' },
        { name: 'group', value: 'canary' },
        { name: 'instance', value: '0' },
        { name: 'job', value: 'api-server' },
      ],
      'fa6e5aa974a03e59',
      0.9782463706693543,
    ],
    [
      [
        { name: 'a', value: 'é' },
        { name: 'b', value: '😀' },
      ],
      'abe239ede5c5a0fb',
      0.6714206891827161,
    ],
    [[], 'ef46db3751d8e999', 0.9346749315317059],
    // Lengths of 255 and more are encoded in 4 bytes.
    [
      [
        { name: 'long', value: 'v'.repeat(300) },
        { name: 'n', value: '1' },
      ],
      'cbe39d63254133d0',
      0.7964418761305339,
    ],
    [[{ name: 'k'.repeat(255), value: 'x' }], '58fc58ca7d17349d', 0.3476005071980495],
    // JS orders U+FFEE after U+1F600 (surrogates); Go's byte order puts it before.
    [
      [
        { name: '\u00e9', value: '1' },
        { name: '\uffee', value: '3' },
        { name: '\u{1F600}', value: '2' },
      ],
      '3745ee33f6ffa473',
      0.21591080444977578,
    ],
  ])('%j', (labels, hash, offset) => {
    expect(hex(labelsHash(labels))).toBe(hash);
    expect(sampleOffset(labels)).toBe(offset);
  });

  it('keeps the first share of the hash space for r >= 0 and the last for r < 0', () => {
    expect(ratioKeeps(0.5, 0.3)).toBe(true);
    expect(ratioKeeps(0.3, 0.3)).toBe(false);
    expect(ratioKeeps(-0.6, 0.3)).toBe(false);
    expect(ratioKeeps(-0.75, 0.3)).toBe(true);
    expect(ratioKeeps(1, 0.9999)).toBe(true);
    expect(ratioKeeps(-1, 0)).toBe(true);
  });
});
