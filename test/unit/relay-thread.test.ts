import { afterEach, describe, expect, it } from 'vitest';
import { CardThread } from '../../src/services/relay/thread.js';
import { unlimitedPolicy } from '../../src/services/slack-budgets.js';
import { SlackScheduler } from '../../src/services/slack-scheduler.js';
import { proposalWithCard, relayHarness } from '../helpers/relay-fakes.js';

// A card's thread through the real scheduler: what Slack receives, in what order.

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe('CardThread', () => {
  it('a candidate message never overtakes a note queued earlier in the same thread; other threads keep their class', async () => {
    const harness = await relayHarness([proposalWithCard(1)], cleanups);
    const { store, logger } = harness.parts();
    const scheduler = new SlackScheduler(unlimitedPolicy());
    const thread = new CardThread({ store, slack: harness.slack, scheduler, logger });
    const channel = 'C0HIRING';
    // "@you asked: …" is queued; the candidate's answer arrives before Slack took it; another card's thread too.
    await Promise.all([
      thread.post('person', 'prop_1', { channel, threadTs: '1.000001', text: 'asked' }),
      thread.post('arrival', 'prop_1', { channel, threadTs: '1.000001', text: 'answer' }),
      thread.post('arrival', 'prop_2', { channel, threadTs: '1.000002', text: 'elsewhere' }),
    ]);
    expect(harness.slack.posts.map((post) => post.text)).toEqual(['elsewhere', 'asked', 'answer']);

    // Once the thread has nothing queued, a candidate message is an arrival again.
    await Promise.all([
      thread.post('person', 'prop_2', { channel, threadTs: '1.000002', text: 'a note' }),
      thread.post('arrival', 'prop_1', { channel, threadTs: '1.000001', text: 'next answer' }),
    ]);
    expect(harness.slack.posts.map((post) => post.text).slice(3)).toEqual(['next answer', 'a note']);
  });

  it('a note for a card still on its way is posted in its thread once the card is; a card never posted drops it', async () => {
    const harness = await relayHarness([proposalWithCard(1), proposalWithCard(2)], cleanups);
    const { store, logger } = harness.parts();
    const channel = store.data.proposals.prop_000001!.card!.channel;
    // Both cards are intents (a backfill posting them one a second): no ts yet.
    store.change((data) => {
      for (const id of ['prop_000001', 'prop_000002'])
        Object.assign(data.proposals[id]!.card!, { state: 'intent', ts: null });
    });
    const scheduler = new SlackScheduler(unlimitedPolicy());
    const thread = new CardThread({ store, slack: harness.slack, scheduler, logger });
    // The first card's post is queued ahead in its channel (as CardService queues it: an arrival).
    const cardPosted = scheduler.schedule(
      { priority: 'arrival', channel, key: 'post:prop_000001', call: 'post' },
      async () => {
        const { ts } = await harness.slack.postMessage({ channel, text: 'the card' });
        store.cards.markPosted('prop_000001', ts, new Date().toISOString());
        return ts;
      },
    );
    await Promise.all([
      thread.postNote('prop_000001', { text: 'asked' }),
      thread.postNote('prop_000002', { text: 'lost' }),
      cardPosted,
    ]);
    const cardTs = await cardPosted;
    expect(harness.slack.inThread(channel, cardTs).map((post) => post.text)).toEqual(['asked']);
    expect(harness.slack.posts.map((post) => post.text)).not.toContain('lost');
    expect(harness.lines.join('\n')).toContain("the card of proposal prop_000002 isn't posted yet");
  });
});
