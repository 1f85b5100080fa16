import {
  describeError,
  logOpenTrainFailure,
  type OpenTrainClient,
  OpenTrainError,
  outcomeUnknown,
} from '../../api/index.js';
import type { Approval } from '../../api/schemas.js';
import { candidateName } from '../../blocks/format.js';
import { ALREADY_HIRED_TEXT, offersHire } from '../../blocks/hire.js';
import { HIRE_APPROVAL_TYPE, HIRE_CONFLICT_REASONS } from '../../hiring.js';
import type { Logger } from '../../logger.js';
import { own } from '../../records.js';
import type { HireTerms, HireView, PendingHireEvent, Store } from '../../store/index.js';
import { runGuarded } from '../background.js';
import type { ChannelAccess } from '../channel-access.js';
import type { Priority } from '../slack-budgets.js';
import type { SlackMessageInput, SlackPort } from '../slack-port.js';
import { HireLines } from './lines.js';
import {
  APPROVAL_POLICY,
  afterRead,
  afterRequest,
  copyHire,
  type HireFeeBreakdown,
  hireFees,
  isNotAFit,
  milestoneOf,
  pastExpiry,
  type RequestKind,
} from './terms.js';

// The hire service (docs/opentrain.md#hiring): asks OpenTrain to hire (an approval a person confirms), learns each
// approval's outcome from the ledger's events or by reading it, keeps the proposal's `hire` record, re-renders the card
// and posts one line per step in the card's thread (src/services/hire/lines.ts). Free of Bolt.

export interface HireServiceOptions {
  client: Pick<OpenTrainClient, 'hire' | 'getApproval'>;
  store: Store;
  cards: { requestUpdate(proposalId: string): Promise<void> };
  slack: Pick<SlackPort, 'threadReplies'>;
  /** Posts in the card's thread through the Slack scheduler, in order with the relay's posts there. */
  post: (priority: Priority, proposalId: string, message: SlackMessageInput) => Promise<{ ts: string }>;
  /** A card's channel the bot may not post to holds its lines until it may (shared with the other thread posters). */
  access: Pick<ChannelAccess, 'ensureReadable' | 'noteRefusal' | 'problemOf'>;
  logger: Logger;
  clock: () => Date;
}

export interface HireRequest {
  proposalId: string;
  userId: string;
  terms: HireTerms;
  /** The person confirmed hiring a proposal marked Not a fit. */
  confirmNotAFit: boolean;
}

export type HireOutcome =
  | { kind: RequestKind; hire: HireView; fees: HireFeeBreakdown; candidateName: string }
  /** Marked Not a fit: the person must confirm first (nothing was sent, or OpenTrain asked for the flag). */
  | { kind: 'confirm-not-a-fit'; fees: HireFeeBreakdown; candidateName: string }
  /** OpenTrain says the proposal is hired already (outside Slack, meanwhile): nothing to ask again. */
  | { kind: 'already-hired'; message: string }
  /** `maybeRequested`: no answer came back, so OpenTrain may have recorded it (asking again with the same terms is safe). */
  | { kind: 'failed'; message: string; maybeRequested: boolean };

export class HireService {
  readonly #locks = new Map<string, Promise<unknown>>();
  /** When each approval was last read by the expiry/poll policy (ms), so a cycle doesn't read it again too soon. */
  readonly #lastRead = new Map<string, number>();
  readonly #lines: HireLines;
  /** GET /approvals calls made so far (the per-cycle caps count from it). */
  #reads = 0;

  constructor(private readonly opts: HireServiceOptions) {
    this.#lines = new HireLines(opts);
  }

  /** POST /proposals/{id}/hire, one request per proposal at a time (a double-click waits and is then a reuse). */
  request(input: HireRequest): Promise<HireOutcome> {
    return this.#locked(input.proposalId, () => this.#request(input));
  }

  /**
   * After each sync commit, in this order: the waiting events (what OpenTrain says happened), then the approvals due a
   * read (what nobody announced), then the thread lines still due (a post refused or lost earlier). Each step is
   * guarded on its own, so one that fails (Slack down, a channel the bot left) never holds up the others. Never throws.
   */
  async afterSync(mode: 'ledger' | 'polling'): Promise<void> {
    const { logger } = this.opts;
    await runGuarded(logger, { label: 'hire events of a sync' }, () => this.#handleEvents());
    await runGuarded(logger, { label: 'hire approvals due a read' }, () => this.#readDue(mode));
    await runGuarded(logger, { label: 'hire lines still due' }, () =>
      this.#lines.postAllDue((proposalId, work) => this.#locked(proposalId, work)),
    );
  }

  async #request(input: HireRequest): Promise<HireOutcome> {
    const { store, logger, clock } = this.opts;
    const stored = own(store.data.proposals, input.proposalId);
    if (!stored)
      return {
        kind: 'failed',
        message: "The bot doesn't track this proposal any more, so nothing was sent.",
        maybeRequested: false,
      };
    // Checked again at submission: the hire may have been confirmed since the form opened.
    if (!offersHire(stored.hire, stored.proposal.status.raw))
      return { kind: 'already-hired', message: ALREADY_HIRED_TEXT };
    const name = candidateName(stored.proposal.candidate);
    const fees = hireFees(input.terms.amountUsd);
    if (isNotAFit(stored.proposal.status.raw) && !input.confirmNotAFit)
      return { kind: 'confirm-not-a-fit', fees, candidateName: name };
    const ask = () =>
      this.opts.client.hire(input.proposalId, milestoneOf(input.terms), { confirmNotAFit: input.confirmNotAFit });
    let approval: Approval;
    try {
      try {
        ({ approval } = await ask());
      } catch (error) {
        if (!outcomeUnknown(error)) throw error;
        // The same terms give the same approval, so asking again can't make a second one: it tells what happened.
        logOpenTrainFailure(
          logger,
          `hire request for proposal ${input.proposalId} lost its answer; asking again`,
          error,
        );
        ({ approval } = await ask());
      }
    } catch (error) {
      if (OpenTrainError.isReason(error, HIRE_CONFLICT_REASONS.notAFit)) {
        return { kind: 'confirm-not-a-fit', fees, candidateName: name };
      }
      if (OpenTrainError.isReason(error, HIRE_CONFLICT_REASONS.alreadyHired)) {
        return { kind: 'already-hired', message: describeError(error) };
      }
      logOpenTrainFailure(logger, `hire request for proposal ${input.proposalId}`, error);
      return { kind: 'failed', message: describeError(error), maybeRequested: outcomeUnknown(error) };
    }
    const at = clock().toISOString();
    const { kind, record } = afterRequest(stored.hire, approval, { userId: input.userId, terms: input.terms, at });
    store.hires.set(input.proposalId, record);
    void this.opts.cards.requestUpdate(input.proposalId);
    await this.#lines.postDue(input.proposalId, kind === 'reused' ? undefined : `${kind}:${approval.id}`);
    return { kind, hire: own(store.data.proposals, input.proposalId)?.hire ?? record, fees, candidateName: name };
  }

  /** Approval events first (they create the record a contract event then completes), each handled once. */
  async #handleEvents(): Promise<void> {
    const waiting = [...(this.opts.store.data.pendingHireEvents ?? [])].sort(
      (a, b) => Number(a.kind === 'contract') - Number(b.kind === 'contract'),
    );
    const readsBefore = this.#reads;
    for (const event of waiting) {
      // A backlog (a long outage, OpenTrain failing every read) is worked through a slice per cycle, oldest first.
      if (this.#reads - readsBefore >= APPROVAL_POLICY.maxEventReadsPerCycle) break;
      if (await this.#handleEvent(event)) this.opts.store.hires.eventsHandled([event]);
    }
    await this.opts.store.flush();
  }

  /** True when the event is done with (handled, or nothing to do); false to try again next cycle. */
  async #handleEvent(event: PendingHireEvent): Promise<boolean> {
    if (event.kind === 'contract') {
      const proposalId = event.proposalId;
      const hire = proposalId ? own(this.opts.store.data.proposals, proposalId)?.hire : null;
      if (!proposalId || !hire) return true;
      if (hire.status === 'pending') {
        // A contract means the hire was confirmed, whatever page its approval's event is on: learn that first, so
        // the card and the thread say "hired" before "contract created".
        const approval = await this.#read(hire.approvalId);
        if (approval === 'retry') return false;
        if (approval) await this.#learn(approval);
      }
      await this.#locked(proposalId, () => this.#contract(proposalId, event.id));
      return true;
    }
    const approval = await this.#read(event.id);
    if (approval === 'retry') return false;
    if (approval) await this.#learn(approval);
    return true;
  }

  /**
   * Reads pending approvals past their `expiresAt` (OpenTrain flips one to expired only when it is read, and emits the
   * event then); in polling mode, with no events at all, every pending approval now and then.
   */
  async #readDue(mode: 'ledger' | 'polling'): Promise<void> {
    const now = this.opts.clock();
    let reads = 0;
    const pending = new Set<string>();
    for (const stored of Object.values(this.opts.store.data.proposals)) {
      if (stored.hire?.status === 'pending') pending.add(stored.hire.approvalId);
    }
    // Resolved or replaced approvals are not read by this policy again: forget when they were.
    for (const approvalId of this.#lastRead.keys()) if (!pending.has(approvalId)) this.#lastRead.delete(approvalId);
    for (const stored of Object.values(this.opts.store.data.proposals)) {
      const hire = stored.hire;
      if (hire?.status !== 'pending' || reads >= APPROVAL_POLICY.maxReadsPerCycle) continue;
      const expired = pastExpiry(hire, now);
      const every = expired ? APPROVAL_POLICY.rereadExpiredEveryMs : APPROVAL_POLICY.pollPendingEveryMs;
      if (!expired && mode !== 'polling') continue;
      const last = this.#lastRead.get(hire.approvalId);
      if (last !== undefined && now.getTime() - last < every) continue;
      this.#lastRead.set(hire.approvalId, now.getTime());
      reads += 1;
      const approval = await this.#read(hire.approvalId);
      if (approval && approval !== 'retry') await this.#learn(approval);
    }
  }

  /** GET /approvals/{id}: the approval, null when there is nothing to learn (gone, not ours), 'retry' otherwise. */
  async #read(approvalId: string): Promise<Approval | null | 'retry'> {
    this.#reads += 1;
    try {
      return await this.opts.client.getApproval(approvalId);
    } catch (error) {
      logOpenTrainFailure(this.opts.logger, `reading approval ${approvalId}`, error);
      return OpenTrainError.isStatus(error, 404) ? null : 'retry';
    }
  }

  /** What an approval's current state means for its proposal: the record, the card, the thread's line. */
  async #learn(approval: Approval): Promise<void> {
    if (approval.type !== HIRE_APPROVAL_TYPE || !approval.proposalId) return;
    const proposalId = approval.proposalId;
    if (!own(this.opts.store.data.proposals, proposalId)) return;
    await this.#locked(proposalId, async () => {
      const current = own(this.opts.store.data.proposals, proposalId)?.hire;
      const next = afterRead(current, approval);
      if (!next) return;
      const changed =
        !current ||
        current.approvalId !== next.approvalId ||
        current.status !== next.status ||
        current.contractId !== next.contractId;
      this.opts.store.hires.set(proposalId, next);
      if (changed) void this.opts.cards.requestUpdate(proposalId);
      await this.#lines.postDue(proposalId);
    });
  }

  async #contract(proposalId: string, contractId: string): Promise<void> {
    const current = own(this.opts.store.data.proposals, proposalId)?.hire;
    if (!current) return;
    if (current.contractId !== contractId) {
      const next = copyHire(current);
      next.contractId = contractId;
      this.opts.store.hires.set(proposalId, next);
      void this.opts.cards.requestUpdate(proposalId);
    }
    await this.#lines.postDue(proposalId);
  }

  /** Runs `work` after the proposal's previous hire work (a request, an event): one at a time per proposal. */
  #locked<T>(proposalId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#locks.get(proposalId) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => undefined);
    this.#locks.set(proposalId, settled);
    void settled.then(() => {
      if (this.#locks.get(proposalId) === settled) this.#locks.delete(proposalId);
    });
    return next;
  }
}
