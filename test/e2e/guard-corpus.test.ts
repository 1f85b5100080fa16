import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HARNESS_CHANNEL, type Harness, startHarness, startHarnessSlack } from '../../src/sandbox/harness.js';
import { cardFor } from '../helpers/slack-text.js';

// The guard's corpus (test/fixtures/guard/) through the real app over signed HTTP: every sample is typed into the
// card's Message composer and submitted as Slack would. What is observed is what the person sees (the form's error
// line, or the message sent) and what reached OpenTrain's conversation.

interface Sample {
  class: string;
  lang: string;
  text: string;
}

const load = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/guard/${name}.json`, import.meta.url), 'utf8')) as Sample[];
const DISGUISED = load('disguised');
const ORDINARY = load('ordinary');
const REVIEWER = 'U0ANNA';

let h: Harness;
let composerMetadata: string;
let conversationId: string;

beforeAll(async () => {
  // Slack's limits off: this file is about the guard, and 460 sends post 460 thread lines.
  h = await startHarness({ slack: await startHarnessSlack({ rateLimits: 'off' }) });
  await h.bot.ctx.sync.runOnce();
  await h.bot.idle();
  const proposalId = h.sandbox.ids.proposals.spanishRecent;
  const card = cardFor(h.slack.messages(HARNESS_CHANNEL), proposalId);
  if (!card) throw new Error('no card for spanishRecent');
  await h.sender.blockAction({
    actionId: 'card_message',
    value: proposalId,
    userId: REVIEWER,
    channelId: HARNESS_CHANNEL,
    messageTs: card.ts,
  });
  await h.bot.idle();
  const composer = [...h.slack.views.values()].find((view) => view.view.callback_id === 'message_submit');
  if (!composer) throw new Error('Message opened no composer');
  // Each sample goes into a composer like this one (a person would click Message again after each send).
  composerMetadata = String(composer.view.private_metadata);
  conversationId = h.bot.ctx.store.data.proposals[proposalId]!.conversation!.id;
});

afterAll(async () => {
  await h?.close();
});

const submit = (text: string) =>
  h.sender.viewSubmission({
    callbackId: 'message_submit',
    userId: REVIEWER,
    privateMetadata: composerMetadata,
    values: { message: { text: { type: 'plain_text_input', value: text } } },
  });
const sentToCandidate = () => {
  const conversation = h.sandbox.state.conversations.get(conversationId)!;
  return conversation.messages.filter((message) => message.senderUserId === conversation.employerUserId);
};

describe('the guard corpus, submitted through the Message composer', () => {
  it(`refuses ≥ 95 % of ${DISGUISED.length} disguised contact details in the form, and none reaches OpenTrain`, async () => {
    const before = sentToCandidate().length;
    const passed: Sample[] = [];
    for (const sample of DISGUISED) {
      const answer = await submit(sample.text);
      const refused = (answer.json as { response_action?: string } | undefined)?.response_action === 'errors';
      if (!refused) passed.push(sample);
    }
    await h.bot.idle();
    const rate = (DISGUISED.length - passed.length) / DISGUISED.length;
    console.log(`guard through the app: ${DISGUISED.length - passed.length}/${DISGUISED.length} disguised refused`);
    expect(rate).toBeGreaterThanOrEqual(0.95);
    // What got past the form is exactly what reached OpenTrain: nothing refused was sent anyway.
    expect(sentToCandidate().length - before).toBe(passed.length);
  }, 120_000);

  it(`sends all ${ORDINARY.length} ordinary hiring messages, each reaching OpenTrain once`, async () => {
    const before = sentToCandidate().length;
    const refused: Sample[] = [];
    for (const sample of ORDINARY) {
      const answer = await submit(sample.text);
      if ((answer.json as { response_action?: string } | undefined)?.response_action === 'errors') refused.push(sample);
    }
    await h.bot.idle();
    console.log(`guard through the app: ${refused.length}/${ORDINARY.length} ordinary refused`);
    expect(refused).toEqual([]);
    const sent = sentToCandidate()
      .slice(before)
      .map((message) => message.content);
    expect(sent).toHaveLength(ORDINARY.length);
    expect(new Set(sent)).toEqual(new Set(ORDINARY.map((sample) => sample.text.trim())));
  }, 180_000);
});
