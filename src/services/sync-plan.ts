import { type OpenTrainClient, OpenTrainError } from '../api/index.js';
import type { PlatformEvent } from '../domain.js';
import type { Logger } from '../logger.js';
import { own } from '../records.js';
import { emptySyncCommit, type NoticeDue, type Store, type SyncCommit } from '../store/index.js';
import { channelFor, isWatched, type WatchRules } from './jobs.js';
import { noticeFromEvent } from './notice-keys.js';
import { ProposalIntake } from './proposal-intake.js';
import type { ProposalRetryPolicy } from './proposal-retries.js';

/**
 * One sync cycle's outcome as plain data: what the store commits in one write (SyncCommit), then what is handed on,
 * in this order, by the coordinator (src/services/sync-coordinator.ts): the set-up lines, the re-ranking of the jobs
 * that changed, the card posts, the conversations to relay, the post-hire notices.
 */
export interface SyncPlan extends SyncCommit {
  /** Jobs whose proposals changed: re-ranked once after the commit, not once per proposal. */
  jobsChanged: Set<string>;
  /** Ledger mode: conversations with candidate messages (possibly none; the relay also retries its queue). */
  conversations: string[] | null;
  /** Polling mode has no message events: the relay looks for unread conversations itself. */
  pollConversations: boolean;
  /** Ledger mode: contract events that need a person (an invoice to pay, a budget LOW or DEPLETED), oldest first. */
  contractEvents: NoticeDue[];
  /** The first run's set-up lines, posted before its cards. */
  announcements: { channel: string; text: string }[];
  counts: SyncCounts;
}

export interface SyncCounts {
  newProposals: number;
  updatedProposals: number;
  events: number;
  mode: 'ledger' | 'polling';
  firstRun: boolean;
}

export function emptySyncPlan(mode: 'ledger' | 'polling', firstRun: boolean): SyncPlan {
  return {
    ...emptySyncCommit(),
    health: { mode },
    jobsChanged: new Set(),
    conversations: null,
    pollConversations: false,
    contractEvents: [],
    announcements: [],
    counts: { newProposals: 0, updatedProposals: 0, events: 0, mode, firstRun },
  };
}

/** What the planner reads: OpenTrain, the store (read-only but for its job list and failure records), the rules. */
export interface SyncPlannerOptions {
  client: OpenTrainClient;
  store: Store;
  logger: Logger;
  clock: () => Date;
  rules: WatchRules;
  backfillHours: number;
  /** Parallel GET /proposals/{id} calls while processing a ledger page. */
  fetchConcurrency?: number;
  retryPolicy?: ProposalRetryPolicy;
  /** Upper bound of ledger pages read in one cycle, so one cycle stays short; the rest follows next cycle. */
  maxPagesPerCycle?: number;
  /** Whether the bot's cards are already in a channel (then the first run's set-up is not announced there). */
  channelHasCards?: (channel: string) => boolean | null;
}

/**
 * Reads OpenTrain into a plan: the `/updates` ledger from the stored cursor (docs/architecture.md#sync), the first
 * run's drain and backfill, or the per-job polling fallback when the token may not read the ledger. Writes to the
 * store only what is bookkeeping of its own (the job list, unreadable proposals); everything else is in the plan.
 */
export class SyncPlanner {
  private readonly intake: ProposalIntake;

  constructor(
    private readonly opts: SyncPlannerOptions,
    private readonly plan: SyncPlan,
    /** Refreshes the job list (once per cycle at most); true when it ran. */
    private readonly refreshJobsOnce: () => Promise<boolean>,
  ) {
    this.intake = new ProposalIntake(opts, plan);
  }

  async run(): Promise<void> {
    if (this.plan.counts.firstRun) await this.firstRun();
    else if (this.plan.counts.mode === 'polling') await this.pollJobs();
    else await this.readLedger();
  }

  /** First run: drain the ledger without posting history, then backfill recent unreviewed proposals. */
  private async firstRun(): Promise<void> {
    const { client, store, clock, rules } = this.opts;
    const { counts } = this.plan;
    let cursor: string | null = null;
    try {
      for (;;) {
        const page = await client.getUpdates({ cursor, limit: 200 });
        counts.events += page.events.length;
        cursor = page.nextCursor;
        if (!page.hasMore || page.events.length === 0) break;
      }
      counts.mode = 'ledger';
    } catch (error) {
      if (!isLedgerForbidden(error)) throw error;
      counts.mode = 'polling';
      cursor = null;
    }

    const since = clock().getTime() - this.opts.backfillHours * 3600_000;
    const summary = new Map<string, { posted: number; older: number }>();
    for (const job of Object.values(store.data.jobs)) {
      if (!isWatched(job, rules)) continue;
      const channel = channelFor(job, rules);
      const found = { posted: 0, older: 0 };
      for await (const item of client.proposals(job.id, { status: 'UNREVIEWED' })) {
        const created = Date.parse(item.createdAt);
        if (Number.isFinite(created) && created >= since) {
          if ((await this.intake.fetchAndStore(item.id, true)) === 'new') found.posted += 1;
        } else found.older += 1;
      }
      counts.newProposals += found.posted;
      if (!channel) continue;
      const total = summary.get(channel) ?? { posted: 0, older: 0 };
      total.posted += found.posted;
      total.older += found.older;
      summary.set(channel, total);
    }
    this.plan.ledger = { cursor, backfilledAt: clock().toISOString() };
    for (const [channel, { posted, older }] of summary) {
      if (!this.mayAnnounce(channel)) {
        this.opts.logger.info(
          `set-up not announced again in ${channel}: the channel has the bot's cards or the store was salvaged`,
        );
        continue;
      }
      this.plan.announcements.push({ channel, text: backfillSummary(posted, older, this.opts.backfillHours) });
    }
    // Cards found in history for proposals outside the backfill (older, or no longer unreviewed) are linked too.
    await this.intake.relearnAndRetry(counts);
  }

  /** Ledger mode: read `/updates` from the stored cursor, fetch what changed, advance the cursor. */
  private async readLedger(): Promise<void> {
    const { client, store } = this.opts;
    const { counts } = this.plan;
    let cursor = store.data.cursor;
    const received = new Map<string, string | null>();
    const changed = new Set<string>();
    const conversations = new Set<string>();
    const notices = new Map<string, NoticeDue>();
    const maxPages = this.opts.maxPagesPerCycle ?? 50;
    let jobsRefreshed = false;
    try {
      for (let page = 0; page < maxPages; page += 1) {
        const updates = await client.getUpdates({ cursor, limit: 200 });
        for (const event of updates.events) {
          counts.events += 1;
          const jobId = eventJobId(event);
          if (!jobsRefreshed && jobId && !own(store.data.jobs, jobId)) {
            // A job created since the last refresh: learn its title and status before deciding to watch it.
            jobsRefreshed = await this.refreshJobsOnce();
          }
          classify(event, { received, changed, conversations, notices, hireEvents: this.plan.hireEvents });
        }
        cursor = updates.nextCursor;
        if (!updates.hasMore || updates.events.length === 0) break;
      }
    } catch (error) {
      if (!isLedgerForbidden(error)) throw error;
      this.opts.logger.warn('this token may not read /updates: falling back to polling each watched job');
      counts.mode = 'polling';
      await this.pollJobs();
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
    await this.intake.fetchAll(toFetch, counts);
    // Unreadable proposals no longer hold the cursor: they are retried on their own (relearnAndRetry).
    this.plan.ledger = { cursor };
    await this.intake.relearnAndRetry(counts);
    // Handed on every cycle, even without message events: the relay retries conversations it could not relay before.
    this.plan.conversations = [...conversations];
    this.plan.contractEvents = [...notices.values()];
  }

  /**
   * Polling fallback: each watched job's proposals newest first. Paging stops at the first page holding a known
   * proposal (or one older than the first run); that page's known proposals still get their status refreshed.
   */
  private async pollJobs(): Promise<void> {
    const { client, store, rules } = this.opts;
    const { counts } = this.plan;
    const backfilledAt = Date.parse(store.data.backfilledAt ?? '');
    for (const job of Object.values(store.data.jobs)) {
      if (!isWatched(job, rules)) continue;
      let cursor: string | undefined;
      let reachedKnown = false;
      do {
        const page = await client.listProposals(job.id, { limit: 100, ...(cursor ? { cursor } : {}) });
        for (const item of page.proposals) {
          const known = this.intake.known(item.id);
          const created = Date.parse(item.createdAt);
          // Older than the first run means history: the backfill already decided about those.
          if (known || !Number.isFinite(created) || created < backfilledAt) {
            reachedKnown = true;
            if (known && known.status.raw !== item.status.raw) {
              if ((await this.intake.fetchAndStore(item.id, false)) === 'updated') counts.updatedProposals += 1;
            }
            continue;
          }
          if ((await this.intake.fetchAndStore(item.id, true)) === 'new') counts.newProposals += 1;
        }
        cursor = page.nextCursor ?? undefined;
      } while (cursor && !reachedKnown);
    }
    await this.intake.relearnAndRetry(counts);
    this.plan.pollConversations = true;
  }

  /** The first run's set-up line: not in a channel that already has the bot's cards, nor after a salvaged store. */
  private mayAnnounce(channel: string): boolean {
    if (this.opts.store.data.recovery) return false;
    return (this.opts.channelHasCards?.(channel) ?? false) === false;
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
  sink: {
    received: Map<string, string | null>;
    changed: Set<string>;
    conversations: Set<string>;
    notices: Map<string, NoticeDue>;
    hireEvents: SyncPlan['hireEvents'];
  },
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
    // Hires (docs/opentrain.md#hiring): handed to the hire service after the commit, which reads the approval itself.
    case 'approval.confirmed': {
      const id = dataString(event, 'approvalId') ?? event.resourceId;
      if (id) sink.hireEvents.push({ kind: 'approval', id, proposalId: null });
      break;
    }
    case 'contract.created': {
      const id = dataString(event, 'contractId') ?? event.resourceId;
      if (id) sink.hireEvents.push({ kind: 'contract', id, proposalId: dataString(event, 'proposalId') });
      break;
    }
    case 'payment.pending':
    case 'contract.budget_state_changed': {
      // Keyed: the same notice twice in one read (a replayed event) is one notice.
      const notice = noticeFromEvent(event);
      if (notice && !sink.notices.has(notice.key)) sink.notices.set(notice.key, notice);
      break;
    }
    default:
      // milestone events are not shown in Slack.
      break;
  }
}

export function isLedgerForbidden(error: unknown): boolean {
  return error instanceof OpenTrainError && error.status === 403;
}

export function backfillSummary(posted: number, older: number, hours: number): string {
  const recent = `${posted} unreviewed proposal${posted === 1 ? '' : 's'} from the last ${hours} hours posted below`;
  if (older === 0) return `:inbox_tray: OpenTrain hiring bot is set up: ${recent}.`;
  return `:inbox_tray: OpenTrain hiring bot is set up: ${recent}; ${older} older unreviewed proposal${older === 1 ? '' : 's'} ${older === 1 ? 'is' : 'are'} waiting on OpenTrain (\`/hiring proposals <job> unreviewed\` lists them).`;
}
