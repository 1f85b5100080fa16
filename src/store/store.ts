import { constants } from 'node:fs';
import { access, mkdir, open, rename } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { type Adapter, Low } from 'lowdb';
import { z } from 'zod';
import { type Logger, silentLogger } from '../logger.js';
import { forEachLine, LineFileWriter } from './lines.js';
import {
  emptyStoreData,
  STORE_VERSION,
  type StoreData,
  type StoredProposal,
  storeDataSchema,
  storedProposalSchema,
} from './schema.js';

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

/** The version of a parsed store object; throws StoreDecodeError when this build can't handle it. */
function checkVersion(raw: unknown): number {
  if (!isRecord(raw)) throw new StoreDecodeError('not a JSON object');
  const version = raw.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new StoreDecodeError(`missing or invalid "version" (${JSON.stringify(version) ?? 'undefined'})`);
  }
  if (version > STORE_VERSION) {
    throw new StoreDecodeError(`version ${version} is newer than this build understands (${STORE_VERSION})`);
  }
  return version;
}

/**
 * Brings a parsed store object (all of it, proposals included) up to STORE_VERSION; throws StoreDecodeError when
 * the version can't be handled.
 */
export function migrate(raw: unknown): unknown {
  const version = checkVersion(raw);
  let current = raw as RawStore;
  for (let from = version; from < STORE_VERSION; from += 1) {
    const step = MIGRATIONS[from];
    if (!step) throw new StoreDecodeError(`no migration from version ${from} to ${from + 1}`);
    current = { ...step(current), version: from + 1 };
  }
  return current;
}

function describeSchemaIssues(
  issues: readonly { path: PropertyKey[]; message: string }[],
  prefix: readonly string[] = [],
): string {
  const shown = issues
    .slice(0, 3)
    .map((issue) => `${[...prefix, ...issue.path.map(String)].join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
  return issues.length > 3 ? `${shown}; and ${issues.length - 3} more` : shown;
}

/*
 * File format (JSON Lines, UTF-8, every line ends with "\n"):
 *   line 1      the header: every StoreData field except `proposals`, plus `proposalCount`
 *   line 2..n   one stored proposal per line, as `[id, storedProposal]`, in `data.proposals` order
 * The file is read a line at a time and written through a 1 MiB buffer, so memory never holds the whole text.
 * A line that isn't valid JSON or doesn't match its schema, a duplicate id, or a line count other than
 * `proposalCount` (a truncated file) makes the whole file unusable: it is moved aside, never partly loaded.
 *
 * The previous format, one compact JSON object holding everything, is still read (its first line is an object with
 * a `proposals` key) and is replaced by this format at the next write.
 */

// z.compile: same results and same issues as the plain schema, several times faster. One instance each, built once.
const headerSchema = z.compile(storeDataSchema.omit({ proposals: true }));
const proposalSchema = z.compile(storedProposalSchema);
const proposalCountSchema = z.number().int().min(0);

type StoreHeader = z.infer<typeof headerSchema>;

/** ` (line n)` for a reason, or '' when there's no line to point at. */
function at(line: number | null): string {
  return line === null ? '' : ` (line ${line})`;
}

function validateHeader(header: RawStore, where: string): StoreHeader {
  const result = headerSchema.safeParse(header);
  if (!result.success) {
    throw new StoreDecodeError(`does not match the store schema: ${describeSchemaIssues(result.error.issues)}${where}`);
  }
  return result.data;
}

/**
 * Validates one stored proposal and returns the object it was given, not zod's copy: holding both would double the
 * memory of a large store for nothing. The copy differs only in what `z.object` strips (keys the schema doesn't
 * know; it has no transforms or defaults), so such keys are kept in memory and written back unchanged.
 */
function validateProposal(id: string, stored: unknown, line: number | null): StoredProposal {
  const result = proposalSchema.safeParse(stored);
  if (!result.success) {
    throw new StoreDecodeError(
      `does not match the store schema: ${describeSchemaIssues(result.error.issues, ['proposals', id])}${at(line)}`,
    );
  }
  return stored as StoredProposal;
}

/** `record[key] = value`, also for a key named `__proto__` (which plain assignment would turn into a prototype). */
function setOwn(record: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(record, key, { value, writable: true, enumerable: true, configurable: true });
  else record[key] = value;
}

function isRecord(value: unknown): value is RawStore {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function jsonError(error: unknown): string {
  return error instanceof Error ? error.message.slice(0, 200) : String(error);
}

/** Migrates and validates a whole store object (the legacy format, or a line-format file that needed migrating). */
function validateStoreObject(raw: unknown): StoreData {
  const migrated = migrate(raw) as RawStore;
  const { proposals, ...header } = migrated;
  const data = validateHeader(header, '');
  if (!isRecord(proposals)) {
    throw new StoreDecodeError('does not match the store schema: proposals: expected an object');
  }
  for (const id of Object.keys(proposals)) validateProposal(id, proposals[id], null);
  return { ...data, proposals: proposals as StoreData['proposals'] };
}

/**
 * Turns a store file into StoreData, fed one line at a time (see the format above). Proposals of a current-version
 * file are validated as they arrive; an older version's lines are collected, migrated as a whole and then validated.
 */
class StoreFileDecoder {
  #lineNumber = 0;
  #mode: 'start' | 'legacy' | 'lines' | 'unparsed' = 'start';
  /** Legacy mode: the whole store object. Unparsed mode: the lines, for one more try as a whole (pretty JSON). */
  #legacy: unknown = null;
  #unparsed: string[] = [];
  #firstLineError = '';
  #header: RawStore = {};
  /** Set once the header is validated (current version): proposals are then validated line by line. */
  #validHeader: StoreHeader | null = null;
  #expected = 0;
  #count = 0;
  readonly #proposals: Record<string, unknown> = {};

  line(text: string): void {
    this.#lineNumber += 1;
    switch (this.#mode) {
      case 'start':
        this.#first(text);
        return;
      case 'lines':
        this.#proposal(text);
        return;
      case 'legacy':
        if (text.trim() !== '') {
          throw new StoreDecodeError(`unexpected content after the store object on line ${this.#lineNumber}`);
        }
        return;
      case 'unparsed':
        this.#unparsed.push(text);
        return;
    }
  }

  finish(): StoreData {
    switch (this.#mode) {
      case 'start':
        throw new StoreDecodeError('not valid JSON: the file is empty');
      case 'legacy':
        return validateStoreObject(this.#legacy);
      case 'unparsed': {
        // Not a line-format header: maybe the legacy object written over several lines (edited by hand).
        let raw: unknown;
        try {
          raw = JSON.parse(this.#unparsed.join('\n'));
        } catch {
          throw new StoreDecodeError(`not valid JSON: ${this.#firstLineError}`);
        }
        this.#unparsed = [];
        return validateStoreObject(raw);
      }
      case 'lines':
        break;
    }
    if (this.#count !== this.#expected) {
      throw new StoreDecodeError(
        `proposal count mismatch: the header says ${this.#expected}, the file has ${this.#count} (truncated?)`,
      );
    }
    if (this.#validHeader) return { ...this.#validHeader, proposals: this.#proposals as StoreData['proposals'] };
    return validateStoreObject({ ...this.#header, proposals: this.#proposals });
  }

  #first(text: string): void {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (error) {
      this.#mode = 'unparsed';
      this.#firstLineError = jsonError(error);
      this.#unparsed.push(text);
      return;
    }
    if (isRecord(raw) && 'proposals' in raw) {
      this.#mode = 'legacy';
      this.#legacy = raw;
      return;
    }
    // Checks the version (a newer one stops here, before its lines are misread), then the count, then the header.
    const version = checkVersion(raw);
    const { proposalCount, ...header } = raw as RawStore;
    const count = proposalCountSchema.safeParse(proposalCount);
    if (!count.success) {
      throw new StoreDecodeError(
        `header line has no valid "proposalCount" (${JSON.stringify(proposalCount) ?? 'undefined'})`,
      );
    }
    this.#mode = 'lines';
    this.#expected = count.data;
    this.#header = header;
    if (version === STORE_VERSION) this.#validHeader = validateHeader(header, at(1));
  }

  #proposal(text: string): void {
    const line = this.#lineNumber;
    let entry: unknown;
    try {
      entry = JSON.parse(text);
    } catch (error) {
      throw new StoreDecodeError(`line ${line} is not valid JSON: ${jsonError(error)}`);
    }
    if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'string') {
      throw new StoreDecodeError(`line ${line} is not an [id, proposal] pair`);
    }
    const [id, stored] = entry as [string, unknown];
    if (Object.hasOwn(this.#proposals, id)) {
      throw new StoreDecodeError(`proposal ${JSON.stringify(id)} appears twice${at(line)}`);
    }
    this.#count += 1;
    if (this.#count > this.#expected) {
      throw new StoreDecodeError(
        `proposal count mismatch: the header says ${this.#expected}, the file has more${at(line)}`,
      );
    }
    if (this.#validHeader) validateProposal(id, stored, line);
    setOwn(this.#proposals, id, stored);
  }
}

/** Parses, migrates and validates a store file's text (either format). */
export function decodeStore(text: string): StoreData {
  const decoder = new StoreFileDecoder();
  let start = 0;
  for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', start)) {
    decoder.line(text.slice(start, newline));
    start = newline + 1;
  }
  if (start < text.length) decoder.line(text.slice(start));
  return decoder.finish();
}

/** Writes `data` in the line format to `file` (synchronously up to the fsync; see LineFileWriter) and syncs it. */
async function writeStoreFile(file: string, data: StoreData): Promise<void> {
  const writer = new LineFileWriter(file);
  try {
    const { proposals, ...header } = data;
    // An entry set to undefined is left out, as JSON.stringify of the whole object used to do.
    const ids = Object.keys(proposals).filter((id) => proposals[id] !== undefined);
    writer.line(JSON.stringify({ ...header, proposalCount: ids.length }));
    for (const id of ids) writer.line(JSON.stringify([id, proposals[id]]));
  } catch (error) {
    writer.close();
    throw error;
  }
  await writer.syncAndClose();
}

/**
 * lowdb adapter for the JSON Lines file, written atomically and durably: temp file in the same directory, fsync,
 * rename over the target, fsync the directory. lowdb's own TextFile (steno) renames without fsync, so a power cut
 * could leave an empty file behind the rename; and it needs the whole file as one string, which this avoids.
 */
class DurableJsonFile implements Adapter<StoreData> {
  readonly #file: string;
  readonly #tempFile: string;

  constructor(file: string) {
    this.#file = file;
    this.#tempFile = join(dirname(file), `.${basename(file)}.tmp`);
  }

  async read(): Promise<StoreData | null> {
    const decoder = new StoreFileDecoder();
    try {
      await forEachLine(this.#file, (line) => decoder.line(line));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    return decoder.finish();
  }

  async write(data: StoreData): Promise<void> {
    // Serialised and handed to the kernel before the first await: the file gets the data exactly as it was when the
    // write started, and a change made meanwhile waits for the next write.
    await writeStoreFile(this.#tempFile, data);
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
 * The bot's persistent state: one JSON Lines file (lowdb), validated when read, written atomically, held in memory.
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
