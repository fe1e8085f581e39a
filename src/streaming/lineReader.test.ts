import { LineSplitter } from './lineReader';

const encode = (text: string) => new TextEncoder().encode(text);

/** Feeds the bytes in pieces of the given sizes and returns every line, end included. */
function splitInPieces(bytes: Uint8Array, size: number): string[] {
  const splitter = new LineSplitter();
  const lines: string[] = [];
  for (let offset = 0; offset < bytes.length; offset += size) {
    lines.push(...splitter.push(bytes.slice(offset, offset + size)));
  }
  return [...lines, ...splitter.end()];
}

describe('LineSplitter', () => {
  const text = '{"a":"héllo"}\n{"b":"😀 ünïcödé €"}\n{"c":3}\n';

  it.each([1, 2, 3, 5, 7, 1000])('gives the same lines for reads of %i bytes', (size) => {
    expect(splitInPieces(encode(text), size)).toEqual(['{"a":"héllo"}', '{"b":"😀 ünïcödé €"}', '{"c":3}']);
  });

  it('keeps the unfinished line until its newline arrives', () => {
    const splitter = new LineSplitter();
    expect(splitter.push(encode('{"a":'))).toEqual([]);
    expect(splitter.push(encode('1}\n{"b"'))).toEqual(['{"a":1}']);
    expect(splitter.push(encode(':2}\n'))).toEqual(['{"b":2}']);
    expect(splitter.end()).toEqual([]);
  });

  it('strips \\r\\n even when \\r and \\n arrive in different reads', () => {
    const splitter = new LineSplitter();
    expect(splitter.push(encode('one\r'))).toEqual([]);
    expect(splitter.push(encode('\ntwo\r\n'))).toEqual(['one', 'two']);
  });

  it('returns a last line without a newline at the end, and skips blank lines', () => {
    const splitter = new LineSplitter();
    expect(splitter.push(encode('\n\r\n  \nlast'))).toEqual([]);
    expect(splitter.end()).toEqual(['last']);
  });

  it('flushes the decoder at the end: a cut character is not silently dropped', () => {
    const splitter = new LineSplitter();
    const euro = encode('€');
    expect(splitter.push(new Uint8Array([...encode('ab'), ...euro.slice(0, 2)]))).toEqual([]);
    expect(splitter.end()).toEqual(['ab\uFFFD']);
  });
});
