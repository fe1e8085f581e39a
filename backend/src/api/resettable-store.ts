/**
 * A store that can be thrown away and reopened empty, for the conformance harness (test mode only):
 * every promqltest eval starts from exactly its own loads. The engine, the receiver and the metadata
 * endpoints hold this object, never the store inside, so they see the fresh store after a reset.
 */
import { rmSync } from 'node:fs';

import { openStorage, type SeriesSamples, type Storage, type StorageOptions } from '../storage';

export class ResettableStore {
  private pending: Promise<void> = Promise.resolve();

  private constructor(
    private readonly options: StorageOptions,
    private store: Storage
  ) {}

  static async open(options: StorageOptions): Promise<ResettableStore> {
    return new ResettableStore(options, await openStorage(options));
  }

  /** The store right now (replaced by every reset). */
  get current(): Storage {
    return this.store;
  }

  /** Appends wait for a reset in progress, so no write lands in the store being deleted. */
  async append(batch: readonly SeriesSamples[]): ReturnType<Storage['append']> {
    await this.pending;
    return this.store.append(batch);
  }

  select: Storage['select'] = (matchers, mint, maxt) => this.store.select(matchers, mint, maxt);
  labelNames: Storage['labelNames'] = (matchers) => this.store.labelNames(matchers);
  labelValues: Storage['labelValues'] = (name, matchers) => this.store.labelValues(name, matchers);

  /** Closes the store, deletes its directory and opens an empty one in its place. */
  reset(): Promise<void> {
    const run = this.pending.then(async () => {
      await this.store.close();
      rmSync(this.options.dataDir, { recursive: true, force: true });
      this.store = await openStorage(this.options);
    });
    this.pending = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    await this.pending;
    await this.store.close();
  }
}
