import { candidateName } from '../../blocks/format.js';
import { HIRE_LINES } from '../../blocks/hire.js';
import { errorText } from '../../error-text.js';
import { isApprovalOutcome } from '../../hiring.js';
import type { Logger } from '../../logger.js';
import { own } from '../../records.js';
import type { HireView, ProposalView, Store } from '../../store/index.js';
import { type ChannelAccess, channelProblemText, isChannelRefusal } from '../channel-access.js';
import type { Priority } from '../slack-budgets.js';
import { isThreadGone, type SlackMessageInput, type SlackPort } from '../slack-port.js';
import { hireFees } from './terms.js';

// The hire lines in a card's thread (docs/opentrain.md#hiring), each posted once. Which lines are due follows from the
// stored hire record (its request, its outcome, its contract), so a line that could not be posted — Slack down, the
// bot out of a private channel — is posted at a later cycle, not lost with the event that caused it. Each is keyed
// (`requested:<approvalId>`, `confirmed:<approvalId>`, `contract:<contractId>`…), its key on disk before the post, and
// a post whose fate is unknown is looked up in the thread by its metadata before anything more is posted.

/** Metadata on the hire lines in a card's thread: a line whose post may have landed is looked up by it. */
export const HIRE_LINE_EVENT_TYPE = 'opentrain_hire_line';
/** How much of a card's thread is read back to find a hire line. */
const THREAD_READ = 1000;

export interface HireLinesOptions {
  store: Store;
  slack: Pick<SlackPort, 'threadReplies'>;
  /** Posts in the card's thread, in order with the relay's posts there (src/services/relay/thread.ts). */
  post: (priority: Priority, proposalId: string, message: SlackMessageInput) => Promise<{ ts: string }>;
  access: Pick<ChannelAccess, 'ensureReadable' | 'noteRefusal' | 'problemOf'>;
  logger: Logger;
}

type Locked = <T>(proposalId: string, work: () => Promise<T>) => Promise<T>;

export class HireLines {
  constructor(private readonly opts: HireLinesOptions) {}

  /**
   * Posts the proposal's due lines, oldest first; `first` (the request's own line, `requested:` or `superseded:`) goes
   * before them. A line that can't be posted now stays due for the next cycle. Never throws.
   */
  async postDue(proposalId: string, first?: string): Promise<void> {
    try {
      await this.#postDue(proposalId, first);
    } catch (error) {
      this.opts.logger.warn(`hire lines of proposal ${proposalId}: trying again next sync`, errorText(error));
    }
  }

  async #postDue(proposalId: string, first?: string): Promise<void> {
    const { store, logger } = this.opts;
    const stored = own(store.data.proposals, proposalId);
    const hire = stored?.hire;
    if (!stored || !hire || this.#due(hire, first).length === 0) return;
    const card = stored.card;
    if (!card) {
      // No card to post under: not posted later out of the blue either.
      this.#closeAll(proposalId, first);
      return;
    }
    if (card.state !== 'posted' || !card.ts) return; // the card is on its way: next cycle
    if (!(await this.opts.access.ensureReadable(card.channel))) {
      const problem = this.opts.access.problemOf(card.channel) ?? 'needs_invite';
      logger.warn(`hire lines of proposal ${proposalId} wait: ${channelProblemText(card.channel, problem)}`);
      return;
    }
    try {
      if (!(await this.#settleIntent(stored, card.channel, card.ts))) return;
      for (const key of this.#due(own(store.data.proposals, proposalId)?.hire, first)) {
        if (!(await this.#postOne(proposalId, key, card.channel, card.ts))) return;
      }
    } catch (error) {
      if (!isThreadGone(error)) throw error;
      logger.warn(`the card of proposal ${proposalId} is gone from <#${card.channel}>; its hire lines are not posted`);
      this.#closeAll(proposalId, first);
    }
  }

  /** Every cycle: lines still due (a post refused or lost) are posted, one proposal at a time. Never throws. */
  async postAllDue(locked: Locked): Promise<void> {
    for (const stored of Object.values(this.opts.store.data.proposals)) {
      if (!stored.hire || this.#due(stored.hire).length === 0) continue;
      const proposalId = stored.proposal.id;
      await locked(proposalId, () => this.postDue(proposalId));
    }
  }

  /** The keys due, in thread order: the open intent first (it may have landed), then what the record calls for. */
  #due(hire: HireView | null | undefined, first?: string): string[] {
    if (!hire) return [];
    const posted = new Set(hire.lines ?? []);
    const keys: string[] = [];
    if (hire.lineIntent) keys.push(hire.lineIntent);
    if (first) keys.push(first);
    const id = hire.approvalId;
    const asked = posted.has(`requested:${id}`) || posted.has(`superseded:${id}`) || first?.endsWith(`:${id}`);
    if (hire.status === 'pending' && hire.requestedBy && hire.terms && !asked) keys.push(`requested:${id}`);
    if (isApprovalOutcome(hire.status)) keys.push(`${hire.status}:${id}`);
    if (hire.contractId) keys.push(`contract:${hire.contractId}`);
    return [...new Set(keys)].filter((key) => !posted.has(key));
  }

  /** An intent found open: in the thread → done; not there → it is due again. False when the thread can't be read. */
  async #settleIntent(stored: ProposalView, channel: string, ts: string): Promise<boolean> {
    const key = stored.hire?.lineIntent;
    if (!key) return true;
    const replies = await this.opts.slack.threadReplies(channel, ts, { maxMessages: THREAD_READ });
    const found = replies.some(
      (reply) => reply.metadata?.event_type === HIRE_LINE_EVENT_TYPE && reply.metadata.event_payload.key === key,
    );
    if (found) this.opts.store.hires.closeLine(stored.proposal.id, key);
    else this.opts.store.hires.dropLineIntent(stored.proposal.id);
    return true;
  }

  /** One line: intent on disk, the post, the key recorded. False when the rest must wait (refused, outcome unknown). */
  async #postOne(proposalId: string, key: string, channel: string, threadTs: string): Promise<boolean> {
    const { store } = this.opts;
    const stored = own(store.data.proposals, proposalId);
    const text = stored ? lineText(stored, key) : null;
    if (!text) {
      store.hires.closeLine(proposalId, key); // nothing to say (a record that moved on): not posted
      return true;
    }
    store.hires.openLine(proposalId, key);
    await store.flush();
    try {
      await this.opts.post('person', proposalId, {
        channel,
        threadTs,
        text,
        metadata: { event_type: HIRE_LINE_EVENT_TYPE, event_payload: { proposal_id: proposalId, key } },
      });
    } catch (error) {
      if (isThreadGone(error)) throw error;
      if (isChannelRefusal(error)) {
        // Certainly not posted: due again once the bot may post there.
        this.opts.access.noteRefusal(channel, error);
        store.hires.dropLineIntent(proposalId);
      }
      this.opts.logger.warn(
        `posting the hire line ${key} of proposal ${proposalId} failed; retried next sync`,
        errorText(error),
      );
      return false;
    }
    store.hires.closeLine(proposalId, key);
    return true;
  }

  #closeAll(proposalId: string, first?: string): void {
    const hire = own(this.opts.store.data.proposals, proposalId)?.hire;
    for (const key of this.#due(hire, first)) this.opts.store.hires.closeLine(proposalId, key);
  }
}

/** The line a key stands for, rendered from the stored record (so a line found missing after a crash is the same). */
function lineText(stored: ProposalView, key: string): string | null {
  const [kind, id] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
  const hire = stored.hire;
  if (!hire) return null;
  switch (kind) {
    case 'requested':
    case 'superseded': {
      if (hire.approvalId !== id || !hire.terms || !hire.requestedBy) return null;
      const input = { userId: hire.requestedBy, terms: hire.terms, fees: hireFees(hire.terms.amountUsd), hire };
      return kind === 'requested' ? HIRE_LINES.requested(input) : HIRE_LINES.superseded(input);
    }
    case 'confirmed':
      return HIRE_LINES.confirmed(candidateName(stored.proposal.candidate));
    case 'declined':
      return HIRE_LINES.declined();
    case 'expired':
      return HIRE_LINES.expired();
    case 'contract':
      return HIRE_LINES.contract(id);
    default:
      return null;
  }
}
