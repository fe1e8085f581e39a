import type { ServerWritableStream } from '@grpc/grpc-js';

/**
 * Writes messages to a server stream and reports backpressure: grpc-js buffers a write until
 * HTTP/2 flow control lets it out, and `write` returns false once its buffer is full. The caller
 * then waits for 'drain' instead of piling up messages for a slow reader.
 */
export function writeWithBackpressure<T>(
  call: ServerWritableStream<unknown, T>,
  message: T
): Promise<void> | undefined {
  if (call.write(message)) {
    return undefined;
  }
  return new Promise((resolve) => {
    const done = () => {
      call.off('drain', done);
      call.off('close', done);
      call.off('cancelled', done);
      resolve();
    };
    call.once('drain', done);
    call.once('close', done);
    call.once('cancelled', done);
  });
}
