import { afterEach, describe, expect, it } from 'vitest';
import { ConversationLinker } from '../../src/services/relay/linker.js';
import type { Store } from '../../src/store/store.js';
import { fakeClock, proposalWithCard, storeWith } from '../helpers/relay-fakes.js';
import { makeStoredProposal } from '../helpers/store-fixtures.js';

// The conversation linker through its port (the store): lookups by conversation and by card thread answer from
// indexes that follow links, relinks, pruning and cards posted elsewhere, and link() announces a link once.

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function setup(proposals = [makeStoredProposal(1), proposalWithCard(2), proposalWithCard(3)]) {
  const { store, cleanup } = await storeWith(proposals);
  cleanups.push(cleanup);
  const { clock, advance } = fakeClock('2026-03-02T12:00:00Z');
  return { store, linker: new ConversationLinker({ store, clock }), advance };
}

function conversationOf(store: Store, proposalId: string) {
  return store.data.proposals[proposalId]?.conversation ?? null;
}

describe('ConversationLinker', () => {
  it('finds the proposal of a stored conversation and of a card thread; unknown ones are null', async () => {
    const { store, linker } = await setup();
    const card = store.data.proposals.prop_000002!.card!;
    expect(linker.proposalForConversation('conv_1')).toBe('prop_000001');
    expect(linker.proposalForConversation('conv_unknown')).toBeNull();
    expect(linker.proposalForThread(card.channel, card.ts!)).toBe('prop_000002');
    expect(linker.proposalForThread(card.channel, '1700000000.000001')).toBeNull();
    expect(linker.proposalForThread('C0OTHER', card.ts!)).toBeNull();
  });

  it('links once, with the opener and the time from the clock, and the link is found at once', async () => {
    const { store, linker, advance } = await setup();
    advance(5_000);
    expect(linker.link('prop_000002', 'conv_new', 'U0REVIEW01')).toBe(true);
    expect(linker.link('prop_000002', 'conv_new', 'U0REVIEW02')).toBe(false);
    expect(conversationOf(store, 'prop_000002')).toMatchObject({
      id: 'conv_new',
      openedBy: 'U0REVIEW01',
      openedAt: '2026-03-02T12:00:05.000Z',
      relayedIds: [],
      lastSeenMessageId: null,
      unread: 0,
    });
    expect(linker.proposalForConversation('conv_new')).toBe('prop_000002');
  });

  it('counts messages already in the thread as relayed, and follows OpenTrain to another conversation id', async () => {
    const { store, linker } = await setup();
    expect(linker.link('prop_000003', 'conv_a', 'opentrain', ['m1', 'm2'])).toBe(true);
    expect(conversationOf(store, 'prop_000003')).toMatchObject({ relayedIds: ['m1', 'm2'], lastSeenMessageId: 'm2' });

    // A relink is not a first link (nothing is announced again) and keeps what was relayed.
    expect(linker.link('prop_000003', 'conv_b', 'U0REVIEW01')).toBe(false);
    expect(conversationOf(store, 'prop_000003')).toMatchObject({ id: 'conv_b', relayedIds: ['m1', 'm2'] });
    expect(linker.proposalForConversation('conv_b')).toBe('prop_000003');
    expect(linker.proposalForConversation('conv_a')).toBeNull();
  });

  it('never links a proposal the store does not hold', async () => {
    const { store, linker } = await setup();
    expect(linker.link('prop_missing', 'conv_x', 'U0REVIEW01')).toBe(false);
    expect(linker.proposalForConversation('conv_x')).toBeNull();
    expect(Object.hasOwn(store.data.proposals, 'prop_missing')).toBe(false);
  });

  it('forgets a pruned proposal; learns a card posted elsewhere (cards, sync) on first ask', async () => {
    const { store, linker } = await setup();
    expect(linker.proposalForConversation('conv_1')).toBe('prop_000001');
    store.change((data) => {
      delete data.proposals.prop_000001;
    });
    expect(linker.proposalForConversation('conv_1')).toBeNull();

    const card = store.data.proposals.prop_000002!.card!;
    expect(linker.proposalForThread(card.channel, card.ts!)).toBe('prop_000002');
    // The card is re-posted elsewhere: the old thread no longer answers, the new one does.
    store.change((data) => {
      data.proposals.prop_000002!.card = { ...card, channel: 'C0MOVED', ts: '1772999999.000001' };
    });
    expect(linker.proposalForThread(card.channel, card.ts!)).toBeNull();
    expect(linker.proposalForThread('C0MOVED', '1772999999.000001')).toBe('prop_000002');
  });

  it('updateConversation changes a linked conversation and leaves a proposal without one alone', async () => {
    const { store, linker } = await setup();
    linker.updateConversation('prop_000001', (c) => {
      c.unread = 0;
    });
    linker.updateConversation('prop_000002', (c) => {
      c.unread = 9;
    });
    expect(conversationOf(store, 'prop_000001')?.unread).toBe(0);
    expect(conversationOf(store, 'prop_000002')).toBeNull();
  });
});
