import type { OpenTrainClient } from '../api/index.js';
import { candidateName, formatBid } from '../blocks/format.js';
import type { ProposalRow } from '../blocks/help.js';
import type { Proposal } from '../domain.js';
import { own } from '../records.js';
import type { Store } from '../store/index.js';
import { weightsFor } from './jobs.js';
import { rankProposals } from './ranking.js';
import type { SlackPort } from './slack-port.js';

// `/hiring proposals <job> [status] [top N]`: a job's proposals from OpenTrain, ranked by composite score with the
// job's weights (docs/architecture.md#ranking), each linked to its card when the bot has posted one.

export interface ProposalListDeps {
  client: OpenTrainClient;
  store: Store;
  slack: SlackPort;
}

/** Without `top N` the list stops here; a longer list isn't a summary any more. */
export const DEFAULT_TOP = 20;

export interface RankedListing {
  rows: ProposalRow[];
  /** How many proposals matched before `top N` was applied. */
  total: number;
}

export async function rankedProposals(
  deps: ProposalListDeps,
  jobId: string,
  opts: { status?: string; top?: number },
): Promise<RankedListing> {
  const proposals: Proposal[] = [];
  for await (const proposal of deps.client.proposals(jobId, opts.status ? { status: opts.status } : {})) {
    proposals.push(proposal);
  }
  const byId = new Map(proposals.map((proposal) => [proposal.id, proposal]));
  const ranked = rankProposals(proposals, weightsFor(deps.store, jobId)).slice(0, opts.top ?? DEFAULT_TOP);
  const rows = await Promise.all(
    ranked.map(async (entry): Promise<ProposalRow> => {
      const proposal = byId.get(entry.proposalId)!;
      return {
        rank: entry.rank,
        name: candidateName(proposal.candidate),
        score: entry.score,
        partial: entry.partial,
        status: proposal.status.label,
        bid: formatBid(proposal.bid),
        permalink: await cardPermalink(deps, proposal.id),
      };
    }),
  );
  return { rows, total: proposals.length };
}

async function cardPermalink(deps: ProposalListDeps, proposalId: string): Promise<string | null> {
  const card = own(deps.store.data.proposals, proposalId)?.card;
  if (card?.state !== 'posted' || !card.ts) return null;
  return deps.slack.permalink(card.channel, card.ts);
}
