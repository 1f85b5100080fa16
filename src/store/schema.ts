import { z } from 'zod';

// The store file's schema. Bump STORE_VERSION and add a migration in store.ts when the shape changes.
export const STORE_VERSION = 1;

const weightsSchema = z.object({ interview: z.number().min(0), match: z.number().min(0), price: z.number().min(0) });

const proposalSchema = z.object({
  id: z.string(),
  jobId: z.string(),
  jobTitle: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  status: z.object({ raw: z.string(), label: z.string() }),
  bid: z.object({
    amountUsd: z.number().nullable(),
    unit: z.string(),
    labelerHourlyRateUsd: z.number().nullable(),
  }),
  candidate: z.object({
    id: z.string(),
    profileSlug: z.string().nullable(),
    displayName: z.string(),
    profileTitle: z.string().nullable(),
    country: z.string().nullable(),
    countryCode: z.string().nullable(),
    talentType: z.string().nullable(),
    highestEarningsUsd: z.number().nullable(),
    reviewCount: z.number().nullable(),
  }),
  interviewScore: z.number().nullable(),
  matchScore: z.number().nullable(),
  aiInterview: z
    .object({ score: z.number().nullable(), summary: z.string().nullable(), transcriptAvailable: z.boolean() })
    .nullable(),
  verification: z
    .object({
      identityVerified: z.boolean().nullable(),
      location: z.object({ status: z.string().nullable(), method: z.string().nullable() }).nullable(),
    })
    .nullable(),
});

/**
 * Card lifecycle: `intent` is written to disk before chat.postMessage, `posted` (with ts) after. An intent found
 * open at start-up is resolved from channel history (the card's message metadata) before anything is re-posted.
 */
const cardSchema = z.object({
  channel: z.string(),
  state: z.enum(['intent', 'posted']),
  ts: z.string().nullable(),
  intentAt: z.string(),
  postedAt: z.string().nullable(),
  /** Fingerprint of the text and blocks Slack last accepted for this card: an edit that changes nothing is skipped. */
  shownHash: z.string().nullable().optional(),
  /**
   * A re-render was asked for and has not reached Slack yet (the class it was queued in). Written with the change
   * that caused it, so a re-render queued when the process died is done at the next start.
   */
  refreshDue: z.enum(['person', 'background']).nullable().optional(),
});

const conversationSchema = z.object({
  id: z.string(),
  openedBy: z.string(),
  openedAt: z.string(),
  /** Candidate message ids already posted to the thread, newest last (capped); exact-once relay across restarts. */
  relayedIds: z.array(z.string()),
  /** Newest message id seen in the conversation (ours or theirs): the `direction=newer` cursor. */
  lastSeenMessageId: z.string().nullable(),
  unread: z.number().int().min(0),
  /** True when the newest message is the candidate's (awaiting our reply). */
  awaitingReply: z.boolean(),
  lastInboundAt: z.string().nullable(),
  /**
   * Candidate message being posted to the thread (written before chat.postMessage, cleared after). Found open after
   * a crash or a failed post, the thread is searched for it (message metadata) before it is posted again.
   */
  relayIntent: z.object({ messageId: z.string(), at: z.string() }).nullable().optional(),
  /**
   * The candidate's newest message relayed to the thread, so the shortlist shows the latest answer without asking
   * OpenTrain. `text` is a short excerpt as the thread shows it, null when it is withheld (it holds contact details,
   * or the message was found already in the thread after a crash and its text isn't known). Written by the relay.
   */
  lastInbound: z.object({ messageId: z.string(), at: z.string(), text: z.string().nullable() }).nullable().optional(),
});

/** The first milestone's terms of a hire request, as sent (`amountUsd` is the hire body's `milestone.amount`). */
const hireTermsSchema = z.object({
  name: z.string().nullable(),
  description: z.string().nullable(),
  amountUsd: z.number(),
  /** `YYYY-MM-DD`. */
  dueDate: z.string().nullable(),
});

/**
 * The proposal's latest hire approval (docs/opentrain.md#hiring): asked through the bot, or learned from OpenTrain's
 * events when someone asked elsewhere. OpenTrain never hires until a human confirms `approvalUrl`. Written by the hire
 * service only; the card, the digest, the shortlist and App Home read it.
 */
const hireSchema = z.object({
  approvalId: z.string(),
  /** `pending`, `confirmed`, `declined`, `expired`, or an unknown raw status kept as is. */
  status: z.string(),
  approvalUrl: z.string().nullable(),
  expiresAt: z.string().nullable(),
  /** Slack user who asked; null when the request was made outside Slack. */
  requestedBy: z.string().nullable(),
  requestedAt: z.string(),
  terms: hireTermsSchema.nullable(),
  resolvedAt: z.string().nullable(),
  /** Set once the hire is confirmed and OpenTrain created the contract. */
  contractId: z.string().nullable(),
  /** Approvals this one replaced (different terms while pending), oldest first. */
  superseded: z.array(z.string()),
  /** Keys of the hire lines already in the card's thread (`requested:<approvalId>`…), newest last: each posted once. */
  lines: z.array(z.string()).optional(),
  /** The key of a hire line being posted: on disk before chat.postMessage; found open, the thread is searched first. */
  lineIntent: z.string().nullable().optional(),
});

/**
 * An approval or contract event of the ledger not yet handled by the hire service: recorded in the sync's commit with
 * the cursor that moved past it, removed once handled, so a crash in between can't lose it.
 */
const hireEventSchema = z.object({
  kind: z.enum(['approval', 'contract']),
  /** The approval id, or the contract id. */
  id: z.string(),
  /** From the event (`contract.created` names it); null for approvals (read from the approval). */
  proposalId: z.string().nullable(),
});

/**
 * One ask round's questions to this finalist. `askId` is the submission's id (from the modal), so a retried or replayed
 * submission finds its record and never asks twice. Written by the ask service only; the shortlist and App Home read it.
 */
const askedSchema = z.object({
  askId: z.string(),
  /** Slack user who asked. */
  by: z.string(),
  at: z.string(),
  questions: z.array(z.string()),
  /** `sending` is on disk before POST /messages; `sent` after; `failed` with the reason in words. */
  state: z.enum(['sending', 'sent', 'failed']),
  messageId: z.string().nullable(),
  error: z.string().nullable(),
});

/**
 * A post-hire notice owed to a card's thread (docs/architecture.md#post-hire-notices). Queued in the same store write
 * as the ledger cursor that passed its event, so a crash never loses it; `postingAt` is the intent, on disk before
 * chat.postMessage, and found open it is resolved from the thread's message metadata before anything is re-posted.
 * Written by the post-hire notice service only (src/store/notice-records.ts).
 */
const noticeDueSchema = z.object({
  /** Once-only key, e.g. `payment.pending:<invoiceId>` or `budget:<contractId>:LOW:<eventId>`. */
  key: z.string(),
  kind: z.enum(['payment_pending', 'budget_low', 'budget_depleted']),
  contractId: z.string(),
  invoiceId: z.string().nullable(),
  milestoneId: z.string().nullable(),
  /** Budget notices: how much of the budget is used, 0–100, as the event said. */
  consumedPercent: z.number().nullable(),
  /** When OpenTrain recorded the event. */
  at: z.string(),
  /** The proposal the contract came from, once known (its hire record, or GET /contracts/{id}). */
  proposalId: z.string().nullable(),
  postingAt: z.string().nullable(),
});

export const storedProposalSchema = z.object({
  proposal: proposalSchema,
  card: cardSchema.nullable(),
  votes: z.record(z.string(), z.enum(['up', 'down', 'maybe'])),
  /** Short lines shown on the card, e.g. "Invited to <job> by <@U123>". */
  notes: z.array(z.string()),
  conversation: conversationSchema.nullable(),
  /** Absent on records written before hiring existed. */
  hire: hireSchema.nullable().optional(),
  /** Questions asked of this finalist, oldest first. */
  asked: z.array(askedSchema).optional(),
  /** Post-hire notices already posted in the card's thread (e.g. `payment.pending:<invoiceId>`), so each is posted once. */
  notices: z.array(z.string()).optional(),
});

export const storedJobSchema = z.object({
  id: z.string(),
  title: z.string(),
  status: z.string(),
  published: z.boolean(),
  /** Channel set by `/hiring watch`; null → HIRING_CHANNEL. */
  channelId: z.string().nullable(),
  /** Watched by `/hiring watch` (true), unwatched explicitly (false), or by default rule (null). */
  watch: z.boolean().nullable(),
  weights: weightsSchema.nullable(),
});

/**
 * A proposal whose detail could not be read (e.g. OpenTrain answered with a shape the bot can't parse). The ledger
 * cursor moves on without it; it is retried on PROPOSAL_RETRY_POLICY and then set aside until its next ledger event.
 */
const failingProposalSchema = z.object({
  attempts: z.number().int().min(1),
  /** When to try again; null once set aside. */
  nextAttemptAt: z.string().nullable(),
  setAsideAt: z.string().nullable(),
  reason: z.string(),
  requestId: z.string().nullable(),
  /** Whether it gets a card once read (a new proposal of a watched job). */
  post: z.boolean(),
});

/** A card found in channel history (by its metadata) for a proposal the store had lost; re-learned next sync. */
const foundCardSchema = z.object({
  channel: z.string(),
  ts: z.string(),
  jobId: z.string().nullable(),
  /** The votes and note lines the card carried in its metadata. */
  votes: z.record(z.string(), z.enum(['up', 'down', 'maybe'])),
  notes: z.array(z.string()),
});

/**
 * A posted `/hiring shortlist` (docs/architecture.md#shortlist), kept up to date in place. Like a card: `intent` is on
 * disk before chat.postMessage, `posted` (with ts) after; an intent found open at start-up is looked for in channel
 * history (message metadata SHORTLIST_EVENT_TYPE) before it is posted. The finalists are fixed when it is posted
 * (docs/decisions.md#shortlists-keep-their-finalists).
 */
const shortlistSchema = z.object({
  id: z.string(),
  jobId: z.string(),
  channel: z.string(),
  state: z.enum(['intent', 'posted']),
  ts: z.string().nullable(),
  topN: z.number().int().min(1),
  /** The finalists it shows, best first. */
  proposalIds: z.array(z.string()),
  /** Slack user who asked for it. */
  requestedBy: z.string(),
  intentAt: z.string(),
  postedAt: z.string().nullable(),
  /** Fingerprint of what Slack shows; an edit that changes nothing is skipped. Null: unknown (found in history). */
  shownHash: z.string().nullable(),
});

/** What the store salvaged when it last opened a damaged file (shown by `/hiring status`). */
const recoverySchema = z.object({
  at: z.string(),
  /** Unreadable records, written to `quarantineFile`. */
  quarantined: z.number().int().min(0),
  quarantineFile: z.string().nullable(),
  /** Records the header counted that the file no longer had (cut at a line boundary). */
  missing: z.number().int().min(0),
  /** Header fields that were unreadable and reset (`*` = the whole header line). */
  headerFieldsLost: z.array(z.string()),
  /** Set once channel history was searched for the cards of records the store lost. */
  cardsReconciledAt: z.string().nullable(),
});

export const storeDataSchema = z.object({
  version: z.literal(STORE_VERSION),
  /** `/updates` cursor; null until the first drain finished (or forever when the token may not read /updates). */
  cursor: z.string().nullable(),
  /** When the first run (drain + backfill) finished; null → the next sync is a first run. */
  backfilledAt: z.string().nullable(),
  jobs: z.record(z.string(), storedJobSchema),
  proposals: z.record(z.string(), storedProposalSchema),
  globalWeights: weightsSchema.nullable(),
  /** Recent `X-OpenTrain-Delivery` ids (newest last, capped) to dedupe webhook deliveries. */
  webhookDeliveries: z.array(z.string()),
  /** Conversations with candidate activity not yet relayed to their card threads; retried every sync. */
  pendingRelays: z.array(z.string()).optional(),
  /** Approval and contract events waiting for the hire service (docs/opentrain.md#hiring). */
  pendingHireEvents: z.array(hireEventSchema).optional(),
  /** Post-hire notices not yet in their card's thread, oldest first; retried every sync. */
  noticesDue: z.array(noticeDueSchema).optional(),
  health: z.object({
    lastSyncAt: z.string().nullable(),
    lastError: z.string().nullable(),
    lastErrorAt: z.string().nullable(),
    mode: z.enum(['ledger', 'polling']).nullable(),
  }),
  digest: z.object({ lastRunAt: z.string().nullable() }),
  failingProposals: z.record(z.string(), failingProposalSchema).optional(),
  foundCards: z.record(z.string(), foundCardSchema).optional(),
  recovery: recoverySchema.nullable().optional(),
  /** Posted shortlists by id (the newest few; src/store/shortlists.ts). */
  shortlists: z.record(z.string(), shortlistSchema).optional(),
});

export type StoreData = z.infer<typeof storeDataSchema>;
export type StoredProposal = z.infer<typeof storedProposalSchema>;
export type StoredJob = z.infer<typeof storedJobSchema>;
export type StoredCard = z.infer<typeof cardSchema>;
export type StoredConversation = z.infer<typeof conversationSchema>;
export type FailingProposal = z.infer<typeof failingProposalSchema>;
export type FoundCard = z.infer<typeof foundCardSchema>;
export type StoreRecovery = z.infer<typeof recoverySchema>;
export type StoredHire = z.infer<typeof hireSchema>;
export type HireTerms = z.infer<typeof hireTermsSchema>;
export type StoredAsk = z.infer<typeof askedSchema>;
export type StoredShortlist = z.infer<typeof shortlistSchema>;
export type LastInbound = NonNullable<StoredConversation['lastInbound']>;
export type PendingHireEvent = z.infer<typeof hireEventSchema>;
export type NoticeDue = z.infer<typeof noticeDueSchema>;

export function emptyStoreData(): StoreData {
  return {
    version: STORE_VERSION,
    cursor: null,
    backfilledAt: null,
    jobs: {},
    proposals: {},
    globalWeights: null,
    webhookDeliveries: [],
    health: { lastSyncAt: null, lastError: null, lastErrorAt: null, mode: null },
    digest: { lastRunAt: null },
  };
}
