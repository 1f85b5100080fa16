import type { RankedProposal, Weights } from '../domain.js';
import type { StoreView } from '../store/index.js';
import { rankProposals } from './ranking.js';

/**
 * Each job's ranking (composite score, rank, top-places marker) computed once and kept until the job's proposals or
 * weights change (`invalidate`): every card of a job renders from the same ranking.
 */
export class CardRanks {
  private readonly cache = new Map<string, Map<string, RankedProposal>>();

  constructor(
    private readonly store: { readonly data: StoreView },
    private readonly weightsFor: (jobId: string) => Weights,
  ) {}

  ranksFor(jobId: string): Map<string, RankedProposal> {
    const cached = this.cache.get(jobId);
    if (cached) return cached;
    const proposals = Object.values(this.store.data.proposals)
      .filter((p) => p.proposal.jobId === jobId)
      .map((p) => p.proposal);
    const ranks = new Map(rankProposals(proposals, this.weightsFor(jobId)).map((r) => [r.proposalId, r]));
    this.cache.set(jobId, ranks);
    return ranks;
  }

  /** The job's ranking changed: returns the one computed before (undefined when none was); the next is computed anew. */
  invalidate(jobId: string): Map<string, RankedProposal> | undefined {
    const before = this.cache.get(jobId);
    this.cache.delete(jobId);
    return before;
  }
}
