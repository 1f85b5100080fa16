import { candidateName } from '../../blocks/format.js';
import { HIRE_LINES } from '../../blocks/hire.js';
import type { Logger } from '../../logger.js';
import { own } from '../../records.js';
import type { ProposalView, Store } from '../../store/index.js';
import type { Priority } from '../slack-budgets.js';
import type { SlackMessageInput, SlackPort } from '../slack-port.js';
import { hireFees } from './terms.js';

// The hire lines in a card's thread (docs/opentrain.md#hiring), each posted once: keyed (`requested:<approvalId>`,
// `confirmed:<approvalId>`, `contract:<contractId>`…), the key on disk before the post, and a post whose fate is
// unknown looked up in the thread by its metadata before it is posted again.

/** Metadata on the hire lines in a card's thread: a line whose post may have landed is looked up by it. */
export const HIRE_LINE_EVENT_TYPE = 'opentrain_hire_line';
/** How much of a card's thread is read back to find a hire line. */
const THREAD_READ = 1000;

export interface HireLinesOptions {
  store: Store;
  slack: Pick<SlackPort, 'threadReplies'>;
  post: (priority: Priority, message: SlackMessageInput) => Promise<{ ts: string }>;
  logger: Logger;
}

export class HireLines {
  constructor(private readonly opts: HireLinesOptions) {}

  /**
   * Posts the thread line `key` once: the key is on disk before the post and marked posted after; a post that may
   * have landed (crash, error) is looked up in the thread by its metadata before it is posted again.
   */
  async post(proposalId: string, key: string): Promise<void> {
    const { store } = this.opts;
    if (store.hires.linePosted(proposalId, key)) return;
    const stored = own(store.data.proposals, proposalId);
    const card = stored?.card;
    const text = stored ? lineText(stored, key) : null;
    if (!stored || !text || card?.state !== 'posted' || !card.ts) {
      // No card to post under (or nothing to say): not posted later out of the blue either.
      if (stored?.hire) store.hires.closeLine(proposalId, key);
      return;
    }
    store.hires.openLine(proposalId, key);
    await store.flush();
    try {
      await this.opts.post('person', {
        channel: card.channel,
        threadTs: card.ts,
        text,
        metadata: { event_type: HIRE_LINE_EVENT_TYPE, event_payload: { proposal_id: proposalId, key } },
      });
      store.hires.closeLine(proposalId, key);
    } catch (error) {
      this.opts.logger.warn(`posting the hire line ${key} of proposal ${proposalId} failed; retried next sync`, error);
    }
  }

  /** Lines whose post may or may not have landed: found in the thread → done; else posted now. */
  async finishOpen(locked: <T>(proposalId: string, work: () => Promise<T>) => Promise<T>): Promise<void> {
    for (const stored of Object.values(this.opts.store.data.proposals)) {
      const key = stored.hire?.lineIntent;
      const card = stored.card;
      if (!key || !card?.ts) continue;
      const proposalId = stored.proposal.id;
      await locked(proposalId, async () => {
        const replies = await this.opts.slack.threadReplies(card.channel, card.ts!, { maxMessages: THREAD_READ });
        const found = replies.some(
          (reply) => reply.metadata?.event_type === HIRE_LINE_EVENT_TYPE && reply.metadata.event_payload.key === key,
        );
        if (found) this.opts.store.hires.closeLine(proposalId, key);
        else {
          this.opts.store.hires.dropLineIntent(proposalId);
          await this.post(proposalId, key);
        }
      });
    }
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
