import type { VoteKind } from '../domain.js';
import { own, setOwn } from '../records.js';
import type { Store } from '../store/index.js';

/** One vote per person per proposal; clicking your current vote again removes it. Returns the person's vote now. */
export function toggleVote(store: Store, proposalId: string, userId: string, kind: VoteKind): VoteKind | null {
  let result: VoteKind | null = null;
  store.change((data) => {
    const stored = own(data.proposals, proposalId);
    if (!stored) return;
    if (own(stored.votes, userId) === kind) delete stored.votes[userId];
    else setOwn(stored.votes, userId, kind);
    result = own(stored.votes, userId) ?? null;
  });
  return result;
}
