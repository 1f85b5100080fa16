// A little over ~300 lines: posting, editing and resolving open intents share each card's in-flight, history-check
// and held-channel state. The rank cache (card-ranks.ts) and the history look-up (card-history.ts) live apart.
import { proposalCard, rankShown } from '../blocks/card.js';
import type { RankedProposal, Weights } from '../domain.js';
import { errorText } from '../error-text.js';
import type { Logger } from '../logger.js';
import { own } from '../records.js';
import { type ProposalView, type Store, StoreClosedError } from '../store/index.js';
import { type CardInHistory, findCardsInHistory } from './card-history.js';
import { CardRanks } from './card-ranks.js';
import { type ChannelAccess, isChannelRefusal } from './channel-access.js';
import { fingerprint } from './fingerprint.js';
import type { Priority } from './slack-budgets.js';
import type { SlackPort } from './slack-port.js';
import { NOT_SENT, SchedulerStoppedError, type SlackScheduler } from './slack-scheduler.js';

export interface CardServiceOptions {
  slack: SlackPort;
  store: Store;
  scheduler: SlackScheduler;
  /** Whether the bot can read a channel back (joining public ones); unreadable channels keep their intents open. */
  access: ChannelAccess;
  logger: Logger;
  clock: () => Date;
  weightsFor: (jobId: string) => Weights;
}

/**
 * Posts and edits proposal cards. Exactly one card per proposal: intents are recorded in the sync's commit and are on
 * disk before the coordinator calls `postPending()` (src/services/sync-coordinator.ts); the ts is stored after
 * posting (`store.cards.markPosted`). An intent still open after a crash or a failed post is resolved from channel
 * history (the card's message metadata) before anything is re-posted.
 */
export class CardService {
  private readonly ranks: CardRanks;
  private readonly inFlight = new Set<string>();
  /** Proposals whose last post attempt failed: look in history before trying again (the post may have landed). */
  private readonly needsHistoryCheck = new Set<string>();
  /** Channels whose cards must first be looked up in history (a damaged store): nothing is posted there until then. */
  private readonly held = new Set<string>();
  private readonly watchers: CardWatcher[] = [];

  constructor(private readonly opts: CardServiceOptions) {
    this.ranks = new CardRanks(opts.store, opts.weightsFor);
  }

  /** Everything a person sees on the card, rendered from the store's current state. */
  render(stored: ProposalView): ReturnType<typeof proposalCard> {
    return proposalCard({
      proposal: stored.proposal,
      rank: this.rankOf(stored.proposal.jobId, stored.proposal.id),
      votes: stored.votes,
      notes: stored.notes,
      conversation: stored.conversation
        ? { unread: stored.conversation.unread, awaitingReply: stored.conversation.awaitingReply }
        : null,
      hire: stored.hire ?? null,
    });
  }

  rankOf(jobId: string, proposalId: string): RankedProposal | null {
    return this.ranksFor(jobId).get(proposalId) ?? null;
  }

  ranksFor(jobId: string): Map<string, RankedProposal> {
    return this.ranks.ranksFor(jobId);
  }

  /**
   * A job's proposals or weights changed: recompute ranks and mark for a background refresh the posted cards whose
   * rank field (score, top-places marker) now reads differently. The marks are store changes, written with the
   * change that caused them; `postPending()` sends them. Cards not yet posted render the new ranks when they post.
   */
  jobChanged(jobId: string): void {
    const before = this.ranks.invalidate(jobId);
    for (const [proposalId, next] of this.ranksFor(jobId)) {
      const stored = own(this.opts.store.data.proposals, proposalId);
      if (stored?.card?.state !== 'posted') continue;
      const prev = before?.get(proposalId);
      if (prev && rankShown(prev) === rankShown(next)) continue;
      // No ranking in memory yet (fresh start): compare with what Slack last accepted instead.
      if (!before && stored.card.shownHash === fingerprint(this.render(stored))) continue;
      this.markDue(proposalId, 'background');
    }
  }

  /**
   * Queue what is pending: a post for every open intent, and the re-render of every card marked due (also those
   * marked before a restart: nothing due is lost with the process).
   */
  postPending(): void {
    this.opts.access.recheck();
    for (const stored of Object.values(this.opts.store.data.proposals)) {
      const card = stored.card;
      if (card?.state === 'intent') this.schedulePost(stored.proposal.id, card.channel);
      else if (card?.refreshDue) void this.requestUpdate(stored.proposal.id, { priority: card.refreshDue });
    }
    this.tellWatchers((watcher) => watcher.pendingChecked());
  }

  /** Something else that shows what cards show (the shortlist) is told when they change; see CardWatcher. */
  watch(watcher: CardWatcher): void {
    this.watchers.push(watcher);
  }

  /** Tells the watchers; a watcher's failure never reaches the card's own work. */
  private tellWatchers(tell: (watcher: CardWatcher) => void): void {
    for (const watcher of this.watchers) {
      try {
        tell(watcher);
      } catch (error) {
        if (!(error instanceof StoreClosedError)) this.opts.logger.warn('a card watcher failed', errorText(error));
      }
    }
  }

  /** Hold posts to these channels (released one by one once their history was searched). */
  hold(channels: Iterable<string>): void {
    for (const channel of channels) this.held.add(channel);
  }

  release(channel: string): void {
    this.held.delete(channel);
  }

  /** Links a proposal to a card that already exists in Slack (found in history) instead of posting one. */
  adoptCard(proposalId: string, channel: string, ts: string): void {
    this.opts.store.cards.adopt(proposalId, channel, ts, this.opts.clock().toISOString());
  }

  private schedulePost(proposalId: string, channel: string): void {
    if (this.inFlight.has(proposalId) || this.held.has(channel)) return;
    this.inFlight.add(proposalId);
    this.opts.scheduler
      .schedule({ priority: 'arrival', channel, key: `post:${proposalId}`, call: 'post' }, () =>
        this.postOne(proposalId),
      )
      // Logged where it failed (postOne); the next sync tries again.
      .catch(() => {})
      .finally(() => this.inFlight.delete(proposalId));
  }

  private async postOne(proposalId: string): Promise<void> {
    const stored = own(this.opts.store.data.proposals, proposalId);
    const card = stored?.card;
    if (!stored || !card || card.state !== 'intent') return;
    if (this.needsHistoryCheck.has(proposalId)) {
      // Never post without looking first: an unreadable channel keeps the intent open until it can be read.
      const found = await this.readCardsBack(card.channel, [proposalId], card.intentAt);
      if (found === null) return;
      const ts = found.get(proposalId)?.ts;
      this.needsHistoryCheck.delete(proposalId);
      if (ts) {
        this.markPosted(proposalId, ts);
        return;
      }
    }
    const message = this.render(stored);
    try {
      const { ts } = await this.opts.slack.postMessage({ channel: card.channel, ...message });
      this.markPosted(proposalId, ts, fingerprint(message));
    } catch (error) {
      // The post may or may not have landed (lost response); the next attempt checks history first.
      this.needsHistoryCheck.add(proposalId);
      if (isChannelRefusal(error)) {
        // Slack refused the channel itself (not a member of a private one, archived): said once, in the log and
        // /hiring status; the intent waits for someone to fix the channel.
        this.opts.access.noteRefusal(card.channel, error);
        return;
      }
      const reason = `posting the card for "${stored.proposal.candidate.displayName}" to <#${card.channel}> failed (${errorText(error)}); retrying every sync`;
      this.opts.logger.warn(reason);
      this.opts.store.health.noteError(reason, this.opts.clock().toISOString());
      throw error;
    }
  }

  private markPosted(proposalId: string, ts: string, shownHash: string | null = null): void {
    this.opts.store.cards.markPosted(proposalId, ts, this.opts.clock().toISOString(), shownHash);
  }

  /**
   * Re-render a posted card in place, through the scheduler: `person` for what someone caused (a vote, a note, a
   * status change, conversation state), `background` for rank refreshes. Requests for one card coalesce while
   * queued and run one after another, each rendering the latest state; an edit that would change nothing is not
   * sent. The request is recorded on the card (`refreshDue`) with the change that caused it, so it survives a
   * restart. Never rejects.
   */
  requestUpdate(
    proposalId: string,
    { priority = 'person', slackShowsOther = false }: UpdateRequest = {},
  ): Promise<void> {
    this.tellWatchers((watcher) => watcher.proposalChanged(proposalId));
    const card = own(this.opts.store.data.proposals, proposalId)?.card;
    if (card?.state !== 'posted' || !card.ts) return Promise.resolve();
    try {
      if (slackShowsOther) this.forgetShown(proposalId);
      this.markDue(proposalId, priority);
    } catch (error) {
      // Shutting down (the store closed under a late click): nothing to record, nothing to send.
      if (!(error instanceof StoreClosedError))
        this.opts.logger.warn(`marking card ${proposalId} due failed`, errorText(error));
      return Promise.resolve();
    }
    return this.opts.scheduler
      .schedule({ priority, channel: card.channel, key: cardKey(proposalId), call: 'update' }, () =>
        this.updateOne(proposalId),
      )
      .then(
        () => undefined,
        (error: unknown) => {
          // Stopped (scheduler or store): the card keeps refreshDue and is refreshed at the next start.
          if (error instanceof SchedulerStoppedError || error instanceof StoreClosedError) return;
          // Refused after the Web API client's own retries (e.g. the message was deleted): not asked again at every
          // sync; the card is re-rendered at its next change.
          this.opts.logger.warn(`updating the card for proposal ${proposalId} failed`, errorText(error));
          try {
            this.clearDue(proposalId);
          } catch (clearError) {
            // The store closed while Slack answered (shutdown): refreshDue stays, the next start tries once more.
            if (!(clearError instanceof StoreClosedError))
              this.opts.logger.warn(`clearing card ${proposalId}'s refresh failed`, errorText(clearError));
          }
        },
      );
  }

  /** Slack shows something else than the card's last fingerprint says (e.g. buttons of an older version). */
  private forgetShown(proposalId: string): void {
    this.opts.store.cards.forgetShown(proposalId);
  }

  /** Records that a posted card needs re-rendering (a person's cause outranks a background one). */
  markDue(proposalId: string, priority: Exclude<Priority, 'arrival'>): void {
    this.opts.store.cards.markDue(proposalId, priority);
  }

  private async updateOne(proposalId: string): Promise<typeof NOT_SENT | undefined> {
    const stored = own(this.opts.store.data.proposals, proposalId);
    const card = stored?.card;
    if (!stored || !card?.ts) return NOT_SENT;
    const message = this.render(stored);
    const hash = fingerprint(message);
    if (hash === card.shownHash) {
      this.markShown(proposalId, hash);
      return NOT_SENT;
    }
    await this.opts.slack.updateMessage({ channel: card.channel, ts: card.ts, ...message });
    this.markShown(proposalId, hash);
    return undefined;
  }

  private clearDue(proposalId: string): void {
    if (this.opts.scheduler.isQueued(cardKey(proposalId))) return;
    this.opts.store.cards.clearDue(proposalId);
  }

  /** Slack shows `hash`; nothing is due unless another re-render was asked for meanwhile (it is queued). */
  private markShown(proposalId: string, hash: string): void {
    const card = own(this.opts.store.data.proposals, proposalId)?.card;
    const due = this.opts.scheduler.isQueued(cardKey(proposalId)) ? (card?.refreshDue ?? null) : null;
    this.opts.store.cards.markShown(proposalId, hash, due);
  }

  /**
   * Start-up: resolve every intent left open (the process died between recording it and storing the ts) by looking
   * for the card's metadata in the channel's recent history; post only the ones that are really missing.
   */
  async resolveOpenIntents(): Promise<{ recovered: number; reposting: number; waiting: number }> {
    const byChannel = new Map<string, { ids: string[]; since: string }>();
    for (const stored of Object.values(this.opts.store.data.proposals)) {
      const card = stored.card;
      if (card?.state !== 'intent') continue;
      const entry = byChannel.get(card.channel) ?? { ids: [], since: card.intentAt };
      entry.ids.push(stored.proposal.id);
      if (card.intentAt < entry.since) entry.since = card.intentAt;
      byChannel.set(card.channel, entry);
    }
    let recovered = 0;
    let reposting = 0;
    let waiting = 0;
    for (const [channel, { ids, since }] of byChannel) {
      const found = await this.readCardsBack(channel, ids, since);
      if (found === null) {
        // Unreadable for now: these may already be posted, so each one looks again before it is posted.
        for (const id of ids) this.needsHistoryCheck.add(id);
        waiting += ids.length;
        continue;
      }
      for (const id of ids) {
        const ts = found.get(id)?.ts;
        if (ts) {
          this.markPosted(id, ts);
          recovered += 1;
        } else reposting += 1;
      }
    }
    if (recovered > 0) await this.opts.store.flush();
    this.postPending();
    return { recovered, reposting, waiting };
  }

  /**
   * The cards among `proposalIds` found in the channel's history, or null when the bot can't read the channel now
   * (the reason is logged and shown in /hiring status) or reading failed: the caller leaves those intents open.
   */
  private async readCardsBack(
    channel: string,
    proposalIds: string[],
    sinceIso: string,
  ): Promise<Map<string, CardInHistory> | null> {
    try {
      if (!(await this.opts.access.ensureReadable(channel))) return null;
      return await this.findInHistory(channel, proposalIds, sinceIso);
    } catch (error) {
      if (isChannelRefusal(error)) {
        this.opts.access.noteRefusal(channel, error);
        return null;
      }
      this.opts.logger.warn(
        `could not read <#${channel}> to look for ${proposalIds.length} card(s) before posting (${errorText(error)}); trying again next sync`,
      );
      return null;
    }
  }

  /** Cards in a channel's history (src/services/card-history.ts); a failure to read history propagates. */
  findInHistory(channel: string, proposalIds: string[] | null, sinceIso: string): Promise<Map<string, CardInHistory>> {
    return findCardsInHistory(this.opts.slack, channel, proposalIds, sinceIso);
  }
}

/**
 * Told about card changes: `proposalChanged` whenever a card is asked to re-render (every change people see on it —
 * a vote, a note, conversation state, a hire, its rank), `pendingChecked` at start-up and after every sync.
 */
export interface CardWatcher {
  proposalChanged(proposalId: string): void;
  pendingChecked(): void;
}

export interface UpdateRequest {
  priority?: Exclude<Priority, 'arrival'>;
  /** Slack shows other than what was last sent (a card from an older version): re-render even if unchanged. */
  slackShowsOther?: boolean;
}

function cardKey(proposalId: string): string {
  return `card:${proposalId}`;
}
