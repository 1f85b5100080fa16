import type { Transcript, TranscriptTurn } from '../domain.js';
import { own } from '../records.js';
import { escapeMrkdwn, formatScore, parseDate, plural, quote, slackDate } from './format.js';
import {
  blockTextLength,
  fitMessage,
  fitView,
  type KnownBlock,
  LIMITS,
  type MessageContent,
  type ModalView,
  splitText,
  truncate,
} from './limits.js';

// Loading / error views shared by every "open a modal, then fill it" flow, and the AI-interview transcript as a
// modal (≤ 100 blocks) or an ephemeral message (≤ 50 blocks and Slack's cumulative text budget). Long turns span
// several sections; when the whole transcript doesn't fit, it is cut at a turn boundary with a note that says so.

export interface TranscriptInput {
  candidateName: string;
  jobTitle?: string;
  transcript: Transcript;
}

const ROLE_LABELS: Record<TranscriptTurn['role'], string> = {
  interviewer: 'Interviewer',
  candidate: 'Candidate',
  system: 'System',
};

/** Room kept in every section for the "*Candidate* · time" label line. */
const TURN_CHUNK = LIMITS.sectionText - 200;

export function transcriptView(input: TranscriptInput): ModalView {
  return fitView({
    type: 'modal',
    callback_id: 'transcript_view',
    title: { type: 'plain_text', text: 'Interview transcript' },
    close: { type: 'plain_text', text: 'Close' },
    blocks: transcriptBlocks(input, LIMITS.modalBlocks, Number.POSITIVE_INFINITY),
  });
}

export function transcriptMessage(input: TranscriptInput): MessageContent {
  const text = `AI interview transcript — ${escapeMrkdwn(input.candidateName)}${
    input.jobTitle ? ` for ${escapeMrkdwn(input.jobTitle)}` : ''
  }`;
  return fitMessage({ text, blocks: transcriptBlocks(input, LIMITS.messageBlocks, LIMITS.messageBlocksTextBudget) });
}

function transcriptBlocks(input: TranscriptInput, maxBlocks: number, textBudget: number): KnownBlock[] {
  const { transcript } = input;
  const head: KnownBlock[] = [
    {
      type: 'header',
      block_id: 'transcript_header',
      text: { type: 'plain_text', text: `${input.candidateName} — AI interview` },
    },
  ];
  const contextParts: string[] = [];
  if (input.jobTitle) contextParts.push(`Job: *${escapeMrkdwn(input.jobTitle)}*`);
  contextParts.push(`Score: *${formatScore(transcript.score)}*`);
  const firstTurn = transcript.turns[0];
  if (firstTurn && parseDate(firstTurn.sentAt))
    contextParts.push(`Held ${slackDate(firstTurn.sentAt, '{date_short}')}`);
  contextParts.push(plural(transcript.turns.length, 'turn'));
  head.push({
    type: 'context',
    block_id: 'transcript_meta',
    elements: [{ type: 'mrkdwn', text: contextParts.join(' · ') }],
  });

  const summary = transcript.summary?.trim();
  if (summary) {
    // The summary is what reviewers read first; it may span a few sections but never crowds out every turn.
    const pieces = splitText(escapeMrkdwn(summary), TURN_CHUNK).slice(0, Math.max(1, Math.floor(maxBlocks / 4)));
    const budgetShare = Number.isFinite(textBudget) ? Math.floor(textBudget / 3) : Number.POSITIVE_INFINITY;
    let used = 0;
    pieces.forEach((piece, index) => {
      if (used >= budgetShare) return;
      const room = budgetShare - used;
      const body = truncate(piece, Math.min(TURN_CHUNK, room));
      used += body.length;
      const text = index === 0 ? `*Summary*\n${quote(body)}` : quote(body);
      head.push({ type: 'section', block_id: `transcript_summary_${index}`, text: { type: 'mrkdwn', text } });
    });
  }
  head.push({ type: 'divider' });

  if (transcript.turns.length === 0) {
    head.push({
      type: 'context',
      block_id: 'transcript_empty',
      elements: [{ type: 'mrkdwn', text: 'Interview completed.' }],
    });
    return head;
  }

  const blocks = [...head];
  let used = head.reduce((sum, block) => sum + blockTextLength(block), 0);
  const noteReserve = 120;
  for (let index = 0; index < transcript.turns.length; index += 1) {
    const turnBlocks = blocksForTurn(transcript.turns[index]!, index);
    const isLast = index === transcript.turns.length - 1;
    const reserveBlocks = isLast ? 0 : 1;
    const reserveText = isLast ? 0 : noteReserve;
    const roomBlocks = maxBlocks - blocks.length - reserveBlocks;
    const turnText = turnBlocks.reduce((sum, block) => sum + blockTextLength(block), 0);
    if (turnBlocks.length <= roomBlocks && used + turnText <= textBudget - reserveText) {
      blocks.push(...turnBlocks);
      used += turnText;
      continue;
    }
    // The turn doesn't fit whole: cut at this turn boundary. Only a huge first turn is shown in part, so the
    // transcript is never empty.
    const partial =
      blocks.length === head.length
        ? partialTurn(turnBlocks, maxBlocks - blocks.length - 1, textBudget - used - noteReserve)
        : [];
    blocks.push(...partial);
    const hidden = transcript.turns.length - index - (partial.length > 0 ? 1 : 0);
    const incomplete = partial.length > 0 ? ' (the last one shown is incomplete)' : '';
    const more = hidden > 0 ? `${plural(hidden, 'more turn')}` : 'the rest of this turn';
    blocks.push({
      type: 'context',
      block_id: 'transcript_cut',
      elements: [{ type: 'mrkdwn', text: `Transcript cut: ${more}${incomplete} — open it on OpenTrain` }],
    });
    return blocks;
  }
  return blocks;
}

function blocksForTurn(turn: TranscriptTurn, index: number): KnownBlock[] {
  const when = turn.sentAt ? ` · ${slackDate(turn.sentAt, '{time}')}` : '';
  const label = `*${own(ROLE_LABELS, turn.role) ?? 'System'}*${when}`;
  const content = turn.content.trim() === '' ? '_(empty)_' : escapeMrkdwn(turn.content);
  return splitText(content, TURN_CHUNK).map((piece, part) => ({
    type: 'section',
    block_id: `turn_${index}_${part}`,
    text: { type: 'mrkdwn', text: part === 0 ? `${label}\n${piece}` : piece },
  }));
}

function partialTurn(turnBlocks: KnownBlock[], roomBlocks: number, roomText: number): KnownBlock[] {
  const kept: KnownBlock[] = [];
  let used = 0;
  for (const block of turnBlocks) {
    if (kept.length >= roomBlocks) break;
    const length = blockTextLength(block);
    if (used + length <= roomText) {
      kept.push(block);
      used += length;
      continue;
    }
    const room = roomText - used - 40;
    if (room >= 200 && block.type === 'section' && block.text) {
      kept.push({ ...block, text: { ...block.text, text: truncate(block.text.text, room) } });
    }
    break;
  }
  return kept;
}
