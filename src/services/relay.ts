import type { OpenTrainClient } from '../api/client.js';
import { describeError, errorLogFields, OpenTrainError, outcomeUnknown } from '../api/errors.js';
import { candidateName } from '../blocks/format.js';
import { conversationOpened, inboundMessage, outboundMessage } from '../blocks/relay.js';
import type { ChatMessage, ConversationSummary } from '../domain.js';
import type { Logger } from '../logger.js';
import { own } from '../records.js';
import type { StoredCard, StoredConversation, StoredProposal } from '../store/schema.js';
import type { Store } from '../store/store.js';
import type { CardService } from './cards.js';
import { checkOutboundMessage, type GuardResult } from './guard.js';
import type { Priority } from './slack-budgets.js';
import type { SlackMessageInput, SlackPort } from './slack-port.js';
import type { SlackScheduler } from './slack-scheduler.js';

// The conversation relay (docs/architecture.md#conversation-relay): a proposal card's thread is the conversation with
// the candidate. In: candidate messages are posted to the thread oldest first, each exactly once, across crashes and
// restarts. Out: only explicit actions (Message, Reply, Send to candidate) reach the candidate, through the outbound
// guard, and a POST /messages whose response was lost is never repeated before the conversation has been checked.

/** Metadata event type on relayed candidate messages; a crashed post is looked up by it before posting again. */
export const RELAYED_MESSAGE_EVENT_TYPE = 'opentrain_message';
/** Set as `openedBy` on conversations that were started in the OpenTrain app rather than from Slack. */
export const OPENED_OUTSIDE_SLACK = 'opentrain';

const MAX_RELAYED_IDS = 200;
const MAX_PENDING_RELAYS = 500;
const MAX_REMEMBERED_SENDS = 500;
const MAX_UNRELATED = 1000;
/** A message of ours with the same text, created this long before a lost attempt or later, is taken as that send. */
const LOST_RESPONSE_WINDOW_MS = 2 * 60_000;
/** How far back the lost-response check reads (the newest page of the conversation). */
const LOST_RESPONSE_PAGE = 50;
const KEPT = 'Your text was kept — edit it and send again.';

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
    };

/** The send may have happened: the conversation was checked and it could not be confirmed either way. */
class UnconfirmedSendError extends Error {
  constructor(readonly userMessage: string) {
    super(userMessage);
  }
}

export class RelayService {
  /** Relays run one at a time (sync cycles, the webhook doorbell and clicks may all ask for one). */
  private tail: Promise<void> = Promise.resolve();
  /** Ids of messages this process sent, so a lost-response check never mistakes an earlier identical send. */
  private readonly sentIds = new Set<string>();
  /** Conversations that belong to no card (e.g. post-hire job threads): not looked up in list mode again. */
  private readonly unrelated = new Set<string>();
  /** Bumped on every request to relay a conversation, so a relay that ran meanwhile doesn't swallow a newer one. */
  private readonly requested = new Map<string, number>();
  private threadPosts = 0;

  constructor(private readonly opts: RelayServiceOptions) {}

  /** The outbound guard (emails, phone numbers, off-platform handles and links). Pure; answers at once. */
  checkOutbound(text: string): GuardResult {
    return checkOutboundMessage(text);
  }

  /** The proposal whose card is the parent of this thread, if any. */
  proposalForThread(channel: string, threadTs: string): string | null {
    for (const stored of Object.values(this.opts.store.data.proposals)) {
      if (stored.card?.channel === channel && stored.card.ts === threadTs) return stored.proposal.id;
    }
    return null;
  }

  /**
   * Message button: get-or-create the proposal's conversation on OpenTrain and link it to the card. The first link
   * posts "Conversation opened by @user" in the card's thread and shows "conversation open" on the card.
   */
  async openConversation(proposalId: string, userId: string): Promise<OpenConversationResult> {
    const stored = own(this.opts.store.data.proposals, proposalId);
    if (!stored) return { ok: false, message: UNKNOWN_PROPOSAL };
    const name = candidateName(stored.proposal.candidate);
    let conversationId: string;
    let created: boolean;
    try {
      ({ conversationId, created } = await this.opts.client.startConversation(proposalId));
    } catch (error) {
      this.logFailure(`starting the conversation for proposal ${proposalId} failed`, error);
      return { ok: false, message: describeError(error) };
    }
    const linkedNow = this.link(proposalId, conversationId, userId);
    if (linkedNow) {
      await this.opts.store.flush();
      await this.postInThread(proposalId, conversationOpened(userId));
      await this.opts.cards.requestUpdate(proposalId);
    }
    return { ok: true, conversationId, candidateName: name, created, linkedNow };
  }

  /**
   * Sends a teammate's text to the candidate: guard, conversation (opened when the proposal has none yet),
   * POST /messages with the lost-response check, then "@user → Name: text" in the thread and a card refresh.
   */
  async send(input: { proposalId: string; userId: string; text: string }): Promise<SendResult> {
    const stored = own(this.opts.store.data.proposals, input.proposalId);
    if (!stored) return { ok: false, kind: 'unknown_proposal', message: UNKNOWN_PROPOSAL };
    const name = candidateName(stored.proposal.candidate);
    const guard = checkOutboundMessage(input.text);
    if (!guard.ok) return { ok: false, kind: 'guard', message: guard.message };
    const content = input.text.trim();

    let conversationId = stored.conversation?.id ?? null;
    if (!conversationId) {
      const opened = await this.openConversation(input.proposalId, input.userId);
      if (!opened.ok) return { ok: false, kind: 'refused', message: `${opened.message} ${KEPT}` };
      conversationId = opened.conversationId;
    }

    let sent: ChatMessage;
    try {
      sent = await this.deliver(conversationId, content);
    } catch (error) {
      if (error instanceof UnconfirmedSendError) return { ok: false, kind: 'unconfirmed', message: error.userMessage };
      this.logFailure(`sending to conversation ${conversationId} failed`, error);
      return { ok: false, kind: 'refused', message: `Not sent. ${describeError(error)} ${KEPT}` };
    }

    // Ids and length only: the text itself never goes to the log.
    this.opts.logger.debug(
      `sent message ${sent.id} (${content.length} characters) to conversation ${conversationId} for <@${input.userId}>`,
    );
    // Our reply answers everything before it: nothing unread, nothing awaiting us.
    this.updateConversation(input.proposalId, (conversation) => {
      conversation.unread = 0;
      conversation.awaitingReply = false;
    });
    await this.postInThread(input.proposalId, outboundMessage({ userId: input.userId, candidateName: name, content }));
    await this.opts.cards.requestUpdate(input.proposalId);
    return { ok: true, messageId: sent.id, candidateName: name };
  }

  /**
   * Candidate activity in these conversations (ledger `message.received`, or a click that linked a conversation
   * with history). Also retries every conversation a previous relay could not finish. Never throws.
   */
  relayConversations(conversationIds: string[]): Promise<void> {
    // Recorded before the first await: the caller's ledger cursor and these ids reach the disk in the same write,
    // so a crash can't advance the cursor past activity that was never relayed.
    this.enqueue(conversationIds);
    return this.serially(() => this.drain());
  }

  /** Polling fallback (no ledger): relay conversations with unread candidate messages. Never throws. */
  pollConversations(): Promise<void> {
    return this.serially(async () => {
      const wanted: string[] = [];
      try {
        for await (const summary of this.opts.client.conversations({ filter: 'proposal', unreadOnly: true })) {
          const proposalId = this.proposalForConversation(summary.id);
          if (proposalId) {
            if (!this.caughtUp(proposalId, summary)) wanted.push(summary.id);
          } else if (summary.proposalId && (await this.linkOpenedOutsideSlack(summary.proposalId, summary.id))) {
            wanted.push(summary.id);
          }
        }
      } catch (error) {
        this.logFailure('listing unread conversations failed; trying again next sync', error);
      }
      this.enqueue(wanted);
      await this.drain();
    });
  }

  // ---- relay in ---------------------------------------------------------------------------------------------------

  private serially(work: () => Promise<void>): Promise<void> {
    const run = this.tail.then(work).catch((error: unknown) => {
      this.logFailure('relaying conversations failed', error);
    });
    this.tail = run;
    return run;
  }

  private enqueue(conversationIds: string[]): void {
    const fresh = conversationIds.filter((id) => id && !this.unrelated.has(id));
    for (const id of fresh) this.requested.set(id, (this.requested.get(id) ?? 0) + 1);
    const current = this.opts.store.data.pendingRelays ?? [];
    const added = fresh.filter((id) => !current.includes(id));
    if (added.length === 0) return;
    this.opts.store.change((data) => {
      const next = [...(data.pendingRelays ?? []), ...added];
      data.pendingRelays = next.slice(-MAX_PENDING_RELAYS);
    });
  }

  /** Done with a conversation, unless it was asked for again since `requestedBefore` (then the next drain runs it). */
  private dequeue(conversationId: string, requestedBefore = this.requested.get(conversationId)): void {
    if (this.requested.get(conversationId) !== requestedBefore) return;
    this.requested.delete(conversationId);
    this.opts.store.change((data) => {
      data.pendingRelays = (data.pendingRelays ?? []).filter((id) => id !== conversationId);
    });
  }

  /** Relays every pending conversation that has a posted card; the rest wait (card on its way) or are dropped. */
  private async drain(): Promise<void> {
    const pending = [...(this.opts.store.data.pendingRelays ?? [])];
    if (pending.length === 0) return;
    const unknown = pending.filter((id) => !this.proposalForConversation(id));
    const notOurs = unknown.length > 0 ? await this.linkUnknown(unknown) : new Set<string>();
    for (const conversationId of pending) {
      const proposalId = this.proposalForConversation(conversationId);
      if (!proposalId) {
        if (notOurs.has(conversationId)) this.dequeue(conversationId);
        continue;
      }
      const card = own(this.opts.store.data.proposals, proposalId)?.card;
      if (!card) {
        this.dequeue(conversationId); // no card, no thread: nothing to relay to
        continue;
      }
      if (card.state !== 'posted' || !card.ts) continue; // the card is being posted; relay next cycle
      const requestedBefore = this.requested.get(conversationId);
      try {
        await this.relayOne(proposalId);
        this.dequeue(conversationId, requestedBefore);
      } catch (error) {
        this.logFailure(`relaying conversation ${conversationId} failed; trying again next sync`, error);
      }
    }
    await this.opts.store.flush();
  }

  /**
   * Conversations named by events but linked to no card: started in the OpenTrain app for a proposal we hold.
   * List mode names each conversation's proposal. Returns the ids that belong to no stored proposal.
   */
  private async linkUnknown(conversationIds: string[]): Promise<Set<string>> {
    const wanted = new Set(conversationIds);
    const notOurs = new Set<string>();
    try {
      for await (const summary of this.opts.client.conversations({ filter: 'proposal' })) {
        if (!wanted.delete(summary.id)) continue;
        const linked = summary.proposalId && (await this.linkOpenedOutsideSlack(summary.proposalId, summary.id));
        if (!linked) notOurs.add(summary.id);
        if (wanted.size === 0) break;
      }
    } catch (error) {
      this.logFailure('looking up conversations started outside Slack failed; trying again next sync', error);
      return notOurs;
    }
    // Not a proposal conversation at all (e.g. a post-hire job thread).
    for (const id of wanted) notOurs.add(id);
    for (const id of notOurs) {
      this.unrelated.add(id);
      if (this.unrelated.size > MAX_UNRELATED) this.unrelated.delete(this.unrelated.values().next().value!);
    }
    return notOurs;
  }

  /**
   * Links a conversation started in the OpenTrain app to the proposal's card and says so in the thread. A card whose
   * thread already relays this conversation (its record was lost with a damaged store and re-learned) is linked
   * quietly, with the messages already in the thread counted as relayed, so none is posted twice.
   */
  private async linkOpenedOutsideSlack(proposalId: string, conversationId: string): Promise<boolean> {
    const stored = own(this.opts.store.data.proposals, proposalId);
    if (!stored?.card || stored.conversation) return false;
    const relayed = await this.relayedInThread(stored.card, conversationId);
    if (!this.link(proposalId, conversationId, OPENED_OUTSIDE_SLACK, relayed)) return false;
    await this.opts.store.flush();
    if (relayed.length > 0) {
      this.opts.logger.info(
        `conversation ${conversationId} re-linked to its card: ${relayed.length} message(s) already in the thread`,
      );
      return true;
    }
    const name = candidateName(stored.proposal.candidate);
    await this.postInThread(proposalId, {
      text: `💬 A conversation with ${name} was started in the OpenTrain app. Their messages appear in this thread; only *Reply* or *Send to candidate* reach them.`,
    });
    return true;
  }

  /** In list mode, an unread conversation whose last activity we already relayed needs no fetch. */
  private caughtUp(proposalId: string, summary: ConversationSummary): boolean {
    const lastInbound = Date.parse(own(this.opts.store.data.proposals, proposalId)?.conversation?.lastInboundAt ?? '');
    const updated = Date.parse(summary.updatedAt ?? '');
    return Number.isFinite(lastInbound) && Number.isFinite(updated) && updated <= lastInbound;
  }

  /** Posts the candidate's new messages to the card's thread, oldest first, each exactly once. */
  private async relayOne(proposalId: string): Promise<void> {
    const start = own(this.opts.store.data.proposals, proposalId)?.conversation;
    if (!start) return;
    if (start.relayIntent) await this.resolveIntent(proposalId);
    const cursor = own(this.opts.store.data.proposals, proposalId)?.conversation?.lastSeenMessageId ?? null;
    const messages = await this.fetchNewer(start.id, cursor);
    let changed = false;
    for (const message of messages) {
      const conversation = own(this.opts.store.data.proposals, proposalId)?.conversation;
      if (!conversation || conversation.id !== start.id) return; // relinked meanwhile
      if (message.isFromViewer) {
        // Ours (sent from Slack or from the OpenTrain app): the candidate's earlier messages are answered.
        this.updateConversation(proposalId, (c) => {
          c.lastSeenMessageId = message.id;
          c.unread = 0;
          c.awaitingReply = false;
        });
        changed = true;
      } else if (message.system || conversation.relayedIds.includes(message.id)) {
        this.updateConversation(proposalId, (c) => {
          c.lastSeenMessageId = message.id;
        });
      } else {
        await this.postInbound(proposalId, message);
        changed = true;
      }
    }
    if (changed) void this.opts.cards.requestUpdate(proposalId);
  }

  /** Like a card intent: the id goes to disk before the post, so a crash between the two can't repeat or lose it. */
  private async postInbound(proposalId: string, message: ChatMessage): Promise<void> {
    const stored = own(this.opts.store.data.proposals, proposalId)!;
    const card = stored.card!;
    this.updateConversation(proposalId, (c) => {
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
    await this.postPaced('arrival', {
      channel: card.channel,
      threadTs: card.ts!,
      ...content,
      metadata: {
        event_type: RELAYED_MESSAGE_EVENT_TYPE,
        event_payload: { proposal_id: proposalId, conversation_id: message.conversationId, message_id: message.id },
      },
    });
    this.markRelayed(proposalId, message.id, message.createdAt);
  }

  /** An intent left open (crash, or a post that failed without telling whether it landed): look in the thread. */
  private async resolveIntent(proposalId: string): Promise<void> {
    const stored = own(this.opts.store.data.proposals, proposalId);
    const intent = stored?.conversation?.relayIntent;
    const card = stored?.card;
    if (!intent || !card?.ts) return;
    const replies = await this.opts.slack.threadReplies(card.channel, card.ts, { maxMessages: 1000 });
    const posted = replies.some(
      (reply) =>
        reply.metadata?.event_type === RELAYED_MESSAGE_EVENT_TYPE &&
        reply.metadata.event_payload.message_id === intent.messageId,
    );
    if (posted) {
      this.opts.logger.info(`candidate message ${intent.messageId} was already in the thread; not posting it again`);
      this.markRelayed(proposalId, intent.messageId, intent.at);
    } else {
      this.updateConversation(proposalId, (c) => {
        c.relayIntent = null;
      });
    }
    await this.opts.store.flush();
  }

  private markRelayed(proposalId: string, messageId: string, sentAt: string): void {
    this.updateConversation(proposalId, (c) => {
      c.relayedIds = [...c.relayedIds.filter((id) => id !== messageId), messageId].slice(-MAX_RELAYED_IDS);
      c.relayIntent = null;
      c.lastSeenMessageId = messageId;
      c.unread += 1;
      c.awaitingReply = true;
      c.lastInboundAt = sentAt;
    });
  }

  /** Every message after `cursor`, oldest first. A cursor OpenTrain no longer knows restarts from the beginning. */
  private async fetchNewer(conversationId: string, cursor: string | null): Promise<ChatMessage[]> {
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

  // ---- relay out --------------------------------------------------------------------------------------------------

  /**
   * POST /messages, never blindly repeated: when the answer is lost (dropped connection, timeout, 5xx, unreadable
   * 2xx) the conversation's newest page is checked for our message with the same text. Found → sent. Not found →
   * only a dropped connection or a 5xx is tried once more; otherwise the person is told it was not confirmed.
   */
  private async deliver(conversationId: string, content: string): Promise<ChatMessage> {
    for (let attempt = 1; ; attempt += 1) {
      const startedAt = this.opts.clock().getTime();
      try {
        const sent = await this.opts.client.sendMessage(conversationId, content);
        this.rememberSent(sent.id);
        return sent;
      } catch (error) {
        if (!outcomeUnknown(error)) throw error;
        this.logFailure(`POST /messages to ${conversationId} lost its answer; checking the conversation`, error);
        let landed: ChatMessage | null;
        try {
          landed = await this.findOurMessage(conversationId, content, startedAt);
        } catch (checkError) {
          this.logFailure(`checking conversation ${conversationId} after a lost send failed`, checkError);
          throw new UnconfirmedSendError(
            "OpenTrain didn't confirm the message and the conversation couldn't be checked, so it may or may not " +
              'have been sent. Look at the conversation in the OpenTrain app before sending it again.',
          );
        }
        if (landed) {
          this.opts.logger.info(`message ${landed.id} did reach conversation ${conversationId}; not sending it again`);
          this.rememberSent(landed.id);
          return landed;
        }
        if (OpenTrainError.isCode(error, 'TIMEOUT')) {
          // OpenTrain may still be working on it: sending again now could deliver it twice.
          throw new UnconfirmedSendError(
            "OpenTrain didn't answer in time and the message isn't in the conversation yet, so it may not have been " +
              `sent. Check the conversation in the OpenTrain app in a minute before sending it again. ${KEPT}`,
          );
        }
        if (attempt >= 2 || !retryableAfterCheck(error)) {
          throw new UnconfirmedSendError(
            `Not sent: OpenTrain didn't confirm the message and it isn't in the conversation. ${describeError(error)} ${KEPT}`,
          );
        }
      }
    }
  }

  private async findOurMessage(
    conversationId: string,
    content: string,
    startedAt: number,
  ): Promise<ChatMessage | null> {
    const page = await this.opts.client.listMessages(conversationId, { direction: 'older', limit: LOST_RESPONSE_PAGE });
    for (let index = page.messages.length - 1; index >= 0; index -= 1) {
      const message = page.messages[index]!;
      if (!message.isFromViewer || this.sentIds.has(message.id) || message.content.trim() !== content) continue;
      const created = Date.parse(message.createdAt);
      if (Number.isFinite(created) && created < startedAt - LOST_RESPONSE_WINDOW_MS) continue;
      return message;
    }
    return null;
  }

  private rememberSent(messageId: string): void {
    this.sentIds.add(messageId);
    if (this.sentIds.size > MAX_REMEMBERED_SENDS) this.sentIds.delete(this.sentIds.values().next().value!);
  }

  // ---- shared -----------------------------------------------------------------------------------------------------

  private proposalForConversation(conversationId: string): string | null {
    for (const stored of Object.values(this.opts.store.data.proposals)) {
      if (stored.conversation?.id === conversationId) return stored.proposal.id;
    }
    return null;
  }

  /**
   * Links a conversation to a proposal. Synchronous check-and-set, so two people clicking Message at once link
   * (and announce) it once. Returns whether this call linked it.
   */
  /** Candidate messages of `conversationId` already relayed to the card's thread (by their message metadata). */
  private async relayedInThread(card: StoredCard, conversationId: string): Promise<string[]> {
    if (card.state !== 'posted' || !card.ts) return [];
    const replies = await this.opts.slack.threadReplies(card.channel, card.ts, { maxMessages: 1000 });
    const ids: string[] = [];
    for (const reply of replies) {
      const payload = reply.metadata?.event_type === RELAYED_MESSAGE_EVENT_TYPE ? reply.metadata.event_payload : null;
      if (payload?.conversation_id === conversationId && typeof payload.message_id === 'string') {
        ids.push(payload.message_id);
      }
    }
    return ids.slice(-MAX_RELAYED_IDS);
  }

  private link(proposalId: string, conversationId: string, openedBy: string, relayed: string[] = []): boolean {
    const stored = own(this.opts.store.data.proposals, proposalId);
    if (!stored || stored.conversation?.id === conversationId) return false;
    const now = this.opts.clock().toISOString();
    const fresh: StoredConversation = {
      id: conversationId,
      openedBy,
      openedAt: now,
      relayedIds: relayed,
      lastSeenMessageId: relayed.at(-1) ?? null,
      unread: 0,
      awaitingReply: false,
      lastInboundAt: null,
      relayIntent: null,
    };
    // OpenTrain answered with another conversation than the one we knew: follow OpenTrain, keep what was relayed.
    const previous = stored.conversation;
    this.opts.store.change((data) => {
      const target = own(data.proposals, proposalId);
      if (target) target.conversation = previous ? { ...fresh, relayedIds: [...previous.relayedIds] } : fresh;
    });
    return previous === null;
  }

  private updateConversation(proposalId: string, mutate: (conversation: StoredConversation) => void): void {
    this.opts.store.change((data) => {
      const conversation = own(data.proposals, proposalId)?.conversation;
      if (conversation) mutate(conversation);
    });
  }

  /** Posts to the card's thread; a failure is logged (what it reports already happened on OpenTrain). */
  private async postInThread(proposalId: string, content: { text: string; blocks?: unknown[] }): Promise<void> {
    const card: StoredProposal['card'] | undefined = own(this.opts.store.data.proposals, proposalId)?.card;
    if (!card?.ts) return;
    try {
      await this.postPaced('person', { channel: card.channel, threadTs: card.ts, ...content });
    } catch (error) {
      this.logFailure(`posting to the thread of proposal ${proposalId} failed`, error);
    }
  }

  /** A thread post through the scheduler: candidate messages as arrivals, what a teammate did as person-caused. */
  private postPaced(priority: Priority, message: SlackMessageInput): Promise<{ ts: string }> {
    this.threadPosts += 1;
    return this.opts.scheduler.schedule(
      { priority, channel: message.channel, key: `thread:${this.threadPosts}`, call: 'post' },
      () => this.opts.slack.postMessage(message),
    );
  }

  private logFailure(what: string, error: unknown): void {
    const detail = error instanceof Error ? error.message : String(error);
    this.opts.logger.warn(`${what}: ${detail}`, errorLogFields(error));
  }
}

const UNKNOWN_PROPOSAL =
  "The bot doesn't track this proposal any more (it may have been pruned), so nothing was sent. Open it in the OpenTrain app.";

/** After the check found nothing: a dropped connection or a server error did not store it. A timeout might still. */
function retryableAfterCheck(error: unknown): boolean {
  return error instanceof OpenTrainError && (error.code === 'NETWORK_ERROR' || error.status >= 500);
}

/**
 * A Slack message's text as plain text for the candidate: user and channel mentions, special mentions and links
 * written out, HTML entities decoded. (Slack sends `<@U123>`, `<https://x|label>`, `&lt;` in message text.)
 */
export function slackTextToPlain(text: string): string {
  const written = text.replace(/<([^<>]*)>/g, (_match, inner: string) => {
    const bar = inner.indexOf('|');
    const target = bar === -1 ? inner : inner.slice(0, bar);
    const label = bar === -1 ? '' : inner.slice(bar + 1);
    if (target.startsWith('@')) return label ? `@${label.replace(/^@/, '')}` : '@teammate';
    if (target.startsWith('#')) return label ? `#${label.replace(/^#/, '')}` : '#channel';
    if (target.startsWith('!')) {
      const special = target.slice(1).split('^')[0] ?? '';
      if (['here', 'channel', 'everyone'].includes(special)) return `@${special}`;
      return label || '';
    }
    if (target.startsWith('mailto:')) return label || target.slice('mailto:'.length);
    if (!label || label === target || `http://${label}` === target || `https://${label}` === target) return target;
    return `${label} (${target})`;
  });
  return written.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
