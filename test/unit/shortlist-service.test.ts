import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SHORTLIST_EVENT_TYPE } from '../../src/blocks/ids.js';
import { silentLogger } from '../../src/logger.js';
import { answerExcerpt } from '../../src/services/relay/excerpt.js';
import { ShortlistService } from '../../src/services/shortlist.js';
import type { SlackScheduler } from '../../src/services/slack-scheduler.js';
import { KEPT_SHORTLISTS, type StoredProposal } from '../../src/store/index.js';
import { Store } from '../../src/store/store.js';
import { cardServiceOver, fakeSlack as fakeSlackPort } from '../helpers/card-service-fakes.js';
import { visibleText } from '../helpers/slack-text.js';
import { makeStoredProposal, storedJob } from '../helpers/store-fixtures.js';

// ShortlistService through its ports: a fake Slack that records what reached it, a real store on a temporary file,
// the real card service (ranks, change notices) and scheduler with Slack's limits on a clock the test moves
// (test/helpers/card-service-fakes.ts).

const NOW = new Date('2026-03-02T12:00:00Z');
const CHANNEL = 'C0HIRING01';
const JOB = 'job_a';

/** Slack with permalinks; `edits()` are the edits of shortlists (cards are edited through the same port). */
function fakeSlack() {
  const slack = fakeSlackPort({ permalinks: true });
  return { ...slack, edits: () => slack.updates.filter((u) => u.metadata?.event_type === SHORTLIST_EVENT_TYPE) };
}

type FakeSlack = ReturnType<typeof fakeSlack>;

function proposal(index: number, interviewScore: number): StoredProposal {
  const stored = makeStoredProposal(index, JOB);
  return {
    ...stored,
    proposal: {
      ...stored.proposal,
      interviewScore,
      candidate: { ...stored.proposal.candidate, displayName: `Candidate ${index}` },
    },
    votes: {},
    notes: [],
    conversation: null,
  };
}

const idOf = (index: number) => `prop_${String(index).padStart(6, '0')}`;

/** A question Anna's round got to the candidate. */
const SENT_ASK = {
  askId: 'ask_1',
  by: 'U0ANNA',
  at: '2026-03-02T12:00:00.000Z',
  questions: ['Which viewers?'],
  state: 'sent' as const,
  messageId: 'm1',
  error: null,
};

let dir: string;
const stores: Store[] = [];
const schedulers: SlackScheduler[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shortlist-'));
});

afterEach(async () => {
  for (const scheduler of schedulers.splice(0)) scheduler.stop();
  for (const store of stores.splice(0)) await store.close().catch(() => {});
  await rm(dir, { recursive: true, force: true });
});

async function start(slack: FakeSlack, scores: number[] = [70, 90, 80, 60]) {
  const store = await Store.open({ file: join(dir, 'hiring-bot.json'), flushDelayMs: 10_000 });
  stores.push(store);
  if (Object.keys(store.data.proposals).length === 0) {
    store.change((data) => {
      data.jobs[JOB] = storedJob(JOB, 'Spanish medical QA');
      scores.forEach((score, index) => {
        data.proposals[idOf(index)] = proposal(index, score);
      });
    });
    await store.flush();
  }
  const { clock, scheduler, access, cards, drain } = cardServiceOver(store, slack, NOW);
  schedulers.push(scheduler);
  const shortlists = new ShortlistService({
    store,
    slack: slack.port,
    scheduler,
    cards,
    access,
    logger: silentLogger,
    clock: () => NOW,
  });
  cards.watch({ proposalChanged: (id) => shortlists.proposalChanged(id), pendingChecked: () => shortlists.sweep() });
  const job = { id: JOB, title: 'Spanish medical QA' };
  /** Posts a shortlist of the top 2, letting the scheduler run the post. */
  const post = async () => {
    const outcome = shortlists.post({ job, channel: CHANNEL, topN: 2, requestedBy: 'U0ANNA' });
    await drain();
    return outcome;
  };
  return { store, scheduler, cards, shortlists, drain, post, clock };
}

describe('ShortlistService', () => {
  it('posts the top N by composite score once, with its intent on disk first and its ts after', async () => {
    const slack = fakeSlack();
    const { store, shortlists, post } = await start(slack);
    expect(shortlists.finalists(JOB, 2)).toEqual([idOf(1), idOf(2)]);
    const outcome = await post();
    expect(outcome).toEqual({ ok: true, channel: CHANNEL, ts: '1772452800.000001', shown: 2 });
    expect(slack.posts).toHaveLength(1);
    const text = visibleText(slack.posts[0]);
    expect(text.indexOf('Candidate 1')).toBeLessThan(text.indexOf('Candidate 2'));
    expect(text).not.toContain('Candidate 0');
    const stored = Object.values(store.data.shortlists ?? {});
    expect(stored).toEqual([
      expect.objectContaining({
        state: 'posted',
        ts: '1772452800.000001',
        proposalIds: [idOf(1), idOf(2)],
        requestedBy: 'U0ANNA',
        topN: 2,
      }),
    ]);
    expect(slack.posts[0]?.metadata).toEqual({
      event_type: SHORTLIST_EVENT_TYPE,
      event_payload: { shortlist_id: stored[0]!.id, job_id: JOB },
    });
  });

  it('a change to a finalist re-renders the shortlist once, in place; others and no-ops send nothing', async () => {
    const slack = fakeSlack();
    const { store, cards, post, drain } = await start(slack);
    await post();
    // Not on the shortlist: nothing is due.
    store.votes.toggle(idOf(0), 'U0BEN', 'up');
    void cards.requestUpdate(idOf(0));
    await drain();
    expect(slack.edits()).toHaveLength(0);
    // Three changes to finalists in a row: coalesced into one edit showing all of them.
    store.votes.toggle(idOf(1), 'U0BEN', 'up');
    void cards.requestUpdate(idOf(1));
    store.votes.toggle(idOf(2), 'U0CAT', 'down');
    void cards.requestUpdate(idOf(2));
    store.votes.toggle(idOf(1), 'U0DAN', 'maybe');
    void cards.requestUpdate(idOf(1));
    await drain();
    expect(slack.edits()).toHaveLength(1);
    expect(slack.edits()[0]?.ts).toBe('1772452800.000001');
    const text = visibleText(slack.edits()[0]);
    expect(text).toContain('👍 <@U0BEN>');
    expect(text).toContain('👎 <@U0CAT>');
    expect(text).toContain('🤔 <@U0DAN>');
    // Asked again with nothing changed (a sweep after a sync): no edit.
    cards.postPending();
    void cards.requestUpdate(idOf(1));
    await drain();
    expect(slack.edits()).toHaveLength(1);
  });

  it('a question asked by someone else and an answer relayed reach the shortlist (sweep after a sync)', async () => {
    const slack = fakeSlack();
    const { store, cards, post, drain } = await start(slack);
    await post();
    store.change((data) => {
      const stored = data.proposals[idOf(1)]!;
      stored.asked = [
        SENT_ASK,
        // Not sent (yet): not shown.
        {
          askId: 'ask_2',
          by: 'U0ANNA',
          at: '2026-03-02T12:01:00.000Z',
          questions: ['Hidden?'],
          state: 'sending',
          messageId: null,
          error: null,
        },
      ];
    });
    cards.postPending();
    await drain();
    expect(slack.edits()).toHaveLength(1);
    expect(visibleText(slack.edits()[0])).toContain('• Which viewers?');
    expect(visibleText(slack.edits()[0])).not.toContain('Hidden?');
    expect(visibleText(slack.edits()[0])).toContain('No answer yet');
    store.change((data) => {
      data.proposals[idOf(1)]!.conversation = {
        id: 'conv_1',
        openedBy: 'U0ANNA',
        openedAt: NOW.toISOString(),
        relayedIds: ['m2'],
        lastSeenMessageId: 'm2',
        unread: 1,
        awaitingReply: true,
        lastInboundAt: '2026-03-02T13:00:00.000Z',
      };
    });
    store.conversations.noteInbound(idOf(1), { messageId: 'm2', at: '2026-03-02T13:00:00.000Z', text: 'OHIF.' });
    void cards.requestUpdate(idOf(1));
    await drain();
    expect(slack.edits()).toHaveLength(2);
    expect(visibleText(slack.edits()[1])).toContain('>OHIF.');
    expect(visibleText(slack.edits()[1])).not.toContain('No answer yet');
  });

  it('a question asked (a store change no card announces) reaches every shortlist holding that finalist', async () => {
    const slack = fakeSlack();
    const { store, shortlists, post, drain } = await start(slack);
    const stop = store.onChange(() => shortlists.storeChanged());
    try {
      await post();
      await post();
      store.change((data) => {
        data.proposals[idOf(1)]!.asked = [SENT_ASK];
      });
      await drain();
      const edited = new Set(slack.edits().map((edit) => edit.ts));
      expect(edited).toEqual(new Set(['1772452800.000001', '1772452800.000002']));
      for (const edit of slack.edits()) expect(visibleText(edit)).toContain('• Which viewers?');
    } finally {
      stop();
    }
  });

  it('asks Slack for each card’s permalink once', async () => {
    const slack = fakeSlack();
    const { store, cards, post, drain } = await start(slack);
    await post();
    expect(slack.permalinkCalls()).toBe(2);
    store.votes.toggle(idOf(1), 'U0BEN', 'up');
    void cards.requestUpdate(idOf(1));
    await drain();
    expect(slack.edits()).toHaveLength(1);
    expect(slack.permalinkCalls()).toBe(2);
  });

  it('an open intent found in history is not posted again; one missing is posted once; a stale one is dropped', async () => {
    const slack = fakeSlack();
    let setup = await start(slack);
    const recordIntent = (id: string, intentAt: string) =>
      setup.store.shortlists.recordIntent({
        id,
        jobId: JOB,
        channel: CHANNEL,
        topN: 2,
        proposalIds: [idOf(1), idOf(2)],
        requestedBy: 'U0ANNA',
        intentAt,
      });
    recordIntent('sl_landed', NOW.toISOString());
    recordIntent('sl_missing', NOW.toISOString());
    recordIntent('sl_stale', '2026-02-20T12:00:00.000Z');
    await setup.store.close();
    slack.history.set(CHANNEL, [
      {
        ts: '1772452700.000100',
        threadTs: null,
        metadata: { event_type: SHORTLIST_EVENT_TYPE, event_payload: { shortlist_id: 'sl_landed', job_id: JOB } },
      },
    ]);
    setup = await start(slack);
    const resolving = setup.shortlists.resolveOpenIntents();
    await setup.drain();
    expect(await resolving).toEqual({ found: 1, posted: 1, dropped: 1 });
    expect(slack.posts).toHaveLength(1);
    expect(slack.posts[0]?.metadata?.event_payload.shortlist_id).toBe('sl_missing');
    const kept = setup.store.data.shortlists ?? {};
    expect(Object.keys(kept).sort()).toEqual(['sl_landed', 'sl_missing']);
    expect(kept.sl_landed).toMatchObject({ state: 'posted', ts: '1772452700.000100', shownHash: null });
    // Found in history, content unknown: the sweep edits it to the current state, once.
    setup.shortlists.sweep();
    await setup.drain();
    expect(slack.edits().map((u) => u.ts)).toEqual(['1772452700.000100']);
  });

  it('a post whose answer was lost stays an intent; one Slack refused is forgotten and its channel noted', async () => {
    const slack = fakeSlack();
    const { store, post } = await start(slack);
    slack.refusals.lose = true;
    const lost = await post();
    expect(lost).toMatchObject({ ok: false, message: expect.stringContaining('posted once I restart') });
    expect(Object.values(store.data.shortlists ?? {}).map((s) => s.state)).toEqual(['intent']);
    slack.refusals.lose = false;
    slack.refusals.post = 'not_in_channel';
    const refused = await post();
    expect(refused).toMatchObject({ ok: false, message: expect.stringContaining('/invite') });
    expect(Object.values(store.data.shortlists ?? {}).map((s) => s.state)).toEqual(['intent']);
    // Until the channel is fixed, the next request is answered without trying (as cards wait for it).
    const posts = slack.posts.length;
    expect(await post()).toMatchObject({ ok: false, message: expect.stringContaining('/invite') });
    expect(slack.posts).toHaveLength(posts);
  });

  it(`keeps the newest ${KEPT_SHORTLISTS} shortlists`, async () => {
    const slack = fakeSlack();
    const { store } = await start(slack);
    for (let index = 0; index < KEPT_SHORTLISTS + 5; index += 1) {
      store.shortlists.recordIntent({
        id: `sl_${index}`,
        jobId: JOB,
        channel: CHANNEL,
        topN: 1,
        proposalIds: [idOf(1)],
        requestedBy: 'U0ANNA',
        intentAt: new Date(NOW.getTime() + index * 1000).toISOString(),
      });
    }
    const ids = Object.keys(store.data.shortlists ?? {});
    expect(ids).toHaveLength(KEPT_SHORTLISTS);
    expect(ids).not.toContain('sl_0');
    expect(ids).toContain(`sl_${KEPT_SHORTLISTS + 4}`);
  });
});

describe('answerExcerpt (what the store keeps of a candidate message)', () => {
  it('keeps a short excerpt and withholds contact details', () => {
    expect(answerExcerpt('  I have used OHIF for two years.  ')).toBe('I have used OHIF for two years.');
    expect(answerExcerpt('')).toBe('(empty message)');
    const long = answerExcerpt('word '.repeat(400));
    expect(long?.length).toBeLessThanOrEqual(500);
    expect(long?.endsWith('…')).toBe(true);
    expect(answerExcerpt('Sure! Write me at maria.g@example.com')).toBeNull();
    expect(answerExcerpt('call me on +44 7911 123456 tomorrow')).toBeNull();
    expect(answerExcerpt(`${'ok '.repeat(300)} my telegram is @maria_g`)).toBeNull();
  });
});
