import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { Low } from 'lowdb';
import { errorText } from '../error-text.js';
import { type Logger, silentLogger } from '../logger.js';
import { AskRecords } from './ask-records.js';
import { DurableJsonFile } from './durable-file.js';
import { HireRecords } from './hire-records.js';
import { NoticeRecords } from './notice-records.js';
import {
  CardRecords,
  ConversationRecords,
  HealthRecords,
  JobRecords,
  ProposalRecords,
  RecoveryRecords,
  VoteRecords,
  WebhookRecords,
  WeightRecords,
} from './operations.js';
import { describeRecovery, quarantineBadRecords, recoveryNote } from './quarantine.js';
import { emptyStoreData, type StoreData, type StoreRecovery } from './schema.js';
import { ShortlistRecords } from './shortlists.js';
import { applySyncCommit, type SyncCommit } from './sync-commit.js';
import type { StoreView } from './views.js';

/** Writing the store file failed; the in-memory data is intact and stays dirty, so a later flush retries. */
export class StoreWriteError extends Error {
  override readonly name = 'StoreWriteError';
  constructor(
    readonly file: string,
    options: { cause: unknown },
  ) {
    const why = errorText(options.cause);
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

export interface StoreOptions {
  file: string;
  logger?: Logger;
  /** Coalescing window for writes after `change()`, in ms; default 200. */
  flushDelayMs?: number;
}

const MAX_RETRY_DELAY_MS = 30_000;

/**
 * What a lost header field means for the sync. Without the cursor the ledger position is unknown: the next sync is a
 * first run again (it reads the ledger to its end without posting history; the cards it would post are first looked
 * up in channel history, and set-up is not announced again). With the cursor but without `backfilledAt`, the first
 * run evidently happened.
 */
function resetAfterHeaderLoss(data: StoreData, lost: string[], now: Date): void {
  if (lost.includes('*') || lost.includes('cursor')) {
    data.cursor = null;
    data.backfilledAt = null;
  } else if (lost.includes('backfilledAt') && data.cursor !== null) {
    data.backfilledAt = now.toISOString();
  }
}

/**
 * The bot's persistent state: one JSON Lines file (lowdb), validated when read, written atomically, held in memory.
 * Changes apply to `data` at once and are written together shortly after; call `close()` on shutdown.
 */
export class Store {
  readonly file: string;
  /** Set when the file was damaged at open: what was salvaged and quarantined (also kept in `data.recovery`). */
  readonly recovered: StoreRecovery | null;
  /** Named operations (src/store/operations.ts): the writes handlers and services make. */
  readonly cards: CardRecords;
  readonly votes: VoteRecords;
  readonly weights: WeightRecords;
  readonly jobs: JobRecords;
  readonly webhooks: WebhookRecords;
  readonly health: HealthRecords;
  readonly recovery: RecoveryRecords;
  readonly proposals: ProposalRecords;
  readonly conversations: ConversationRecords;
  readonly shortlists: ShortlistRecords;
  /** The hire service's writes (src/store/hire-records.ts). */
  readonly hires: HireRecords;
  /** Questions asked of finalists, per ask round (src/store/ask-records.ts). */
  readonly asks: AskRecords;
  /** Post-hire notices: the queue, their intents and the keys posted (src/store/notice-records.ts). */
  readonly notices: NoticeRecords;
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
  readonly #listeners = new Set<() => void>();
  #notifyQueued = false;

  private constructor(
    file: string,
    low: Low<StoreData>,
    logger: Logger,
    flushDelayMs: number,
    recovered: StoreRecovery | null,
  ) {
    this.file = file;
    this.#low = low;
    this.#logger = logger;
    this.#flushDelayMs = flushDelayMs;
    this.recovered = recovered;
    const change = (mutate: (data: StoreData) => void) => this.change(mutate);
    this.cards = new CardRecords(change, () => this.data);
    this.votes = new VoteRecords(change);
    this.weights = new WeightRecords(change);
    this.jobs = new JobRecords(change);
    this.webhooks = new WebhookRecords(change, () => this.data);
    this.health = new HealthRecords(change);
    this.recovery = new RecoveryRecords(change);
    this.proposals = new ProposalRecords(change);
    this.conversations = new ConversationRecords(change);
    this.shortlists = new ShortlistRecords(change, () => this.data);
    this.hires = new HireRecords(change, () => this.data);
    this.asks = new AskRecords(change);
    this.notices = new NoticeRecords(change, () => this.data);
  }

  static async open(options: StoreOptions): Promise<Store> {
    const file = resolve(options.file);
    const logger = options.logger ?? silentLogger;
    const flushDelayMs = options.flushDelayMs ?? 200;
    const directory = dirname(file);
    await mkdir(directory, { recursive: true });
    // Fail at start-up rather than at the first write when the directory isn't writable.
    await access(directory, constants.W_OK);

    const adapter = new DurableJsonFile(file);
    const low = new Low<StoreData>(adapter, emptyStoreData());
    const started = performance.now();
    // A file from a newer version throws StoreVersionError here: the caller refuses to start.
    await low.read();
    let recovered: StoreRecovery | null = null;
    const report = adapter.lastReport;
    if (report) {
      const now = new Date();
      const quarantineFile = await quarantineBadRecords(file, report, now);
      recovered = recoveryNote(report, quarantineFile, now);
      resetAfterHeaderLoss(low.data, report.headerFieldsLost, now);
      low.data.recovery = recovered;
      logger.error(describeRecovery(file, Object.keys(low.data.proposals).length, recovered));
    }
    logger.debug(
      `Store ${file} opened in ${Math.round(performance.now() - started)} ms ` +
        `(${Object.keys(low.data.proposals).length} proposals)`,
    );
    const store = new Store(file, low, logger, flushDelayMs, recovered);
    // The salvaged data replaces the damaged file at once (the bad records are safe in the quarantine file).
    if (recovered) {
      store.#dirty = true;
      await store.flush();
    }
    return store;
  }

  /** The live data, read-only: every write goes through `change()` (or a named operation built on it). */
  get data(): StoreView {
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
      this.#notifySoon();
    }
  }

  /**
   * Calls `listener` after data changed (once per burst of changes made in the same turn, in a microtask), so views
   * derived from the whole store (the App Home tabs) can refresh without every writer knowing them. Returns the
   * unsubscribe. A listener's throw is logged, never passed to the writer.
   */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #notifySoon(): void {
    if (this.#notifyQueued || this.#listeners.size === 0) return;
    this.#notifyQueued = true;
    queueMicrotask(() => {
      this.#notifyQueued = false;
      for (const listener of this.#listeners) {
        try {
          listener();
        } catch (error) {
          this.#logger.error(`a store change listener failed: ${errorText(error)}`);
        }
      }
    });
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
   * Writes what a sync cycle learned in one change (proposals, card intents, cursor, health): the cycle itself only
   * reads, so a vote clicked meanwhile reaches the disk on its own timer. Returns what pruning dropped.
   */
  commitSync(commit: SyncCommit, at: string): { pruned: string[]; prunedJobs: Set<string> } {
    let result: { pruned: string[]; prunedJobs: Set<string> } = { pruned: [], prunedJobs: new Set() };
    this.change((data) => {
      result = applySyncCommit(data, commit, at);
    });
    return result;
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
    if (this.#timer || this.#closed) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.flush().catch((error: unknown) => {
        this.#failedWrites += 1;
        const retryMs = Math.min(
          MAX_RETRY_DELAY_MS,
          Math.max(this.#flushDelayMs, 1000) * 2 ** (this.#failedWrites - 1),
        );
        this.#logger.error(`${errorText(error)}; retrying in ${retryMs} ms`);
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
