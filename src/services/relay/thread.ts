import { errorLogFields } from '../../api/errors.js';
import type { Logger } from '../../logger.js';
import { own } from '../../records.js';
import type { StoredCard } from '../../store/schema.js';
import type { Store } from '../../store/store.js';
import type { Priority } from '../slack-budgets.js';
import type { SlackMessageInput, SlackPort } from '../slack-port.js';
import type { SlackScheduler } from '../slack-scheduler.js';

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

  constructor(private readonly opts: CardThreadOptions) {}

  /** Posts what a teammate did to the card's thread; a failure is logged (it reports what already happened). */
  async postNote(proposalId: string, content: { text: string; blocks?: unknown[] }): Promise<void> {
    const card = own(this.opts.store.data.proposals, proposalId)?.card;
    if (!card?.ts) return;
    try {
      await this.post('person', { channel: card.channel, threadTs: card.ts, ...content });
    } catch (error) {
      logFailure(this.opts.logger, `posting to the thread of proposal ${proposalId} failed`, error);
    }
  }

  /** A thread post through the scheduler: candidate messages as arrivals, what a teammate did as person-caused. */
  post(priority: Priority, message: SlackMessageInput): Promise<{ ts: string }> {
    this.#posts += 1;
    return this.opts.scheduler.schedule(
      { priority, channel: message.channel, key: `thread:${this.#posts}`, call: 'post' },
      () => this.opts.slack.postMessage(message),
    );
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
  const detail = error instanceof Error ? error.message : String(error);
  logger.warn(`${what}: ${detail}`, errorLogFields(error));
}
