import { Message, tableFromIPC } from 'apache-arrow';
import { Footer } from 'apache-arrow/ipc/metadata/file';

/**
 * The arrow-go file-reader rules from frames.md §1.1: ARROW1 at both ends, footer length before the
 * trailing magic, 8-aligned blocks whose body length equals the referenced message's bodyLength.
 */
export function checkArrowFileStructure(bytes: Uint8Array): { batches: number; dictionaries: number } {
  const text = (a: number, b: number) => String.fromCharCode(...bytes.subarray(a, b));
  if (text(0, 6) !== 'ARROW1') throw new Error('missing leading ARROW1');
  if (text(bytes.length - 6, bytes.length) !== 'ARROW1') throw new Error('missing trailing ARROW1');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const footerLength = view.getInt32(bytes.length - 10, true);
  const footerStart = bytes.length - 10 - footerLength;
  if (footerLength <= 0 || footerStart < 8) throw new Error(`bad footer length ${footerLength}`);
  const footer = Footer.decode(bytes.subarray(footerStart, bytes.length - 10));
  const blocks = [...footer.recordBatches(), ...footer.dictionaryBatches()];
  for (const block of blocks) {
    const { offset, metaDataLength, bodyLength } = block;
    for (const [what, n] of Object.entries({ offset, metaDataLength, bodyLength })) {
      if (Number(n) % 8 !== 0) throw new Error(`block ${what} ${n} not a multiple of 8`);
    }
    const at = Number(offset);
    if (view.getUint32(at, true) !== 0xffffffff) throw new Error(`no continuation marker at ${at}`);
    const messageLength = view.getInt32(at + 4, true);
    const message = Message.decode(bytes.subarray(at + 8, at + 8 + messageLength));
    if (Number(message.bodyLength) !== Number(bodyLength)) {
      throw new Error(`block body length ${bodyLength} != message body length ${message.bodyLength}`);
    }
  }
  // Also readable as a whole by apache-arrow.
  tableFromIPC(bytes);
  return { batches: footer.numRecordBatches, dictionaries: footer.numDictionaries };
}
