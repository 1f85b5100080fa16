import { errorLogFields, type OpenTrainClient, OpenTrainError } from '../api/index.js';
import { NOTICE_EVENT_TYPE } from '../blocks/ids.js';
import { type NoticeContent, postHireNotice } from '../blocks/notices.js';
import type { Contract, PendingPayment } from '../domain.js';
import { errorText } from '../error-text.js';
import type { Logger } from '../logger.js';
import { own } from '../records.js';
import type { CardView, NoticeDueView, Store } from '../store/index.js';
import { type ChannelAccess, channelProblemText, isChannelRefusal } from './channel-access.js';
import { isThreadGone, type SlackPort } from './slack-port.js';
import type { SlackScheduler } from './slack-scheduler.js';

// After the hire, the card's thread hears what needs a person (docs/architecture.md#post-hire-notices): an invoice
// waiting for payment, a budget running LOW or DEPLETED. The sync queues each notice with the ledger cursor that
// passed its event; this service posts each once, like the relay posts candidate messages: an intent on disk before
// chat.postMessage, the key on the proposal after it, and an intent found open is looked up in the thread (by its
// message metadata) before anything is posted again.

/** How much of a card's thread is read back to find a notice whose post had an unknown outcome. */
const THREAD_READ = 1000;

export interface PostHireNoticeOptions {
  store: Store;
  client: Pick<OpenTrainClient, 'getContract' | 'listPendingPayments' | 'appOrigin'>;
  slack: Pick<SlackPort, 'postMessage' | 'threadReplies'>;
  /** Thread posts share the channel's posting budget with the cards. */
  scheduler: Pick<SlackScheduler, 'schedule'>;
  access: Pick<ChannelAccess, 'ensureReadable' | 'noteRefusal' | 'problemOf'>;
  logger: Logger;
  clock: () => Date;
}

/** What one round read from OpenTrain, so several notices of a contract cost one call each. */
interface RoundCache {
  contracts: Map<string, Contract | null>;
  payments: PendingPayment[] | null | undefined;
}

export class PostHireNotices {
  #tail: Promise<void> = Promise.resolve();

  constructor(private readonly opts: PostHireNoticeOptions) {}

  /** From the sync commit: queued in the store before its write, so the cursor never passes an unqueued notice. */
  queue(notices: readonly NoticeDueView[]): void {
    if (notices.length > 0) this.opts.store.notices.queue(notices.map((notice) => ({ ...notice })));
  }

  /** Posts every queued notice whose card's thread can take it; the rest wait for the next sync. Never throws. */
  postDue(): Promise<void> {
    const run = this.#tail
      .then(() => this.#drain())
      .catch((error: unknown) => this.#logFailure('post-hire notices', error));
    this.#tail = run;
    return run;
  }

  async #drain(): Promise<void> {
    const due = [...(this.opts.store.data.noticesDue ?? [])];
    if (due.length === 0) return;
    const cache: RoundCache = { contracts: new Map(), payments: undefined };
    for (const notice of due) {
      try {
        await this.#deliver(notice, cache);
      } catch (error) {
        if (isThreadGone(error)) {
          // The card was deleted: its thread can't be read or posted to, now or later.
          this.opts.logger.warn(`post-hire notice ${notice.key}: the card's thread is gone from Slack; not posted`);
          this.opts.store.notices.drop(notice.key);
        } else this.#logFailure(`post-hire notice ${notice.key}: trying again next sync`, error);
      }
    }
    await this.opts.store.flush();
  }

  async #deliver(notice: NoticeDueView, cache: RoundCache): Promise<void> {
    const { store, logger } = this.opts;
    const proposalId =
      notice.proposalId ??
      this.#proposalFromHire(notice.contractId) ??
      (await this.#proposalFromContract(notice.contractId, cache));
    if (proposalId === undefined) return; // OpenTrain could not be asked: next sync
    if (proposalId === null) {
      logger.info(`post-hire notice ${notice.key}: contract ${notice.contractId} is not one of ours; skipped`);
      store.notices.drop(notice.key);
      return;
    }
    if (notice.proposalId === null) store.notices.learnProposal(notice.key, proposalId);
    const stored = own(store.data.proposals, proposalId);
    if (stored?.notices?.includes(notice.key)) {
      store.notices.drop(notice.key);
      return;
    }
    const card = stored?.card;
    if (!card) {
      logger.info(`post-hire notice ${notice.key}: proposal ${proposalId} has no card to post it under; skipped`);
      store.notices.drop(notice.key);
      return;
    }
    if (card.state !== 'posted' || !card.ts) return; // the card is on its way; next sync
    if (!(await this.opts.access.ensureReadable(card.channel))) {
      const problem = this.opts.access.problemOf(card.channel) ?? 'needs_invite';
      logger.warn(`post-hire notice ${notice.key} waits: ${channelProblemText(card.channel, problem)}`);
      return;
    }
    if (notice.postingAt !== null) {
      if (await this.#inThread(card, notice.key)) {
        logger.info(`post-hire notice ${notice.key} was already in the thread; not posting it again`);
        store.notices.posted(notice.key, proposalId);
        return;
      }
      store.notices.notPosted(notice.key);
    }
    const text = postHireNotice(await this.#content(notice, cache));
    store.notices.posting(notice.key, this.opts.clock().toISOString());
    await store.flush();
    try {
      await this.opts.scheduler.schedule(
        { priority: 'arrival', channel: card.channel, key: `notice:${notice.key}`, call: 'post' },
        () =>
          this.opts.slack.postMessage({
            channel: card.channel,
            threadTs: card.ts!,
            text,
            metadata: {
              event_type: NOTICE_EVENT_TYPE,
              event_payload: { proposal_id: proposalId, notice_key: notice.key },
            },
          }),
      );
    } catch (error) {
      if (!isChannelRefusal(error)) throw error; // outcome unknown: the intent stays and the thread is read next time
      this.opts.access.noteRefusal(card.channel, error);
      store.notices.notPosted(notice.key);
      logger.warn(`post-hire notice ${notice.key} waits: Slack refused the post in <#${card.channel}>`);
      return;
    }
    store.notices.posted(notice.key, proposalId);
  }

  /** The hire service records the contract on the proposal when `contract.created` arrives. */
  #proposalFromHire(contractId: string): string | null {
    for (const stored of Object.values(this.opts.store.data.proposals)) {
      if (stored.hire?.contractId === contractId) return stored.proposal.id;
    }
    return null;
  }

  /** GET /contracts/{id} → proposalId; null when the contract isn't ours (404/403), undefined when unreachable. */
  async #proposalFromContract(contractId: string, cache: RoundCache): Promise<string | null | undefined> {
    try {
      return (await this.#contract(contractId, cache, true))?.proposalId ?? null;
    } catch (error) {
      this.#logFailure(`post-hire notice: could not read contract ${contractId}; trying again next sync`, error);
      return undefined;
    }
  }

  /** The contract, cached per round; null when OpenTrain says it isn't there or not ours. */
  async #contract(contractId: string, cache: RoundCache, strict = false): Promise<Contract | null> {
    if (cache.contracts.has(contractId)) return cache.contracts.get(contractId)!;
    let contract: Contract | null = null;
    try {
      contract = await this.opts.client.getContract(contractId);
    } catch (error) {
      const gone = OpenTrainError.isStatus(error, 404) || OpenTrainError.isStatus(error, 403);
      if (!gone && strict) throw error;
      if (!gone) this.#logFailure(`contract ${contractId} could not be read for its notice's details`, error);
    }
    cache.contracts.set(contractId, contract);
    return contract;
  }

  /** What the notice can say: the invoice's amount and milestone from GET /payments/pending, else the contract. */
  async #content(notice: NoticeDueView, cache: RoundCache): Promise<NoticeContent> {
    const contract = await this.#contract(notice.contractId, cache);
    const contractUrl = `${this.opts.client.appOrigin}/contracts/${encodeURIComponent(notice.contractId)}`;
    if (notice.kind !== 'payment_pending') {
      return {
        kind: notice.kind,
        amountUsd: null,
        milestoneName: contract?.budget?.activeMilestoneName ?? null,
        consumedPercent: notice.consumedPercent ?? contract?.budget?.consumedPercent ?? null,
        contractUrl,
      };
    }
    const payment = (await this.#payments(cache))?.find((candidate) => candidate.id === notice.invoiceId);
    const milestone = contract?.milestones.find((candidate) => candidate.id === notice.milestoneId);
    return {
      kind: notice.kind,
      amountUsd: payment?.amountUsd ?? null,
      milestoneName: payment?.milestoneName ?? milestone?.name ?? milestone?.description ?? null,
      consumedPercent: null,
      contractUrl,
    };
  }

  async #payments(cache: RoundCache): Promise<PendingPayment[] | null> {
    if (cache.payments !== undefined) return cache.payments;
    try {
      cache.payments = await this.opts.client.listPendingPayments();
    } catch (error) {
      this.#logFailure('pending payments could not be read for a notice; posting what is known', error);
      cache.payments = null;
    }
    return cache.payments;
  }

  async #inThread(card: CardView, key: string): Promise<boolean> {
    const replies = await this.opts.slack.threadReplies(card.channel, card.ts!, { maxMessages: THREAD_READ });
    return replies.some(
      (reply) => reply.metadata?.event_type === NOTICE_EVENT_TYPE && reply.metadata.event_payload.notice_key === key,
    );
  }

  #logFailure(what: string, error: unknown): void {
    this.opts.logger.warn(`${what}: ${errorText(error)}`, errorLogFields(error));
  }
}
