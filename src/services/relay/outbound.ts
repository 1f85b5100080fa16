import { describeError, type OpenTrainClient, OpenTrainError, outcomeUnknown } from '../../api/index.js';
import { candidateName } from '../../blocks/format.js';
import type { MessageContent } from '../../blocks/limits.js';
import { conversationOpened, outboundMessage } from '../../blocks/relay.js';
import type { ChatMessage } from '../../domain.js';
import { own } from '../../records.js';
import { checkOutboundMessage } from '../guard.js';
import type { RelayParts } from './parts.js';
import { logFailure } from './thread.js';

// Out: only explicit actions (Message, Reply, Send to candidate) reach the candidate, through the outbound guard, and
// a POST /messages whose response was lost is never repeated before the conversation has been checked
// (docs/architecture.md#conversation-relay).

/** A message of ours with the same text, created this long before a lost attempt or later, is taken as that send. */
const LOST_RESPONSE_WINDOW_MS = 2 * 60_000;
/** How far back the lost-response check reads (the newest page of the conversation). */
const LOST_RESPONSE_PAGE = 50;
const MAX_REMEMBERED_SENDS = 500;
const KEPT = 'Your text was kept — edit it and send again.';
export const UNKNOWN_PROPOSAL =
  "The bot doesn't track this proposal any more (it may have been pruned), so nothing was sent. Open it in the OpenTrain app.";

export interface OutboundSenderOptions extends RelayParts {
  client: Pick<OpenTrainClient, 'startConversation' | 'sendMessage' | 'listMessages'>;
}

export type OpenConversationResult =
  | {
      ok: true;
      conversationId: string;
      candidateName: string;
      /** OpenTrain created the conversation just now (false: it already existed, maybe with history). */
      created: boolean;
      /** The proposal was linked to this conversation by this call (its thread said "Conversation opened by"). */
      linkedNow: boolean;
    }
  | { ok: false; message: string };

export type SendResult =
  | { ok: true; messageId: string; candidateName: string }
  | {
      ok: false;
      /** guard: refused before sending; refused: OpenTrain said no; unconfirmed: the outcome could not be verified. */
      kind: 'guard' | 'refused' | 'unconfirmed' | 'unknown_proposal';
      message: string;
      /** The reason alone, without the advice about the kept text (for lists of outcomes, e.g. asking finalists). */
      reason: string;
    };

export interface SendInput {
  proposalId: string;
  userId: string;
  text: string;
  /** What the card's thread shows once sent (default: "@user → Name: text"). */
  note?: (sent: { userId: string; candidateName: string; content: string }) => MessageContent;
  /**
   * Queue the thread notes instead of waiting until Slack took them: asking finalists one after another, Slack's one
   * post a second per channel must not hold back the next finalist's questions (the notes still post, in order).
   */
  queueNotes?: boolean;
}

/** The send may have happened: the conversation was checked and it could not be confirmed either way. */
class UnconfirmedSendError extends Error {
  constructor(
    readonly userMessage: string,
    readonly reason: string = userMessage,
  ) {
    super(userMessage);
  }
}

/** Opens conversations and sends a teammate's text to the candidate, each at most once. */
export class OutboundSender {
  /** Ids of messages this process sent, so a lost-response check never mistakes an earlier identical send. */
  readonly #sentIds = new Set<string>();

  constructor(private readonly opts: OutboundSenderOptions) {}

  /**
   * Message button: get-or-create the proposal's conversation on OpenTrain and link it to the card. The first link
   * posts "Conversation opened by @user" in the card's thread and shows "conversation open" on the card.
   */
  async openConversation(
    proposalId: string,
    userId: string,
    options: { queueNotes?: boolean } = {},
  ): Promise<OpenConversationResult> {
    const stored = own(this.opts.store.data.proposals, proposalId);
    if (!stored) return { ok: false, message: UNKNOWN_PROPOSAL };
    const name = candidateName(stored.proposal.candidate);
    let conversationId: string;
    let created: boolean;
    try {
      ({ conversationId, created } = await this.opts.client.startConversation(proposalId));
    } catch (error) {
      logFailure(this.opts.logger, `starting the conversation for proposal ${proposalId} failed`, error);
      return { ok: false, message: describeError(error) };
    }
    const linkedNow = this.opts.linker.link(proposalId, conversationId, userId);
    if (linkedNow) {
      await this.opts.store.flush();
      await this.#note(proposalId, conversationOpened(userId), options.queueNotes);
      await this.opts.cards.requestUpdate(proposalId);
    }
    return { ok: true, conversationId, candidateName: name, created, linkedNow };
  }

  /**
   * Sends a teammate's text to the candidate: guard, conversation (opened when the proposal has none yet),
   * POST /messages with the lost-response check, then "@user → Name: text" in the thread and a card refresh.
   */
  async send(input: SendInput): Promise<SendResult> {
    const stored = own(this.opts.store.data.proposals, input.proposalId);
    if (!stored) return { ok: false, kind: 'unknown_proposal', message: UNKNOWN_PROPOSAL, reason: UNKNOWN_PROPOSAL };
    const name = candidateName(stored.proposal.candidate);
    const guard = checkOutboundMessage(input.text);
    if (!guard.ok) return { ok: false, kind: 'guard', message: guard.message, reason: guard.message };
    const content = input.text.trim();

    let conversationId = stored.conversation?.id ?? null;
    if (!conversationId) {
      const opened = await this.openConversation(input.proposalId, input.userId, { queueNotes: input.queueNotes });
      if (!opened.ok) {
        return { ok: false, kind: 'refused', message: `${opened.message} ${KEPT}`, reason: opened.message };
      }
      conversationId = opened.conversationId;
    }

    let sent: ChatMessage;
    try {
      sent = await this.#deliver(conversationId, content);
    } catch (error) {
      if (error instanceof UnconfirmedSendError) {
        return { ok: false, kind: 'unconfirmed', message: error.userMessage, reason: error.reason };
      }
      logFailure(this.opts.logger, `sending to conversation ${conversationId} failed`, error);
      const reason = describeError(error);
      return { ok: false, kind: 'refused', message: `Not sent. ${reason} ${KEPT}`, reason };
    }

    // Ids and length only: the text itself never goes to the log.
    this.opts.logger.debug(
      `sent message ${sent.id} (${content.length} characters) to conversation ${conversationId} for <@${input.userId}>`,
    );
    // Our reply answers everything before it: nothing unread, nothing awaiting us.
    this.opts.linker.updateConversation(input.proposalId, (conversation) => {
      conversation.unread = 0;
      conversation.awaitingReply = false;
    });
    const note = input.note ?? outboundMessage;
    await this.#note(input.proposalId, note({ userId: input.userId, candidateName: name, content }), input.queueNotes);
    await this.opts.cards.requestUpdate(input.proposalId);
    return { ok: true, messageId: sent.id, candidateName: name };
  }

  /** A thread note, waited for or only queued (postNote never rejects: a failure is logged there). */
  async #note(proposalId: string, content: MessageContent, queueOnly = false): Promise<void> {
    const posted = this.opts.thread.postNote(proposalId, content);
    if (!queueOnly) await posted;
  }

  /**
   * POST /messages, never blindly repeated: when the answer is lost (dropped connection, timeout, 5xx, unreadable
   * 2xx) the conversation's newest page is checked for our message with the same text. Found → sent. Not found →
   * only a dropped connection or a 5xx is tried once more; otherwise the person is told it was not confirmed.
   */
  async #deliver(conversationId: string, content: string): Promise<ChatMessage> {
    for (let attempt = 1; ; attempt += 1) {
      const startedAt = this.opts.clock().getTime();
      try {
        const sent = await this.opts.client.sendMessage(conversationId, content);
        this.#rememberSent(sent.id);
        return sent;
      } catch (error) {
        if (!outcomeUnknown(error)) throw error;
        logFailure(
          this.opts.logger,
          `POST /messages to ${conversationId} lost its answer; checking the conversation`,
          error,
        );
        let landed: ChatMessage | null;
        try {
          landed = await this.#findOurMessage(conversationId, content, startedAt);
        } catch (checkError) {
          logFailure(this.opts.logger, `checking conversation ${conversationId} after a lost send failed`, checkError);
          throw new UnconfirmedSendError(
            "OpenTrain didn't confirm the message and the conversation couldn't be checked, so it may or may not " +
              'have been sent. Look at the conversation in the OpenTrain app before sending it again.',
          );
        }
        if (landed) {
          this.opts.logger.info(`message ${landed.id} did reach conversation ${conversationId}; not sending it again`);
          this.#rememberSent(landed.id);
          return landed;
        }
        if (OpenTrainError.isCode(error, 'TIMEOUT')) {
          // OpenTrain may still be working on it: sending again now could deliver it twice.
          throw new UnconfirmedSendError(
            "OpenTrain didn't answer in time and the message isn't in the conversation yet, so it may not have been " +
              `sent. Check the conversation in the OpenTrain app in a minute before sending it again. ${KEPT}`,
            "OpenTrain didn't answer in time and the message isn't in the conversation yet; it may still arrive.",
          );
        }
        if (attempt >= 2 || !retryableAfterCheck(error)) {
          throw new UnconfirmedSendError(
            `Not sent: OpenTrain didn't confirm the message and it isn't in the conversation. ${describeError(error)} ${KEPT}`,
            `Not confirmed: the message isn't in the conversation. ${describeError(error)}`,
          );
        }
      }
    }
  }

  /**
   * Whether our message with this text reached the conversation since `sinceMs` (a send whose outcome was left
   * unknown, e.g. by a crash between recording the intent and the answer). Throws when the conversation can't be read.
   */
  async findSent(conversationId: string, text: string, sinceMs: number): Promise<ChatMessage | null> {
    const landed = await this.#findOurMessage(conversationId, text.trim(), sinceMs, { includeKnown: true });
    if (landed) this.#rememberSent(landed.id);
    return landed;
  }

  async #findOurMessage(
    conversationId: string,
    content: string,
    startedAt: number,
    options: { includeKnown?: boolean } = {},
  ): Promise<ChatMessage | null> {
    const page = await this.opts.client.listMessages(conversationId, { direction: 'older', limit: LOST_RESPONSE_PAGE });
    for (let index = page.messages.length - 1; index >= 0; index -= 1) {
      const message = page.messages[index]!;
      const known = !options.includeKnown && this.#sentIds.has(message.id);
      if (!message.isFromViewer || known || message.content.trim() !== content) continue;
      const created = Date.parse(message.createdAt);
      if (Number.isFinite(created) && created < startedAt - LOST_RESPONSE_WINDOW_MS) continue;
      return message;
    }
    return null;
  }

  #rememberSent(messageId: string): void {
    this.#sentIds.add(messageId);
    if (this.#sentIds.size > MAX_REMEMBERED_SENDS) this.#sentIds.delete(this.#sentIds.values().next().value!);
  }
}

/** After the check found nothing: a dropped connection or a server error did not store it. A timeout might still. */
function retryableAfterCheck(error: unknown): boolean {
  return error instanceof OpenTrainError && (error.code === 'NETWORK_ERROR' || error.status >= 500);
}
