import { errorLogFields } from '../../api/index.js';
import { errorText } from '../../error-text.js';
import type { Logger } from '../../logger.js';
import { own } from '../../records.js';
import type { Store, StoredCard } from '../../store/index.js';
import { PRIORITY_RANK, type Priority } from '../slack-budgets.js';
import type { SlackMessageInput, SlackPort } from '../slack-port.js';
import { NOT_SENT, type SlackScheduler } from '../slack-scheduler.js';

/** Metadata event type on relayed candidate messages; a crashed post is looked up by it before posting again. */
export const RELAYED_MESSAGE_EVENT_TYPE = 'opentrain_message';
/** At most this many relayed message ids are kept per conversation (and read back from a thread). */
export const MAX_RELAYED_IDS = 200;
/** How much of a card's thread is read back to find what was already relayed. */
const THREAD_READ = 1000;

export interface CardThreadOptions {
  store: Store;
  slack: Pick<SlackPort, 'postMessage' | 'threadReplies'>;
  /** Thread posts share the channel's posting budget with the cards. */
  scheduler: Pick<SlackScheduler, 'schedule'>;
  logger: Logger;
}

/** A proposal card's thread: where the relay posts, and what it reads back after a crash. */
export class CardThread {
  #posts = 0;
  /** The classes of the posts still queued or running, per card (by proposal id). */
  readonly #queued = new Map<string, Priority[]>();

  constructor(private readonly opts: CardThreadOptions) {}

  /**
   * Posts what a teammate did to the card's thread; a failure is logged (it reports what already happened). A card
   * still on its way (its post queued ahead in the channel, as during a backfill) gets the note once it is posted:
   * the thread is looked up when the note's turn comes, not when it is queued.
   */
  async postNote(proposalId: string, content: { text: string; blocks?: unknown[] }): Promise<void> {
    const card = own(this.opts.store.data.proposals, proposalId)?.card;
    if (!card) return;
    try {
      await this.#schedule('person', card.channel, proposalId, (): Promise<{ ts: string } | typeof NOT_SENT> => {
        const ts = own(this.opts.store.data.proposals, proposalId)?.card?.ts;
        if (!ts) {
          this.opts.logger.warn(
            `the card of proposal ${proposalId} isn't posted yet: a note for its thread was dropped`,
          );
          return Promise.resolve(NOT_SENT);
        }
        return this.opts.slack.postMessage({ channel: card.channel, threadTs: ts, ...content });
      });
    } catch (error) {
      logFailure(this.opts.logger, `posting to the thread of proposal ${proposalId} failed`, error);
    }
  }

  /** A post in the thread of `proposalId`'s card: candidate messages as arrivals, what a teammate did as person-caused. */
  post(priority: Priority, proposalId: string, message: SlackMessageInput): Promise<{ ts: string }> {
    return this.#schedule(priority, message.channel, proposalId, () => this.opts.slack.postMessage(message));
  }

  /**
   * A thread reads in order, so a post never overtakes one queued earlier for the same card (a candidate's quick
   * answer must not show above the question it answers): it waits in the lowest class still queued there. Posts to
   * one channel in one class keep their order (src/services/slack-scheduler.ts).
   */
  #schedule<T>(priority: Priority, channel: string, proposalId: string, run: () => Promise<T>): Promise<T> {
    this.#posts += 1;
    const queued = this.#queued.get(proposalId) ?? [];
    const inOrder = queued.reduce<Priority>(
      (lowest, p) => (PRIORITY_RANK[p] > PRIORITY_RANK[lowest] ? p : lowest),
      priority,
    );
    queued.push(inOrder);
    this.#queued.set(proposalId, queued);
    const settled = () => {
      queued.splice(queued.indexOf(inOrder), 1);
      if (queued.length === 0) this.#queued.delete(proposalId);
    };
    const posted = this.opts.scheduler.schedule(
      { priority: inOrder, channel, key: `thread:${this.#posts}`, call: 'post' },
      run,
    );
    posted.then(settled, settled);
    return posted;
  }

  /** Ids of the candidate messages of `conversationId` already in the card's thread (by their message metadata). */
  async relayedIds(card: StoredCard, conversationId: string): Promise<string[]> {
    if (card.state !== 'posted' || !card.ts) return [];
    const replies = await this.opts.slack.threadReplies(card.channel, card.ts, { maxMessages: THREAD_READ });
    const ids: string[] = [];
    for (const reply of replies) {
      const payload = reply.metadata?.event_type === RELAYED_MESSAGE_EVENT_TYPE ? reply.metadata.event_payload : null;
      if (payload?.conversation_id === conversationId && typeof payload.message_id === 'string') {
        ids.push(payload.message_id);
      }
    }
    return ids.slice(-MAX_RELAYED_IDS);
  }

  /** Whether the candidate message `messageId` is already in the card's thread. */
  async holds(card: StoredCard, messageId: string): Promise<boolean> {
    if (!card.ts) return false;
    const replies = await this.opts.slack.threadReplies(card.channel, card.ts, { maxMessages: THREAD_READ });
    return replies.some(
      (reply) =>
        reply.metadata?.event_type === RELAYED_MESSAGE_EVENT_TYPE &&
        reply.metadata.event_payload.message_id === messageId,
    );
  }
}

/** A relay failure in the log: what failed and why, with OpenTrain's request id and code; never message text. */
export function logFailure(logger: Logger, what: string, error: unknown): void {
  logger.warn(`${what}: ${errorText(error)}`, errorLogFields(error));
}
