import type { OpenTrainClient } from '../api/index.js';
import type { ChatMessage } from '../domain.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/index.js';
import type { CardService } from './cards.js';
import { checkOutboundMessage, type GuardResult } from './guard.js';
import { InboundRelay } from './relay/inbound.js';
import { ConversationLinker } from './relay/linker.js';
import { type OpenConversationResult, OutboundSender, type SendInput, type SendResult } from './relay/outbound.js';
import { CardThread } from './relay/thread.js';
import type { Priority } from './slack-budgets.js';
import type { SlackMessageInput, SlackPort } from './slack-port.js';
import type { SlackScheduler } from './slack-scheduler.js';

// The conversation relay (docs/architecture.md#conversation-relay): a proposal card's thread is the conversation with
// the candidate. This is its public face for the app and the handlers; the parts live in relay/:
// - linker.ts: which proposal a conversation or card thread belongs to (indexed), and linking them;
// - inbound.ts (+ opened-outside.ts): candidate messages into the thread, oldest first, exactly once, crash-safe;
// - outbound.ts: the Message button and sends to the candidate, with the lost-response check;
// - thread.ts: posting to and reading back a card's thread.

export { OPENED_OUTSIDE_SLACK } from './relay/linker.js';
export type { OpenConversationResult, SendInput, SendResult } from './relay/outbound.js';
export { RELAYED_MESSAGE_EVENT_TYPE } from './relay/thread.js';

export interface RelayServiceOptions {
  client: OpenTrainClient;
  store: Store;
  slack: SlackPort;
  cards: CardService;
  /** Thread posts share the channel's posting budget with the cards. */
  scheduler: SlackScheduler;
  logger: Logger;
  clock: () => Date;
}

export class RelayService {
  readonly #linker: ConversationLinker;
  readonly #inbound: InboundRelay;
  readonly #outbound: OutboundSender;
  readonly #thread: CardThread;

  constructor(opts: RelayServiceOptions) {
    const linker = new ConversationLinker(opts);
    const thread = new CardThread(opts);
    this.#linker = linker;
    this.#thread = thread;
    this.#inbound = new InboundRelay({ ...opts, linker, thread });
    this.#outbound = new OutboundSender({ ...opts, linker, thread });
  }

  /** The outbound guard (emails, phone numbers, off-platform handles and links). Pure; answers at once. */
  checkOutbound(text: string): GuardResult {
    return checkOutboundMessage(text);
  }

  /** The proposal whose card is the parent of this thread, if any. */
  proposalForThread(channel: string, threadTs: string): string | null {
    return this.#linker.proposalForThread(channel, threadTs);
  }

  /** Message button: get-or-create the proposal's conversation and link it to the card (announced once). */
  openConversation(proposalId: string, userId: string): Promise<OpenConversationResult> {
    return this.#outbound.openConversation(proposalId, userId);
  }

  /** Sends a teammate's text to the candidate, at most once; see OutboundSender.send. */
  send(input: SendInput): Promise<SendResult> {
    return this.#outbound.send(input);
  }

  /** Our message with this text in the conversation since `sinceMs`, if any; throws when it can't be read. */
  findSent(conversationId: string, text: string, sinceMs: number): Promise<ChatMessage | null> {
    return this.#outbound.findSent(conversationId, text, sinceMs);
  }

  /**
   * A post in the card's thread by another service (hire lines), queued behind what the relay already queued there, so
   * a candidate's answer never shows above the line it answers and the other way round.
   */
  postInThread(priority: Priority, proposalId: string, message: SlackMessageInput): Promise<{ ts: string }> {
    return this.#thread.post(priority, proposalId, message);
  }

  /** Candidate activity in these conversations, plus any a previous relay could not finish. Never throws. */
  relayConversations(conversationIds: string[]): Promise<void> {
    return this.#inbound.relayConversations(conversationIds);
  }

  /** Polling fallback (no ledger): relay conversations with unread candidate messages. Never throws. */
  pollConversations(): Promise<void> {
    return this.#inbound.pollConversations();
  }
}
