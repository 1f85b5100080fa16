import { own, setOwn } from '../records.js';
import type { StoreData, StoredShortlist } from './schema.js';
import type { StoreView } from './views.js';

type Change = (mutate: (data: StoreData) => void) => void;
type Read = () => StoreView;

/** Shortlists kept (the newest by intent time): older ones are no longer kept up to date. */
export const KEPT_SHORTLISTS = 50;

/**
 * A posted shortlist's lifecycle, the only code that writes `shortlists`: `intent` is on disk before
 * chat.postMessage, `posted` (with its ts) after, like a card (see CardRecords).
 */
export class ShortlistRecords {
  constructor(
    private readonly change: Change,
    private readonly read: Read,
  ) {}

  /** A shortlist is about to be posted: on disk (after the caller's flush) before chat.postMessage. */
  recordIntent(shortlist: Omit<StoredShortlist, 'state' | 'ts' | 'postedAt' | 'shownHash'>): void {
    this.change((data) => {
      data.shortlists ??= {};
      setOwn(data.shortlists, shortlist.id, {
        ...shortlist,
        proposalIds: [...shortlist.proposalIds],
        state: 'intent',
        ts: null,
        postedAt: null,
        shownHash: null,
      });
      const byAge = Object.values(data.shortlists).sort((a, b) => (a.intentAt < b.intentAt ? 1 : -1));
      for (const old of byAge.slice(KEPT_SHORTLISTS)) delete data.shortlists[old.id];
    });
  }

  /** Slack accepted it (ts); `shownHash` null when it was found in history (content unknown). */
  markPosted(id: string, ts: string, at: string, shownHash: string | null): void {
    this.change((data) => {
      const shortlist = data.shortlists ? own(data.shortlists, id) : undefined;
      if (!shortlist) return;
      shortlist.state = 'posted';
      shortlist.ts = ts;
      shortlist.postedAt = at;
      shortlist.shownHash = shownHash;
    });
  }

  /** Slack shows `hash` now. */
  markShown(id: string, hash: string): void {
    const current = this.read().shortlists;
    if (!current || own(current, id)?.shownHash === hash) return;
    this.change((data) => {
      const shortlist = data.shortlists ? own(data.shortlists, id) : undefined;
      if (shortlist) shortlist.shownHash = hash;
    });
  }

  /** Slack refused the post (it did not land), or it is gone: nothing to keep up to date. */
  forget(id: string): void {
    const current = this.read().shortlists;
    if (!current || !own(current, id)) return;
    this.change((data) => {
      if (data.shortlists) delete data.shortlists[id];
    });
  }
}
