import type { types } from '@slack/bolt';
import type { Proposal, RankedProposal, VoteKind } from '../domain.js';
import type { HireView } from '../store/views.js';
import {
  candidateHeadline,
  candidateName,
  escapeMrkdwn,
  formatBid,
  formatMoney,
  formatScore,
  formatUsd,
  MISSING,
  plural,
  quote,
  slackDate,
  talentTypeLabel,
} from './format.js';
import { cardHireLine, offersHire } from './hire.js';
import { CARD_ACTIONS, CARD_EVENT_TYPE, VOTE_ACTIONS } from './ids.js';
import { fitMessage, type KnownBlock, truncate } from './limits.js';

// The proposal card (docs/architecture.md#proposal-card). Rendered from the store's state every time and edited in
// place, so this function is the whole truth of what a reviewer sees about a proposal in the channel.

export const VOTE_EMOJI: Record<VoteKind, string> = { up: '👍', down: '👎', maybe: '🤔' };

const VOTE_ORDER: VoteKind[] = ['up', 'down', 'maybe'];

/**
 * Cards mark the job's top places instead of "rank N of M", so one arrival changes at most the card it pushes out
 * of the top (plus scores, when it moves the job's price range); exact ranks are in `/hiring proposals` and the
 * digest. See docs/decisions.md#cards-that-dont-churn.
 */
export const TOP_PLACES = 3;

/** How many notes the card shows (newest); older ones are summarised in one line. */
const MAX_NOTES_SHOWN = 10;

/**
 * Per-part caps that keep the whole card under Slack's cumulative text budget, so the buttons at the bottom are
 * never the part that gets cut.
 */
const CAP = { name: 80, title: 200, jobTitle: 200, short: 100, summary: 2800, notes: 1500, voters: 1500 } as const;

export interface ProposalCardInput {
  proposal: Proposal;
  rank: RankedProposal | null;
  /** Slack user id → that person's single vote. */
  votes: Record<string, VoteKind>;
  /** Bot-authored mrkdwn lines, oldest first, e.g. "Invited to X by <@U1>". */
  notes: readonly string[];
  conversation: { unread: number; awaitingReply: boolean } | null;
  proposalUrl?: string | null;
  /** The proposal's latest hire approval (docs/opentrain.md#hiring), if any. */
  hire?: HireView | null;
}

export interface ProposalCardMetadata {
  event_type: typeof CARD_EVENT_TYPE;
  /**
   * `votes` (user id → vote) and `notes` (the note lines, newline-separated) let a store that lost the proposal's
   * record take them back from the card.
   */
  event_payload: { proposal_id: string; job_id: string; votes: Record<string, VoteKind>; notes: string };
}

export interface ProposalCard {
  text: string;
  blocks: KnownBlock[];
  metadata: ProposalCardMetadata;
}

export interface VoteSummary {
  up: number;
  down: number;
  maybe: number;
  /** Voter user ids per kind, in the order the votes were recorded. */
  voters: Record<VoteKind, string[]>;
}

export function voteSummary(votes: Record<string, VoteKind>): VoteSummary {
  const voters: Record<VoteKind, string[]> = { up: [], down: [], maybe: [] };
  for (const [userId, kind] of Object.entries(votes)) {
    if (Object.hasOwn(voters, kind)) voters[kind].push(userId);
  }
  return { up: voters.up.length, down: voters.down.length, maybe: voters.maybe.length, voters };
}

/** The team disagrees: at least one 👍 and one 👎. */
export function isSplitVote(votes: Record<string, VoteKind>): boolean {
  const summary = voteSummary(votes);
  return summary.up > 0 && summary.down > 0;
}

export function proposalCard(input: ProposalCardInput): ProposalCard {
  const { proposal } = input;
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      block_id: 'card_candidate',
      text: {
        type: 'mrkdwn',
        text: `${candidateHeadline(shortCandidate(input), input.proposalUrl)}\nApplied to *${escapeMrkdwn(
          truncate(proposal.jobTitle, CAP.jobTitle),
        )}*`,
      },
    },
    { type: 'section', block_id: 'card_facts', fields: factFields(input) },
    {
      type: 'context',
      block_id: 'card_status',
      elements: [
        {
          type: 'mrkdwn',
          // Slack renders the date in each viewer's zone: the card never goes stale as time passes.
          text: `Status: *${escapeMrkdwn(truncate(proposal.status.label || proposal.status.raw, CAP.short))}* · Received ${slackDate(
            proposal.createdAt,
            '{date_short_pretty} {time}',
          )}`,
        },
      ],
    },
  ];

  const summary = proposal.aiInterview?.summary?.trim();
  if (summary) {
    const heading = '*AI interview summary*\n';
    blocks.push({
      type: 'section',
      block_id: 'card_summary',
      text: { type: 'mrkdwn', text: heading + quote(truncate(escapeMrkdwn(summary), CAP.summary)) },
    });
  }

  const notes = notesText(input.notes);
  if (notes) blocks.push({ type: 'context', block_id: 'card_notes', elements: [{ type: 'mrkdwn', text: notes }] });

  if (input.conversation) {
    const { unread, awaitingReply } = input.conversation;
    const parts = [`💬 Conversation open (${unread} unread)`];
    if (awaitingReply) parts.push('awaiting our reply');
    blocks.push({
      type: 'context',
      block_id: 'card_conversation',
      elements: [{ type: 'mrkdwn', text: `${parts.join(' · ')} — see the thread` }],
    });
  }

  const hireLine = cardHireLine(input.hire);
  if (hireLine) {
    blocks.push({ type: 'context', block_id: 'card_hire_status', elements: [{ type: 'mrkdwn', text: hireLine }] });
  }

  const actions = [
    button(CARD_ACTIONS.transcript, 'Transcript', proposal.id),
    button(CARD_ACTIONS.profile, 'Profile', proposal.id),
    button(CARD_ACTIONS.invite, 'Invite to job…', proposal.id),
    button(CARD_ACTIONS.message, 'Message', proposal.id),
  ];
  if (offersHire(input.hire, proposal.status.raw)) actions.push(button(CARD_ACTIONS.hire, 'Hire…', proposal.id));
  blocks.push({ type: 'actions', block_id: 'card_actions', elements: actions });

  const tally = voteSummary(input.votes);
  blocks.push({
    type: 'actions',
    block_id: 'card_votes',
    elements: VOTE_ORDER.map((kind) => button(VOTE_ACTIONS[kind], `${VOTE_EMOJI[kind]} ${tally[kind]}`, proposal.id)),
  });
  blocks.push({
    type: 'context',
    block_id: 'card_voters',
    elements: [{ type: 'mrkdwn', text: truncate(votersText(tally), CAP.voters) }],
  });

  return {
    ...fitMessage({ text: fallbackText(input), blocks }),
    metadata: {
      event_type: CARD_EVENT_TYPE,
      event_payload: {
        proposal_id: proposal.id,
        job_id: proposal.jobId,
        votes: { ...input.votes },
        notes: input.notes.join('\n'),
      },
    },
  };
}

/** One sentence for notifications and screen readers: name, job, scores and bid. */
function fallbackText({ proposal, rank }: ProposalCardInput): string {
  const scores = [
    `interview ${formatScore(proposal.interviewScore)}`,
    `match ${formatScore(proposal.matchScore)}`,
    `rank score ${formatScore(rank?.score)}`,
  ].join(', ');
  const name = escapeMrkdwn(truncate(candidateName(proposal.candidate), CAP.name));
  return `${name} applied to ${escapeMrkdwn(truncate(proposal.jobTitle, CAP.jobTitle))}: ${scores}; bid ${formatBid(proposal.bid)}.`;
}

function factFields({ proposal, rank }: ProposalCardInput): types.MrkdwnElement[] {
  const { candidate, bid } = proposal;
  const bidLines = [formatBid(bid)];
  if (bid.labelerHourlyRateUsd !== null) bidLines.push(`Profile rate ${formatMoney(bid.labelerHourlyRateUsd)} / hour`);

  const trackRecord = [
    candidate.reviewCount === null ? null : plural(candidate.reviewCount, 'review'),
    candidate.highestEarningsUsd === null ? null : `highest earnings ${formatUsd(candidate.highestEarningsUsd)}`,
  ].filter((part): part is string => part !== null);

  const fields: [string, string][] = [
    ['Bid', bidLines.join('\n')],
    ['Interview', formatScore(proposal.interviewScore)],
    ['Match', formatScore(proposal.matchScore)],
    ['Rank score', rankShown(rank)],
    ['Country', candidate.country ? escapeMrkdwn(truncate(candidate.country, CAP.short)) : MISSING],
    ['Type', talentTypeLabel(candidate.talentType) ?? MISSING],
    ['Track record', trackRecord.length > 0 ? trackRecord.join(' · ') : MISSING],
    ['Verification', verificationText(proposal)],
  ];
  return fields.map(([label, value]) => ({ type: 'mrkdwn', text: `*${label}*\n${value}` }));
}

/** The card's rank score field: the composite score, the top-places marker and the partial marker. */
export function rankShown(rank: RankedProposal | null): string {
  let text = formatScore(rank?.score);
  if (!rank || rank.score === null) return text;
  if (rank.rank <= TOP_PLACES) text += ` · 🏅 top ${TOP_PLACES} in this job`;
  if (rank.partial) text += ' · _partial_';
  return text;
}

function shortCandidate({ proposal }: ProposalCardInput) {
  const { displayName, profileTitle } = proposal.candidate;
  return {
    displayName: truncate(displayName, CAP.name),
    profileTitle: profileTitle === null ? null : truncate(profileTitle, CAP.title),
  };
}

function verificationText({ verification }: Proposal): string {
  if (!verification) return MISSING;
  const badges: string[] = [];
  if (verification.identityVerified === true) badges.push('Identity ✓');
  else if (verification.identityVerified === false) badges.push('Identity not verified');
  const location = verification.location;
  if (location?.status) {
    const method = location.method ? ` (${escapeMrkdwn(truncate(location.method, CAP.short))})` : '';
    badges.push(`Location ${escapeMrkdwn(truncate(location.status, CAP.short))}${method}`);
  }
  return badges.length > 0 ? badges.join(' · ') : MISSING;
}

function notesText(notes: readonly string[]): string | null {
  const lines = notes.map((note) => note.trim()).filter((note) => note.length > 0);
  if (lines.length === 0) return null;
  const shown = lines.slice(-MAX_NOTES_SHOWN);
  const hidden = lines.length - shown.length;
  const text = (hidden > 0 ? [`…${hidden} earlier`, ...shown] : shown).join('\n');
  // Keep the newest notes when the text is too long: cut from the front.
  if (text.length <= CAP.notes) return text;
  return `…${text.slice(text.length - CAP.notes + 1).replace(/^[^\n]*\n/, '')}`;
}

function votersText(tally: VoteSummary): string {
  const parts = VOTE_ORDER.filter((kind) => tally.voters[kind].length > 0).map(
    (kind) => `${VOTE_EMOJI[kind]} ${tally.voters[kind].map((userId) => `<@${userId}>`).join(', ')}`,
  );
  return parts.length > 0 ? parts.join('   ') : 'No votes yet — one vote each; click your vote again to remove it.';
}

function button(actionId: string, text: string, value: string): types.Button {
  return { type: 'button', action_id: actionId, text: { type: 'plain_text', text, emoji: true }, value };
}
