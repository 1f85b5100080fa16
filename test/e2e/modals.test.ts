import { afterEach, describe, expect, it } from 'vitest';
import { HARNESS_CHANNEL, type Harness, startHarness, startHarnessSlack } from '../../src/sandbox/harness.js';
import { cardFor } from '../helpers/slack-text.js';

// Every modal goes one way: open at once, fill, or say why not. Here Slack refuses every views.open (each trigger_id
// has expired before the app uses it, as when a click reaches the app late): each button then tells the person where
// they clicked, and the Message button, whose fill starts the conversation on OpenTrain, starts nothing.

const ALICE = 'U0ALICE0001';

let h: Harness | undefined;
afterEach(async () => {
  // The harness closes the stand-in it was given, too.
  await h?.close();
  h = undefined;
});

async function expiredTriggers() {
  h = await startHarness({ slack: await startHarnessSlack({ triggerTtlMs: -1 }) });
  await h.bot.ctx.sync.runOnce();
  await h.bot.idle();
  const proposalId = h.sandbox.ids.proposals.spanishRecent;
  const card = cardFor(h.slack.messages(HARNESS_CHANNEL), proposalId);
  if (!card) throw new Error('no card for the spanishRecent proposal');
  return { h, proposalId, cardTs: card.ts };
}

describe('a modal Slack refuses to open', () => {
  it.each([
    ['card_transcript', 'the transcript'],
    ['card_profile', 'the profile'],
    ['card_invite', 'the invite form'],
    ['card_message', 'the message composer'],
  ])('%s: the person is told where they clicked, and no modal is left behind', async (actionId, what) => {
    const { h, proposalId, cardTs } = await expiredTriggers();
    const before = h.slack.ephemerals.length;
    const result = await h.sender.blockAction({
      actionId,
      value: proposalId,
      userId: ALICE,
      channelId: HARNESS_CHANNEL,
      messageTs: cardTs,
    });
    expect(result.status).toBe(200);
    await h.bot.idle();

    const told = h.slack.ephemerals.slice(before);
    expect(told).toEqual([
      expect.objectContaining({
        channel: HARNESS_CHANNEL,
        user: ALICE,
        text: `:warning: Slack didn't let me open ${what} in time. Please click the button again.`,
      }),
    ]);
    expect([...h.slack.views.values()].filter((view) => !view.closed)).toEqual([]);
  });

  it('Message: no conversation is started on OpenTrain for a composer nobody saw', async () => {
    const { h, proposalId, cardTs } = await expiredTriggers();
    const conversationsBefore = h.sandbox.state.conversations.size;
    await h.sender.blockAction({
      actionId: 'card_message',
      value: proposalId,
      userId: ALICE,
      channelId: HARNESS_CHANNEL,
      messageTs: cardTs,
    });
    await h.bot.idle();
    expect(h.sandbox.state.conversations.size).toBe(conversationsBefore);
    expect(h.bot.ctx.store.data.proposals[proposalId]?.conversation ?? null).toBeNull();
  });
});
