import type { VoteKind, Weights } from '../domain.js';
import { own, setOwn } from '../records.js';
import type { FailingProposal, FoundCard, LastInbound, StoreData, StoredConversation, StoredJob } from './schema.js';
import type { StoreView } from './views.js';

// The store's named operations: every write the rest of the bot makes, each in one place. A group gets the store's
// `change()` and its read-only view; the `…In(data)` functions are the same writes for a caller already inside one
// `change()` (the sync commit records intents together with the proposals and the cursor).

type Change = (mutate: (data: StoreData) => void) => void;
type Read = () => StoreView;
/** Which re-render a posted card is due (the scheduler class it is queued in). */
export type RefreshPriority = 'person' | 'background';

/**
 * A card's lifecycle, the only code that writes `proposal.card`: `intent` is on disk before chat.postMessage,
 * `posted` (with its ts) after; an intent found open at start-up is resolved from channel history first.
 */
export class CardRecords {
  constructor(
    private readonly change: Change,
    private readonly read: Read,
  ) {}

  /** Slack accepted the card (ts); `shownHash` null: found in history, content unknown (the next change re-renders). */
  markPosted(proposalId: string, ts: string, at: string, shownHash: string | null = null): void {
    this.change((data) => {
      const card = own(data.proposals, proposalId)?.card;
      if (!card) return;
      card.state = 'posted';
      card.ts = ts;
      card.postedAt = at;
      card.shownHash = shownHash;
    });
  }

  /** Links a proposal to a card that already exists in Slack (found in history) instead of posting one. */
  adopt(proposalId: string, channel: string, ts: string, at: string): void {
    this.change((data) => adoptIn(data, proposalId, channel, ts, at));
  }

  /** Records that a posted card needs re-rendering (a person's cause outranks a background one). */
  markDue(proposalId: string, priority: RefreshPriority): void {
    const card = own(this.read().proposals, proposalId)?.card;
    if (card?.state !== 'posted' || card.refreshDue === 'person' || card.refreshDue === priority) return;
    this.change((data) => markDueIn(data, proposalId, priority));
  }

  /** Nothing is due for this card any more. */
  clearDue(proposalId: string): void {
    if (!own(this.read().proposals, proposalId)?.card?.refreshDue) return;
    this.change((data) => {
      const card = own(data.proposals, proposalId)?.card;
      if (card) card.refreshDue = null;
    });
  }

  /** Slack shows `hash`; `due` is what is still due (a re-render asked for meanwhile), or null. */
  markShown(proposalId: string, hash: string, due: RefreshPriority | null): void {
    const card = own(this.read().proposals, proposalId)?.card;
    if (!card || (card.shownHash === hash && (card.refreshDue ?? null) === due)) return;
    this.change((data) => {
      const target = own(data.proposals, proposalId)?.card;
      if (!target) return;
      target.shownHash = hash;
      target.refreshDue = due;
    });
  }

  /** Slack shows something else than the card's last fingerprint says (e.g. buttons of an older version). */
  forgetShown(proposalId: string): void {
    this.change((data) => {
      const card = own(data.proposals, proposalId)?.card;
      if (card) card.shownHash = null;
    });
  }
}

/** A new card is to be posted to `channel`: recorded in the sync's commit, on disk before the post is queued. */
export function recordIntentIn(data: StoreData, proposalId: string, channel: string, at: string): void {
  const stored = own(data.proposals, proposalId);
  if (stored) stored.card = { channel, state: 'intent', ts: null, intentAt: at, postedAt: null };
}

export function adoptIn(data: StoreData, proposalId: string, channel: string, ts: string, at: string): void {
  const stored = own(data.proposals, proposalId);
  if (stored) stored.card = { channel, state: 'posted', ts, intentAt: stored.card?.intentAt ?? at, postedAt: at };
}

export function markDueIn(data: StoreData, proposalId: string, priority: RefreshPriority): void {
  const card = own(data.proposals, proposalId)?.card;
  if (card?.state !== 'posted' || card.refreshDue === 'person' || card.refreshDue === priority) return;
  card.refreshDue = priority;
}

export class VoteRecords {
  constructor(private readonly change: Change) {}

  /** The person's vote on a proposal: the same kind again takes it back. Returns the vote now standing. */
  toggle(proposalId: string, userId: string, kind: VoteKind): VoteKind | null {
    let result: VoteKind | null = null;
    this.change((data) => {
      const stored = own(data.proposals, proposalId);
      if (!stored) return;
      if (own(stored.votes, userId) === kind) delete stored.votes[userId];
      else setOwn(stored.votes, userId, kind);
      result = own(stored.votes, userId) ?? null;
    });
    return result;
  }
}

export class WeightRecords {
  constructor(private readonly change: Change) {}

  /** A job's own weights, or (jobId null) the global ones. */
  set(jobId: string | null, weights: Weights): void {
    this.#write(jobId, { ...weights });
  }

  /** A job drops its own weights (the global ones apply); globally (jobId null), back to the defaults. */
  reset(jobId: string | null): void {
    this.#write(jobId, null);
  }

  #write(jobId: string | null, weights: Weights | null): void {
    this.change((data) => {
      if (jobId === null) data.globalWeights = weights;
      else {
        const job = own(data.jobs, jobId);
        if (job) job.weights = weights;
      }
    });
  }
}

export class JobRecords {
  constructor(private readonly change: Change) {}

  /** `/hiring watch`: the job's new cards go to `channelId`. */
  watch(jobId: string, channelId: string): void {
    this.change((data) => {
      const job = own(data.jobs, jobId);
      if (!job) return;
      job.watch = true;
      job.channelId = channelId;
    });
  }

  /** Jobs as OpenTrain (or a salvaged card's channel) describes them now; watch settings already stored are kept. */
  learn(jobs: Iterable<StoredJob>): void {
    this.change((data) => {
      for (const job of jobs) setOwn(data.jobs, job.id, job);
    });
  }

  /** `/hiring unwatch`: no new cards; the channel is kept (existing cards stay where they are). */
  unwatch(jobId: string): void {
    this.change((data) => {
      const job = own(data.jobs, jobId);
      if (job) job.watch = false;
    });
  }
}

/** OpenTrain webhook delivery ids already handled (newest last, capped): a redelivery is not acted on twice. */
const KEPT_DELIVERY_IDS = 1000;

export class WebhookRecords {
  constructor(
    private readonly change: Change,
    private readonly read: Read,
  ) {}

  /** Records a delivery id; false when it was already recorded (a redelivery). */
  remember(deliveryId: string): boolean {
    if (this.read().webhookDeliveries.includes(deliveryId)) return false;
    this.change((data) => {
      data.webhookDeliveries.push(deliveryId);
      if (data.webhookDeliveries.length > KEPT_DELIVERY_IDS) data.webhookDeliveries.splice(0, KEPT_DELIVERY_IDS / 10);
    });
    return true;
  }
}

/** The bot's own state lines: its last error and the digest's last run. */
export class HealthRecords {
  constructor(private readonly change: Change) {}

  /** The last error, as `/hiring status` and `/readyz` show it. */
  noteError(message: string, at: string): void {
    this.change((data) => {
      data.health.lastError = message;
      data.health.lastErrorAt = at;
    });
  }

  /** The digest ran at `at` (written before its posts: a crash halfway must not post a second round). */
  digestRan(at: string): void {
    this.change((data) => {
      data.digest.lastRunAt = at;
    });
  }
}

/** What the store keeps about proposals it could not read, and about cards found in channel history. */
export class RecoveryRecords {
  constructor(private readonly change: Change) {}

  /** A proposal's detail could not be read: its retry state (src/services/proposal-retries.ts). */
  noteFailure(proposalId: string, failure: FailingProposal): void {
    this.change((data) => {
      data.failingProposals ??= {};
      setOwn(data.failingProposals, proposalId, failure);
    });
  }

  /** A proposal gone from OpenTrain: no retries, no card to re-learn. */
  forget(proposalId: string): void {
    this.change((data) => {
      if (data.failingProposals) delete data.failingProposals[proposalId];
      if (data.foundCards) delete data.foundCards[proposalId];
    });
  }

  /** A card in channel history for a proposal the store lost: re-learned from OpenTrain at the next sync. */
  rememberFoundCard(proposalId: string, card: FoundCard): void {
    this.change((data) => {
      data.foundCards ??= {};
      setOwn(data.foundCards, proposalId, card);
    });
  }

  /** Every channel was searched for the cards of a salvaged store (shown by `/hiring status`). */
  cardsReconciled(at: string): void {
    this.change((data) => {
      if (data.recovery && data.recovery.cardsReconciledAt === null) data.recovery.cardsReconciledAt = at;
    });
  }
}

export class ProposalRecords {
  constructor(private readonly change: Change) {}

  /** Adds a note line to the proposal and to every other proposal of the same candidate; returns their ids. */
  addNote(note: string, target: { proposalId: string | undefined; candidateId: string }): string[] {
    const noted: string[] = [];
    this.change((data) => {
      for (const stored of Object.values(data.proposals)) {
        if (stored.proposal.id !== target.proposalId && stored.proposal.candidate.id !== target.candidateId) continue;
        stored.notes.push(note);
        noted.push(stored.proposal.id);
      }
    });
    return noted;
  }
}

/** Conversations linked to proposals, and the relay's crash-safe queue of conversations with news to read. */
export class ConversationRecords {
  constructor(private readonly change: Change) {}

  /** Links `conversation` to the proposal, replacing the one it had. */
  link(proposalId: string, conversation: StoredConversation): void {
    this.change((data) => {
      const target = own(data.proposals, proposalId);
      if (target) target.conversation = conversation;
    });
  }

  /** Changes the proposal's conversation record, if it has one. */
  update(proposalId: string, mutate: (conversation: StoredConversation) => void): void {
    this.change((data) => {
      const conversation = own(data.proposals, proposalId)?.conversation;
      if (conversation) mutate(conversation);
    });
  }

  /** Queues conversations to relay, keeping the newest `max` (the queue is on disk before any Slack call). */
  /** The candidate's newest relayed message (an excerpt as the thread shows it), for the shortlist. */
  noteInbound(proposalId: string, inbound: LastInbound): void {
    this.change((data) => {
      const conversation = own(data.proposals, proposalId)?.conversation;
      if (conversation) conversation.lastInbound = { ...inbound };
    });
  }

  enqueue(conversationIds: readonly string[], max: number): void {
    this.change((data) => {
      data.pendingRelays = [...(data.pendingRelays ?? []), ...conversationIds].slice(-max);
    });
  }

  dequeue(conversationId: string): void {
    this.change((data) => {
      data.pendingRelays = (data.pendingRelays ?? []).filter((id) => id !== conversationId);
    });
  }
}
