import type { VoteKind } from '../domain.js';

// Votes are written by the store's named operation (`store.votes.toggle`, src/store/operations.ts).

export function tally(votes: Record<string, VoteKind>): Record<VoteKind, number> {
  const counts: Record<VoteKind, number> = { up: 0, down: 0, maybe: 0 };
  for (const vote of Object.values(votes)) counts[vote] += 1;
  return counts;
}
