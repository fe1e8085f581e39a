/**
 * A minimal pull scanner over JSON text. Frame JSON needs things JSON.parse cannot give: int64 digits
 * beyond 2^53 and the raw text of json-typed values.
 */
export class JsonScanner {
  pos = 0;

  constructor(readonly text: string) {}

  /** Next non-whitespace character without consuming it ('' at the end). */
  peek(): string {
    this.skipWhitespace();
    return this.text.charAt(this.pos);
  }

  expect(ch: string): void {
    if (this.peek() !== ch) throw this.error(`expected '${ch}'`);
    this.pos++;
  }

  /** Consumes `ch` if it is next. */
  accept(ch: string): boolean {
    if (this.peek() !== ch) return false;
    this.pos++;
    return true;
  }

  /**
   * Iterates an object's keys: call after '{' was consumed (first = true) or after a value. Returns the
   * next key with its ':' consumed, or undefined at the closing '}'.
   */
  nextKey(first: boolean): string | undefined {
    if (this.accept('}')) return undefined;
    if (!first) this.expect(',');
    const key = this.readString();
    this.expect(':');
    return key;
  }

  /** Array counterpart of nextKey: true if another element follows. */
  nextElement(first: boolean): boolean {
    if (this.accept(']')) return false;
    if (!first) this.expect(',');
    return true;
  }

  readString(): string {
    if (this.peek() !== '"') throw this.error('expected a string');
    const text = this.text;
    const start = this.pos;
    let i = start + 1;
    let escaped = false;
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 34) break;
      if (c === 92) {
        escaped = true;
        i += 2;
      } else if (c !== c) {
        throw this.error('unterminated string');
      } else {
        i++;
      }
    }
    this.pos = i + 1;
    return escaped ? (JSON.parse(text.slice(start, i + 1)) as string) : text.slice(start + 1, i);
  }

  /** The text of a JSON number token. */
  readNumberText(): string {
    this.skipWhitespace();
    NUMBER.lastIndex = this.pos;
    const m = NUMBER.exec(this.text);
    if (m === null) throw this.error('expected a number');
    this.pos += m[0].length;
    return m[0];
  }

  /** Consumes `null` if it is next. */
  acceptNull(): boolean {
    this.skipWhitespace();
    if (!this.text.startsWith('null', this.pos)) return false;
    this.pos += 4;
    return true;
  }

  readBoolean(): boolean {
    this.skipWhitespace();
    if (this.text.startsWith('true', this.pos)) {
      this.pos += 4;
      return true;
    }
    if (this.text.startsWith('false', this.pos)) {
      this.pos += 5;
      return false;
    }
    throw this.error('expected true or false');
  }

  /** Skips one value of any kind and returns its exact source text. */
  readRawValue(): string {
    const c = this.peek();
    const start = this.pos;
    if (c === '{' || c === '[') {
      this.skipContainer();
    } else if (c === '"') {
      this.readString();
    } else if (c === 't' || c === 'f') {
      this.readBoolean();
    } else if (c === 'n') {
      if (!this.acceptNull()) throw this.error('expected a value');
    } else {
      this.readNumberText();
    }
    return this.text.slice(start, this.pos);
  }

  /** A value parsed with JSON.parse (for schema parts, where plain JS numbers are fine). */
  readValue(): unknown {
    return JSON.parse(this.readRawValue());
  }

  end(): void {
    if (this.peek() !== '') throw this.error('unexpected trailing text');
  }

  error(message: string): SyntaxError {
    const near = this.text.slice(this.pos, this.pos + 20);
    return new SyntaxError(`frame JSON: ${message} at offset ${this.pos} near ${JSON.stringify(near)}`);
  }

  private skipContainer(): void {
    const open = this.text.charAt(this.pos);
    this.pos++;
    for (let first = true; ; first = false) {
      if (open === '{') {
        if (this.nextKey(first) === undefined) return;
      } else if (!this.nextElement(first)) {
        return;
      }
      this.readRawValue();
    }
  }

  private skipWhitespace(): void {
    const text = this.text;
    let i = this.pos;
    for (;;) {
      const c = text.charCodeAt(i);
      if (c !== 32 && c !== 10 && c !== 13 && c !== 9) break;
      i++;
    }
    this.pos = i;
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
