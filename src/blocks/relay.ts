import type { types } from '@slack/bolt';
import { escapeMrkdwn, formatRelative, quote } from './format.js';
import { RELAY_REPLY_ACTION } from './ids.js';
import { fitMessage, type KnownBlock, LIMITS, type MessageContent, splitText, truncate } from './limits.js';
import { encodeMessageTarget } from './metadata.js';

// Messages the bot posts in a card's thread while relaying a conversation with a candidate
// (docs/architecture.md#conversation-relay). Candidate text is always escaped: it can never mention @channel, a user,
// or render a disguised link.

export interface InboundMessageInput {
  candidateName: string;
  content: string;
  sentAt: string;
  proposalId: string;
  conversationId: string;
  messageId: string;
  now: Date;
}

/** How much of a long candidate message the notification text repeats. */
const PREVIEW_LENGTH = 300;

/**
 * OpenTrain messages run to 10,000 characters, more than Slack's cumulative block budget holds once quoted; the
 * thread shows this much and says where the rest is, and the Reply button always stays.
 */
const SHOWN_LENGTH = 8000;
const CUT_NOTE = '\n_(message cut — read it in full on OpenTrain)_';

/** The content as block-quoted pieces that each fit a section, cut (with a note) past SHOWN_LENGTH. */
function quotedPieces(content: string): string[] {
  const quoted = quote(content);
  const shown = quoted.length <= SHOWN_LENGTH ? quoted : `${truncate(quoted, SHOWN_LENGTH)}${CUT_NOTE}`;
  // A piece that starts mid-line (a very long line was split) still belongs to the quote.
  return splitText(shown, LIMITS.sectionText - 100).map((piece) => (piece.startsWith('>') ? piece : `>${piece}`));
}

export function inboundMessage(input: InboundMessageInput): MessageContent {
  const name = escapeMrkdwn(input.candidateName);
  const content = escapeMrkdwn(input.content.trim() || '(empty message)');
  const blocks: KnownBlock[] = quotedPieces(content).map((piece, index) => ({
    type: 'section',
    block_id: `relay_in_${index}`,
    text: { type: 'mrkdwn', text: index === 0 ? `*${name}* wrote:\n${piece}` : piece },
  }));
  const reply: types.Button = {
    type: 'button',
    action_id: RELAY_REPLY_ACTION,
    text: { type: 'plain_text', text: 'Reply' },
    style: 'primary',
    // What the Reply button carries; the handler parses it back.
    value: encodeMessageTarget({ proposalId: input.proposalId, conversationId: input.conversationId }),
  };
  blocks.push(
    {
      type: 'context',
      block_id: 'relay_in_meta',
      elements: [
        {
          type: 'mrkdwn',
          text: `Sent ${escapeMrkdwn(formatRelative(input.sentAt, input.now))} on OpenTrain · thread chatter stays internal; use *Reply* to answer`,
        },
      ],
    },
    // The message id keeps block ids distinct and traceable to the relayed OpenTrain message.
    { type: 'actions', block_id: `relay_${input.messageId}`.slice(0, LIMITS.blockId), elements: [reply] },
  );
  return fitMessage({ text: `${name}: ${truncate(content, PREVIEW_LENGTH)}`, blocks });
}

export interface OutboundMessageInput {
  userId: string;
  candidateName: string;
  content: string;
}

/** What the person who sent a message to the candidate is told: one sentence wherever they sent it from. */
export function sentToCandidate(candidateName: string): string {
  return `:white_check_mark: Sent to *${escapeMrkdwn(candidateName)}* on OpenTrain.`;
}

/** The ephemeral answer for a message that wasn't sent: why, and the text quoted back so nothing is lost. */
export function notSentText(reason: string, text: string): string {
  return `:warning: ${escapeMrkdwn(reason)}\n${quote(escapeMrkdwn(text || ' '))}`;
}

/** "<@U123> → Maria G.: …" — what a teammate sent to the candidate. */
export function outboundMessage(input: OutboundMessageInput): MessageContent {
  return teammateMessage(`<@${input.userId}> → ${escapeMrkdwn(input.candidateName)}:`, input.content, 'relay_out');
}

/** "<@U123> asked: …" — a teammate's questions to this finalist (asked from the Ask finalists form). */
export function askedMessage(input: OutboundMessageInput): MessageContent {
  return teammateMessage(`<@${input.userId}> asked:`, input.content, 'relay_asked');
}

function teammateMessage(head: string, text: string, blockPrefix: string): MessageContent {
  const content = escapeMrkdwn(text.trim());
  const blocks: KnownBlock[] = quotedPieces(content).map((piece, index) => ({
    type: 'section',
    block_id: `${blockPrefix}_${index}`,
    text: { type: 'mrkdwn', text: index === 0 ? `${head}\n${piece}` : piece },
  }));
  return fitMessage({ text: `${head} ${truncate(content, PREVIEW_LENGTH)}`, blocks });
}

export function conversationOpened(userId: string): MessageContent {
  const text = `Conversation opened by <@${userId}>`;
  return fitMessage({
    text,
    blocks: [
      {
        type: 'context',
        block_id: 'relay_opened',
        elements: [
          {
            type: 'mrkdwn',
            text: `💬 ${text}. Candidate replies appear in this thread; only *Reply* or *Send to candidate* reach them.`,
          },
        ],
      },
    ],
  });
}
