/**
 * Big-endian bit stream (most significant bit first), the layout used by Prometheus' XOR chunks.
 * Values are passed as unsigned 32-bit halves so the hot path never needs BigInt.
 */
export class BitWriter {
  private buf: Uint8Array;
  /** Number of complete bytes plus the partially filled one (if `bitsFree < 8`). */
  private len = 0;
  /** Free bits in the last byte; 8 means the stream is byte-aligned (no partial byte). */
  private bitsFree = 8;

  constructor(initialBytes = 32) {
    this.buf = new Uint8Array(initialBytes);
  }

  /** The number of bytes written so far (a partial last byte counts). */
  get byteLength(): number {
    return this.len;
  }

  private ensure(extra: number): void {
    if (this.len + extra <= this.buf.length) {
      return;
    }
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + extra));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  writeBit(bit: number): void {
    this.writeBits(bit & 1, 1);
  }

  /** Writes the low `n` bits (0 ≤ n ≤ 32) of `value`, most significant first. */
  writeBits(value: number, n: number): void {
    this.ensure(5);
    while (n > 0) {
      if (this.bitsFree === 8) {
        this.buf[this.len++] = 0;
        this.bitsFree = 8;
      }
      const take = n < this.bitsFree ? n : this.bitsFree;
      const bits = (value >>> (n - take)) & ((1 << take) - 1);
      this.bitsFree -= take;
      this.buf[this.len - 1] |= bits << this.bitsFree;
      n -= take;
      if (this.bitsFree === 0) {
        this.bitsFree = 8;
      }
    }
  }

  /** Writes the low `n` bits (0 ≤ n ≤ 64) of the 64-bit value hi:lo. */
  writeBits64(hi: number, lo: number, n: number): void {
    if (n > 32) {
      this.writeBits(hi, n - 32);
      this.writeBits(lo, 32);
    } else {
      this.writeBits(lo, n);
    }
  }

  writeByte(b: number): void {
    this.writeBits(b & 0xff, 8);
  }

  /** Overwrites a whole byte at a byte offset (used for the chunk header). */
  setByte(offset: number, b: number): void {
    this.buf[offset] = b;
  }

  /** A view of the bytes written so far (shares memory with the writer). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }

  /** A compact copy of the bytes written so far. */
  toBytes(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

export class BitStreamError extends Error {}

export class BitReader {
  private pos = 0; // bit position

  constructor(private readonly buf: Uint8Array) {}

  get bitPosition(): number {
    return this.pos;
  }

  /** Reads `n` bits (0 ≤ n ≤ 32) as an unsigned number. */
  readBits(n: number): number {
    if (this.pos + n > this.buf.length * 8) {
      throw new BitStreamError('read past the end of the bit stream');
    }
    let out = 0;
    while (n > 0) {
      const byte = this.buf[this.pos >>> 3];
      const used = this.pos & 7;
      const avail = 8 - used;
      const take = n < avail ? n : avail;
      const bits = (byte >>> (avail - take)) & ((1 << take) - 1);
      out = out * (1 << take) + bits; // multiplication keeps it unsigned for 32-bit reads
      this.pos += take;
      n -= take;
    }
    return out;
  }

  readBit(): number {
    return this.readBits(1);
  }

  readByte(): number {
    return this.readBits(8);
  }
}
