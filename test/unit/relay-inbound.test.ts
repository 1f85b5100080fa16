import { afterEach, describe, expect, it } from 'vitest';
import { InboundRelay } from '../../src/services/relay/inbound.js';
import { RELAYED_MESSAGE_EVENT_TYPE } from '../../src/services/relay/thread.js';
import type { StoredProposal } from '../../src/store/schema.js';
import type { StoreView } from '../../src/store/views.js';
import { networkError, proposalWithCard, relayHarness } from '../helpers/relay-fakes.js';

// The inbound relay through its ports: OpenTrain's conversations (in memory), the card threads in Slack, the store
// (a real file) and a fake clock. What is asserted is what reached the thread and what the store keeps for a restart.

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function setup(proposals: StoredProposal[] = [proposalWithCard(1), proposalWithCard(2)]) {
  const harness = await relayHarness(proposals, cleanups);
  const parts = harness.parts();
  // A restart: a new relay and linker over the same store, OpenTrain and Slack.
  const restart = () => new InboundRelay(harness.parts());
  return { ...harness, linker: parts.linker, relay: new InboundRelay(parts), restart };
}

function threadOf(store: { data: StoreView }, proposalId: string) {
  const card = store.data.proposals[proposalId]!.card!;
  return { channel: card.channel, ts: card.ts! };
}

describe('InboundRelay', () => {
  it('posts candidate messages to the card thread oldest first, each once, timed by the clock', async () => {
    const { store, time, openTrain, slack, linker, relay, updates } = await setup();
    const conversationId = openTrain.open('prop_000001');
    linker.link('prop_000001', conversationId, 'U0REVIEW01');
    openTrain.say(conversationId, 'Hello, I can start Monday.', { createdAt: '2026-03-02T11:55:00Z' });
    openTrain.say(conversationId, 'Also: I have DICOM experience.', { createdAt: '2026-03-02T11:58:00Z' });
    time.advance(60_000);

    await relay.relayConversations([conversationId]);
    await relay.relayConversations([conversationId]);

    const { channel, ts } = threadOf(store, 'prop_000001');
    const posted = slack.inThread(channel, ts);
    expect(posted.map((post) => post.text)).toEqual([
      'Maria G.: Hello, I can start Monday.',
      'Maria G.: Also: I have DICOM experience.',
    ]);
    expect(JSON.stringify(posted[0]!.blocks)).toContain('Sent 6 minutes ago on OpenTrain');
    expect(posted[0]!.metadata).toMatchObject({ event_type: RELAYED_MESSAGE_EVENT_TYPE });
    expect(store.data.proposals.prop_000001!.conversation).toMatchObject({
      unread: 2,
      awaitingReply: true,
      lastInboundAt: '2026-03-02T11:58:00Z',
    });
    expect(store.data.pendingRelays).toEqual([]);
    expect(updates).toContain('prop_000001');
  });

  it('keeps the newest relayed message as a short excerpt for the shortlist, never one with contact details', async () => {
    const { store, openTrain, linker, relay } = await setup();
    const conversationId = openTrain.open('prop_000001');
    linker.link('prop_000001', conversationId, 'U0REVIEW01');
    openTrain.say(conversationId, 'First.', { createdAt: '2026-03-02T11:50:00Z' });
    openTrain.say(conversationId, `Second. ${'More detail. '.repeat(100)}`, { createdAt: '2026-03-02T11:55:00Z' });
    await relay.relayConversations([conversationId]);
    const kept = store.data.proposals.prop_000001!.conversation!.lastInbound!;
    expect(kept).toMatchObject({ at: '2026-03-02T11:55:00Z' });
    expect(kept.text?.startsWith('Second. More detail.')).toBe(true);
    expect(kept.text?.length).toBeLessThanOrEqual(500);
    openTrain.say(conversationId, 'Reach me on WhatsApp +34 612 345 678', { createdAt: '2026-03-02T11:58:00Z' });
    await relay.relayConversations([conversationId]);
    expect(store.data.proposals.prop_000001!.conversation!.lastInbound).toMatchObject({
      at: '2026-03-02T11:58:00Z',
      text: null,
    });
    expect(JSON.stringify(store.data)).not.toContain('612 345');
  });

  it('a reply of ours from the OpenTrain app answers what came before: nothing unread or posted', async () => {
    const { store, openTrain, slack, linker, relay } = await setup();
    const conversationId = openTrain.open('prop_000001');
    linker.link('prop_000001', conversationId, 'U0REVIEW01');
    openTrain.say(conversationId, 'Any news?');
    await relay.relayConversations([conversationId]);
    openTrain.say(conversationId, 'Yes, we will call you.', { fromViewer: true });
    await relay.relayConversations([conversationId]);
    expect(slack.posts).toHaveLength(1);
    expect(store.data.proposals.prop_000001!.conversation).toMatchObject({ unread: 0, awaitingReply: false });
  });

  it('queues the conversation in the store before any await; it waits while the card is posted', async () => {
    const waiting = { ...proposalWithCard(1) };
    waiting.card = { ...waiting.card!, state: 'intent', ts: null };
    const { store, openTrain, slack, linker, relay } = await setup([waiting]);
    const conversationId = openTrain.open('prop_000001');
    linker.link('prop_000001', conversationId, 'U0REVIEW01');
    openTrain.say(conversationId, 'Hello?');

    const done = relay.relayConversations([conversationId]);
    expect(store.data.pendingRelays).toEqual([conversationId]);
    await done;
    expect(slack.posts).toHaveLength(0);
    expect(store.data.pendingRelays).toEqual([conversationId]);

    store.change((data) => {
      data.proposals.prop_000001!.card = { ...waiting.card!, state: 'posted', ts: '1772000000.000777' };
    });
    await relay.relayConversations([]);
    expect(slack.inThread(waiting.card!.channel, '1772000000.000777').map((p) => p.text)).toEqual(['Maria G.: Hello?']);
    expect(store.data.pendingRelays).toEqual([]);
  });

  it('a post whose answer was lost is found in the thread after a restart, never posted twice', async () => {
    const { store, openTrain, slack, linker, relay, restart, threadTexts } = await setup();
    const conversationId = openTrain.open('prop_000001');
    linker.link('prop_000001', conversationId, 'U0REVIEW01');
    openTrain.say(conversationId, 'First');
    slack.failNextPost = { landed: true };
    await relay.relayConversations([conversationId]);
    expect(store.data.proposals.prop_000001!.conversation?.relayIntent).toMatchObject({
      messageId: expect.any(String),
    });
    expect(store.data.pendingRelays).toEqual([conversationId]);

    openTrain.say(conversationId, 'Second');
    await restart().relayConversations([]);
    expect(threadTexts('prop_000001')).toEqual(['Maria G.: First', 'Maria G.: Second']);
    expect(store.data.proposals.prop_000001!.conversation).toMatchObject({ relayIntent: null, unread: 2 });
  });

  it('a post that failed before reaching Slack is posted on the next relay', async () => {
    const { openTrain, slack, linker, relay, threadTexts } = await setup();
    const conversationId = openTrain.open('prop_000001');
    linker.link('prop_000001', conversationId, 'U0REVIEW01');
    openTrain.say(conversationId, 'Only once');
    slack.failNextPost = { landed: false };
    await relay.relayConversations([conversationId]);
    expect(slack.posts).toHaveLength(0);
    await relay.relayConversations([]);
    expect(threadTexts('prop_000001')).toEqual(['Maria G.: Only once']);
  });

  it('a cursor OpenTrain no longer knows is read from the start without posting anything twice', async () => {
    const { store, openTrain, linker, relay, lines, threadTexts } = await setup();
    const conversationId = openTrain.open('prop_000001');
    linker.link('prop_000001', conversationId, 'U0REVIEW01');
    openTrain.say(conversationId, 'One');
    await relay.relayConversations([conversationId]);
    // The cursor names a message OpenTrain no longer has (it answers 400).
    store.change((data) => {
      data.proposals.prop_000001!.conversation!.lastSeenMessageId = 'msg_gone';
    });
    openTrain.say(conversationId, 'Two');
    await relay.relayConversations([conversationId]);
    expect(threadTexts('prop_000001')).toEqual(['Maria G.: One', 'Maria G.: Two']);
    expect(lines.some((line) => line.includes('cursor msg_gone was refused'))).toBe(true);
  });

  it('links a conversation started in the OpenTrain app and announces it; drops one that is nobody’s', async () => {
    const { store, openTrain, slack, relay, threadTexts } = await setup();
    const fromApp = openTrain.open('prop_000002');
    openTrain.say(fromApp, 'Hi from the app');
    const jobThread = openTrain.open(null);
    openTrain.say(jobThread, 'Post-hire chatter');

    await relay.relayConversations([fromApp, jobThread]);
    const texts = threadTexts('prop_000002');
    expect(texts[0]).toContain('was started in the OpenTrain app');
    expect(texts.slice(1)).toEqual(['Maria G.: Hi from the app']);
    expect(store.data.proposals.prop_000002!.conversation).toMatchObject({ id: fromApp, openedBy: 'opentrain' });
    expect(store.data.pendingRelays).toEqual([]);
    expect(slack.posts).toHaveLength(2);
  });

  it('re-links quietly when the thread already holds its messages (a store that lost the link)', async () => {
    const { store, openTrain, linker, relay, restart, threadTexts } = await setup();
    const conversationId = openTrain.open('prop_000001');
    linker.link('prop_000001', conversationId, 'U0REVIEW01');
    openTrain.say(conversationId, 'Before the damage');
    await relay.relayConversations([conversationId]);
    store.change((data) => {
      data.proposals.prop_000001!.conversation = null;
    });
    openTrain.say(conversationId, 'After the damage');
    await restart().relayConversations([conversationId]);
    expect(threadTexts('prop_000001')).toEqual(['Maria G.: Before the damage', 'Maria G.: After the damage']);
  });

  it('keeps the queue when OpenTrain cannot be listed, and never throws', async () => {
    const { store, openTrain, relay, lines } = await setup();
    const fromApp = openTrain.open('prop_000002');
    openTrain.listFailure = networkError();
    await expect(relay.relayConversations([fromApp])).resolves.toBeUndefined();
    expect(store.data.pendingRelays).toEqual([fromApp]);
    expect(lines.some((line) => line.startsWith('warn looking up conversations started outside Slack failed'))).toBe(
      true,
    );
  });

  it('polling relays unread conversations and skips one whose last activity was already relayed', async () => {
    const { store, openTrain, slack, linker, relay } = await setup();
    const conversationId = openTrain.open('prop_000001');
    linker.link('prop_000001', conversationId, 'U0REVIEW01');
    openTrain.say(conversationId, 'Unread');
    await relay.pollConversations();
    expect(slack.posts.map((p) => p.text)).toEqual(['Maria G.: Unread']);
    const reads = openTrain.messageReads;
    await relay.pollConversations();
    expect(openTrain.messageReads).toBe(reads);
    expect(slack.posts).toHaveLength(1);
    expect(store.data.pendingRelays).toEqual([]);
  });
});
