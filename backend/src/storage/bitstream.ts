/**
 * Reading a big-endian bit stream (most significant bit first), the layout used by Prometheus' XOR
 * chunks. Values come back as unsigned numbers of up to 32 bits so the hot path never needs BigInt.
 * (The writer lives in XorChunk, which writes straight into its arena slot.)
 */
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
