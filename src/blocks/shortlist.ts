import type { types } from '@slack/bolt';
import type { Proposal, RankedProposal, VoteKind } from '../domain.js';
import type { HireView } from '../store/views.js';
import { VOTE_EMOJI } from './card.js';
import { candidateName, escapeMrkdwn, formatBid, formatScore, link, plural, quote, slackDate } from './format.js';
import { cardHireLine, offersHire } from './hire.js';
import { CARD_ACTIONS, SHORTLIST_EVENT_TYPE } from './ids.js';
import { fitMessage, type KnownBlock, LIMITS, truncate } from './limits.js';

// `/hiring shortlist` (docs/architecture.md#shortlist): one message with the evidence on each finalist — scores, the
// AI-interview summary, the team's votes, the questions asked and the candidate's latest answer, the hire state —
// rendered from the store every time, so a re-render that changes nothing has the same fingerprint. No relative times
// ("2 hours ago"): Slack renders `<!date…>` in each viewer's zone, and the message never goes stale by itself.

/** Text one finalist may use, out of what the message budget leaves after the header. */
const FINALISTS_BUDGET = LIMITS.messageBlocksTextBudget - 1000;

export interface ShortlistAsk {
  by: string;
  at: string;
  questions: readonly string[];
}

export interface ShortlistFinalist {
  proposal: Pick<Proposal, 'id' | 'candidate' | 'interviewScore' | 'matchScore' | 'bid' | 'aiInterview' | 'status'>;
  rank: RankedProposal | null;
  votes: Readonly<Record<string, VoteKind>>;
  /** Questions sent to this finalist, oldest first. */
  asked: readonly ShortlistAsk[];
  /** The candidate's newest relayed message; `text` null when it is not repeated here. */
  lastInbound: { at: string; text: string | null } | null;
  /** The proposal's latest hire approval (written by the hire service), shown as the card shows it. */
  hire: HireView | null;
  /** The card's permalink and its thread's, when the card is posted and Slack gave a link. */
  links: { card: string; thread: string } | null;
}

export interface ShortlistInput {
  jobTitle: string;
  jobId: string;
  /** Set on a posted shortlist (its metadata names it); null for the one shown only to the person who asked. */
  shortlistId: string | null;
  requestedBy: string;
  finalists: readonly ShortlistFinalist[];
}

export interface ShortlistMetadata {
  event_type: typeof SHORTLIST_EVENT_TYPE;
  event_payload: { shortlist_id: string; job_id: string };
}

export interface ShortlistMessage {
  text: string;
  blocks: KnownBlock[];
  metadata?: ShortlistMetadata;
}

/**
 * Per-finalist caps, from the share of the budget one finalist has: a longer list shows shorter excerpts. Four blocks
 * a finalist, so a round's most finalists (10) stay far below Slack's 50 blocks.
 */
export function shortlistCaps(count: number) {
  const share = Math.floor(FINALISTS_BUDGET / Math.max(1, count));
  return {
    summary: Math.min(700, Math.floor(share * 0.2)),
    answer: Math.min(500, Math.floor(share * 0.15)),
    question: Math.min(300, Math.floor(share * 0.08)),
    voters: Math.min(600, Math.floor(share * 0.1)),
    /** The questions and answer together. */
    asked: Math.min(2500, Math.floor(share * 0.3)),
    name: 80,
  };
}

type Caps = ReturnType<typeof shortlistCaps>;

/** A card thread's link: the card's permalink opened on its thread. */
export function threadLink(cardPermalink: string, channel: string, ts: string): string {
  const separator = cardPermalink.includes('?') ? '&' : '?';
  return `${cardPermalink}${separator}thread_ts=${encodeURIComponent(ts)}&cid=${encodeURIComponent(channel)}`;
}

export function shortlistMessage(input: ShortlistInput): ShortlistMessage {
  const title = `Shortlist — ${input.jobTitle}`;
  const blocks: KnownBlock[] = [
    { type: 'header', block_id: 'shortlist_header', text: { type: 'plain_text', text: truncate(title, 150) } },
    {
      type: 'context',
      block_id: 'shortlist_about',
      elements: [{ type: 'mrkdwn', text: aboutText(input) }],
    },
  ];
  if (input.finalists.length === 0) {
    blocks.push({
      type: 'section',
      block_id: 'shortlist_empty',
      text: { type: 'mrkdwn', text: 'No proposals of this job are tracked yet, so there is nobody to shortlist.' },
    });
  }
  const caps = shortlistCaps(input.finalists.length);
  input.finalists.forEach((finalist, index) => {
    blocks.push({ type: 'divider' }, ...finalistBlocks(finalist, index, caps));
  });
  const fitted = fitMessage({ text: fallbackText(input), blocks });
  if (input.shortlistId === null) return fitted;
  return {
    ...fitted,
    metadata: {
      event_type: SHORTLIST_EVENT_TYPE,
      event_payload: { shortlist_id: input.shortlistId, job_id: input.jobId },
    },
  };
}

function aboutText(input: ShortlistInput): string {
  const who = `top ${plural(input.finalists.length, 'finalist')} by composite score · asked for by <@${input.requestedBy}>`;
  if (input.shortlistId === null) {
    return `${who} · only you see this, and it won't be kept up to date — without \`here\` the shortlist is posted in the job's channel and follows answers and votes`;
  }
  return `${who} · kept up to date as answers, votes and hires arrive`;
}

function fallbackText(input: ShortlistInput): string {
  const names = input.finalists.map(
    (f, index) => `${index + 1}. ${escapeMrkdwn(truncate(candidateName(f.proposal.candidate), 80))}`,
  );
  const list = names.length > 0 ? `: ${names.join(', ')}` : ': nobody yet';
  const sentence = `Shortlist for ${escapeMrkdwn(truncate(input.jobTitle, 200))}${list}`;
  // A name like "Lucía F." already ends the sentence.
  return sentence.endsWith('.') ? sentence : `${sentence}.`;
}

function finalistBlocks(finalist: ShortlistFinalist, index: number, caps: Caps): KnownBlock[] {
  const { proposal } = finalist;
  const name = truncate(candidateName(proposal.candidate), caps.name);
  const heading = `*${index + 1}. ${finalist.links ? link(finalist.links.card, name) : escapeMrkdwn(name)}*`;
  const scores = [
    `composite *${formatScore(finalist.rank?.score)}*${finalist.rank?.partial && finalist.rank.score !== null ? ' _(partial)_' : ''}`,
    `interview ${formatScore(proposal.interviewScore)}`,
    `match ${formatScore(proposal.matchScore)}`,
    `bid ${escapeMrkdwn(formatBid(proposal.bid))}`,
  ].join(' · ');
  const summary = proposal.aiInterview?.summary?.trim();
  const summaryText = summary
    ? `\n*AI interview summary*\n${quote(truncate(escapeMrkdwn(summary), caps.summary))}`
    : '\n_No AI-interview summary._';
  const main: types.SectionBlock = {
    type: 'section',
    block_id: `shortlist_${index}`,
    text: { type: 'mrkdwn', text: `${heading}\n${scores}${summaryText}` },
  };
  if (offersHire(finalist.hire, proposal.status.raw)) {
    main.accessory = {
      type: 'button',
      action_id: CARD_ACTIONS.hire,
      text: { type: 'plain_text', text: 'Hire…', emoji: true },
      value: proposal.id,
    };
  }
  const context: string[] = [truncate(votersText(finalist.votes), caps.voters)];
  const hire = cardHireLine(finalist.hire);
  if (hire) context.push(hire);
  if (finalist.links) context.push(link(finalist.links.thread, 'Open the thread'));
  const blocks: KnownBlock[] = [
    main,
    {
      type: 'context',
      block_id: `shortlist_${index}_team`,
      elements: context.map((text) => ({ type: 'mrkdwn', text })),
    },
  ];
  blocks.push({
    type: 'section',
    block_id: `shortlist_${index}_asked`,
    text: { type: 'mrkdwn', text: truncate(askedText(finalist, caps), LIMITS.sectionText) },
  });
  return blocks;
}

function votersText(votes: Readonly<Record<string, VoteKind>>): string {
  const byKind: Record<VoteKind, string[]> = { up: [], down: [], maybe: [] };
  for (const [userId, kind] of Object.entries(votes)) if (Object.hasOwn(byKind, kind)) byKind[kind].push(userId);
  const parts = (['up', 'down', 'maybe'] as const)
    .filter((kind) => byKind[kind].length > 0)
    .map((kind) => `${VOTE_EMOJI[kind]} ${byKind[kind].map((userId) => `<@${userId}>`).join(', ')}`);
  return parts.length > 0 ? `Votes: ${parts.join('   ')}` : 'No votes yet';
}

/**
 * The questions of each ask round and the candidate's latest answer. Only the newest message is kept, so it is shown
 * under the round it followed; later rounds have no answer yet, earlier ones point to the thread. The newest rounds
 * that fit the finalist's share are shown; older ones are counted.
 */
function askedText(finalist: ShortlistFinalist, caps: Caps): string {
  const rounds = [...finalist.asked].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const inbound = finalist.lastInbound;
  if (rounds.length === 0) {
    // Questions asked through the card's Message button aren't ask rounds; their answer is still evidence.
    return inbound
      ? `_No questions asked with Ask finalists yet._\n${answerText(inbound, caps, 'Latest message')}`
      : '_No questions asked yet._';
  }
  const inboundMs = inbound ? Date.parse(inbound.at) : Number.NaN;
  // The round the latest message followed (-1: before every round, or no message).
  let answered = -1;
  rounds.forEach((round, index) => {
    if (Number.isFinite(inboundMs) && Date.parse(round.at) <= inboundMs) answered = index;
  });
  const shown: string[] = [];
  let used = 0;
  let index = rounds.length - 1;
  for (; index >= 0; index -= 1) {
    const text = roundText(rounds[index]!, index === answered && inbound ? inbound : index > answered, caps);
    if (shown.length > 0 && used + text.length > caps.asked) break;
    shown.unshift(text);
    used += text.length;
  }
  const hidden = index + 1;
  if (hidden > 0) shown.unshift(`_${plural(hidden, 'earlier round')} of questions in the thread._`);
  return shown.join('\n');
}

/** One round: its questions, then its answer (`true`: none yet; `false`: answered by a later message). */
function roundText(round: ShortlistAsk, answer: { at: string; text: string | null } | boolean, caps: Caps): string {
  const asked = slackDate(round.at, '{date_short_pretty} {time}');
  const questions = round.questions.map((question) => `• ${truncate(escapeMrkdwn(question), caps.question)}`);
  if (answer === true) return [`_No answer yet, asked ${asked} by <@${round.by}>:_`, ...questions].join('\n');
  const tail = answer === false ? '_Replied later — see below and the thread._' : answerText(answer, caps);
  return [`*Asked by <@${round.by}>* ${asked}:`, ...questions, tail].join('\n');
}

function answerText(inbound: { at: string; text: string | null }, caps: Caps, label = 'Latest answer'): string {
  const when = slackDate(inbound.at, '{date_short_pretty} {time}');
  if (inbound.text === null) return `_Replied ${when} — read it in the thread._`;
  return `*${label}* ${when}\n${quote(truncate(escapeMrkdwn(inbound.text), caps.answer))}`;
}
