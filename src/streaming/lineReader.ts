/**
 * Splits a streamed body into lines. A read may end anywhere: inside a line, between "\r" and
 * "\n", even inside a multi-byte UTF-8 character. So the decoder runs in streaming mode (it holds
 * incomplete characters back) and the unfinished tail of each read waits for the next one.
 */
export class LineSplitter {
  private readonly decoder = new TextDecoder('utf-8');
  /** Pieces of the current unfinished line, joined once its newline arrives: linear in its size. */
  private pending: string[] = [];

  /** The lines completed by this read. */
  push(bytes: Uint8Array): string[] {
    return this.split(this.decoder.decode(bytes, { stream: true }));
  }

  /** At the end of the body: flushes the decoder and returns the last line if it had no newline. */
  end(): string[] {
    const lines = this.split(this.decoder.decode());
    const last = stripCarriageReturn(this.pending.join(''));
    this.pending = [];
    if (!isBlank(last)) {
      lines.push(last);
    }
    return lines;
  }

  private split(text: string): string[] {
    const lines: string[] = [];
    let start = 0;
    for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', start)) {
      let line = text.slice(start, newline);
      if (this.pending.length > 0) {
        this.pending.push(line);
        line = this.pending.join('');
        this.pending = [];
      }
      start = newline + 1;
      line = stripCarriageReturn(line);
      if (!isBlank(line)) {
        lines.push(line);
      }
    }
    if (start < text.length) {
      this.pending.push(start === 0 ? text : text.slice(start));
    }
    return lines;
  }
}

function stripCarriageReturn(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/** Blank lines (keep-alives, a trailing newline) carry nothing. trim() stops at the first visible character. */
function isBlank(line: string): boolean {
  return line.length === 0 || line.trim().length === 0;
}
