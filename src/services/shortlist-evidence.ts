import { type ShortlistFinalist, type ShortlistMessage, shortlistMessage, threadLink } from '../blocks/shortlist.js';
import { own } from '../records.js';
import type { ProposalView, ShortlistView, Store } from '../store/index.js';
import { CardLinks } from './card-links.js';
import type { CardService } from './cards.js';
import type { SlackPort } from './slack-port.js';

// What a shortlist shows (docs/architecture.md#shortlist): the evidence on each finalist gathered from the store —
// scores and rank, votes, the questions that reached them, their latest answer, the hire — and links to each card
// and its thread (wherever the card was posted). Rendered afresh every time, so the fingerprint says whether Slack
// already shows it. Posting and keeping shortlists is `shortlist.ts`.

/** Permalinks remembered when no shared memory is given; past this it starts over (a few thousand cards at most). */
const MAX_PERMALINKS = 5000;

export interface ShortlistEvidenceOptions {
  store: Store;
  slack: Pick<SlackPort, 'permalink'>;
  cards: Pick<CardService, 'ranksFor'>;
  /** The card permalinks the bot remembers (shared with App Home); by default a memory of its own. */
  links?: CardLinks;
}

export class ShortlistEvidence {
  readonly #links: CardLinks;

  constructor(private readonly opts: ShortlistEvidenceOptions) {
    this.#links = opts.links ?? new CardLinks(opts.slack, MAX_PERMALINKS);
  }

  /** A kept shortlist as it should look now (its job's title as the bot knows it, else as a proposal knows it). */
  renderStored(shortlist: ShortlistView): Promise<ShortlistMessage> {
    const job = own(this.opts.store.data.jobs, shortlist.jobId);
    const anyProposal = shortlist.proposalIds
      .map((id) => own(this.opts.store.data.proposals, id))
      .find((stored) => stored !== undefined);
    const jobTitle = job?.title ?? anyProposal?.proposal.jobTitle ?? shortlist.jobId;
    return this.render(
      { jobId: shortlist.jobId, jobTitle, proposalIds: shortlist.proposalIds },
      { shortlistId: shortlist.id, requestedBy: shortlist.requestedBy },
    );
  }

  async render(
    what: { jobId: string; jobTitle: string; proposalIds: readonly string[] },
    who: { shortlistId: string | null; requestedBy: string },
  ): Promise<ShortlistMessage> {
    const ranks = this.opts.cards.ranksFor(what.jobId);
    const finalists: ShortlistFinalist[] = [];
    for (const proposalId of what.proposalIds) {
      // A proposal pruned since (retention) is left out.
      const stored = own(this.opts.store.data.proposals, proposalId);
      if (!stored) continue;
      finalists.push(await this.#finalist(stored, ranks.get(proposalId) ?? null));
    }
    return shortlistMessage({ jobId: what.jobId, jobTitle: what.jobTitle, finalists, ...who });
  }

  async #finalist(stored: ProposalView, rank: ShortlistFinalist['rank']): Promise<ShortlistFinalist> {
    const inbound = stored.conversation?.lastInbound ?? null;
    return {
      proposal: stored.proposal,
      rank,
      votes: stored.votes,
      asked: (stored.asked ?? []).filter((ask) => ask.state === 'sent'),
      lastInbound: inbound ? { at: inbound.at, text: inbound.text } : null,
      hire: stored.hire ?? null,
      links: await this.#cardLinks(stored),
    };
  }

  async #cardLinks(stored: ProposalView): Promise<ShortlistFinalist['links']> {
    const card = stored.card;
    if (card?.state !== 'posted' || !card.ts) return null;
    const permalink = await this.#links.of(card.channel, card.ts);
    if (!permalink) return null;
    return { card: permalink, thread: threadLink(permalink, card.channel, card.ts) };
  }
}
