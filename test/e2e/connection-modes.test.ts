import { afterEach, describe, expect, it } from 'vitest';
import { type ConnectionMode, HARNESS_CHANNEL, type Harness, startHarness } from '../../src/sandbox/harness.js';
import type { StoredSlackMessage, StoredSlackView } from '../../src/sandbox/slack/standin.js';
import { cardFor, cardsIn, visibleText } from '../helpers/slack-text.js';

// The same people doing the same things, with Slack reaching the bot over signed HTTP requests or over Socket Mode
// (the manifest's default): a card arrives, a vote, a modal opened from a button, a slash command, a Reply to the
// candidate from the card's thread. Socket Mode also survives Slack's refresh requests and dropped sockets.

const WEBHOOK_SECRET = 'whsec_modes_secret';
const REVIEWER = 'U0ANNA';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

async function startInMode(mode: ConnectionMode): Promise<Harness> {
  h = await startHarness({ mode, env: { OT_WEBHOOK_SECRET: WEBHOOK_SECRET } });
  await h.bot.ctx.sync.runOnce();
  await h.bot.idle();
  // The OpenTrain webhook reaches the bot's HTTP port in both modes (Socket Mode keeps a side server for it).
  h.sandbox.addWebhook(`http://127.0.0.1:${h.bot.port}/opentrain/webhook`, WEBHOOK_SECRET, [
    'proposal.received',
    'message.received',
  ]);
  return h;
}

async function newCard(): Promise<{ proposalId: string; card: StoredSlackMessage }> {
  const { proposalId } = h.sandbox.addProposal(h.sandbox.ids.jobs.spanish);
  const card = await h.slack.waitFor(() => cardFor(h.slack.messages(HARNESS_CHANNEL), proposalId), 5000);
  await h.bot.idle();
  return { proposalId, card };
}

function click(actionId: string, proposalId: string, message: StoredSlackMessage, value = proposalId) {
  return h.sender.blockAction({
    actionId,
    value,
    userId: REVIEWER,
    channelId: HARNESS_CHANNEL,
    messageTs: message.ts,
  });
}

function openView(callbackId: string): StoredSlackView | undefined {
  return [...h.slack.views.values()].reverse().find((v) => !v.closed && v.view.callback_id === callbackId);
}

async function submitText(callbackId: string, text: string) {
  const view = openView(callbackId);
  if (!view) throw new Error(`no open ${callbackId} modal`);
  const result = await h.sender.viewSubmission({
    callbackId,
    userId: REVIEWER,
    viewId: view.id,
    values: { message: { text: { type: 'plain_text_input', value: text } } },
  });
  await h.bot.idle();
  return result;
}

/** Our messages in the proposal's conversation on OpenTrain: what reached the candidate. */
function sentToCandidate(proposalId: string): string[] {
  const conversation = [...h.sandbox.state.conversations.values()].find((c) => c.proposalId === proposalId);
  return (conversation?.messages ?? [])
    .filter((m) => m.senderUserId === conversation?.employerUserId)
    .map((m) => m.content);
}

function replyButtonOf(message: StoredSlackMessage): string | undefined {
  for (const block of (message.blocks ?? []) as { elements?: { action_id?: string; value?: string }[] }[]) {
    const button = block.elements?.find((e) => e.action_id === 'relay_reply');
    if (button) return button.value;
  }
  return undefined;
}

describe.each(['http', 'socket'] as const)('the bot over %s', (mode) => {
  it('a card arrives from the webhook, a vote shows on it, and a slash command answers', async () => {
    await startInMode(mode);
    expect(h.slack.socket.connected).toBe(mode === 'socket' ? 1 : 0);
    const { proposalId, card } = await newCard();

    const vote = await click('vote_up', proposalId, card);
    expect(vote).toMatchObject({ status: 200, via: mode });
    await h.bot.idle();
    expect(visibleText(h.slack.findMessage(HARNESS_CHANNEL, card.ts))).toContain(`<@${REVIEWER}>`);
    expect(h.bot.ctx.store.data.proposals[proposalId]?.votes).toEqual({ [REVIEWER]: 'up' });

    const help = await h.sender.command('help', { userId: REVIEWER, channelId: HARNESS_CHANNEL });
    expect(help).toMatchObject({ status: 200, via: mode, answer: { response_type: 'ephemeral' } });
    expect(h.slack.ephemerals.at(-1)).toMatchObject({ user: REVIEWER, text: expect.stringContaining('/hiring') });

    const jobs = await h.sender.command('jobs', { userId: REVIEWER, channelId: HARNESS_CHANNEL });
    const id = jobs.responseUrl?.split('/').pop();
    const reply = await h.slack.waitFor(() => h.slack.responses.find((r) => r.id === id));
    expect(visibleText(reply.body as { text?: string; blocks?: unknown[] })).toContain('Spanish');
    expect(cardsIn(h.slack.messages(HARNESS_CHANNEL)).filter((m) => m.ts === card.ts)).toHaveLength(1);
  });

  it('a button opens a modal within its trigger window, then fills it in', async () => {
    await startInMode(mode);
    const proposalId = h.sandbox.ids.proposals.spanishRecent;
    const card = cardFor(h.slack.messages(HARNESS_CHANNEL), proposalId)!;
    const result = await click('card_transcript', proposalId, card);
    expect(result).toMatchObject({ status: 200, via: mode });
    await h.bot.idle();
    const opened = h.slack.calls.filter((c) => c.method === 'views.open');
    expect(opened.map((c) => [c.args.trigger_id, c.ok])).toEqual([[result.triggerId, true]]);
    const view = [...h.slack.views.values()].at(-1)!;
    expect(view.userId).toBe(REVIEWER);
    // The loading modal was replaced by the transcript in the same view.
    expect(view.updates).toBe(1);
    expect(visibleText(view.view as { blocks?: unknown[] })).toContain('*Interviewer*');
  });

  it('Message, a candidate reply relayed to the thread, and a Reply submission reach OpenTrain once', async () => {
    await startInMode(mode);
    const proposalId = h.sandbox.ids.proposals.spanishRecent;
    const card = cardFor(h.slack.messages(HARNESS_CHANNEL), proposalId)!;
    await click('card_message', proposalId, card);
    await h.bot.idle();
    const first = await submitText('message_submit', 'Hello, are you available next week?');
    expect(first).toMatchObject({ status: 200, via: mode });
    const conversationId = h.bot.ctx.store.data.proposals[proposalId]?.conversation?.id;
    expect(conversationId).toBeTruthy();

    h.sandbox.addCandidateMessage(conversationId!, 'Yes, from Monday.');
    const relayed = await h.slack.waitFor(
      () => h.slack.thread(HARNESS_CHANNEL, card.ts).find((m) => replyButtonOf(m) !== undefined),
      5000,
    );
    await h.bot.idle();
    await click('relay_reply', proposalId, relayed, replyButtonOf(relayed));
    await h.bot.idle();
    const reply = await submitText('reply_submit', 'Great, I will send an invite.');
    expect(reply).toMatchObject({ status: 200, via: mode });
    await h.bot.idle();
    expect(sentToCandidate(proposalId)).toEqual([
      'Hello, are you available next week?',
      'Great, I will send an invite.',
    ]);
  });
});

describe('Socket Mode connection lifecycle', () => {
  it('reconnects after a refresh request and after a dropped socket, losing and doubling nothing', async () => {
    await startInMode('socket');
    const { proposalId, card } = await newCard();
    const opensBefore = h.slack.socket.opened;

    h.slack.socket.disconnect('refresh_requested');
    await h.slack.waitFor(() => h.slack.socket.opened === opensBefore + 1 && h.slack.socket.connected === 1, 8000);
    expect(await click('vote_up', proposalId, card)).toMatchObject({ status: 200, via: 'socket' });
    await h.bot.idle();

    h.slack.socket.drop();
    // While the socket is down, OpenTrain work goes on: a new proposal's card is posted by the Web API.
    const during = await newCard();
    await h.slack.waitFor(() => h.slack.socket.opened === opensBefore + 2 && h.slack.socket.connected === 1, 8000);
    expect(await click('vote_down', during.proposalId, during.card)).toMatchObject({ status: 200, via: 'socket' });
    const help = await h.sender.command('help', { userId: REVIEWER, channelId: HARNESS_CHANNEL });
    expect(help.answer).toMatchObject({ response_type: 'ephemeral' });
    await h.bot.idle();

    const store = h.bot.ctx.store.data.proposals;
    expect(store[proposalId]?.votes).toEqual({ [REVIEWER]: 'up' });
    expect(store[during.proposalId]?.votes).toEqual({ [REVIEWER]: 'down' });
    for (const id of [proposalId, during.proposalId]) {
      expect(
        cardsIn(h.slack.messages(HARNESS_CHANNEL)).filter((m) => m.metadata?.event_payload.proposal_id === id),
      ).toHaveLength(1);
    }
    // Every envelope was acked once, on the socket it came on: nothing was redelivered.
    expect(h.slack.socket.envelopes.every((e) => e.retry_attempt === 0)).toBe(true);
    expect(h.slack.socket.acks.filter((a) => a.late)).toEqual([]);
    expect(new Set(h.slack.socket.acks.map((a) => a.envelopeId)).size).toBe(h.slack.socket.envelopes.length);
  });

  it('an event Slack holds while the socket is down arrives once after the reconnect', async () => {
    await startInMode('socket');
    h.slack.socket.drop();
    const delivered = h.sender.event({ type: 'tokens_revoked', tokens: { bot: ['U0BOTSELF'] } });
    await h.slack.waitFor(() => h.slack.socket.connected === 1, 8000);
    expect(await delivered).toMatchObject({ status: 200, via: 'socket' });
    expect(h.slack.socket.envelopes.filter((e) => e.type === 'events_api')).toHaveLength(1);
  });
});
