/**
 * The Prometheus XOR ("Gorilla") chunk encoding, implemented from its description:
 *
 *   header   2 bytes, big-endian sample count
 *   sample 0 signed varint timestamp (zig-zag), then the raw 64 float bits
 *   sample 1 unsigned varint Δt, then the value XOR-encoded
 *   sample n delta-of-delta timestamp: '0' (dod = 0) | '10' + 14 bits | '110' + 17 | '1110' + 20 | '1111' + 64,
 *            then the value XOR-encoded
 *   value    '0' when equal to the previous value; else '1' then either '0' + the meaningful bits inside
 *            the previous leading/trailing-zero window, or '1' + 5 bits leading zeros + 6 bits significant
 *            bit count (64 written as 0) + the significant bits
 *
 * Timestamps are integer milliseconds held in JS numbers; they must be safe integers with |t| < 2^52 so
 * the zig-zag varint stays exact. Float bits travel as unsigned 32-bit halves (no BigInt).
 */
import { ArenaSpan, ChunkArena } from './chunk-arena';
import { hiBits, loadFloat, loBits } from './float-bits';

export const SAMPLES_PER_CHUNK = 120;
const TWO32 = 4294967296;

function ctz32(x: number): number {
  return 31 - Math.clz32(x & -x);
}

/** Prometheus' range check for an n-bit delta-of-delta: -(2^(n-1) - 1) ≤ x ≤ 2^(n-1). */
function fitsBits(x: number, n: number): boolean {
  const half = 1 << (n - 1);
  return x >= -(half - 1) && x <= half;
}

function uvarintSize(x: number): number {
  let n = 1;
  while (x >= 128) {
    x = Math.floor(x / 128);
    n++;
  }
  return n;
}

const SHARED_ARENA = new ChunkArena();
const ONE_T = new Float64Array(1);

/**
 * The encoder. Its bytes live in a span of a ChunkArena (see chunk-arena.ts for why), which may move
 * them, so the buffer is read from the arena on every write. The value halves are kept as signed int32
 * so V8 stores them as small integers rather than boxed doubles. `release()` must be called when the
 * chunk is dropped, to give its bytes back.
 */
export class XorChunk implements ArenaSpan {
  base = 0;
  cap = 0;
  spanIndex = -1;
  /** Bits written, the 16-bit header included. */
  private nbits = 16;
  private count = 0;
  private t = 0;
  private tDelta = 0;
  private vHi = 0;
  private vLo = 0;
  private leading = 0xff;
  private trailing = 0;
  minTime = 0;

  constructor(private readonly arena: ChunkArena = SHARED_ARENA) {}

  get numSamples(): number {
    return this.count;
  }

  get maxTime(): number {
    return this.t;
  }

  /** Appends a sample; `t` must be greater than or equal to the previous timestamp. */
  append(t: number, v: number): void {
    loadFloat(v);
    this.appendBits(t, hiBits(), loBits());
  }

  /** Appends a sample given as the two 32-bit halves of its float64 bits (int32 or uint32). */
  appendBits(t: number, hi: number, lo: number): void {
    ONE_T[0] = t;
    this.appendAt(ONE_T, 0, hi, lo);
  }

  /**
   * Appends the sample with timestamp ts[i] (the store's hot path passes its column and an index: a
   * double passed to a call that is not inlined gets boxed, one allocation per sample). The exact size
   * of the sample is worked out first, so the chunk grows only when full.
   */
  appendAt(ts: Float64Array, i: number, hi: number, lo: number): void {
    const t = ts[i];
    const count = this.count;
    // value: 0 = unchanged, 1 = inside the previous window, 2 = new window
    let mode = 0;
    let dHi = 0;
    let dLo = 0;
    let leading = 0;
    let trailing = 0;
    let vbits = 64;
    if (count > 0) {
      // int32, not uint32: values above 2^31 would be boxed when passed on to putShifted
      dHi = hi ^ this.vHi;
      dLo = lo ^ this.vLo;
      vbits = 1;
      if (dHi !== 0 || dLo !== 0) {
        leading = dHi !== 0 ? Math.clz32(dHi) : 32 + Math.clz32(dLo);
        trailing = dLo !== 0 ? ctz32(dLo) : 32 + ctz32(dHi);
        if (leading >= 32) leading = 31; // 5 bits only
        if (this.leading !== 0xff && leading >= this.leading && trailing >= this.trailing) {
          mode = 1;
          vbits = 2 + 64 - this.leading - this.trailing;
        } else {
          mode = 2;
          vbits = 13 + 64 - leading - trailing;
        }
      }
    }
    const delta = t - this.t;
    let tbits: number;
    let dod = 0;
    if (count === 0) {
      tbits = 8 * uvarintSize(t >= 0 ? 2 * t : -2 * t - 1);
    } else if (count === 1) {
      tbits = 8 * uvarintSize(delta);
    } else {
      dod = delta - this.tDelta;
      tbits = dod === 0 ? 1 : fitsBits(dod, 14) ? 16 : fitsBits(dod, 17) ? 20 : fitsBits(dod, 20) ? 24 : 68;
    }
    this.reserve(tbits + vbits);

    if (count === 0) {
      this.putUvarint(t >= 0 ? 2 * t : -2 * t - 1);
      this.put(hi, 32);
      this.put(lo, 32);
      this.minTime = t;
    } else {
      if (count === 1) {
        this.putUvarint(delta);
      } else if (tbits === 1) {
        this.put(0, 1);
      } else if (tbits === 16) {
        this.put((0b10 << 14) | (dod & 0x3fff), 16);
      } else if (tbits === 20) {
        this.put((0b110 << 17) | (dod & 0x1ffff), 20);
      } else if (tbits === 24) {
        this.put((0b1110 << 20) | (dod & 0xfffff), 24);
      } else {
        this.put(0b1111, 4);
        this.putInt64(dod);
      }
      this.tDelta = delta;
      if (mode === 0) {
        this.put(0, 1);
      } else if (mode === 1) {
        this.put(0b10, 2);
        this.putShifted(dHi, dLo, this.trailing, 64 - this.leading - this.trailing);
      } else {
        this.leading = leading;
        this.trailing = trailing;
        const sig = 64 - leading - trailing;
        // '11', 5 bits of leading zeros, 6 bits of significant-bit count (64 written as 0)
        this.put((0b11 << 11) | (leading << 6) | (sig & 63), 13);
        this.putShifted(dHi, dLo, trailing, sig);
      }
    }
    this.t = t;
    this.vHi = hi | 0;
    this.vLo = lo | 0;
    this.count = count + 1;
    const buf = this.arena.buf;
    buf[this.base] = (count + 1) >>> 8;
    buf[this.base + 1] = (count + 1) & 0xff;
  }

  /** Writes the `n` bits of (hi:lo >>> shift). */
  private putShifted(hi: number, lo: number, shift: number, n: number): void {
    let sHi: number;
    let sLo: number;
    if (shift === 0) {
      sHi = hi;
      sLo = lo;
    } else if (shift < 32) {
      sLo = (lo >>> shift) | (hi << (32 - shift));
      sHi = hi >>> shift;
    } else {
      sLo = hi >>> (shift - 32);
      sHi = 0;
    }
    if (n > 32) {
      this.put(sHi, n - 32);
      this.put(sLo, 32);
    } else {
      this.put(sLo, n);
    }
  }

  private putUvarint(x: number): void {
    while (x >= 128) {
      this.put((x % 128) | 0x80, 8);
      x = Math.floor(x / 128);
    }
    this.put(x, 8);
  }

  private putInt64(x: number): void {
    const neg = x < 0;
    const a = neg ? -x : x;
    let hi = Math.floor(a / TWO32) >>> 0;
    let lo = (a % TWO32) >>> 0;
    if (neg) {
      lo = (~lo + 1) >>> 0;
      hi = (~hi + (lo === 0 ? 1 : 0)) >>> 0;
    }
    this.put(hi, 32);
    this.put(lo, 32);
  }

  /**
   * Writes the low `n` bits (0 ≤ n ≤ 32) of `value`, most significant first: first into the free low
   * bits of a partly written byte, then whole bytes, then the top of a new byte. A byte is assigned when
   * the stream first reaches it (so a reused span needs no zeroing) and OR-ed into afterwards.
   */
  private put(value: number, n: number): void {
    const buf = this.arena.buf;
    const pos = this.nbits;
    this.nbits = pos + n;
    let i = this.base + (pos >>> 3);
    const used = pos & 7;
    if (used !== 0) {
      const room = 8 - used;
      if (n <= room) {
        buf[i] |= (value & ((1 << n) - 1)) << (room - n);
        return;
      }
      n -= room;
      buf[i++] |= (value >>> n) & ((1 << room) - 1);
    }
    while (n >= 8) {
      n -= 8;
      buf[i++] = value >>> n;
    }
    if (n > 0) buf[i] = (value & ((1 << n) - 1)) << (8 - n);
  }

  /** Makes room for `bits` more bits, moving the bytes to a larger span (×1.5) when full. */
  private reserve(bits: number): void {
    const need = (this.nbits + bits + 7) >>> 3;
    if (need <= this.cap) return;
    const fresh = this.spanIndex < 0;
    // 64 bytes to start with: a regular series fills them in tens of samples, so few chunks ever move.
    const cap = (Math.max(need, this.cap + (this.cap >>> 1), 64) + 7) & ~7;
    this.arena.resize(this, cap, fresh ? 0 : (this.nbits + 7) >>> 3);
    if (fresh) {
      this.arena.buf[this.base] = 0;
      this.arena.buf[this.base + 1] = 0;
    }
  }

  /** Gives the chunk's bytes back to the arena; the chunk must not be used afterwards. */
  release(): void {
    this.arena.release(this);
    this.cap = 0;
  }

  /** The encoded bytes (a live view; copy before the chunk is appended to again). */
  bytes(): Uint8Array {
    if (this.spanIndex < 0) return new Uint8Array(2);
    return this.arena.buf.subarray(this.base, this.base + ((this.nbits + 7) >>> 3));
  }

  /** A compact copy of the encoded bytes. */
  toBytes(): Uint8Array {
    return this.bytes().slice();
  }
}
