import { own } from '../../records.js';
import type { ConversationView, Store, StoredConversation } from '../../store/index.js';

/** Set as `openedBy` on conversations that were started in the OpenTrain app rather than from Slack. */
export const OPENED_OUTSIDE_SLACK = 'opentrain';

export interface ConversationLinkerOptions {
  store: Store;
  clock: () => Date;
}

/**
 * Which proposal a conversation or a card thread belongs to, and the one place a conversation is linked to a
 * proposal. Lookups go through indexes, not a scan of every proposal:
 * - conversation → proposal: links are written only here, so the index is built once from the store and kept up to
 *   date by `link()`; a hit is checked against the store (the proposal may have been pruned since), a miss is final.
 * - card thread → proposal: cards are posted by the card service and sync, not here, so a thread the index doesn't
 *   know is learned again from the store before answering "no card".
 */
export class ConversationLinker {
  #byConversation: Map<string, string> | null = null;
  #byThread: Map<string, string> | null = null;

  constructor(private readonly opts: ConversationLinkerOptions) {}

  /** The proposal linked to this OpenTrain conversation, if any. */
  proposalForConversation(conversationId: string): string | null {
    const index = this.#conversationIndex();
    const proposalId = index.get(conversationId);
    if (proposalId === undefined) return null;
    if (this.conversation(proposalId)?.id === conversationId) return proposalId;
    index.delete(conversationId); // the proposal was pruned
    return null;
  }

  /** The proposal whose card is the parent of this thread, if any. */
  proposalForThread(channel: string, threadTs: string): string | null {
    const key = threadKey(channel, threadTs);
    const hit = this.#threadIndex().get(key);
    if (hit !== undefined && this.#cardAt(hit, channel, threadTs)) return hit;
    this.#byThread = null;
    return this.#threadIndex().get(key) ?? null;
  }

  /** The proposal's conversation record as stored (read only: change it with `updateConversation`). */
  conversation(proposalId: string): ConversationView | null {
    return own(this.opts.store.data.proposals, proposalId)?.conversation ?? null;
  }

  /**
   * Links a conversation to a proposal, with `relayed` counted as already in the thread. Synchronous check-and-set,
   * so two people clicking Message at once link (and announce) it once. Returns whether the proposal had no
   * conversation before this call.
   */
  link(proposalId: string, conversationId: string, openedBy: string, relayed: string[] = []): boolean {
    const stored = own(this.opts.store.data.proposals, proposalId);
    if (!stored || stored.conversation?.id === conversationId) return false;
    const fresh: StoredConversation = {
      id: conversationId,
      openedBy,
      openedAt: this.opts.clock().toISOString(),
      relayedIds: relayed,
      lastSeenMessageId: relayed.at(-1) ?? null,
      unread: 0,
      awaitingReply: false,
      lastInboundAt: null,
      relayIntent: null,
    };
    // OpenTrain answered with another conversation than the one we knew: follow OpenTrain, keep what was relayed.
    const previous = stored.conversation;
    this.opts.store.conversations.link(
      proposalId,
      previous ? { ...fresh, relayedIds: [...previous.relayedIds] } : fresh,
    );
    const index = this.#conversationIndex();
    if (previous) index.delete(previous.id);
    index.set(conversationId, proposalId);
    return previous === null;
  }

  /** Changes the proposal's conversation record, if it has one. */
  updateConversation(proposalId: string, mutate: (conversation: StoredConversation) => void): void {
    this.opts.store.conversations.update(proposalId, mutate);
  }

  #cardAt(proposalId: string, channel: string, threadTs: string): boolean {
    const card = own(this.opts.store.data.proposals, proposalId)?.card;
    return card?.channel === channel && card.ts === threadTs;
  }

  #conversationIndex(): Map<string, string> {
    if (!this.#byConversation) {
      this.#byConversation = new Map();
      for (const stored of Object.values(this.opts.store.data.proposals)) {
        if (stored.conversation) this.#byConversation.set(stored.conversation.id, stored.proposal.id);
      }
    }
    return this.#byConversation;
  }

  #threadIndex(): Map<string, string> {
    if (!this.#byThread) {
      this.#byThread = new Map();
      for (const stored of Object.values(this.opts.store.data.proposals)) {
        if (stored.card?.ts) this.#byThread.set(threadKey(stored.card.channel, stored.card.ts), stored.proposal.id);
      }
    }
    return this.#byThread;
  }
}

function threadKey(channel: string, ts: string): string {
  return `${channel}\u0000${ts}`;
}
