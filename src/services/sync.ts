import { describeError, errorLogFields, OpenTrainError } from '../api/index.js';
import type { PlatformEvent } from '../domain.js';
import { own } from '../records.js';
import { runGuarded } from './background.js';
import type { CardRecovery } from './card-recovery.js';
import { channelFor, isWatched, refreshJobs } from './jobs.js';
import { ProposalIntake, type ProposalIntakeOptions } from './proposal-intake.js';

/** The intake's options (OpenTrain client, store, cards, logger, clock, watch rules, fetch concurrency, retries). */
export interface SyncOptions extends ProposalIntakeOptions {
  backfillHours: number;
  retentionDays: number;
  /** Posts one plain line to a channel (the first-run summary). */
  announce: (channel: string, text: string) => Promise<void>;
  /** Candidate messages arrived in these conversations (from the ledger): relay them to the card threads. */
  onConversationActivity?: (conversationIds: string[]) => Promise<void>;
  /** Polling mode has no message events: the relay looks for unread conversations itself. */
  onPollConversations?: () => Promise<void>;
  jobsRefreshMs?: number;
  /** Upper bound of ledger pages read in one cycle, so one cycle stays short; the rest follows next cycle. */
  maxPagesPerCycle?: number;
  /** Looks for cards in channel history when the store may not know them all (damaged store, first run). */
  recovery?: CardRecovery;
}

export interface SyncCycleResult {
  newProposals: number;
  updatedProposals: number;
  events: number;
  mode: 'ledger' | 'polling';
  firstRun: boolean;
}

const PRUNE_EVERY_MS = 60 * 60 * 1000;

/**
 * Keeps the store in step with OpenTrain: the `/updates` ledger from a persisted cursor (docs/architecture.md#sync),
 * with a per-job polling fallback when the token may not read the ledger. One cycle ends with exactly one store write
 * (proposals, card intents and the cursor together) before any card is posted.
 */
export class SyncService {
  private running: Promise<SyncCycleResult | null> | null = null;
  private followUp: Promise<SyncCycleResult | null> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private lastJobsRefresh = 0;
  private lastPrune = 0;
  cycles = 0;
  /** Whether the last OpenTrain call of a cycle succeeded (for /hiring status). */
  reachable: boolean | null = null;

  private readonly intake: ProposalIntake;

  constructor(private readonly opts: SyncOptions) {
    this.intake = new ProposalIntake(opts);
  }

  start(intervalSeconds: number): void {
    this.stopped = false;
    // Guarded: a cycle that throws is logged and the next one still gets scheduled.
    const tick = async () => {
      await runGuarded(this.opts.logger, { label: 'sync timer' }, () => this.runOnce());
      if (!this.stopped) this.timer = setTimeout(tick, intervalSeconds * 1000);
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** The webhook doorbell: poll now (a cycle already running is followed by exactly one more). */
  trigger(): void {
    void runGuarded(this.opts.logger, { label: 'sync doorbell' }, () => this.runOnce());
  }

  /**
   * Runs one cycle. While a cycle runs, every further call shares ONE follow-up cycle (so a doorbell during a cycle
   * is never lost, and a burst of doorbells costs one extra cycle, not one each).
   */
  runOnce(): Promise<SyncCycleResult | null> {
    if (!this.running) {
      this.running = this.cycle().finally(() => {
        this.running = null;
      });
      return this.running;
    }
    this.followUp ??= this.running.then(() => {
      this.followUp = null;
      return this.stopped ? null : this.runOnce();
    });
    return this.followUp;
  }

  /** One cycle inside a store batch: everything it records reaches the file in one write, before any post. */
  private cycle(): Promise<SyncCycleResult | null> {
    return this.opts.store.batch(() => this.cycleBody());
  }

  private async cycleBody(): Promise<SyncCycleResult | null> {
    const { store, clock, logger } = this.opts;
    this.cycles += 1;
    const firstRun = store.data.backfilledAt === null;
    const result: SyncCycleResult = {
      newProposals: 0,
      updatedProposals: 0,
      events: 0,
      mode: store.data.health.mode ?? 'ledger',
      firstRun,
    };
    try {
      // Cards the store may have lost are looked up in channel history before this cycle posts anything.
      await this.opts.recovery?.run();
      await this.refreshJobsIfDue(firstRun);
      if (firstRun) await this.firstRun(result);
      else if (result.mode === 'polling') await this.pollJobs(result);
      else await this.readLedger(result);
      this.pruneIfDue();
      this.reachable = true;
      const now = clock().toISOString();
      store.change((data) => {
        data.health.lastSyncAt = now;
        data.health.lastError = null;
        data.health.lastErrorAt = null;
        data.health.mode = result.mode;
      });
    } catch (error) {
      this.reachable = !(error instanceof OpenTrainError && (error.status === 0 || error.status >= 500));
      const message = describeError(error);
      logger.error(`sync failed: ${message}`, errorLogFields(error));
      const now = clock().toISOString();
      store.change((data) => {
        data.health.lastError = message;
        data.health.lastErrorAt = now;
      });
    }
    for (const jobId of this.intake.changedJobs) this.opts.cards.jobChanged(jobId);
    this.intake.changedJobs.clear();
    await store.flush();
    this.opts.cards.postPending();
    return result;
  }

  private async refreshJobsIfDue(force: boolean): Promise<void> {
    const every = this.opts.jobsRefreshMs ?? 10 * 60 * 1000;
    if (!force && Date.now() - this.lastJobsRefresh < every) return;
    await refreshJobs(this.opts.client, this.opts.store, this.opts.rules);
    this.lastJobsRefresh = Date.now();
  }

  /** First run: drain the ledger without posting history, then backfill recent unreviewed proposals. */
  private async firstRun(result: SyncCycleResult): Promise<void> {
    const { client, store, clock, rules } = this.opts;
    let cursor: string | null = null;
    try {
      for (;;) {
        const page = await client.getUpdates({ cursor, limit: 200 });
        result.events += page.events.length;
        cursor = page.nextCursor;
        if (!page.hasMore || page.events.length === 0) break;
      }
      result.mode = 'ledger';
    } catch (error) {
      if (!isLedgerForbidden(error)) throw error;
      result.mode = 'polling';
      cursor = null;
    }

    const since = clock().getTime() - this.opts.backfillHours * 3600_000;
    const summary = new Map<string, { posted: number; older: number }>();
    for (const job of Object.values(store.data.jobs)) {
      if (!isWatched(job, rules)) continue;
      const channel = channelFor(job, rules);
      const counts = { posted: 0, older: 0 };
      for await (const item of client.proposals(job.id, { status: 'UNREVIEWED' })) {
        const created = Date.parse(item.createdAt);
        if (Number.isFinite(created) && created >= since) {
          if ((await this.intake.fetchAndStore(item.id, true)) === 'new') counts.posted += 1;
        } else counts.older += 1;
      }
      result.newProposals += counts.posted;
      if (!channel) continue;
      const total = summary.get(channel) ?? { posted: 0, older: 0 };
      total.posted += counts.posted;
      total.older += counts.older;
      summary.set(channel, total);
    }
    const now = clock().toISOString();
    store.change((data) => {
      data.cursor = cursor;
      data.backfilledAt = now;
    });
    for (const [channel, { posted, older }] of summary) {
      if (!this.mayAnnounce(channel)) {
        this.opts.logger.info(
          `set-up not announced again in ${channel}: the channel has the bot's cards or the store was salvaged`,
        );
        continue;
      }
      await this.opts.announce(channel, backfillSummary(posted, older, this.opts.backfillHours)).catch((error) => {
        this.opts.logger.warn(`could not post the backfill summary to ${channel}`, describeError(error));
      });
    }
    // Cards found in history for proposals outside the backfill (older, or no longer unreviewed) are linked too.
    await this.intake.relearnAndRetry(result);
  }

  /** Ledger mode: read `/updates` from the stored cursor, fetch what changed, advance the cursor. */
  private async readLedger(result: SyncCycleResult): Promise<void> {
    const { client, store } = this.opts;
    let cursor = store.data.cursor;
    const received = new Map<string, string | null>();
    const changed = new Set<string>();
    const conversations = new Set<string>();
    const maxPages = this.opts.maxPagesPerCycle ?? 50;
    let jobsRefreshed = false;
    try {
      for (let page = 0; page < maxPages; page += 1) {
        const updates = await client.getUpdates({ cursor, limit: 200 });
        for (const event of updates.events) {
          result.events += 1;
          if (!jobsRefreshed && eventJobId(event) && !own(store.data.jobs, eventJobId(event)!)) {
            // A job created since the last refresh: learn its title and status before deciding to watch it.
            await refreshJobs(client, store, this.opts.rules);
            this.lastJobsRefresh = Date.now();
            jobsRefreshed = true;
          }
          classify(event, { received, changed, conversations });
        }
        cursor = updates.nextCursor;
        if (!updates.hasMore || updates.events.length === 0) break;
      }
    } catch (error) {
      if (!isLedgerForbidden(error)) throw error;
      this.opts.logger.warn('this token may not read /updates: falling back to polling each watched job');
      result.mode = 'polling';
      await this.pollJobs(result);
      return;
    }

    // New proposals of watched jobs get cards; status changes refresh proposals we already hold, and pick up again
    // a proposal set aside as unreadable or one whose card was found in history after the store lost its record.
    const toFetch = new Map<string, boolean>();
    const failing = store.data.failingProposals ?? {};
    const pending = (id: string) => Object.hasOwn(failing, id) || Object.hasOwn(store.data.foundCards ?? {}, id);
    for (const [id, jobId] of received) {
      const job = jobId ? own(store.data.jobs, jobId) : undefined;
      if (own(store.data.proposals, id)) toFetch.set(id, false);
      else if (!jobId || (job && isWatched(job, this.opts.rules))) toFetch.set(id, true);
      else if (pending(id)) toFetch.set(id, own(failing, id)?.post ?? true);
    }
    for (const id of changed) {
      if (received.has(id)) continue;
      if (own(store.data.proposals, id)) toFetch.set(id, false);
      else if (pending(id)) toFetch.set(id, own(failing, id)?.post ?? true);
    }
    await this.intake.fetchAll(toFetch, result);
    // Unreadable proposals no longer hold the cursor: they are retried on their own (relearnAndRetry).
    store.change((data) => {
      data.cursor = cursor;
    });
    await this.intake.relearnAndRetry(result);
    // Called every cycle, even without message events: the relay retries conversations it could not relay before.
    if (this.opts.onConversationActivity) await this.opts.onConversationActivity([...conversations]);
  }

  /**
   * Polling fallback: each watched job's proposals newest first. Paging stops at the first page holding a known
   * proposal (or one older than the first run); that page's known proposals still get their status refreshed.
   */
  private async pollJobs(result: SyncCycleResult): Promise<void> {
    const { client, store, rules } = this.opts;
    const backfilledAt = Date.parse(store.data.backfilledAt ?? '');
    for (const job of Object.values(store.data.jobs)) {
      if (!isWatched(job, rules)) continue;
      let cursor: string | undefined;
      let reachedKnown = false;
      do {
        const page = await client.listProposals(job.id, { limit: 100, ...(cursor ? { cursor } : {}) });
        for (const item of page.proposals) {
          const known = own(store.data.proposals, item.id);
          const created = Date.parse(item.createdAt);
          // Older than the first run means history: the backfill already decided about those.
          if (known || !Number.isFinite(created) || created < backfilledAt) {
            reachedKnown = true;
            if (known && known.proposal.status.raw !== item.status.raw) {
              if ((await this.intake.fetchAndStore(item.id, false)) === 'updated') result.updatedProposals += 1;
            }
            continue;
          }
          if ((await this.intake.fetchAndStore(item.id, true)) === 'new') result.newProposals += 1;
        }
        cursor = page.nextCursor ?? undefined;
      } while (cursor && !reachedKnown);
    }
    await this.intake.relearnAndRetry(result);
    await this.opts.onPollConversations?.();
  }

  /** The first run's set-up line: not in a channel that already has the bot's cards, nor after a salvaged store. */
  private mayAnnounce(channel: string): boolean {
    if (this.opts.store.data.recovery) return false;
    return (this.opts.recovery?.channelHasCards(channel) ?? false) === false;
  }

  /** RETENTION_DAYS: proposals whose cards (or, without a card, whose creation) are older are dropped. */
  private pruneIfDue(): void {
    const now = this.opts.clock().getTime();
    if (now - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = now;
    const cutoff = now - this.opts.retentionDays * 86_400_000;
    const stale: string[] = [];
    for (const [id, stored] of Object.entries(this.opts.store.data.proposals)) {
      const reference = Date.parse(stored.card?.postedAt ?? stored.card?.intentAt ?? stored.proposal.createdAt);
      if (Number.isFinite(reference) && reference < cutoff && stored.card?.state !== 'intent') stale.push(id);
    }
    if (stale.length === 0) return;
    const jobs = new Set(stale.map((id) => own(this.opts.store.data.proposals, id)!.proposal.jobId));
    this.opts.store.change((data) => {
      for (const id of stale) delete data.proposals[id];
    });
    for (const jobId of jobs) this.intake.changedJobs.add(jobId);
    this.opts.logger.info(`pruned ${stale.length} proposal(s) older than ${this.opts.retentionDays} days`);
  }
}

function eventJobId(event: PlatformEvent): string | null {
  const fromData = event.data.jobId;
  return event.jobId ?? (typeof fromData === 'string' ? fromData : null);
}

function dataString(event: PlatformEvent, key: string): string | null {
  const value = event.data[key];
  return typeof value === 'string' && value.length > 0 ? value : null;
}

function classify(
  event: PlatformEvent,
  sink: { received: Map<string, string | null>; changed: Set<string>; conversations: Set<string> },
): void {
  switch (event.type) {
    case 'proposal.received': {
      const id = dataString(event, 'proposalId') ?? event.resourceId;
      if (id) sink.received.set(id, eventJobId(event));
      break;
    }
    case 'proposal.status_changed': {
      const id = dataString(event, 'proposalId') ?? event.resourceId;
      if (id) sink.changed.add(id);
      break;
    }
    case 'message.received': {
      const id = dataString(event, 'conversationId');
      if (id) sink.conversations.add(id);
      break;
    }
    default:
      // contract/milestone/payment/approval events are not shown in Slack (yet).
      break;
  }
}

function isLedgerForbidden(error: unknown): boolean {
  return error instanceof OpenTrainError && error.status === 403;
}

export function backfillSummary(posted: number, older: number, hours: number): string {
  const recent = `${posted} unreviewed proposal${posted === 1 ? '' : 's'} from the last ${hours} hours posted below`;
  if (older === 0) return `:inbox_tray: OpenTrain hiring bot is set up: ${recent}.`;
  return `:inbox_tray: OpenTrain hiring bot is set up: ${recent}; ${older} older unreviewed proposal${older === 1 ? '' : 's'} ${older === 1 ? 'is' : 'are'} waiting on OpenTrain (\`/hiring proposals <job> unreviewed\` lists them).`;
}
