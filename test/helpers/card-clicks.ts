import { expect } from 'vitest';
import { HARNESS_CHANNEL, type Harness } from '../../src/sandbox/harness.js';
import { cardFor } from './slack-text.js';

/**
 * A person clicks a button on a proposal's card in the harness channel (a vote, by default 👍), over the app's real
 * request path; resolves once Slack got its ack and the bot is idle again.
 */
export async function clickOnCard(harness: Harness, proposalId: string, userId: string, actionId = 'vote_up') {
  const card = cardFor(harness.slack.messages(HARNESS_CHANNEL), proposalId);
  if (!card) throw new Error(`no card for ${proposalId} in the channel`);
  const result = await harness.sender.blockAction({
    actionId,
    value: proposalId,
    userId,
    channelId: HARNESS_CHANNEL,
    messageTs: card.ts,
  });
  expect(result.status).toBe(200);
  await harness.bot.idle();
}
