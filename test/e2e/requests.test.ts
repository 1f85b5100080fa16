import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type BotProcess,
  HARNESS_CHANNEL,
  HARNESS_SIGNING_SECRET,
  type Harness,
  harnessEnv,
  spawnBot,
  startHarness,
  startHarnessSlack,
} from '../../src/sandbox/harness.js';
import { type OpenTrainSandbox, startOpenTrainSandbox } from '../../src/sandbox/opentrain/index.js';
import { SlackRequestSender } from '../../src/sandbox/slack/signed-requests.js';
import type { SlackStandIn } from '../../src/sandbox/slack/standin.js';
import { cardFor, cardsIn, visibleText } from '../helpers/slack-text.js';

// Every Slack request is answered, a repeated request never repeats its side effect, and a throw in background work
// never ends the process — end to end over signed HTTP against the OpenTrain sandbox and the Slack stand-in.

const REVIEWER = 'U0ANNA';
let h: Harness;
afterEach(async () => {
  await h?.close();
});

async function withCards(logSink?: (line: string) => void): Promise<{ proposalId: string; cardTs: string }> {
  h = await startHarness(logSink ? { logSink } : {});
  await h.bot.ctx.sync.runOnce();
  await h.bot.idle();
  const proposalId = h.sandbox.ids.proposals.spanishRecent;
  const card = cardFor(h.slack.messages(HARNESS_CHANNEL), proposalId);
  if (!card) throw new Error('no card for spanishRecent');
  return { proposalId, cardTs: card.ts };
}

/** Clicks a card button that opens a modal (Message, Invite to job…) and returns the modal it opened. */
async function openModalFromCard(actionId: string, callbackId: string, proposalId: string, cardTs: string) {
  await h.sender.blockAction({
    actionId,
    value: proposalId,
    userId: REVIEWER,
    channelId: HARNESS_CHANNEL,
    messageTs: cardTs,
  });
  await h.bot.idle();
  const modal = [...h.slack.views.values()].find((v) => v.view.callback_id === callbackId && !v.closed);
  if (!modal) throw new Error(`${actionId} opened no ${callbackId} modal`);
  return modal;
}

const ephemeralsFor = (userId: string) =>
  h.slack.ephemerals.filter((e) => e.user === userId).map((e) => visibleText(e));
const votesOf = (proposalId: string) => h.bot.ctx.store.data.proposals[proposalId]!.votes;

describe('requests nobody listens for are acknowledged and answered', () => {
  it('a button from an older card: "here is a fresh one", and the card is re-rendered in place', async () => {
    const { cardTs } = await withCards();
    h.slack.clearCalls();
    const click = await h.sender.blockAction({
      actionId: 'card_shortlist', // an id this version doesn't have
      value: 'whatever',
      userId: REVIEWER,
      channelId: HARNESS_CHANNEL,
      messageTs: cardTs,
    });
    expect(click.status).toBe(200);
    await h.bot.idle();
    expect(ephemeralsFor(REVIEWER)).toEqual([
      ':warning: This button is from an older version of the card; here is a fresh one.',
    ]);
    expect(h.slack.callsTo('chat.update').filter((args) => args.ts === cardTs)).toHaveLength(1);
    expect(h.slack.callsTo('chat.postMessage')).toEqual([]);
  });

  it('an unknown button on a message that is not a card (the set-up announcement): no fresh card is promised', async () => {
    await withCards();
    const announcement = h.slack
      .messages(HARNESS_CHANNEL)
      .find((message) => message.metadata?.event_type !== 'opentrain_proposal');
    if (!announcement) throw new Error('no non-card message in the channel');
    h.slack.clearCalls();
    const click = await h.sender.blockAction({
      actionId: 'digest_open_all', // an id this version doesn't have
      userId: REVIEWER,
      channelId: HARNESS_CHANNEL,
      messageTs: announcement.ts,
    });
    expect(click.status).toBe(200);
    await h.bot.idle();
    expect(ephemeralsFor(REVIEWER)).toEqual([
      ':warning: This button is from an older version of the bot and no longer does anything, so nothing was done.',
    ]);
    expect(h.slack.callsTo('chat.update')).toEqual([]);
  });

  it('no actions at all, an unknown form, unknown shortcuts and a bare event_callback: each acked with an answer', async () => {
    const { cardTs } = await withCards();
    const onCard = {
      container: { type: 'message', message_ts: cardTs, channel_id: HARNESS_CHANNEL },
      channel: { id: HARNESS_CHANNEL },
    };
    const empty = await h.sender.interaction({ type: 'block_actions', user: { id: 'U0E1' }, actions: [], ...onCard });
    expect(empty.status).toBe(200);

    const form = await h.sender.interaction({
      type: 'view_submission',
      user: { id: 'U0E2' },
      trigger_id: h.slack.makeTriggerId('U0E2'),
      view: { id: 'V0OLD', callback_id: 'feedback_submit', blocks: [{ type: 'input', block_id: 'note' }] },
    });
    expect(form.json).toEqual({
      response_action: 'errors',
      errors: {
        note: 'This form is from an older version of the bot, so nothing was sent. Please close it and start again.',
      },
    });
    const formWithoutInputs = await h.sender.interaction({
      type: 'view_submission',
      user: { id: 'U0E2' },
      view: { id: 'V0OLD2', callback_id: 'feedback_submit', blocks: [] },
    });
    expect(formWithoutInputs.json).toMatchObject({ response_action: 'update' });
    expect(visibleText((formWithoutInputs.json as { view: { blocks: unknown[] } }).view)).toContain(
      'older version of the bot',
    );

    const shortcut = (type: string, callbackId: string, userId: string, extra: Record<string, unknown> = {}) =>
      h.sender.interaction({
        type,
        callback_id: callbackId,
        user: { id: userId },
        trigger_id: h.slack.makeTriggerId(userId),
        ...extra,
      });
    expect((await shortcut('shortcut', 'create_job', 'U0E3')).status).toBe(200);
    const onCardMessage = { channel: { id: HARNESS_CHANNEL }, message: { ts: cardTs, text: '' } };
    expect((await shortcut('message_action', 'pin_candidate', 'U0E4', onCardMessage)).status).toBe(200);
    // The registered shortcut, fired without a channel or message (Slack never does; a forged payload might).
    expect((await shortcut('message_action', 'send_to_candidate', 'U0E5')).status).toBe(200);

    const event = await h.sender.raw(JSON.stringify({ type: 'event_callback', event_id: 'Ev0BARE', team_id: 'T1' }), {
      contentType: 'application/json',
    });
    expect(event.status).toBe(200);
    const unknownEvent = await h.sender.event({ type: 'reaction_added', user: 'U0E6', reaction: 'tada' });
    expect(unknownEvent.status).toBe(200);
    await h.bot.idle();

    expect(ephemeralsFor('U0E1')).toEqual([
      ':warning: That click reached me without its button, so nothing was done. Please click again.',
    ]);
    expect(ephemeralsFor('U0E4')).toEqual([
      ':warning: This shortcut is from an older version of the bot and no longer does anything.',
    ]);
    const modalFor = (userId: string) => [...h.slack.views.values()].find((view) => view.userId === userId);
    expect(visibleText(modalFor('U0E3')?.view as { blocks: unknown[] })).toContain(
      'This shortcut is from an older version of the bot',
    );
    expect(visibleText(modalFor('U0E5')?.view as { blocks: unknown[] })).toContain('came without its message');
  });

  it('/hiring __proto__, constructor and toString in any case get the usage sentence', async () => {
    h = await startHarness();
    for (const word of ['__proto__', '__PROTO__', 'constructor', 'Constructor', 'toString', 'TOSTRING', 'valueOf']) {
      const answer = await h.sender.command(word, { userId: REVIEWER, channelId: HARNESS_CHANNEL });
      expect(answer.status, word).toBe(200);
      expect(visibleText(answer.json as { text: string }), word).toContain("I don't know");
      expect(visibleText(answer.json as { text: string }), word).toContain('/hiring help');
    }
  });
});

describe('replays', () => {
  it('the same signed 👍 sent twice counts once (the vote is not undone)', async () => {
    const { proposalId, cardTs } = await withCards();
    const click = {
      actionId: 'vote_up',
      value: proposalId,
      userId: REVIEWER,
      channelId: HARNESS_CHANNEL,
      messageTs: cardTs,
    };
    await h.sender.blockAction(click);
    const captured = h.sender.lastRequest;
    await h.bot.idle();
    expect(votesOf(proposalId)).toEqual({ [REVIEWER]: 'up' });
    const replayed = await h.sender.replay(captured);
    expect(replayed.status).toBe(200);
    await h.bot.idle();
    expect(votesOf(proposalId)).toEqual({ [REVIEWER]: 'up' });
    expect(visibleText(h.slack.findMessage(HARNESS_CHANNEL, cardTs))).toContain(`<@${REVIEWER}>`);
  });

  it('a replayed Reply submission, over HTTP or redelivered with the same trigger_id, messages the candidate once', async () => {
    const { proposalId, cardTs } = await withCards();
    const composer = await openModalFromCard('card_message', 'message_submit', proposalId, cardTs);
    const conversationId = h.bot.ctx.store.data.proposals[proposalId]!.conversation!.id;
    const sent = () =>
      h.sandbox.state.conversations.get(conversationId)!.messages.filter((m) => m.content.includes('v2'));
    await h.sender.viewSubmission({
      callbackId: 'message_submit',
      userId: REVIEWER,
      viewId: composer.id,
      values: { message: { text: { type: 'plain_text_input', value: 'Please use the v2 guidelines.' } } },
    });
    const captured = h.sender.lastRequest!;
    await h.bot.idle();
    expect(sent()).toHaveLength(1);

    // The same bytes again (a captured request), then the same action re-signed now (as a Socket Mode redelivery,
    // which has no signature, would arrive): both acknowledged, neither sends.
    expect((await h.sender.replay(captured)).status).toBe(200);
    const body = captured.body;
    expect((await h.sender.raw(body, { contentType: 'application/x-www-form-urlencoded' })).status).toBe(200);
    await h.bot.idle();
    expect(sent()).toHaveLength(1);
    const thread = h.slack.thread(HARNESS_CHANNEL, cardTs);
    expect(thread.filter((m) => visibleText(m).includes('v2 guidelines'))).toHaveLength(1);
  });

  it('a request dated more than 5 minutes in the future or the past is refused; within the window it works', async () => {
    h = await startHarness();
    const future = await h.sender.raw('token=x&command=%2Fhiring&text=help', {
      contentType: 'application/x-www-form-urlencoded',
      signature: 'future',
    });
    expect(future.status).toBe(401);
    const stale = await h.sender.raw('token=x&command=%2Fhiring&text=help', {
      contentType: 'application/x-www-form-urlencoded',
      signature: 'stale',
    });
    expect(stale.status).toBe(401);
    const fourMinutesAhead = new SlackRequestSender({
      appUrl: `http://127.0.0.1:${h.bot.port}/slack/events`,
      signingSecret: HARNESS_SIGNING_SECRET,
      standIn: h.slack,
      now: () => Date.now() + 4 * 60_000,
    });
    const ok = await fourMinutesAhead.command('help', { userId: REVIEWER, channelId: HARNESS_CHANNEL });
    expect(ok.status).toBe(200);
    expect(visibleText(ok.json as { text: string })).toContain('/hiring');
  });

  it("Slack's Events API retry (X-Slack-Retry-Num, same event_id) is acknowledged and handled once", async () => {
    const lines: string[] = [];
    h = await startHarness({ logSink: (line) => lines.push(line) });
    await h.sender.event({ type: 'app_uninstalled' });
    const first = h.sender.lastRequest!;
    const envelope = JSON.parse(first.body) as Record<string, unknown>;
    // Slack re-signs a retry with a new timestamp: only the event id says it's the same delivery.
    const retry = await h.sender.raw(JSON.stringify(envelope), { contentType: 'application/json' });
    expect(retry.status).toBe(200);
    await h.bot.idle();
    expect(lines.filter((line) => line.includes('the app was uninstalled'))).toHaveLength(1);
    expect(lines.filter((line) => /repeated Slack request acknowledged and ignored \(.*event/.test(line))).toHaveLength(
      1,
    );
  });
});

describe('background work', () => {
  it('a synchronous throw in tracked work is logged once, told to the person, and the bot keeps answering', async () => {
    const lines: string[] = [];
    h = await startHarness({ logSink: (line) => lines.push(line) });
    const told: string[] = [];
    const result = await h.bot.ctx.track(
      () => {
        throw new TypeError("Cannot read properties of undefined (reading 'candidate')");
      },
      { label: 'test work', tell: async (sentence) => told.push(sentence) },
    );
    expect(result).toBeUndefined();
    expect(lines.filter((line) => line.includes('background work failed: test work'))).toHaveLength(1);
    expect(told).toEqual([expect.stringContaining('Something went wrong on my side')]);
    const help = await h.sender.command('help', { userId: REVIEWER, channelId: HARNESS_CHANNEL });
    expect(help.status).toBe(200);
  });

  it('the __proto__ Reply click from the issue leaves the real process running and gets a sentence', async () => {
    const sandbox: OpenTrainSandbox = await startOpenTrainSandbox({ port: 0 });
    const slack: SlackStandIn = await startHarnessSlack();
    const dataDir = await mkdtemp(join(tmpdir(), 'hiring-bot-proto-'));
    let bot: BotProcess | undefined;
    try {
      bot = await spawnBot(
        { ...harnessEnv(sandbox, slack, dataDir), LOG_LEVEL: 'error', SYNC_INTERVAL_SECONDS: '1' },
        {
          stderr: 'pipe',
        },
      );
      await slack.waitFor(() => cardsIn(slack.messages(HARNESS_CHANNEL))[0], 20_000);
      const card = cardsIn(slack.messages(HARNESS_CHANNEL))[0]!;
      const sender = new SlackRequestSender({
        appUrl: `http://127.0.0.1:${bot.port}/slack/events`,
        signingSecret: HARNESS_SIGNING_SECRET,
        standIn: slack,
      });
      for (const proposalId of ['__proto__', 'constructor', 'toString']) {
        const click = await sender.blockAction({
          actionId: 'relay_reply',
          value: JSON.stringify({ proposalId, conversationId: 'conv_1' }),
          userId: REVIEWER,
          channelId: HARNESS_CHANNEL,
          messageTs: card.ts,
        });
        expect(click.status).toBe(200);
      }
      await slack.waitFor(() => slack.ephemerals.filter((e) => e.user === REVIEWER).length === 3, 5000);
      expect(slack.ephemerals.map((e) => e.text)).toEqual(
        Array(3).fill("The bot doesn't track this conversation any more; reply in the OpenTrain app."),
      );
      const health = await fetch(`http://127.0.0.1:${bot.port}/healthz`);
      expect(health.status).toBe(200);
      expect(bot.child.exitCode).toBeNull();
      expect(bot.stderr()).not.toMatch(/uncaught exception/);
    } finally {
      bot?.child.kill('SIGKILL');
      await Promise.allSettled([sandbox.close(), slack.close()]);
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 30_000);
});

describe('OpenTrain writes triggered from Slack', () => {
  it('an invite whose answer was lost is asked again and reported truthfully: invited, once', async () => {
    const { proposalId, cardTs } = await withCards();
    const form = await openModalFromCard('card_invite', 'invite_submit', proposalId, cardTs);
    const medical = h.sandbox.ids.jobs.medical;
    h.sandbox.injectFaults({ status: 500, count: 1, method: 'POST', match: /\/invites/, dropResponse: true });
    await h.sender.viewSubmission({
      callbackId: 'invite_submit',
      userId: REVIEWER,
      viewId: form.id,
      values: { job: { job_select: { type: 'static_select', selected_option: { value: medical } } } },
    });
    await h.bot.idle();
    const freelancerId = h.sandbox.ids.freelancers.spanishRecent;
    expect(
      h.sandbox.state.invites.filter((invite) => invite.jobId === medical && invite.freelancerId === freelancerId),
    ).toHaveLength(1);
    const shown = visibleText(h.slack.views.get(form.id)!.view as { blocks: unknown[] });
    expect(shown).toContain('Invited *');
    expect(shown).toContain("OpenTrain's first answer was lost; asking again confirmed the invite is in place");
    expect(shown).not.toMatch(/try again/i);
    expect(visibleText(h.slack.findMessage(HARNESS_CHANNEL, cardTs))).toContain(`by <@${REVIEWER}>`);
  });

  it('the debug log never holds the text sent to a candidate (its length and id instead)', async () => {
    const lines: string[] = [];
    const { proposalId, cardTs } = await withCards((line) => lines.push(line));
    const composer = await openModalFromCard('card_message', 'message_submit', proposalId, cardTs);
    const secretish = 'Quartz-lantern-7741 is our private onboarding phrase';
    await h.sender.viewSubmission({
      callbackId: 'message_submit',
      userId: REVIEWER,
      viewId: composer.id,
      values: { message: { text: { type: 'plain_text_input', value: secretish } } },
    });
    await h.bot.idle();
    const conversationId = h.bot.ctx.store.data.proposals[proposalId]!.conversation!.id;
    expect(h.sandbox.state.conversations.get(conversationId)!.messages.some((m) => m.content === secretish)).toBe(true);
    const log = lines.join('\n');
    expect(lines.some((line) => line.includes(' DEBUG '))).toBe(true);
    expect(log).not.toContain('Quartz-lantern');
    expect(log).toMatch(
      new RegExp(`sent message \\S+ \\(${secretish.length} characters\\) to conversation ${conversationId}`),
    );
  });
});

describe('replays over Socket Mode (no signatures)', () => {
  it('a redelivered Reply submission and a redelivered 👍 act once', async () => {
    h = await startHarness({ mode: 'socket' });
    await h.bot.ctx.sync.runOnce();
    await h.bot.idle();
    const proposalId = h.sandbox.ids.proposals.spanishRecent;
    const cardTs = cardFor(h.slack.messages(HARNESS_CHANNEL), proposalId)!.ts;
    const lastInteractive = () => {
      const envelope = [...h.slack.socket.envelopes].reverse().find((e) => e.type === 'interactive');
      if (!envelope) throw new Error('nothing was delivered over the socket');
      return envelope.payload;
    };

    await h.sender.blockAction({
      actionId: 'vote_up',
      value: proposalId,
      userId: REVIEWER,
      channelId: HARNESS_CHANNEL,
      messageTs: cardTs,
    });
    const vote = lastInteractive();
    await h.bot.idle();
    expect((await h.sender.interaction(vote)).status).toBe(200);
    await h.bot.idle();
    expect(votesOf(proposalId)).toEqual({ [REVIEWER]: 'up' });

    const composer = await openModalFromCard('card_message', 'message_submit', proposalId, cardTs);
    await h.sender.viewSubmission({
      callbackId: 'message_submit',
      userId: REVIEWER,
      viewId: composer.id,
      values: { message: { text: { type: 'plain_text_input', value: 'Socket hello, v3 guidelines.' } } },
    });
    const submission = lastInteractive();
    await h.bot.idle();
    expect((await h.sender.interaction(submission)).status).toBe(200);
    await h.bot.idle();
    const conversationId = h.bot.ctx.store.data.proposals[proposalId]!.conversation!.id;
    const sent = h.sandbox.state.conversations.get(conversationId)!.messages.filter((m) => m.content.includes('v3'));
    expect(sent).toHaveLength(1);
  });
});
