import { logOpenTrainFailure, type OpenTrainClient } from '../api/index.js';
import type { Proposal } from '../domain.js';
import type { Logger } from '../logger.js';
import { own } from '../records.js';
import type { Store } from '../store/index.js';
import { channelFor, isWatched, unknownJob, type WatchRules } from './jobs.js';
import {
  dueRetries,
  isGone,
  isOutage,
  PROPOSAL_RETRY_POLICY,
  type ProposalRetryPolicy,
  recordFailure,
} from './proposal-retries.js';
import type { SyncPlan } from './sync-plan.js';

export interface ProposalIntakeOptions {
  client: OpenTrainClient;
  store: Store;
  logger: Logger;
  clock: () => Date;
  rules: WatchRules;
  /** Parallel GET /proposals/{id} calls while processing a ledger page. */
  fetchConcurrency?: number;
  retryPolicy?: ProposalRetryPolicy;
}

/** What storing one fetched proposal did; `linked`: it was tied to its card found in channel history. */
export type UpsertOutcome = 'new' | 'linked' | 'updated' | 'same';

export interface IntakeCounts {
  newProposals: number;
  updatedProposals: number;
}

/**
 * How the sync takes in one proposal: fetch its detail, add it to the cycle's plan, give a new one its card intent
 * (or the card found in channel history after a damaged store), and keep a proposal that can't be read from holding
 * up the rest. The store is only read here (failure records aside): the plan is committed after the cycle.
 */
export class ProposalIntake {
  constructor(
    private readonly opts: ProposalIntakeOptions,
    private readonly plan: SyncPlan,
  ) {}

  /** The proposal as this cycle knows it: fetched in this cycle, else as stored. */
  known(id: string): Proposal | undefined {
    return this.plan.proposals.get(id) ?? own(this.opts.store.data.proposals, id)?.proposal;
  }

  /**
   * Fetches one proposal's detail and stores it. An outage propagates (the cycle stops, the cursor stays); a proposal
   * that is gone is skipped; any other failure is this proposal's own: it is retried on the retry policy, then set
   * aside, and the sync goes on. Returns what storing did, or null when nothing was stored.
   */
  async fetchAndStore(id: string, post: boolean): Promise<UpsertOutcome | null> {
    const { client, logger } = this.opts;
    let outcome: UpsertOutcome;
    try {
      outcome = this.upsert(await client.getProposal(id), { post });
    } catch (error) {
      if (isOutage(error)) throw error;
      if (isGone(error)) {
        logOpenTrainFailure(logger, `skipping proposal ${id}`, error);
        this.forget(id);
        return null;
      }
      this.noteFailure(id, post, error);
      return null;
    }
    if (Object.hasOwn(this.opts.store.data.failingProposals ?? {}, id)) {
      this.plan.readAgain.add(id);
      logger.info(`proposal ${id} could be read again`);
    }
    return outcome;
  }

  async fetchAll(toFetch: Map<string, boolean>, result: IntakeCounts): Promise<void> {
    await mapLimit([...toFetch], this.opts.fetchConcurrency ?? 8, async ([id, post]) => {
      const outcome = await this.fetchAndStore(id, post);
      if (outcome === 'new') result.newProposals += 1;
      else if (outcome === 'updated') result.updatedProposals += 1;
    });
  }

  /** Proposals whose retry is due, and proposals whose card was found in history after the store lost them. */
  async relearnAndRetry(result: IntakeCounts): Promise<void> {
    const { store, clock } = this.opts;
    const failing = store.data.failingProposals ?? {};
    const toFetch = new Map<string, boolean>();
    for (const id of dueRetries(failing, clock()))
      if (!this.plan.readAgain.has(id)) toFetch.set(id, own(failing, id)!.post);
    for (const id of Object.keys(store.data.foundCards ?? {})) {
      if (!this.known(id) && !Object.hasOwn(failing, id)) toFetch.set(id, true);
    }
    if (toFetch.size > 0) await this.fetchAll(toFetch, result);
  }

  private noteFailure(id: string, post: boolean, error: unknown): void {
    const { store, logger, clock } = this.opts;
    const previous = store.data.failingProposals?.[id];
    const next = recordFailure(Object.hasOwn(store.data.failingProposals ?? {}, id) ? previous : undefined, error, {
      now: clock(),
      post,
      policy: this.opts.retryPolicy ?? PROPOSAL_RETRY_POLICY,
    });
    store.recovery.noteFailure(id, next);
    const where = `proposal ${id} (requestId=${next.requestId ?? 'none'})`;
    // The request ID as a field too, so the log platform finds every line about it.
    const fields = next.requestId ? { requestId: next.requestId } : {};
    if (next.setAsideAt) {
      logger.error(
        `set aside ${where} after ${next.attempts} failed attempts: ${next.reason}; it is read again at its next event`,
        fields,
      );
    } else
      logger.warn(
        `could not read ${where}, attempt ${next.attempts}: ${next.reason}; retrying at ${next.nextAttemptAt}`,
        fields,
      );
  }

  /** A proposal gone from OpenTrain: no retries, no card to re-learn. */
  private forget(id: string): void {
    const { store } = this.opts;
    if (!Object.hasOwn(store.data.failingProposals ?? {}, id) && !Object.hasOwn(store.data.foundCards ?? {}, id))
      return;
    store.recovery.forget(id);
  }

  /** Plans storing a proposal; new ones in a channel get a card intent (or their card found in history). */
  private upsert(proposal: Proposal, { post }: { post: boolean }): UpsertOutcome {
    const { store, rules } = this.opts;
    const plan = this.plan;
    const existing = this.known(proposal.id);
    if (existing) {
      if (JSON.stringify(existing) === JSON.stringify(proposal)) return 'same';
      plan.proposals.set(proposal.id, proposal);
      plan.jobsChanged.add(proposal.jobId);
      // A status change (or new scores) is news about this proposal, not a background refresh.
      plan.updated.add(proposal.id);
      return 'updated';
    }
    const job =
      own(store.data.jobs, proposal.jobId) ??
      plan.newJobs.get(proposal.jobId) ??
      unknownJob(proposal.jobId, proposal.jobTitle);
    const found = own(store.data.foundCards ?? {}, proposal.id);
    const channel = post && isWatched(job, rules) ? channelFor(job, rules) : null;
    if (post && !channel && !found) {
      this.opts.logger.warn(`no channel for job "${job.title}": set HIRING_CHANNEL or use /hiring watch`);
    }
    if (!own(store.data.jobs, proposal.jobId)) plan.newJobs.set(proposal.jobId, { ...job });
    plan.proposals.set(proposal.id, proposal);
    if (found) plan.links.set(proposal.id, found);
    else if (channel) plan.intents.set(proposal.id, channel);
    plan.jobsChanged.add(proposal.jobId);
    return found ? 'linked' : 'new';
  }
}

async function mapLimit<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let index = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (index < items.length) {
      const item = items[index++]!;
      await fn(item);
    }
  });
  await Promise.all(workers);
}
