import { randomUUID } from 'node:crypto';
import { SHORTLIST_EVENT_TYPE } from '../blocks/ids.js';
import type { ShortlistMessage } from '../blocks/shortlist.js';
import { errorText } from '../error-text.js';
import type { Logger } from '../logger.js';
import { own } from '../records.js';
import { type ProposalView, type ShortlistView, type Store, StoreClosedError } from '../store/index.js';
import { finalistOptions, preselectFinalists } from './ask-plan.js';
import { historyOldestTs } from './card-history.js';
import type { CardLinks } from './card-links.js';
import type { CardService } from './cards.js';
import { type ChannelAccess, channelProblemText, isChannelRefusal } from './channel-access.js';
import { fingerprint } from './fingerprint.js';
import { ShortlistEvidence } from './shortlist-evidence.js';
import { type SlackPort, slackErrorCode } from './slack-port.js';
import { NOT_SENT, SchedulerStoppedError, type SlackScheduler } from './slack-scheduler.js';

// `/hiring shortlist` (docs/architecture.md#shortlist): one message per request with the evidence on a job's
// finalists, posted exactly once (intent on disk first, found again in history by its metadata) and kept up to date
// in place as background work: a re-render that Slack already shows (same fingerprint) is never sent.

export interface ShortlistServiceOptions {
  store: Store;
  slack: SlackPort;
  scheduler: SlackScheduler;
  cards: Pick<CardService, 'ranksFor'>;
  access: Pick<ChannelAccess, 'ensureReadable' | 'problemOf' | 'noteRefusal'>;
  logger: Logger;
  clock: () => Date;
  /** The card permalinks the bot remembers (shared with App Home). */
  links?: CardLinks;
}

export type PostOutcome =
  | { ok: true; channel: string; ts: string; shown: number }
  /** `channelProblem`: the channel refuses the bot (not a member, archived, gone); `here` still works. */
  | { ok: false; message: string; channelProblem: boolean };

/** An intent older than this found missing from history at start-up is dropped, not posted late. */
const STALE_INTENT_MS = 24 * 60 * 60 * 1000;

/** Messages read back from a channel when looking for a shortlist whose post may have landed. */
const HISTORY_MAX_MESSAGES = 1000;

export class ShortlistService {
  /** Per finalist, the ask rounds last seen (`storeChanged`). */
  readonly #askedKeys = new Map<string, string>();
  readonly #evidence: ShortlistEvidence;

  constructor(private readonly opts: ShortlistServiceOptions) {
    this.#evidence = new ShortlistEvidence(opts);
  }

  /**
   * The job's top `topN` tracked proposals by composite score, best first, skipping those already decided: the same
   * finalists the Ask form pre-selects.
   */
  finalists(jobId: string, topN: number): string[] {
    const proposals = Object.values(this.opts.store.data.proposals).filter((p) => p.proposal.jobId === jobId);
    return preselectFinalists(finalistOptions(proposals, this.opts.cards.ranksFor(jobId)), topN);
  }

  /** The shortlist shown only to the person who asked (`here`): rendered once, never kept up to date. */
  preview(job: { id: string; title: string }, topN: number, requestedBy: string): Promise<ShortlistMessage> {
    return this.#evidence.render(
      { jobId: job.id, jobTitle: job.title, proposalIds: this.finalists(job.id, topN) },
      { shortlistId: null, requestedBy },
    );
  }

  /**
   * Posts a shortlist in `channel` and keeps it: the intent reaches the disk before chat.postMessage. Slack refusing
   * the post forgets it (nothing landed); a post whose outcome is unknown stays an intent, looked for in history at
   * the next start.
   */
  async post(request: {
    job: { id: string; title: string };
    channel: string;
    topN: number;
    requestedBy: string;
  }): Promise<PostOutcome> {
    const { store, clock, scheduler, access } = this.opts;
    const { job, channel } = request;
    const readable = await access.ensureReadable(channel).catch((error: unknown) => {
      this.opts.logger.warn(`checking <#${channel}> before posting a shortlist`, errorText(error));
      return null;
    });
    if (readable === false) {
      const message = channelProblemText(channel, access.problemOf(channel) ?? 'needs_invite');
      return { ok: false, message, channelProblem: true };
    }
    const id = randomUUID();
    const proposalIds = this.finalists(job.id, request.topN);
    store.shortlists.recordIntent({
      id,
      jobId: job.id,
      channel,
      topN: request.topN,
      proposalIds,
      requestedBy: request.requestedBy,
      intentAt: clock().toISOString(),
    });
    await store.flush();
    try {
      const ts = await scheduler.schedule(
        { priority: 'person', channel, key: `shortlist-post:${id}`, call: 'post' },
        () => this.#postOne(id),
      );
      return { ok: true, channel, ts, shown: proposalIds.length };
    } catch (error) {
      return { ok: false, message: this.#postFailure(channel, error), channelProblem: isChannelRefusal(error) };
    }
  }

  async #postOne(id: string): Promise<string> {
    const shortlist = this.#shortlist(id);
    if (!shortlist) throw new Error('the shortlist is no longer kept');
    const message = await this.#evidence.renderStored(shortlist);
    try {
      const { ts } = await this.opts.slack.postMessage({ channel: shortlist.channel, ...message });
      this.opts.store.shortlists.markPosted(id, ts, this.opts.clock().toISOString(), fingerprint(message));
      return ts;
    } catch (error) {
      // Slack answered with an error: nothing was posted. Otherwise the outcome is unknown and the intent stays.
      if (slackErrorCode(error) !== null) this.opts.store.shortlists.forget(id);
      throw error;
    }
  }

  #postFailure(channel: string, error: unknown): string {
    if (isChannelRefusal(error)) {
      // Said once in the log and /hiring status, like a card's channel.
      this.opts.access.noteRefusal(channel, error);
      return channelProblemText(channel, this.opts.access.problemOf(channel) ?? 'needs_invite');
    }
    this.opts.logger.warn(`posting a shortlist to <#${channel}> failed`, errorText(error));
    if (slackErrorCode(error) !== null) return `Slack refused the shortlist (${slackErrorCode(error)}).`;
    return "I couldn't tell whether the shortlist reached Slack; if it didn't, it is posted once I restart.";
  }

  /** A proposal's card changed (a vote, an answer, a hire, its rank): the posted shortlists showing it are due. */
  proposalChanged(proposalId: string): void {
    for (const shortlist of this.#posted()) if (shortlist.proposalIds.includes(proposalId)) this.refresh(shortlist.id);
  }

  /**
   * Something in the store changed. Questions asked are written by the ask service, which no card change announces:
   * a shortlist whose finalists' ask rounds changed is due. Cheap (a key per finalist), so it runs on every change.
   */
  storeChanged(): void {
    const posted = this.#posted();
    // First which finalists' rounds changed, then every shortlist holding one (two may share a finalist).
    const changed = new Set<string>();
    const finalists = new Set(posted.flatMap((shortlist) => shortlist.proposalIds));
    // Finalists of shortlists no longer kept are forgotten.
    for (const proposalId of this.#askedKeys.keys()) if (!finalists.has(proposalId)) this.#askedKeys.delete(proposalId);
    for (const proposalId of finalists) {
      const key = askedKey(own(this.opts.store.data.proposals, proposalId));
      if (this.#askedKeys.get(proposalId) === key) continue;
      this.#askedKeys.set(proposalId, key);
      changed.add(proposalId);
    }
    if (changed.size === 0) return;
    for (const shortlist of posted) {
      if (shortlist.proposalIds.some((proposalId) => changed.has(proposalId))) void this.refresh(shortlist.id);
    }
  }

  /** Every posted shortlist is re-checked (start-up, every sync); only the ones whose fingerprint changed are edited. */
  sweep(): void {
    for (const shortlist of this.#posted()) this.refresh(shortlist.id);
  }

  /** Queues a background re-render (coalesced per shortlist while queued). Never rejects. */
  refresh(id: string): Promise<void> {
    const shortlist = this.#shortlist(id);
    if (shortlist?.state !== 'posted') return Promise.resolve();
    return this.opts.scheduler
      .schedule({ priority: 'background', channel: shortlist.channel, key: `shortlist:${id}`, call: 'update' }, () =>
        this.#updateOne(id),
      )
      .then(
        () => undefined,
        (error: unknown) => {
          if (error instanceof SchedulerStoppedError || error instanceof StoreClosedError) return;
          this.opts.logger.warn(`updating shortlist ${id} failed`, errorText(error));
          // Deleted in Slack (or its channel is gone): nothing left to keep up to date.
          const code = slackErrorCode(error);
          if (code === 'message_not_found' || code === 'channel_not_found' || code === 'is_archived') {
            this.opts.store.shortlists.forget(id);
          }
        },
      );
  }

  async #updateOne(id: string): Promise<typeof NOT_SENT | undefined> {
    const shortlist = this.#shortlist(id);
    if (shortlist?.state !== 'posted' || !shortlist.ts) return NOT_SENT;
    const message = await this.#evidence.renderStored(shortlist);
    const hash = fingerprint(message);
    if (hash === shortlist.shownHash) return NOT_SENT;
    await this.opts.slack.updateMessage({ channel: shortlist.channel, ts: shortlist.ts, ...message });
    this.opts.store.shortlists.markShown(id, hash);
    return undefined;
  }

  /**
   * Start-up: an intent left open (the process died between recording it and storing the ts, or the post's outcome
   * was unknown) is looked for in the channel's history by its metadata; only one really missing, and recent, is
   * posted. A channel that can't be read now keeps its intents for the next start.
   */
  async resolveOpenIntents(): Promise<{ found: number; posted: number; dropped: number }> {
    const intents = Object.values(this.opts.store.data.shortlists ?? {}).filter((s) => s.state === 'intent');
    let found = 0;
    let posted = 0;
    let dropped = 0;
    for (const intent of intents) {
      let ts: string | null;
      try {
        ts = await this.#findInHistory(intent);
      } catch (error) {
        this.opts.logger.warn(`could not look for shortlist ${intent.id} in <#${intent.channel}>`, errorText(error));
        continue;
      }
      if (ts) {
        // Content unknown: the next sweep compares nothing and edits it to the current state.
        this.opts.store.shortlists.markPosted(intent.id, ts, this.opts.clock().toISOString(), null);
        found += 1;
      } else if (this.opts.clock().getTime() - Date.parse(intent.intentAt) > STALE_INTENT_MS) {
        this.opts.store.shortlists.forget(intent.id);
        dropped += 1;
      } else {
        const channel = intent.channel;
        await this.opts.scheduler
          .schedule({ priority: 'person', channel, key: `shortlist-post:${intent.id}`, call: 'post' }, () =>
            this.#postOne(intent.id),
          )
          .then(
            () => {
              posted += 1;
            },
            (error: unknown) => this.opts.logger.warn(this.#postFailure(channel, error)),
          );
      }
    }
    await this.opts.store.flush();
    return { found, posted, dropped };
  }

  async #findInHistory(intent: ShortlistView): Promise<string | null> {
    if (!(await this.opts.access.ensureReadable(intent.channel))) throw new Error('the channel is not readable');
    const oldestTs = historyOldestTs(intent.intentAt);
    const history = await this.opts.slack.history(intent.channel, {
      ...(oldestTs ? { oldestTs } : {}),
      maxMessages: HISTORY_MAX_MESSAGES,
    });
    const message = history.find(
      (m) =>
        m.metadata?.event_type === SHORTLIST_EVENT_TYPE &&
        m.metadata.event_payload.shortlist_id === intent.id &&
        (m.threadTs === null || m.threadTs === m.ts),
    );
    return message?.ts ?? null;
  }

  #shortlist(id: string): ShortlistView | undefined {
    const all = this.opts.store.data.shortlists;
    return all ? own(all, id) : undefined;
  }

  #posted(): ShortlistView[] {
    return Object.values(this.opts.store.data.shortlists ?? {}).filter((s) => s.state === 'posted' && s.ts !== null);
  }
}

/** What a finalist's ask rounds look like to the shortlist: each round's id and state. */
function askedKey(stored: ProposalView | undefined): string {
  return (stored?.asked ?? []).map((ask) => `${ask.askId}:${ask.state}`).join(',');
}
