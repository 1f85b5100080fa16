import type { OpenTrainClient } from '../../api/client.js';
import { candidateName } from '../../blocks/format.js';
import type { ConversationSummary } from '../../domain.js';
import { own } from '../../records.js';
import { OPENED_OUTSIDE_SLACK } from './linker.js';
import type { RelayParts } from './parts.js';
import { logFailure } from './thread.js';

const MAX_UNRELATED = 1000;

export interface OpenedOutsideOptions extends Pick<RelayParts, 'store' | 'linker' | 'thread' | 'logger'> {
  client: Pick<OpenTrainClient, 'conversations'>;
}

/**
 * Conversations the bot learns of from OpenTrain rather than from a click: started in the OpenTrain app for a
 * proposal whose card we hold, or listed unread when there is no ledger to follow. List mode names each
 * conversation's proposal.
 */
export class OpenedOutside {
  /** Conversations that belong to no card (e.g. post-hire job threads): not looked up in list mode again. */
  readonly #unrelated = new Set<string>();

  constructor(private readonly opts: OpenedOutsideOptions) {}

  /** Learned to belong to no stored proposal: relaying it would only look it up again. */
  isUnrelated(conversationId: string): boolean {
    return this.#unrelated.has(conversationId);
  }

  /** Polling fallback: the conversations with unread candidate messages not yet relayed (linking new ones). */
  async unread(): Promise<string[]> {
    const wanted: string[] = [];
    try {
      for await (const summary of this.opts.client.conversations({ filter: 'proposal', unreadOnly: true })) {
        const proposalId = this.opts.linker.proposalForConversation(summary.id);
        if (proposalId) {
          if (!this.#caughtUp(proposalId, summary)) wanted.push(summary.id);
        } else if (summary.proposalId && (await this.link(summary.proposalId, summary.id))) {
          wanted.push(summary.id);
        }
      }
    } catch (error) {
      logFailure(this.opts.logger, 'listing unread conversations failed; trying again next sync', error);
    }
    return wanted;
  }

  /**
   * Conversations named by events but linked to no card: links those started in the OpenTrain app for a proposal we
   * hold. Returns the ids that belong to no stored proposal (none when the listing failed: they are tried again).
   */
  async linkUnknown(conversationIds: string[]): Promise<Set<string>> {
    const wanted = new Set(conversationIds);
    const notOurs = new Set<string>();
    try {
      for await (const summary of this.opts.client.conversations({ filter: 'proposal' })) {
        if (!wanted.delete(summary.id)) continue;
        const linked = summary.proposalId && (await this.link(summary.proposalId, summary.id));
        if (!linked) notOurs.add(summary.id);
        if (wanted.size === 0) break;
      }
    } catch (error) {
      logFailure(
        this.opts.logger,
        'looking up conversations started outside Slack failed; trying again next sync',
        error,
      );
      return notOurs;
    }
    // Not a proposal conversation at all (e.g. a post-hire job thread).
    for (const id of wanted) notOurs.add(id);
    for (const id of notOurs) {
      this.#unrelated.add(id);
      if (this.#unrelated.size > MAX_UNRELATED) this.#unrelated.delete(this.#unrelated.values().next().value!);
    }
    return notOurs;
  }

  /**
   * Links a conversation started in the OpenTrain app to the proposal's card and says so in the thread. A card whose
   * thread already relays this conversation (its record was lost with a damaged store and re-learned) is linked
   * quietly, with the messages already in the thread counted as relayed, so none is posted twice.
   */
  async link(proposalId: string, conversationId: string): Promise<boolean> {
    const stored = own(this.opts.store.data.proposals, proposalId);
    if (!stored?.card || stored.conversation) return false;
    const relayed = await this.opts.thread.relayedIds(stored.card, conversationId);
    if (!this.opts.linker.link(proposalId, conversationId, OPENED_OUTSIDE_SLACK, relayed)) return false;
    await this.opts.store.flush();
    if (relayed.length > 0) {
      this.opts.logger.info(
        `conversation ${conversationId} re-linked to its card: ${relayed.length} message(s) already in the thread`,
      );
      return true;
    }
    const name = candidateName(stored.proposal.candidate);
    await this.opts.thread.postNote(proposalId, {
      text: `💬 A conversation with ${name} was started in the OpenTrain app. Their messages appear in this thread; only *Reply* or *Send to candidate* reach them.`,
    });
    return true;
  }

  /** In list mode, an unread conversation whose last activity we already relayed needs no fetch. */
  #caughtUp(proposalId: string, summary: ConversationSummary): boolean {
    const lastInbound = Date.parse(this.opts.linker.conversation(proposalId)?.lastInboundAt ?? '');
    const updated = Date.parse(summary.updatedAt ?? '');
    return Number.isFinite(lastInbound) && Number.isFinite(updated) && updated <= lastInbound;
  }
}
