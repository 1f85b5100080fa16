import { constants } from 'node:fs';
import { access, mkdir, open, readFile, rename } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { type Adapter, Low } from 'lowdb';
import { type Logger, silentLogger } from '../logger.js';
import { emptyStoreData, STORE_VERSION, type StoreData, storeDataSchema } from './schema.js';

/** The store file could not be used (unparsable, schema-invalid or an unknown version); it was moved aside. */
export class StoreCorruptError extends Error {
  override readonly name = 'StoreCorruptError';
  constructor(
    readonly file: string,
    readonly movedTo: string,
    readonly reason: string,
  ) {
    super(`Store file ${file} is unusable (${reason}); moved it to ${movedTo} and started with an empty store`);
  }
}

/** Writing the store file failed; the in-memory data is intact and stays dirty, so a later flush retries. */
export class StoreWriteError extends Error {
  override readonly name = 'StoreWriteError';
  constructor(
    readonly file: string,
    options: { cause: unknown },
  ) {
    const why = options.cause instanceof Error ? options.cause.message : String(options.cause);
    super(`Could not write store file ${file}: ${why}`, options);
  }
}

/** `change()` was called after `close()`: the change could never be persisted. */
export class StoreClosedError extends Error {
  override readonly name = 'StoreClosedError';
  constructor(readonly file: string) {
    super(`Store ${file} is closed; changes can no longer be saved`);
  }
}

/** The file's contents can't become StoreData; carries why, for the corrupt-file report. */
class StoreDecodeError extends Error {
  override readonly name = 'StoreDecodeError';
}

type RawStore = Record<string, unknown>;

/** MIGRATIONS[n] turns a version-n store into a version-(n + 1) store. Add one when STORE_VERSION is bumped. */
const MIGRATIONS: Record<number, (raw: RawStore) => RawStore> = {};

/** Brings a parsed store file up to STORE_VERSION; throws StoreDecodeError when the version can't be handled. */
export function migrate(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new StoreDecodeError('not a JSON object');
  let current = raw as RawStore;
  const version = current.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new StoreDecodeError(`missing or invalid "version" (${JSON.stringify(version) ?? 'undefined'})`);
  }
  if (version > STORE_VERSION) {
    throw new StoreDecodeError(`version ${version} is newer than this build understands (${STORE_VERSION})`);
  }
  for (let from = version; from < STORE_VERSION; from += 1) {
    const step = MIGRATIONS[from];
    if (!step) throw new StoreDecodeError(`no migration from version ${from} to ${from + 1}`);
    current = { ...step(current), version: from + 1 };
  }
  return current;
}

function describeSchemaIssues(issues: readonly { path: PropertyKey[]; message: string }[]): string {
  const shown = issues
    .slice(0, 3)
    .map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
  return issues.length > 3 ? `${shown}; and ${issues.length - 3} more` : shown;
}

/** Parses, migrates and validates a store file's text. */
export function decodeStore(text: string): StoreData {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new StoreDecodeError(
      `not valid JSON: ${error instanceof Error ? error.message.slice(0, 200) : String(error)}`,
    );
  }
  const result = storeDataSchema.safeParse(migrate(raw));
  if (!result.success)
    throw new StoreDecodeError(`does not match the store schema: ${describeSchemaIssues(result.error.issues)}`);
  return result.data;
}

/**
 * lowdb adapter writing compact JSON atomically and durably: temp file in the same directory, fsync, rename over the
 * target, fsync the directory. lowdb's own TextFile (steno) renames without fsync, so a power cut could leave an
 * empty file behind the rename; the fsync costs little next to stringifying a large store.
 */
class DurableJsonFile implements Adapter<StoreData> {
  readonly #file: string;
  readonly #tempFile: string;

  constructor(file: string) {
    this.#file = file;
    this.#tempFile = join(dirname(file), `.${basename(file)}.tmp`);
  }

  async read(): Promise<StoreData | null> {
    let text: string;
    try {
      text = await readFile(this.#file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    return decodeStore(text);
  }

  async write(data: StoreData): Promise<void> {
    // Stringified before the first await: the file gets the data exactly as it was when the write started.
    const text = JSON.stringify(data);
    const handle = await open(this.#tempFile, 'w');
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(this.#tempFile, this.#file);
    await syncDirectory(dirname(this.#file));
  }
}

/** Makes a rename durable; not every platform can open a directory, which is fine to skip. */
async function syncDirectory(directory: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(directory, 'r');
    await handle.sync();
  } catch {
    // best effort
  } finally {
    await handle?.close().catch(() => {});
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** `<file>.corrupt-<ISO time with : and . replaced>`, suffixed if that name is somehow taken; never overwrites. */
async function corruptFileName(file: string, now: Date): Promise<string> {
  const base = `${file}.corrupt-${now.toISOString().replace(/[:.]/g, '-')}`;
  let candidate = base;
  for (let attempt = 1; await exists(candidate); attempt += 1) candidate = `${base}-${attempt}`;
  return candidate;
}

export interface StoreOptions {
  file: string;
  logger?: Logger;
  /** Coalescing window for writes after `change()`, in ms; default 200. */
  flushDelayMs?: number;
}

const MAX_RETRY_DELAY_MS = 30_000;

/**
 * The bot's persistent state: one JSON file (lowdb), validated when read, written compactly and atomically.
 * Changes apply to `data` at once and are written together shortly after; call `close()` on shutdown.
 */
export class Store {
  readonly file: string;
  /** Set when the file was unusable at open; it was moved aside to `movedTo` and the store started empty. */
  readonly recovered: StoreCorruptError | null;
  readonly #low: Low<StoreData>;
  readonly #logger: Logger;
  readonly #flushDelayMs: number;
  #dirty = false;
  #timer: NodeJS.Timeout | null = null;
  #failedWrites = 0;
  #inFlight: Promise<void> | null = null;
  #followUp: Promise<void> | null = null;
  #writeCount = 0;
  #closed = false;
  /** Open `batch()` calls: while any is open, timed writes wait so the batch ends in one write. */
  #batches = 0;

  private constructor(
    file: string,
    low: Low<StoreData>,
    logger: Logger,
    flushDelayMs: number,
    recovered: StoreCorruptError | null,
  ) {
    this.file = file;
    this.#low = low;
    this.#logger = logger;
    this.#flushDelayMs = flushDelayMs;
    this.recovered = recovered;
  }

  static async open(options: StoreOptions): Promise<Store> {
    const file = resolve(options.file);
    const logger = options.logger ?? silentLogger;
    const flushDelayMs = options.flushDelayMs ?? 200;
    const directory = dirname(file);
    await mkdir(directory, { recursive: true });
    // Fail at start-up rather than at the first write when the directory isn't writable.
    await access(directory, constants.W_OK);

    const low = new Low<StoreData>(new DurableJsonFile(file), emptyStoreData());
    let recovered: StoreCorruptError | null = null;
    const started = performance.now();
    try {
      await low.read();
    } catch (error) {
      if (!(error instanceof StoreDecodeError)) throw error;
      const movedTo = await corruptFileName(file, new Date());
      await rename(file, movedTo);
      recovered = new StoreCorruptError(file, movedTo, error.message);
      logger.error(recovered.message);
      low.data = emptyStoreData();
    }
    logger.debug(
      `Store ${file} opened in ${Math.round(performance.now() - started)} ms ` +
        `(${Object.keys(low.data.proposals).length} proposals)`,
    );
    return new Store(file, low, logger, flushDelayMs, recovered);
  }

  /** The live data; read freely, mutate only inside `change()`. */
  get data(): StoreData {
    return this.#low.data;
  }

  /** Successful file writes since open. */
  get writeCount(): number {
    return this.#writeCount;
  }

  /** Applies `mutate` now and schedules one write for everything changed within the coalescing window. */
  change(mutate: (data: StoreData) => void): void {
    if (this.#closed) throw new StoreClosedError(this.file);
    try {
      mutate(this.#low.data);
    } finally {
      // Even a mutation that threw may have changed something; persisting what's in memory keeps file and memory equal.
      this.#dirty = true;
      this.#schedule(this.#flushDelayMs);
    }
  }

  /** Writes now if anything changed. Concurrent calls share one write; changes made during a write get another. */
  flush(): Promise<void> {
    this.#cancelTimer();
    if (this.#inFlight) {
      if (!this.#dirty) return this.#inFlight;
      const inFlight = this.#inFlight;
      this.#followUp ??= inFlight
        .catch(() => {})
        .then(() => {
          this.#followUp = null;
          return this.flush();
        });
      return this.#followUp;
    }
    if (!this.#dirty) return Promise.resolve();
    const write = this.#write().finally(() => {
      this.#inFlight = null;
    });
    this.#inFlight = write;
    return write;
  }

  /**
   * Runs `work` with timed writes held back, then writes everything it changed at once: a sync cycle that stores a
   * thousand proposals costs one file write, not one per coalescing window. `flush()` still writes immediately.
   */
  async batch<T>(work: () => Promise<T>): Promise<T> {
    this.#batches += 1;
    this.#cancelTimer();
    try {
      return await work();
    } finally {
      this.#batches -= 1;
      if (this.#batches === 0 && this.#dirty) await this.flush();
    }
  }

  /** Writes pending changes and stops the timer; later `change()` calls throw StoreClosedError. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#cancelTimer();
    await this.flush();
  }

  async #write(): Promise<void> {
    // Cleared before the data is serialised (synchronously, in DurableJsonFile.write): later changes mark it again.
    this.#dirty = false;
    const started = performance.now();
    try {
      await this.#low.write();
    } catch (error) {
      this.#dirty = true;
      throw new StoreWriteError(this.file, { cause: error });
    }
    this.#writeCount += 1;
    this.#failedWrites = 0;
    this.#logger.debug(`Store written in ${Math.round(performance.now() - started)} ms`);
  }

  #schedule(delayMs: number): void {
    if (this.#timer || this.#closed || this.#batches > 0) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.flush().catch((error: unknown) => {
        this.#failedWrites += 1;
        const retryMs = Math.min(
          MAX_RETRY_DELAY_MS,
          Math.max(this.#flushDelayMs, 1000) * 2 ** (this.#failedWrites - 1),
        );
        this.#logger.error(`${error instanceof Error ? error.message : String(error)}; retrying in ${retryMs} ms`);
        this.#schedule(retryMs);
      });
    }, delayMs);
    // A pending write must not keep the process alive; shutdown paths call close() to write it.
    this.#timer.unref();
  }

  #cancelTimer(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
