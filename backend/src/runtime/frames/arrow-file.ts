import { ByteBuffer } from 'flatbuffers';
import { Message, MetadataVersion, RecordBatch, Schema } from 'apache-arrow';
import { Footer as FooterTable } from 'apache-arrow/fb/footer';
import { FileBlock, Footer } from 'apache-arrow/ipc/metadata/file';
import { RecordBatch as RecordBatchHeader } from 'apache-arrow/ipc/metadata/message';
import { VectorAssembler } from 'apache-arrow/visitor/vectorassembler';

/**
 * Writes one record batch as an Arrow IPC file with apache-arrow's own message and footer encoders,
 * but encodes the footer (which repeats the whole schema) once per schema instead of once per chunk:
 * between chunks of a frame only the block's lengths change, and they are patched in place. The
 * layout is what RecordBatchFileWriter produces: magic, record batch message, body, EOS, footer.
 */
const MAGIC = Uint8Array.from('ARROW1', (c) => c.charCodeAt(0));
const CONTINUATION = 0xffffffff;
/** The record batch message starts right after the 8-byte magic and padding. */
const BATCH_OFFSET = 8;

interface FooterTemplate {
  bytes: Uint8Array;
  /** Position of the record batch Block struct (offset i64, metaDataLength i32, pad, bodyLength i64). */
  blockPos: number;
}

const footers = new WeakMap<Schema, FooterTemplate>();

function footerTemplate(schema: Schema): FooterTemplate {
  let template = footers.get(schema);
  if (template === undefined) {
    const bytes = Footer.encode(new Footer(schema, MetadataVersion.V5, [new FileBlock(0, 0, BATCH_OFFSET)], []));
    const block = FooterTable.getRootAsFooter(new ByteBuffer(bytes)).recordBatches(0);
    if (block === null) {
      throw new Error('apache-arrow wrote a footer without its record batch block');
    }
    template = { bytes, blockPos: block.bb_pos };
    footers.set(schema, template);
  }
  return template;
}

/** `schema` is the frame's cached Schema: apache-arrow may give the batch a copy of it. */
export function encodeRecordBatchFile(schema: Schema, batch: RecordBatch): Uint8Array {
  const assembled = VectorAssembler.assemble(batch);
  const bodyLength = assembled.byteLength;
  const header = new RecordBatchHeader(batch.numRows, assembled.nodes, assembled.bufferRegions, null);
  const metadata = Message.encode(Message.from(header, bodyLength));
  // Continuation marker and length prefix, then the flatbuffer, padded to 8 bytes.
  const metaDataLength = (8 + metadata.byteLength + 7) & ~7;
  const footer = footerTemplate(schema);

  const bodyStart = BATCH_OFFSET + metaDataLength;
  const footerStart = bodyStart + bodyLength + 8;
  const out = new Uint8Array(footerStart + footer.bytes.byteLength + 4 + MAGIC.byteLength);
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  view.setUint32(BATCH_OFFSET, CONTINUATION, true);
  view.setInt32(BATCH_OFFSET + 4, metaDataLength - 8, true);
  out.set(metadata, BATCH_OFFSET + 8);

  const regions = assembled.bufferRegions;
  const buffers = assembled.buffers;
  for (let i = 0; i < buffers.length; i++) {
    const buffer = buffers[i];
    if (buffer.byteLength > 0) {
      out.set(
        buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength),
        bodyStart + Number(regions[i].offset)
      );
    }
  }

  view.setUint32(footerStart - 8, CONTINUATION, true);
  view.setInt32(footerStart - 4, 0, true);
  out.set(footer.bytes, footerStart);
  const block = footerStart + footer.blockPos;
  view.setBigInt64(block, BigInt(BATCH_OFFSET), true);
  view.setInt32(block + 8, metaDataLength, true);
  view.setBigInt64(block + 16, BigInt(bodyLength), true);
  view.setInt32(footerStart + footer.bytes.byteLength, footer.bytes.byteLength, true);
  out.set(MAGIC, footerStart + footer.bytes.byteLength + 4);
  return out;
}
