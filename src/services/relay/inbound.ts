import { type OpenTrainClient, OpenTrainError } from '../../api/index.js';
import { candidateName } from '../../blocks/format.js';
import { inboundMessage } from '../../blocks/relay.js';
import type { ChatMessage } from '../../domain.js';
import { own } from '../../records.js';
import { answerExcerpt } from './excerpt.js';
import { OpenedOutside } from './opened-outside.js';
import type { RelayParts } from './parts.js';
import { logFailure, MAX_RELAYED_IDS, RELAYED_MESSAGE_EVENT_TYPE } from './thread.js';

// In: candidate messages are posted to the card's thread oldest first, each exactly once, across crashes and
// restarts (docs/architecture.md#conversation-relay). The conversations to relay are a queue in the store
// (`pendingRelays`), so activity named by the ledger is relayed even when the process dies before it is.

const MAX_PENDING_RELAYS = 500;

export interface InboundRelayOptions extends RelayParts {
  client: Pick<OpenTrainClient, 'messages' | 'conversations'>;
}

export class InboundRelay {
  readonly #outside: OpenedOutside;
  /** Relays run one at a time (sync cycles, the webhook doorbell and clicks may all ask for one). */
  #tail: Promise<void> = Promise.resolve();
  /** Bumped on every request to relay a conversation, so a relay that ran meanwhile doesn't swallow a newer one. */
  readonly #requested = new Map<string, number>();

  constructor(private readonly opts: InboundRelayOptions) {
    this.#outside = new OpenedOutside(opts);
  }

  /**
   * Candidate activity in these conversations (ledger `message.received`, or a click that linked a conversation
   * with history). Also retries every conversation a previous relay could not finish. Never throws.
   */
  relayConversations(conversationIds: string[]): Promise<void> {
    // Recorded before the first await: the caller's ledger cursor and these ids reach the disk in the same write,
    // so a crash can't advance the cursor past activity that was never relayed.
    this.#enqueue(conversationIds);
    return this.#serially(() => this.#drain());
  }

  /** Polling fallback (no ledger): relay conversations with unread candidate messages. Never throws. */
  pollConversations(): Promise<void> {
    return this.#serially(async () => {
      this.#enqueue(await this.#outside.unread());
      await this.#drain();
    });
  }

  #serially(work: () => Promise<void>): Promise<void> {
    const run = this.#tail.then(work).catch((error: unknown) => {
      logFailure(this.opts.logger, 'relaying conversations failed', error);
    });
    this.#tail = run;
    return run;
  }

  #enqueue(conversationIds: string[]): void {
    const fresh = conversationIds.filter((id) => id && !this.#outside.isUnrelated(id));
    for (const id of fresh) this.#requested.set(id, (this.#requested.get(id) ?? 0) + 1);
    const current = new Set(this.opts.store.data.pendingRelays ?? []);
    const added = fresh.filter((id) => !current.has(id));
    if (added.length === 0) return;
    this.opts.store.conversations.enqueue(added, MAX_PENDING_RELAYS);
  }

  /** Done with a conversation, unless it was asked for again since `requestedBefore` (then the next drain runs it). */
  #dequeue(conversationId: string, requestedBefore = this.#requested.get(conversationId)): void {
    if (this.#requested.get(conversationId) !== requestedBefore) return;
    this.#requested.delete(conversationId);
    this.opts.store.conversations.dequeue(conversationId);
  }

  /** Relays every pending conversation that has a posted card; the rest wait (card on its way) or are dropped. */
  async #drain(): Promise<void> {
    const pending = [...(this.opts.store.data.pendingRelays ?? [])];
    if (pending.length === 0) return;
    const { linker } = this.opts;
    const unknown = pending.filter((id) => !linker.proposalForConversation(id));
    const notOurs = unknown.length > 0 ? await this.#outside.linkUnknown(unknown) : new Set<string>();
    for (const conversationId of pending) {
      const proposalId = linker.proposalForConversation(conversationId);
      if (!proposalId) {
        if (notOurs.has(conversationId)) this.#dequeue(conversationId);
        continue;
      }
      const card = own(this.opts.store.data.proposals, proposalId)?.card;
      if (!card) {
        this.#dequeue(conversationId); // no card, no thread: nothing to relay to
        continue;
      }
      if (card.state !== 'posted' || !card.ts) continue; // the card is being posted; relay next cycle
      const requestedBefore = this.#requested.get(conversationId);
      try {
        await this.#relayOne(proposalId);
        this.#dequeue(conversationId, requestedBefore);
      } catch (error) {
        logFailure(this.opts.logger, `relaying conversation ${conversationId} failed; trying again next sync`, error);
      }
    }
    await this.opts.store.flush();
  }

  /** Posts the candidate's new messages to the card's thread, oldest first, each exactly once. */
  async #relayOne(proposalId: string): Promise<void> {
    const { linker } = this.opts;
    const start = linker.conversation(proposalId);
    if (!start) return;
    if (start.relayIntent) await this.#resolveIntent(proposalId);
    const messages = await this.#fetchNewer(start.id, linker.conversation(proposalId)?.lastSeenMessageId ?? null);
    let changed = false;
    for (const message of messages) {
      const conversation = linker.conversation(proposalId);
      if (!conversation || conversation.id !== start.id) return; // relinked meanwhile
      if (message.isFromViewer) {
        // Ours (sent from Slack or from the OpenTrain app): the candidate's earlier messages are answered.
        linker.updateConversation(proposalId, (c) => {
          c.lastSeenMessageId = message.id;
          c.unread = 0;
          c.awaitingReply = false;
        });
        changed = true;
      } else if (message.system || conversation.relayedIds.includes(message.id)) {
        linker.updateConversation(proposalId, (c) => {
          c.lastSeenMessageId = message.id;
        });
      } else {
        await this.#postInbound(proposalId, message);
        changed = true;
      }
    }
    if (changed) void this.opts.cards.requestUpdate(proposalId);
  }

  /** Like a card intent: the id goes to disk before the post, so a crash between the two can't repeat or lose it. */
  async #postInbound(proposalId: string, message: ChatMessage): Promise<void> {
    const stored = own(this.opts.store.data.proposals, proposalId)!;
    const card = stored.card!;
    this.opts.linker.updateConversation(proposalId, (c) => {
      c.relayIntent = { messageId: message.id, at: message.createdAt };
    });
    await this.opts.store.flush();
    const content = inboundMessage({
      candidateName: candidateName(stored.proposal.candidate),
      content: message.content,
      sentAt: message.createdAt,
      proposalId,
      conversationId: message.conversationId,
      messageId: message.id,
      now: this.opts.clock(),
    });
    await this.opts.thread.post('arrival', proposalId, {
      channel: card.channel,
      threadTs: card.ts!,
      ...content,
      metadata: {
        event_type: RELAYED_MESSAGE_EVENT_TYPE,
        event_payload: { proposal_id: proposalId, conversation_id: message.conversationId, message_id: message.id },
      },
    });
    this.#markRelayed(proposalId, message.id, message.createdAt, answerExcerpt(message.content));
  }

  /** An intent left open (crash, or a post that failed without telling whether it landed): look in the thread. */
  async #resolveIntent(proposalId: string): Promise<void> {
    const stored = own(this.opts.store.data.proposals, proposalId);
    const intent = stored?.conversation?.relayIntent;
    const card = stored?.card;
    if (!intent || !card?.ts) return;
    if (await this.opts.thread.holds(card, intent.messageId)) {
      this.opts.logger.info(`candidate message ${intent.messageId} was already in the thread; not posting it again`);
      this.#markRelayed(proposalId, intent.messageId, intent.at);
    } else {
      this.opts.linker.updateConversation(proposalId, (c) => {
        c.relayIntent = null;
      });
    }
    await this.opts.store.flush();
  }

  /** `text`: the excerpt the shortlist shows (null: withheld, or unknown when found already in the thread). */
  #markRelayed(proposalId: string, messageId: string, sentAt: string, text: string | null = null): void {
    this.opts.linker.updateConversation(proposalId, (c) => {
      c.relayedIds = [...c.relayedIds.filter((id) => id !== messageId), messageId].slice(-MAX_RELAYED_IDS);
      c.relayIntent = null;
      c.lastSeenMessageId = messageId;
      c.unread += 1;
      c.awaitingReply = true;
      c.lastInboundAt = sentAt;
    });
    this.opts.store.conversations.noteInbound(proposalId, { messageId, at: sentAt, text });
  }

  /** Every message after `cursor`, oldest first. A cursor OpenTrain no longer knows restarts from the beginning. */
  async #fetchNewer(conversationId: string, cursor: string | null): Promise<ChatMessage[]> {
    const read = async (from: string | null) => {
      const out: ChatMessage[] = [];
      const opts = from ? { cursor: from, direction: 'newer' as const } : { direction: 'newer' as const };
      for await (const message of this.opts.client.messages(conversationId, opts)) out.push(message);
      return out;
    };
    try {
      return await read(cursor);
    } catch (error) {
      if (!cursor || !OpenTrainError.isStatus(error, 400)) throw error;
      // relayedIds keep already-posted messages from being posted again.
      this.opts.logger.warn(`conversation ${conversationId}: cursor ${cursor} was refused; reading from the start`);
      return read(null);
    }
  }
}
