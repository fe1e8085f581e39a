// Frontend tests run in jsdom, which lacks what Grafana's packages expect from a browser.
import '@testing-library/jest-dom';
import { TextDecoder, TextEncoder } from 'node:util';
import { ReadableStream } from 'node:stream/web';

/** react-dom's scheduler wants MessageChannel; worker_threads' ports would keep jest from exiting. */
class TimerMessagePort {
  onmessage: ((event: { data: unknown }) => void) | null = null;
  other?: TimerMessagePort;
  postMessage(data: unknown): void {
    setTimeout(() => this.other?.onmessage?.({ data }), 0);
  }
  start(): void {}
  close(): void {}
  addEventListener(): void {}
  removeEventListener(): void {}
}

class TimerMessageChannel {
  readonly port1 = new TimerMessagePort();
  readonly port2 = new TimerMessagePort();
  constructor() {
    this.port1.other = this.port2;
    this.port2.other = this.port1;
  }
}

Object.assign(globalThis, { TextEncoder, TextDecoder });
if (!('MessageChannel' in globalThis)) {
  Object.assign(globalThis, { MessageChannel: TimerMessageChannel });
}
if (!('ReadableStream' in globalThis)) {
  Object.assign(globalThis, { ReadableStream });
}
Object.defineProperty(window, 'matchMedia', {
  writable: true,
  value: (query: string) => ({
    matches: false,
    media: query,
    onchange: null,
    addListener: () => undefined,
    removeListener: () => undefined,
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
    dispatchEvent: () => false,
  }),
});
HTMLCanvasElement.prototype.getContext = (() => null) as unknown as typeof HTMLCanvasElement.prototype.getContext;
