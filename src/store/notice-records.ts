import { own } from '../records.js';
import type { NoticeDue, StoreData } from './schema.js';
import type { StoreView } from './views.js';

type Change = (mutate: (data: StoreData) => void) => void;
type Read = () => StoreView;

/** At most this many notices wait at once (oldest dropped first); keys kept per proposal once posted. */
const MAX_NOTICES_DUE = 500;
const MAX_KEYS_PER_PROPOSAL = 200;

/**
 * Post-hire notices (docs/architecture.md#post-hire-notices), the only code that writes `noticesDue` and a proposal's
 * `notices`: queued with the sync's cursor, an intent before the post, the key on the proposal after it.
 */
export class NoticeRecords {
  constructor(
    private readonly change: Change,
    private readonly read: Read,
  ) {}

  /** Queues notices not already queued (by key); a key already posted for a known proposal is not queued again. */
  queue(notices: readonly NoticeDue[]): void {
    const data = this.read();
    const queued = new Set((data.noticesDue ?? []).map((notice) => notice.key));
    const fresh = notices.filter((notice) => {
      if (queued.has(notice.key)) return false;
      queued.add(notice.key);
      const stored = notice.proposalId ? own(data.proposals, notice.proposalId) : undefined;
      return !stored?.notices?.includes(notice.key);
    });
    if (fresh.length === 0) return;
    this.change((target) => {
      target.noticesDue = [...(target.noticesDue ?? []), ...fresh.map((notice) => ({ ...notice }))].slice(
        -MAX_NOTICES_DUE,
      );
    });
  }

  /** The proposal the notice's contract came from. */
  learnProposal(key: string, proposalId: string): void {
    this.#update(key, (notice) => {
      notice.proposalId = proposalId;
    });
  }

  /** About to post: on disk before chat.postMessage. */
  posting(key: string, at: string): void {
    this.#update(key, (notice) => {
      notice.postingAt = at;
    });
  }

  /** The post certainly did not land (refused, or not found in the thread): it may be posted again. */
  notPosted(key: string): void {
    this.#update(key, (notice) => {
      notice.postingAt = null;
    });
  }

  /** In the thread: the key goes on the proposal (never posted again) and the notice leaves the queue. */
  posted(key: string, proposalId: string): void {
    this.change((data) => {
      const stored = own(data.proposals, proposalId);
      if (stored && !stored.notices?.includes(key)) {
        stored.notices = [...(stored.notices ?? []), key].slice(-MAX_KEYS_PER_PROPOSAL);
      }
      data.noticesDue = (data.noticesDue ?? []).filter((notice) => notice.key !== key);
    });
  }

  /** Nobody to tell (no card, not our contract): the notice leaves the queue unposted. */
  drop(key: string): void {
    if (!(this.read().noticesDue ?? []).some((notice) => notice.key === key)) return;
    this.change((data) => {
      data.noticesDue = (data.noticesDue ?? []).filter((notice) => notice.key !== key);
    });
  }

  #update(key: string, mutate: (notice: NoticeDue) => void): void {
    this.change((data) => {
      const notice = (data.noticesDue ?? []).find((candidate) => candidate.key === key);
      if (notice) mutate(notice);
    });
  }
}
