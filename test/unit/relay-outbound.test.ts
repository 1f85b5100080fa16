import { afterEach, describe, expect, it } from 'vitest';
import { OutboundSender } from '../../src/services/relay/outbound.js';
import { CardThread } from '../../src/services/relay/thread.js';
import { networkError, proposalWithCard, refusal, relayHarness, timeoutError } from '../helpers/relay-fakes.js';

// The outbound sender through its ports: what reaches OpenTrain (the fake keeps every stored message), what the card
// thread shows, and what the person is told. A fake clock places earlier identical messages inside or outside the
// lost-response window.

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function setup() {
  const harness = await relayHarness([proposalWithCard(1)], cleanups);
  const sender = new OutboundSender(harness.parts());
  return { ...harness, sender, threadTexts: () => harness.threadTexts('prop_000001') };
}

const send = (text: string) => ({ proposalId: 'prop_000001', userId: 'U0REVIEW01', text });

describe('OutboundSender', () => {
  it('the first send opens and announces the conversation, sends, and shows it in the thread', async () => {
    const { store, openTrain, sender, threadTexts, updates } = await setup();
    const result = await sender.send(send('  Could you start on Monday?  '));
    expect(result).toEqual({ ok: true, messageId: expect.any(String), candidateName: 'Maria G.' });
    expect(openTrain.sent).toEqual([{ conversationId: 'conv_1', content: 'Could you start on Monday?' }]);
    expect(threadTexts()).toEqual([
      'Conversation opened by <@U0REVIEW01>',
      '<@U0REVIEW01> → Maria G.: Could you start on Monday?',
    ]);
    expect(store.data.proposals.prop_000001!.conversation).toMatchObject({ id: 'conv_1', unread: 0 });
    expect(updates).toContain('prop_000001');
  });

  it('two Message clicks at once link and announce the conversation once', async () => {
    const { sender, threadTexts } = await setup();
    const [a, b] = await Promise.all([
      sender.openConversation('prop_000001', 'U0REVIEW01'),
      sender.openConversation('prop_000001', 'U0REVIEW02'),
    ]);
    expect([a, b].map((r) => r.ok && r.linkedNow).sort()).toEqual([false, true]);
    expect(threadTexts()).toHaveLength(1);
  });

  it('the guard refuses before anything reaches OpenTrain', async () => {
    const { openTrain, sender, threadTexts } = await setup();
    const result = await sender.send(send('Write to me at maria@example.com'));
    expect(result).toMatchObject({ ok: false, kind: 'guard' });
    expect(openTrain.startCalls).toBe(0);
    expect(openTrain.sent).toEqual([]);
    expect(threadTexts()).toEqual([]);
  });

  it('a refusal is explained, the text is kept, and the thread shows no message', async () => {
    const { openTrain, sender, threadTexts } = await setup();
    await sender.openConversation('prop_000001', 'U0REVIEW01');
    openTrain.sendBehaviour = [{ refuse: refusal(403) }];
    const result = await sender.send(send('Hello'));
    expect(result).toMatchObject({ ok: false, kind: 'refused' });
    expect(result.ok || result.message).toContain('Your text was kept');
    expect(openTrain.sent).toEqual([]);
    expect(threadTexts()).toEqual(['Conversation opened by <@U0REVIEW01>']);
  });

  it('a send whose answer was lost but that landed is found in the conversation, not sent again', async () => {
    const { openTrain, sender, threadTexts } = await setup();
    openTrain.sendBehaviour = [{ lose: networkError(), stored: true }];
    const result = await sender.send(send('Hello'));
    expect(result.ok).toBe(true);
    expect(openTrain.sent).toHaveLength(1);
    expect(threadTexts().filter((text) => text.includes('→'))).toHaveLength(1);
  });

  it('a dropped connection that stored nothing is tried once more; a second loss is reported', async () => {
    const { openTrain, sender } = await setup();
    openTrain.sendBehaviour = [{ lose: networkError(), stored: false }];
    expect((await sender.send(send('First'))).ok).toBe(true);
    expect(openTrain.sent.map((s) => s.content)).toEqual(['First']);

    openTrain.sendBehaviour = [{ lose: networkError(), stored: false }, { lose: networkError(), stored: false }, 'ok'];
    expect(await sender.send(send('Second'))).toMatchObject({ ok: false, kind: 'unconfirmed' });
    expect(openTrain.sent.map((s) => s.content)).toEqual(['First']);
  });

  it('a timeout is never repeated: the person is told to check first', async () => {
    const { openTrain, sender, threadTexts } = await setup();
    openTrain.sendBehaviour = [{ lose: timeoutError(), stored: false }, 'ok'];
    const result = await sender.send(send('Hello'));
    expect(result).toMatchObject({ ok: false, kind: 'unconfirmed' });
    expect(result.ok || result.message).toContain("didn't answer in time");
    expect(openTrain.sent).toEqual([]);
    expect(threadTexts()).toEqual(['Conversation opened by <@U0REVIEW01>']);
  });

  it('the same text from before the window, or sent by this process, is not the lost send', async () => {
    const { time, openTrain, sender } = await setup();
    await sender.openConversation('prop_000001', 'U0REVIEW01');
    // Sent from the OpenTrain app three minutes ago, with the same words.
    openTrain.say('conv_1', 'Thanks!', { fromViewer: true, createdAt: '2026-03-02T11:57:00Z' });
    openTrain.sendBehaviour = [{ lose: networkError(), stored: false }];
    expect((await sender.send(send('Thanks!'))).ok).toBe(true);
    expect(openTrain.sent.map((s) => s.content)).toEqual(['Thanks!']);

    // One minute later the same words again: our own earlier send is inside the window but already accounted for.
    time.advance(60_000);
    openTrain.sendBehaviour = [{ lose: networkError(), stored: false }];
    expect((await sender.send(send('Thanks!'))).ok).toBe(true);
    expect(openTrain.sent.map((s) => s.content)).toEqual(['Thanks!', 'Thanks!']);
  });

  it('an identical message of ours from inside the window counts as the lost send', async () => {
    const { openTrain, sender } = await setup();
    await sender.openConversation('prop_000001', 'U0REVIEW01');
    // Reached OpenTrain 90 seconds before this attempt (e.g. an earlier attempt whose answer was lost in a crash).
    openTrain.say('conv_1', 'See you then', { fromViewer: true, createdAt: '2026-03-02T11:58:30Z' });
    openTrain.sendBehaviour = [{ lose: networkError(), stored: false }];
    expect((await sender.send(send('See you then'))).ok).toBe(true);
    expect(openTrain.sent).toEqual([]);
  });

  it('when the conversation cannot be checked after a lost answer, nothing is sent again', async () => {
    const { openTrain, sender } = await setup();
    await sender.openConversation('prop_000001', 'U0REVIEW01');
    openTrain.sendBehaviour = [{ lose: networkError(), stored: false }, 'ok'];
    openTrain.listFailure = refusal(503);
    const result = await sender.send(send('Hello'));
    expect(result).toMatchObject({ ok: false, kind: 'unconfirmed' });
    expect(openTrain.sent).toEqual([]);
  });

  it('a proposal the bot no longer tracks sends nothing', async () => {
    const { openTrain, sender } = await setup();
    const result = await sender.send({ proposalId: 'prop_pruned', userId: 'U0REVIEW01', text: 'Hello' });
    expect(result).toMatchObject({ ok: false, kind: 'unknown_proposal' });
    expect(openTrain.startCalls).toBe(0);
  });

  it('never writes the message text to the log', async () => {
    const { openTrain, sender, lines } = await setup();
    openTrain.sendBehaviour = [{ lose: networkError(), stored: true }];
    await sender.send(send('A private sentence about salary'));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toContain('private sentence');
  });

  it('with queueNotes the message is sent without waiting for Slack to take the thread notes, which follow in order', async () => {
    const harness = await relayHarness([proposalWithCard(1)], cleanups);
    // Slack's pacing holds every post until released.
    const held: (() => void)[] = [];
    const scheduler = {
      schedule: <T>(_job: unknown, call: () => Promise<T>): Promise<T> =>
        new Promise<void>((release) => held.push(release)).then(call),
    };
    const parts = harness.parts();
    const thread = new CardThread({ store: parts.store, slack: harness.slack, scheduler, logger: parts.logger });
    const sender = new OutboundSender({ ...parts, thread });

    const queued = await sender.send({ ...send('Which tools do you use?'), queueNotes: true });
    expect(queued.ok).toBe(true);
    expect(harness.openTrain.sent.map((m) => m.content)).toEqual(['Which tools do you use?']);
    expect(held).toHaveLength(2);
    expect(harness.threadTexts('prop_000001')).toEqual([]);
    for (const release of held.splice(0)) release();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(harness.threadTexts('prop_000001')).toEqual([
      'Conversation opened by <@U0REVIEW01>',
      '<@U0REVIEW01> → Maria G.: Which tools do you use?',
    ]);

    // Without it (a Reply, one message), the send resolves once Slack took its note.
    let settled = false;
    const waiting = sender.send(send('And your hours?')).then((result) => {
      settled = true;
      return result;
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(harness.openTrain.sent).toHaveLength(2);
    expect(settled).toBe(false);
    for (const release of held.splice(0)) release();
    expect((await waiting).ok).toBe(true);
  });
});
