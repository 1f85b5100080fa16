import { afterEach, describe, expect, it } from 'vitest';
import { HARNESS_CHANNEL, type Harness, type HarnessOptions, startHarness } from '../../src/sandbox/harness.js';
import { SANDBOX_TOKENS } from '../../src/sandbox/opentrain/index.js';
import type { StoredSlackMessage, StoredSlackView } from '../../src/sandbox/slack/standin.js';
import { cardFor, visibleText } from '../helpers/slack-text.js';

// The conversation relay end to end: the real app over signed HTTP, the OpenTrain sandbox and the Slack stand-in.

const REVIEWER = 'U0ANNA';

interface Scene {
  h: Harness;
  proposalId: string;
  cardTs: string;
  name: string;
}

let h: Harness;
afterEach(async () => {
  await h?.close();
});

/** Harness with the seeded cards posted; the scene is the card of the sandbox's "spanishRecent" proposal. */
async function scene(options: HarnessOptions = {}, beforeFirstSync?: (harness: Harness) => void) {
  h = await startHarness(options);
  beforeFirstSync?.(h);
  await h.bot.ctx.sync.runOnce();
  await h.bot.idle();
  const proposalId = h.sandbox.ids.proposals.spanishRecent;
  const card = cardFor(h.slack.messages(HARNESS_CHANNEL), proposalId);
  if (!card) throw new Error('no card for the spanishRecent proposal');
  const name = h.bot.ctx.store.data.proposals[proposalId]!.proposal.candidate.displayName;
  return { h, proposalId, cardTs: card.ts, name } satisfies Scene;
}

function card(s: Scene): StoredSlackMessage {
  return s.h.slack.findMessage(HARNESS_CHANNEL, s.cardTs)!;
}

function replies(s: Scene): StoredSlackMessage[] {
  return s.h.slack.thread(HARNESS_CHANNEL, s.cardTs).filter((m) => m.ts !== s.cardTs);
}

function conversationId(s: Scene): string {
  const id = s.h.bot.ctx.store.data.proposals[s.proposalId]?.conversation?.id;
  if (!id) throw new Error('no conversation linked');
  return id;
}

/** What reached the candidate: our messages in the proposal's conversation on OpenTrain. */
function sentToSandbox(s: Scene): string[] {
  const conversation = [...s.h.sandbox.state.conversations.values()].find((c) => c.proposalId === s.proposalId);
  if (!conversation) return [];
  return conversation.messages.filter((m) => m.senderUserId === conversation.employerUserId).map((m) => m.content);
}

function openView(s: Scene, callbackId: string): StoredSlackView | undefined {
  return [...s.h.slack.views.values()].reverse().find((v) => !v.closed && v.view.callback_id === callbackId);
}

function inputValue(view: StoredSlackView | undefined): string | undefined {
  const blocks = (view?.view.blocks ?? []) as { block_id?: string; element?: { initial_value?: string } }[];
  return blocks.find((b) => b.block_id === 'message')?.element?.initial_value;
}

function replyButtonOf(message: StoredSlackMessage): string | undefined {
  for (const block of (message.blocks ?? []) as { elements?: { action_id?: string; value?: string }[] }[]) {
    const button = block.elements?.find((e) => e.action_id === 'relay_reply');
    if (button) return button.value;
  }
  return undefined;
}

async function clickMessage(s: Scene, userId = REVIEWER) {
  const result = await s.h.sender.blockAction({
    actionId: 'card_message',
    value: s.proposalId,
    userId,
    channelId: HARNESS_CHANNEL,
    messageTs: s.cardTs,
  });
  expect(result.status).toBe(200);
  await s.h.bot.idle();
  return result;
}

async function submit(s: Scene, callbackId: 'message_submit' | 'reply_submit', text: string, userId = REVIEWER) {
  const view = openView(s, callbackId);
  if (!view) throw new Error(`no open ${callbackId} modal`);
  const result = await s.h.sender.viewSubmission({
    callbackId,
    userId,
    viewId: view.id,
    values: { message: { text: { type: 'plain_text_input', value: text } } },
  });
  expect(result.status).toBe(200);
  await s.h.bot.idle();
  return { result, view: s.h.slack.views.get(view.id)!, json: result.json as Record<string, unknown> | null };
}

async function openAndSend(s: Scene, text: string) {
  await clickMessage(s);
  await submit(s, 'message_submit', text);
}

async function candidateWrites(s: Scene, text: string) {
  s.h.sandbox.addCandidateMessage(conversationId(s), text);
  await s.h.bot.ctx.sync.runOnce();
  await s.h.bot.idle();
}

async function shortcut(s: Scene, message: StoredSlackMessage, userId = REVIEWER) {
  const result = await s.h.sender.messageShortcut({
    callbackId: 'send_to_candidate',
    userId,
    channelId: HARNESS_CHANNEL,
    message: {
      ts: message.ts,
      text: message.text ?? '',
      ...(message.thread_ts ? { thread_ts: message.thread_ts } : {}),
      ...(message.user ? { user: message.user } : {}),
    },
  });
  expect(result.status).toBe(200);
  await s.h.bot.idle();
  return result;
}

/** What the employer does in the OpenTrain app itself: open the proposal's conversation and write first. */
async function openedInOpenTrainApp(s: Scene, proposalId: string, firstMessage: string): Promise<string> {
  const call = async (path: string, body?: unknown) => {
    const response = await fetch(`${s.h.sandbox.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SANDBOX_TOKENS.owner}`, 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    expect(response.ok).toBe(true);
    return (await response.json()) as Record<string, unknown>;
  };
  const conversationId = String((await call(`/proposals/${proposalId}/conversation`)).conversationId);
  await call('/messages', { conversationId, content: firstMessage });
  return conversationId;
}

function ephemeralsFor(s: Scene, userId: string): string[] {
  return s.h.slack.ephemerals.filter((e) => e.user === userId).map((e) => visibleText(e));
}

describe('conversation relay (end to end)', () => {
  it('Message opens the conversation, the first message reaches OpenTrain and the thread; replies relay exactly once, also after a restart; Reply answers', async () => {
    let s = await scene();
    await clickMessage(s);
    expect(openView(s, 'message_submit')).toBeTruthy();
    expect(visibleText(replies(s)[0])).toContain(`Conversation opened by <@${REVIEWER}>`);

    const first = 'Hi! Thanks for applying. Could you start with a 500-post batch next week?';
    const { json, view } = await submit(s, 'message_submit', first);
    expect(json?.response_action).toBe('update');
    expect(visibleText(view.view as { blocks?: unknown[] })).toContain('Sent to');
    expect(sentToSandbox(s)).toEqual([first]);
    const outbound = replies(s).filter((m) => visibleText(m).includes(`<@${REVIEWER}> → ${s.name}:`));
    expect(outbound).toHaveLength(1);
    expect(visibleText(outbound[0])).toContain('500-post batch');
    expect(visibleText(card(s))).toContain('Conversation open (0 unread)');
    expect(replies(s)).toHaveLength(2);

    await candidateWrites(s, 'Yes, I can start on Monday. Which guideline version applies?');
    const relayed = () => replies(s).filter((m) => visibleText(m).includes('Which guideline version applies?'));
    expect(relayed()).toHaveLength(1);
    expect(replyButtonOf(relayed()[0]!)).toBeTruthy();
    expect(visibleText(card(s))).toContain('Conversation open (1 unread)');
    expect(visibleText(card(s))).toContain('awaiting our reply');

    await s.h.bot.ctx.sync.runOnce();
    await s.h.bot.idle();
    h = await s.h.restart();
    s = { ...s, h };
    await s.h.bot.ctx.sync.runOnce();
    await s.h.bot.idle();
    expect(relayed()).toHaveLength(1);

    // Reply under the relayed message: button → modal → submit.
    const relayedMessage = relayed()[0]!;
    const click = await s.h.sender.blockAction({
      actionId: 'relay_reply',
      value: replyButtonOf(relayedMessage)!,
      userId: 'U0BOB',
      channelId: HARNESS_CHANNEL,
      messageTs: relayedMessage.ts,
    });
    expect(click.status).toBe(200);
    await s.h.bot.idle();
    await submit(s, 'reply_submit', 'Please use the v2 guidelines.', 'U0BOB');
    expect(sentToSandbox(s)).toEqual([first, 'Please use the v2 guidelines.']);
    expect(replies(s).some((m) => visibleText(m).includes(`<@U0BOB> → ${s.name}:`))).toBe(true);
    expect(visibleText(card(s))).toContain('Conversation open (0 unread)');
    expect(visibleText(card(s))).not.toContain('awaiting our reply');
    // Our own messages are never relayed back as candidate messages.
    expect(replies(s).filter((m) => replyButtonOf(m))).toHaveLength(1);
  });

  it('Send to candidate sends a thread message; plain thread chatter and messages outside card threads never do', async () => {
    const s = await scene();
    const chatter = s.h.slack.addMessage(HARNESS_CHANNEL, {
      user: 'U0BOB',
      text: 'Internal: strong interview, I would hire her.',
      thread_ts: s.cardTs,
    });
    await s.h.bot.ctx.sync.runOnce();
    await s.h.bot.idle();
    expect(sentToSandbox(s)).toEqual([]);

    // The shortcut on a thread message: the conversation is opened (employer first) and the text sent.
    const question = s.h.slack.addMessage(HARNESS_CHANNEL, {
      user: 'U0BOB',
      text: 'Hi! Are you available for a short call on Tuesday at 10:00 &amp; can you share <https://example.com/sample|a sample>?',
      thread_ts: s.cardTs,
    });
    await shortcut(s, question);
    expect(sentToSandbox(s)).toEqual([
      'Hi! Are you available for a short call on Tuesday at 10:00 & can you share a sample (https://example.com/sample)?',
    ]);
    expect(visibleText(replies(s).find((m) => visibleText(m).includes('Conversation opened by')))).toContain(REVIEWER);
    expect(replies(s).some((m) => visibleText(m).includes(`<@${REVIEWER}> → ${s.name}:`))).toBe(true);
    expect(ephemeralsFor(s, REVIEWER).at(-1)).toContain(`Sent to *${s.name}*`);
    expect(sentToSandbox(s)).not.toContain(chatter.text);

    // Outside a card's thread: explained, nothing sent.
    const topLevel = s.h.slack.addMessage(HARNESS_CHANNEL, { user: 'U0BOB', text: 'Lunch at noon?' });
    await shortcut(s, topLevel);
    expect(ephemeralsFor(s, REVIEWER).at(-1)).toContain("proposal card's thread");
    expect(sentToSandbox(s)).toHaveLength(1);
  });

  it('the guard refuses an email, a phone number and a WhatsApp link, keeps the text, and nothing reaches OpenTrain', async () => {
    const s = await scene();
    await openAndSend(s, 'Hello! Thanks for applying.');
    await candidateWrites(s, 'Thanks! Happy to help.');
    const before = sentToSandbox(s).length;
    const replyTo = replies(s).find((m) => replyButtonOf(m))!;
    await s.h.sender.blockAction({
      actionId: 'relay_reply',
      value: replyButtonOf(replyTo)!,
      userId: REVIEWER,
      channelId: HARNESS_CHANNEL,
      messageTs: replyTo.ts,
    });
    await s.h.bot.idle();

    const refused: [string, RegExp][] = [
      ['Send the files to maria.lopez@example.com please', /email address/],
      ['Our team lead is on +34 612 345 678 if anything is unclear.', /phone number/],
      ['Join our group: https://chat.whatsapp.com/AbCdEfGh123', /link to a messenger/],
    ];
    for (const [text, why] of refused) {
      const { json, view } = await submit(s, 'reply_submit', text);
      expect(json?.response_action).toBe('errors');
      const errors = json?.errors as Record<string, string>;
      expect(errors.message).toMatch(why);
      expect(errors.message).toContain('Your text was kept');
      // The modal stays open with the person's input as it was (Slack keeps typed text on response_action errors).
      expect(view.closed).toBeFalsy();
      expect(view.updates).toBe(0);
    }

    const thread = s.h.slack.addMessage(HARNESS_CHANNEL, {
      user: REVIEWER,
      text: 'Write me at <mailto:anna@example.com|anna@example.com>',
      thread_ts: s.cardTs,
    });
    await shortcut(s, thread);
    const said = ephemeralsFor(s, REVIEWER).at(-1)!;
    expect(said).toContain('email address');
    expect(said).toContain('>Write me at anna@example.com');
    expect(sentToSandbox(s)).toHaveLength(before);
  });

  it("explains OpenTrain's refusals (policy, read-only, 429, not ready, feature off) and keeps the text", async () => {
    const s = await scene();
    await openAndSend(s, 'Hello! Thanks for applying.');
    const sent = sentToSandbox(s).length;

    s.h.sandbox.blockMessagesMatching(/salary/i, 'compensation');
    await clickMessage(s);
    let outcome = await submit(s, 'message_submit', 'What salary do you expect?');
    expect(outcome.json?.response_action).toBe('update');
    expect(outcome.view.view.callback_id).toBe('message_submit');
    expect(inputValue(outcome.view)).toBe('What salary do you expect?');
    expect(visibleText(outcome.view.view as { blocks?: unknown[] })).toContain('compensation policy');
    s.h.sandbox.blockMessagesMatching(null);

    s.h.sandbox.injectFaults({ status: 429, count: 1, method: 'POST', match: /\/messages/, retryAfterSeconds: 30 });
    outcome = await submit(s, 'message_submit', 'Could you start on Monday?');
    expect(inputValue(outcome.view)).toBe('Could you start on Monday?');
    expect(visibleText(outcome.view.view as { blocks?: unknown[] })).toContain('try again in 30 seconds');

    s.h.sandbox.setConversationReadOnly(conversationId(s), true);
    outcome = await submit(s, 'message_submit', 'Are you still available?');
    expect(inputValue(outcome.view)).toBe('Are you still available?');
    expect(visibleText(outcome.view.view as { blocks?: unknown[] })).toContain('read-only');
    const viaShortcut = s.h.slack.addMessage(HARNESS_CHANNEL, {
      user: REVIEWER,
      text: 'Ping?',
      thread_ts: s.cardTs,
    });
    await shortcut(s, viaShortcut);
    expect(ephemeralsFor(s, REVIEWER).at(-1)).toMatch(/read-only[\s\S]*>Ping\?/);
    expect(sentToSandbox(s)).toHaveLength(sent);

    // Opening fails with the reason in the modal: a proposal OpenTrain can't message yet, and the feature off.
    const notReady = { ...s, proposalId: s.h.sandbox.ids.proposals.notReadyForMessaging };
    notReady.cardTs = cardFor(s.h.slack.messages(HARNESS_CHANNEL), notReady.proposalId)!.ts;
    await clickMessage(notReady);
    const errorText = () => visibleText([...s.h.slack.views.values()].at(-1)!.view as { blocks?: unknown[] });
    expect(errorText()).toContain("can't open a conversation for this proposal yet");
    s.h.sandbox.setFeature('public_api_messaging_writes', false);
    await clickMessage(s);
    expect(errorText()).toContain('messaging feature');
    expect(s.h.bot.ctx.store.data.proposals[notReady.proposalId]?.conversation).toBeNull();
  });

  it('an unclaimed account gets the claim link instead of a message modal', async () => {
    const s = await scene({ env: { OT_API_TOKEN: SANDBOX_TOKENS.unclaimed } });
    await clickMessage(s);
    const view = [...s.h.slack.views.values()].at(-1)!;
    expect(view.view.callback_id).not.toBe('message_submit');
    expect(visibleText(view.view as { blocks?: unknown[] })).toContain('https://app.opentrain.ai/claim');
    expect(replies(s)).toHaveLength(0);
  });

  it('REVIEWER_IDS: others are refused, ephemerally, on Message, Reply, the shortcut and a forged submission', async () => {
    const s = await scene({ env: { REVIEWER_IDS: REVIEWER } });
    await clickMessage(s, 'U0MALLORY');
    expect(ephemeralsFor(s, 'U0MALLORY').at(-1)).toContain('Only the hiring reviewers');
    expect(s.h.slack.views.size).toBe(0);
    expect(s.h.bot.ctx.store.data.proposals[s.proposalId]?.conversation).toBeNull();

    await openAndSend(s, 'Hello from Anna.');
    await candidateWrites(s, 'Hi Anna!');
    const relayed = replies(s).find((m) => replyButtonOf(m))!;
    await s.h.sender.blockAction({
      actionId: 'relay_reply',
      value: replyButtonOf(relayed)!,
      userId: 'U0MALLORY',
      channelId: HARNESS_CHANNEL,
      messageTs: relayed.ts,
    });
    await s.h.bot.idle();
    expect(ephemeralsFor(s, 'U0MALLORY')).toHaveLength(2);
    expect(ephemeralsFor(s, 'U0MALLORY').at(-1)).toContain('reply to candidates');
    expect(openView(s, 'reply_submit')).toBeUndefined();

    const chatter = s.h.slack.addMessage(HARNESS_CHANNEL, { user: 'U0MALLORY', text: 'Hi!', thread_ts: s.cardTs });
    await shortcut(s, chatter, 'U0MALLORY');
    expect(ephemeralsFor(s, 'U0MALLORY')).toHaveLength(3);

    await clickMessage(s);
    const forged = await submit(s, 'message_submit', 'Sneaky message', 'U0MALLORY');
    expect(forged.json?.response_action).toBe('errors');
    expect(sentToSandbox(s)).toEqual(['Hello from Anna.']);
  });

  it('a POST /messages whose response is lost is checked, not repeated: one message on OpenTrain and in the thread', async () => {
    const s = await scene();
    await openAndSend(s, 'Hello! Thanks for applying.');

    // Stored by OpenTrain, answer lost: found by the check, not sent again.
    await clickMessage(s);
    s.h.sandbox.injectFaults({ status: 500, count: 1, method: 'POST', match: /\/messages/, dropResponse: true });
    await submit(s, 'message_submit', 'Could you start on Monday?');
    expect(sentToSandbox(s)).toEqual(['Hello! Thanks for applying.', 'Could you start on Monday?']);
    const posts = s.h.sandbox.requests.filter((r) => r.method === 'POST' && r.path === '/messages');
    expect(posts).toHaveLength(2);
    expect(replies(s).filter((m) => visibleText(m).includes('Could you start on Monday?'))).toHaveLength(1);
    expect(visibleText([...s.h.slack.views.values()].at(-1)!.view as { blocks?: unknown[] })).toContain('Sent to');

    // Connection dropped before OpenTrain handled it: the check finds nothing, so it is sent once more — once.
    await clickMessage(s);
    s.h.sandbox.injectFaults({ status: 500, count: 1, method: 'POST', match: /\/messages/, dropConnection: true });
    await submit(s, 'message_submit', 'One more question: which time zone are you in?');
    expect(sentToSandbox(s).filter((c) => c.startsWith('One more question'))).toHaveLength(1);
    expect(replies(s).filter((m) => visibleText(m).includes('One more question'))).toHaveLength(1);
  });

  it('a POST /messages that times out is not repeated; the person is told to check before sending again', async () => {
    const s = await scene({ deps: { openTrainOptions: { timeoutMs: 300, retry: { baseDelayMs: 10 } } } });
    await openAndSend(s, 'Hello! Thanks for applying.');
    await clickMessage(s);
    // Only the send is slow (its URL has no query string); the check that follows reads the conversation at once.
    s.h.sandbox.setLatency(700, /\/messages$/);
    const { view } = await submit(s, 'message_submit', 'Could you start on Monday?');
    expect(visibleText(view.view as { blocks?: unknown[] })).toContain("didn't answer in time");
    expect(inputValue(view)).toBe('Could you start on Monday?');
    // The bot is idle, yet OpenTrain still holds the timed-out POST (recorded once answered): the bot did not retry.
    expect(s.h.sandbox.requests.filter((r) => r.method === 'POST' && r.path === '/messages')).toHaveLength(1);
    // OpenTrain finishes the slow request on its own: the message exists exactly once.
    await s.h.slack.waitFor(() => sentToSandbox(s).includes('Could you start on Monday?'));
    expect(sentToSandbox(s)).toEqual(['Hello! Thanks for applying.', 'Could you start on Monday?']);
    expect(s.h.sandbox.requests.filter((r) => r.method === 'POST' && r.path === '/messages')).toHaveLength(2);
  });

  it('with OpenTrain at 2.5 s per call, clicks, submissions and the shortcut are acknowledged at once and finish later', async () => {
    const s = await scene();
    await openAndSend(s, 'Hello! Thanks for applying.');
    await candidateWrites(s, 'Thanks, happy to help!');
    s.h.sandbox.setLatency(2500);

    const timed = async (send: () => Promise<{ status: number }>) => {
      const started = performance.now();
      const result = await send();
      const elapsed = performance.now() - started;
      expect(result.status).toBe(200);
      expect(elapsed).toBeLessThan(1000);
    };

    await timed(() =>
      s.h.sender.blockAction({
        actionId: 'card_message',
        value: s.proposalId,
        userId: REVIEWER,
        channelId: HARNESS_CHANNEL,
        messageTs: s.cardTs,
      }),
    );
    // The loading modal is up inside the trigger window, long before OpenTrain answers.
    await s.h.slack.waitFor(() =>
      [...s.h.slack.views.values()].some((v) => visibleText(v.view as never).includes('Loading')),
    );
    await s.h.bot.idle();
    const composer = openView(s, 'message_submit')!;
    await timed(() =>
      s.h.sender.viewSubmission({
        callbackId: 'message_submit',
        userId: REVIEWER,
        viewId: composer.id,
        values: { message: { text: { type: 'plain_text_input', value: 'Slow but sure.' } } },
      }),
    );
    const relayed = replies(s).find((m) => replyButtonOf(m))!;
    await timed(() =>
      s.h.sender.blockAction({
        actionId: 'relay_reply',
        value: replyButtonOf(relayed)!,
        userId: REVIEWER,
        channelId: HARNESS_CHANNEL,
        messageTs: relayed.ts,
      }),
    );
    const thread = s.h.slack.addMessage(HARNESS_CHANNEL, {
      user: REVIEWER,
      text: 'Also: welcome!',
      thread_ts: s.cardTs,
    });
    await timed(() =>
      s.h.sender.messageShortcut({
        callbackId: 'send_to_candidate',
        userId: REVIEWER,
        channelId: HARNESS_CHANNEL,
        message: { ts: thread.ts, thread_ts: s.cardTs, text: thread.text ?? '', user: REVIEWER },
      }),
    );
    expect(sentToSandbox(s)).toEqual(['Hello! Thanks for applying.']);
    await s.h.bot.idle();
    expect(sentToSandbox(s)).toHaveLength(3);
    expect(sentToSandbox(s)).toEqual(expect.arrayContaining(['Slow but sure.', 'Also: welcome!']));
    expect(openView(s, 'reply_submit')).toBeTruthy();
  }, 30_000);

  it('links a conversation started in the OpenTrain app by proposal id and relays only the candidate side', async () => {
    const s = await scene();
    const id = await openedInOpenTrainApp(s, s.proposalId, 'Hi from the OpenTrain app!');
    s.h.sandbox.addCandidateMessage(id, 'Hello! Nice to hear from you.');
    await s.h.bot.ctx.sync.runOnce();
    await s.h.bot.idle();

    expect(s.h.bot.ctx.store.data.proposals[s.proposalId]?.conversation?.id).toBe(id);
    const texts = replies(s).map((m) => visibleText(m));
    expect(texts[0]).toContain('started in the OpenTrain app');
    expect(texts.filter((t) => t.includes('Nice to hear from you'))).toHaveLength(1);
    expect(texts.some((t) => t.includes('Hi from the OpenTrain app!'))).toBe(false);
    expect(visibleText(card(s))).toContain('Conversation open (1 unread)');
  });

  it('polling fallback (no ledger): unread conversations are found in list mode, linked by proposal and relayed once', async () => {
    const s = await scene({}, (harness) => harness.sandbox.injectFaults({ status: 403, count: 1, match: /\/updates/ }));
    expect(s.h.bot.ctx.store.data.health.mode).toBe('polling');
    await openAndSend(s, 'Hello! Thanks for applying.');
    await candidateWrites(s, 'Hi, happy to help.');
    const count = (text: string) => replies(s).filter((m) => visibleText(m).includes(text)).length;
    expect(count('happy to help')).toBe(1);
    expect(visibleText(card(s))).toContain('Conversation open (1 unread)');

    // Still unread on OpenTrain (only our reply clears it), but already relayed: not fetched, not repeated.
    s.h.sandbox.clearRequests();
    await s.h.bot.ctx.sync.runOnce();
    await s.h.bot.idle();
    expect(count('happy to help')).toBe(1);
    expect(s.h.sandbox.requests.filter((r) => r.path === '/messages' && r.query.conversationId)).toHaveLength(0);

    // A conversation started in the OpenTrain app for another carded proposal is linked and relayed.
    const other = { ...s, proposalId: s.h.sandbox.ids.proposals.longTranscript };
    other.cardTs = cardFor(s.h.slack.messages(HARNESS_CHANNEL), other.proposalId)!.ts;
    const id = await openedInOpenTrainApp(other, other.proposalId, 'Hi from the app.');
    s.h.sandbox.addCandidateMessage(id, 'Hello from the other candidate.');
    await s.h.bot.ctx.sync.runOnce();
    await s.h.bot.idle();
    expect(replies(other).filter((m) => visibleText(m).includes('Hello from the other candidate.'))).toHaveLength(1);
    expect(s.h.bot.ctx.store.data.proposals[other.proposalId]?.conversation?.id).toBe(id);
  });

  it('crash windows: a post that failed is retried next sync, a post that landed before a crash is not repeated', async () => {
    let s = await scene();
    await openAndSend(s, 'Hello! Thanks for applying.');

    // Slack refuses the thread post: the message stays pending and is posted by the next sync, once.
    s.h.slack.failNext('chat.postMessage', { error: 'internal_error' });
    await candidateWrites(s, 'First reply.');
    const count = (text: string) => replies(s).filter((m) => visibleText(m).includes(text)).length;
    expect(count('First reply.')).toBe(0);
    expect(s.h.bot.ctx.store.data.pendingRelays).toEqual([conversationId(s)]);
    await s.h.bot.ctx.sync.runOnce();
    await s.h.bot.idle();
    expect(count('First reply.')).toBe(1);

    // A crash between the post and recording it: the intent is on disk, the id not yet recorded.
    const relayed = s.h.bot.ctx.store.data.proposals[s.proposalId]!.conversation!;
    const messageId = relayed.relayedIds.at(-1)!;
    const ourMessageId = s.h.sandbox.state.messages.find((m) => m.content === 'Hello! Thanks for applying.')!.id;
    s.h.bot.ctx.store.change((data) => {
      const conversation = data.proposals[s.proposalId]!.conversation!;
      conversation.relayedIds = [];
      conversation.lastSeenMessageId = ourMessageId;
      conversation.relayIntent = { messageId, at: new Date().toISOString() };
      conversation.unread = 0;
    });
    h = await s.h.restart();
    s = { ...s, h };
    await candidateWrites(s, 'Second reply.');
    expect(count('First reply.')).toBe(1);
    expect(count('Second reply.')).toBe(1);
    expect(visibleText(card(s))).toContain('Conversation open (2 unread)');
  });
});
