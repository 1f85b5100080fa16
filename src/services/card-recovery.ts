import { errorText } from '../error-text.js';
import type { Logger } from '../logger.js';
import { own } from '../records.js';
import type { Store } from '../store/index.js';
import type { CardService } from './cards.js';
import { unknownJob, type WatchRules } from './jobs.js';

export interface CardRecoveryOptions {
  store: Store;
  cards: CardService;
  logger: Logger;
  clock: () => Date;
  rules: WatchRules;
  /** Cards older than this are not looked for (the store prunes them anyway). */
  retentionDays: number;
}

/**
 * When the store may not know every card the bot has posted (a damaged file was salvaged, or a first run, which an
 * emptied or deleted file also looks like), every channel the bot posts to is searched for the bot's cards by their
 * message metadata before anything is posted there:
 * - a stored proposal whose card is missing or still an intent is linked to the card found;
 * - a card whose proposal the store lost is remembered (`foundCards`, with the votes its metadata carried) so the
 *   sync re-learns the proposal from OpenTrain and links it to that card instead of posting a new one;
 * - a channel that already holds the bot's cards gets no second set-up announcement.
 * A channel whose history can't be read stays held (no posts) and is searched again at the next sync.
 */
export class CardRecovery {
  private readonly unsearched = new Set<string>();
  private readonly withCards = new Set<string>();
  private readonly searched = new Set<string>();
  private started = false;

  constructor(private readonly opts: CardRecoveryOptions) {}

  /** Whether the store asks for a search (a salvage not yet reconciled, or a first run to come). */
  get needed(): boolean {
    const { data } = this.opts.store;
    return data.backfilledAt === null || (data.recovery != null && data.recovery.cardsReconciledAt === null);
  }

  /** True when the channel was searched and holds the bot's cards; false when searched and empty; null: unknown. */
  channelHasCards(channel: string): boolean | null {
    if (this.withCards.has(channel)) return true;
    return this.searched.has(channel) ? false : null;
  }

  /** Start-up (and every sync until done): search what needs searching. Never throws. */
  async run(): Promise<void> {
    const { store, cards, logger, clock } = this.opts;
    if (!this.started && this.needed) {
      this.started = true;
      this.restoreJobChannels();
      for (const channel of this.channels()) this.unsearched.add(channel);
      cards.hold(this.unsearched);
    }
    if (this.unsearched.size === 0) {
      this.markReconciled();
      return;
    }
    const since = new Date(clock().getTime() - this.opts.retentionDays * 86_400_000).toISOString();
    let linked = 0;
    let remembered = 0;
    for (const channel of [...this.unsearched]) {
      let found: Awaited<ReturnType<CardService['findInHistory']>>;
      try {
        found = await cards.findInHistory(channel, null, since);
      } catch (error) {
        if (this.freshInstall() && slackErrorCode(error) === 'not_in_channel') {
          // A first run on a store that was never damaged: the bot has not been in this channel, so it has no cards
          // there to find; holding posts would only keep the set-up from ever happening.
          found = new Map();
        } else {
          logger.warn(
            `could not search <#${channel}> for existing cards; posting there waits for the next sync`,
            errorText(error),
          );
          continue;
        }
      }
      for (const [proposalId, card] of found) {
        // Ids come from message metadata: never let one reach a prototype.
        if (proposalId === '__proto__') continue;
        const stored = Object.hasOwn(store.data.proposals, proposalId)
          ? own(store.data.proposals, proposalId)
          : undefined;
        if (stored) {
          if (stored.card?.state === 'posted' && stored.card.ts) continue;
          cards.adoptCard(proposalId, channel, card.ts);
          linked += 1;
        } else {
          store.recovery.rememberFoundCard(proposalId, {
            channel,
            ts: card.ts,
            jobId: card.jobId,
            votes: card.votes,
            notes: card.notes,
          });
          remembered += 1;
        }
      }
      if (found.size > 0) this.withCards.add(channel);
      this.searched.add(channel);
      this.unsearched.delete(channel);
      cards.release(channel);
    }
    if (this.unsearched.size === 0) this.markReconciled();
    if (linked + remembered > 0) {
      logger.info(
        `cards found in channel history: ${linked} linked to stored proposals, ` +
          `${remembered} to re-learn from OpenTrain`,
      );
    }
    await store.flush();
  }

  /** Every channel was searched: the salvage note says so (for `/hiring status`). */
  private markReconciled(): void {
    const { store, clock } = this.opts;
    if (!store.data.recovery || store.data.recovery.cardsReconciledAt !== null) return;
    store.recovery.cardsReconciled(clock().toISOString());
  }

  /** A first run on a store that never held data nor was salvaged. */
  private freshInstall(): boolean {
    const { data } = this.opts.store;
    return data.backfilledAt === null && !data.recovery && Object.keys(data.proposals).length === 0;
  }

  /** Every channel the bot posts cards to, as far as the store and the configuration know. */
  private channels(): Set<string> {
    const { data } = this.opts.store;
    const channels = new Set<string>();
    if (this.opts.rules.hiringChannel) channels.add(this.opts.rules.hiringChannel);
    for (const job of Object.values(data.jobs)) if (job.channelId) channels.add(job.channelId);
    for (const stored of Object.values(data.proposals)) if (stored.card) channels.add(stored.card.channel);
    return channels;
  }

  /**
   * The header (jobs and their watch channels) was lost but proposal records survived: a job whose cards went to a
   * channel other than HIRING_CHANNEL had been routed there with `/hiring watch`, so it is routed there again.
   */
  private restoreJobChannels(): void {
    const { store, rules } = this.opts;
    const lost = store.data.recovery?.headerFieldsLost ?? [];
    if (!lost.includes('*') && !lost.includes('jobs')) return;
    const routes = new Map<string, { channel: string; title: string }>();
    for (const stored of Object.values(store.data.proposals)) {
      const { jobId, jobTitle } = stored.proposal;
      if (stored.card && stored.card.channel !== rules.hiringChannel && !Object.hasOwn(store.data.jobs, jobId)) {
        routes.set(jobId, { channel: stored.card.channel, title: jobTitle });
      }
    }
    if (routes.size === 0) return;
    store.jobs.learn(
      [...routes].map(([jobId, { channel, title }]) => ({
        ...unknownJob(jobId, title),
        channelId: channel,
        watch: true,
      })),
    );
    this.opts.logger.info(`restored the watch channel of ${routes.size} job(s) from their cards`);
  }
}

/** The Slack Web API error code (`not_in_channel`, …) of a failed call, if it has one. */
function slackErrorCode(error: unknown): string | null {
  const data = (error as { data?: { error?: unknown } } | null)?.data;
  return typeof data?.error === 'string' ? data.error : null;
}
