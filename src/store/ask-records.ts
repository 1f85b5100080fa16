import { own } from '../records.js';
import type { StoreData, StoredAsk } from './schema.js';

// The only writer of a proposal's `asked` records (docs/architecture.md#asking-finalists): one record per ask round
// (`askId`, the modal submission's id) and finalist. `sending` reaches the disk before POST /messages, so a crash or a
// lost answer is never mistaken for "not asked"; `sent` and `failed` follow.

type Change = (mutate: (data: StoreData) => void) => void;

/** Ask records the bot keeps per proposal; the oldest rounds go first beyond this (the shortlist shows the latest). */
export const MAX_ASKS_PER_PROPOSAL = 20;

export class AskRecords {
  constructor(private readonly change: Change) {}

  /**
   * About to send this round's questions to this finalist: a new record, or the round's record again (a retry after a
   * failure, perhaps with edited questions), now `sending`. False when the proposal is gone.
   */
  begin(proposalId: string, input: { askId: string; by: string; at: string; questions: string[] }): boolean {
    let found = false;
    this.change((data) => {
      const stored = own(data.proposals, proposalId);
      if (!stored) return;
      found = true;
      const asked = stored.asked ?? [];
      const record: StoredAsk = {
        askId: input.askId,
        by: input.by,
        at: input.at,
        questions: [...input.questions],
        state: 'sending',
        messageId: null,
        error: null,
      };
      const index = asked.findIndex((entry) => entry.askId === input.askId);
      if (index >= 0) asked[index] = record;
      else asked.push(record);
      stored.asked = asked.slice(-MAX_ASKS_PER_PROPOSAL);
    });
    return found;
  }

  /** OpenTrain holds the message (confirmed by its answer, or found in the conversation afterwards). */
  markSent(proposalId: string, askId: string, messageId: string): void {
    this.#update(proposalId, askId, (record) => {
      record.state = 'sent';
      record.messageId = messageId;
      record.error = null;
    });
  }

  /** Certainly not sent: `error` is the reason in words, shown to the person and kept for the next attempt. */
  markFailed(proposalId: string, askId: string, error: string): void {
    this.#update(proposalId, askId, (record) => {
      record.state = 'failed';
      record.error = error;
    });
  }

  /** The outcome is unknown (the answer was lost and the conversation couldn't settle it): stays `sending`. */
  markUnconfirmed(proposalId: string, askId: string, error: string): void {
    this.#update(proposalId, askId, (record) => {
      record.state = 'sending';
      record.error = error;
    });
  }

  #update(proposalId: string, askId: string, mutate: (record: StoredAsk) => void): void {
    this.change((data) => {
      const record = own(data.proposals, proposalId)?.asked?.find((entry) => entry.askId === askId);
      if (record) mutate(record);
    });
  }
}
