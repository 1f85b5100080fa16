import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SlackMessageInput } from '../../src/services/slack-port.js';
import type { SlackScheduler } from '../../src/services/slack-scheduler.js';
import type { StoredProposal } from '../../src/store/schema.js';
import { Store } from '../../src/store/store.js';
import { cardServiceOver, type FakeSlack, fakeSlack } from '../helpers/card-service-fakes.js';
import { makeStoredProposal } from '../helpers/store-fixtures.js';

// CardService through its ports: a fake Slack that records what reached it and answers like Slack (ts, refusals), a
// real store on a temporary file, the real scheduler with Slack's limits on a clock the test moves
// (test/helpers/card-service-fakes.ts).

const NOW = new Date('2026-03-02T12:00:00Z');
const CHANNEL = 'C0HIRING01';
const JOB = 'job_a';

/** A proposal of JOB with this interview score (the only weighted signal here), no votes, no conversation. */
function proposal(index: number, interviewScore: number, card: StoredProposal['card']): StoredProposal {
  const stored = makeStoredProposal(index, JOB);
  return {
    ...stored,
    proposal: { ...stored.proposal, interviewScore },
    votes: {},
    notes: [],
    conversation: null,
    card,
  };
}

function intent(): StoredProposal['card'] {
  return { channel: CHANNEL, state: 'intent', ts: null, intentAt: NOW.toISOString(), postedAt: null };
}

const idOf = (index: number) => `prop_${String(index).padStart(6, '0')}`;

let dir: string;
let file: string;
const stores: Store[] = [];
const schedulers: SlackScheduler[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cards-'));
  file = join(dir, 'hiring-bot.json');
});

afterEach(async () => {
  for (const scheduler of schedulers.splice(0)) scheduler.stop();
  for (const store of stores.splice(0)) await store.close().catch(() => {});
  await rm(dir, { recursive: true, force: true });
});

/** A card service over the store file (opened anew: what a restart sees). */
async function start(slack: FakeSlack, proposals: StoredProposal[] = []) {
  const store = await Store.open({ file, flushDelayMs: 10_000 });
  stores.push(store);
  if (proposals.length > 0) {
    store.change((data) => {
      for (const stored of proposals) data.proposals[stored.proposal.id] = stored;
    });
    await store.flush();
  }
  const { scheduler, cards, access, drain } = cardServiceOver(store, slack, NOW);
  schedulers.push(scheduler);
  return { store, scheduler, cards, access, drain };
}

/** The card records as they are on disk: the store is closed (pending changes written) and the file opened again. */
async function cardsOnDisk(store: Store): Promise<Record<string, StoredProposal['card']>> {
  await store.close();
  const reopened = await Store.open({ file, flushDelayMs: 10_000 });
  stores.push(reopened);
  return Object.fromEntries(Object.entries(reopened.data.proposals).map(([id, stored]) => [id, stored.card]));
}

/** Posts every intent among `indexes` through the service, so Slack shows exactly what the service rendered. */
async function startWithPostedCards(slack: FakeSlack, scores: number[]) {
  const setup = await start(
    slack,
    scores.map((score, index) => proposal(index, score, intent())),
  );
  setup.cards.postPending();
  await setup.drain();
  expect(slack.posts).toHaveLength(scores.length);
  return setup;
}

const shows = (message: SlackMessageInput) => JSON.stringify([message.text, message.blocks]);

describe('CardService', () => {
  it('posts an open intent once and stores its ts on disk', async () => {
    const slack = fakeSlack();
    const { store, cards, drain } = await start(slack, [proposal(0, 80, intent())]);
    cards.postPending();
    cards.postPending();
    await drain();
    cards.postPending();
    await drain();
    expect(slack.posts).toHaveLength(1);
    expect(slack.posts[0]!.channel).toBe(CHANNEL);
    expect(slack.posts[0]!.metadata).toMatchObject({
      event_type: 'opentrain_proposal',
      event_payload: { proposal_id: idOf(0) },
    });
    const onDisk = await cardsOnDisk(store);
    expect(onDisk[idOf(0)]).toMatchObject({ state: 'posted', ts: '1772452800.000001', postedAt: NOW.toISOString() });
  });

  it('adopts an open intent whose card is already in the channel history instead of posting it again', async () => {
    const slack = fakeSlack();
    slack.history.set(CHANNEL, [
      {
        ts: '1772452700.000042',
        threadTs: null,
        metadata: { event_type: 'opentrain_proposal', event_payload: { proposal_id: idOf(0), job_id: JOB } },
      },
    ]);
    const { store, cards, drain } = await start(slack, [proposal(0, 80, intent()), proposal(1, 70, intent())]);
    const outcome = await cards.resolveOpenIntents();
    await drain();
    expect(outcome).toEqual({ recovered: 1, reposting: 1, waiting: 0 });
    // Only the proposal without a card in history was posted.
    expect(slack.posts.map((post) => post.metadata?.event_payload.proposal_id)).toEqual([idOf(1)]);
    const onDisk = await cardsOnDisk(store);
    expect(onDisk[idOf(0)]).toMatchObject({ state: 'posted', ts: '1772452700.000042' });
    expect(onDisk[idOf(1)]).toMatchObject({ state: 'posted', ts: '1772452800.000001' });
  });

  it('re-renders a card once for votes asked together, and sends nothing when the render is unchanged', async () => {
    const slack = fakeSlack();
    const { store, cards, drain } = await startWithPostedCards(slack, [80]);
    store.votes.toggle(idOf(0), 'U0ANNA', 'up');
    const first = cards.requestUpdate(idOf(0));
    store.votes.toggle(idOf(0), 'U0BOB', 'down');
    const second = cards.requestUpdate(idOf(0));
    await drain();
    await expect(Promise.all([first, second])).resolves.toEqual([undefined, undefined]);
    expect(slack.updates).toHaveLength(1);
    expect(slack.updates[0]).toMatchObject({
      channel: CHANNEL,
      ts: '1772452800.000001',
      metadata: { event_payload: { votes: { U0ANNA: 'up', U0BOB: 'down' } } },
    });
    // Nothing changed since: no edit reaches Slack, and nothing stays due.
    await cards.requestUpdate(idOf(0));
    await drain();
    expect(slack.updates).toHaveLength(1);
    expect((await cardsOnDisk(store))[idOf(0)]?.refreshDue ?? null).toBeNull();
  });

  it('after a job change, refreshes only the cards whose score or top-3 marker reads differently', async () => {
    const slack = fakeSlack();
    const { store, cards, drain } = await startWithPostedCards(slack, [90, 80, 70, 60]);
    expect(slack.posts.map((post) => shows(post).includes('top 3'))).toEqual([true, true, true, false]);
    // Fresh start: what Slack shows matches the ranking, nothing is due.
    cards.jobChanged(JOB);
    expect(Object.values(store.data.proposals).map((p) => p.card?.refreshDue ?? null)).toEqual([
      null,
      null,
      null,
      null,
    ]);
    // The fourth proposal's score rises to the top: its score changes, the third leaves the top 3; the first two keep
    // their score and their marker.
    store.change((data) => {
      data.proposals[idOf(3)]!.proposal.interviewScore = 95;
    });
    cards.jobChanged(JOB);
    expect(Object.values(store.data.proposals).map((p) => p.card?.refreshDue ?? null)).toEqual([
      null,
      null,
      'background',
      'background',
    ]);
    cards.postPending();
    await drain();
    expect(slack.updates.map((update) => update.ts)).toEqual(['1772452800.000003', '1772452800.000004']);
    expect(shows(slack.updates[0]!)).not.toContain('top 3');
    expect(shows(slack.updates[1]!)).toContain('top 3');
    const onDisk = await cardsOnDisk(store);
    expect(Object.values(onDisk).map((card) => card?.refreshDue ?? null)).toEqual([null, null, null, null]);
  });

  it('after a restart, compares a job change with what Slack last accepted (nothing ranked in memory yet)', async () => {
    const slack = fakeSlack();
    const first = await startWithPostedCards(slack, [90, 80, 70, 60]);
    await first.store.close();
    const second = await start(slack);
    // Unchanged: every card's render matches its fingerprint, nothing is due.
    second.cards.jobChanged(JOB);
    expect(Object.values(second.store.data.proposals).map((p) => p.card?.refreshDue ?? null)).toEqual([
      null,
      null,
      null,
      null,
    ]);

    // A sync raised the fourth proposal's score to the top, and the process restarted before the cards were marked.
    second.store.change((data) => {
      data.proposals[idOf(3)]!.proposal.interviewScore = 95;
    });
    await second.store.close();
    const third = await start(slack);
    third.cards.jobChanged(JOB);
    third.cards.postPending();
    await third.drain();
    expect(slack.updates.map((update) => update.ts)).toEqual(['1772452800.000003', '1772452800.000004']);
  });

  it('keeps a due refresh across a restart and sends it from the new process', async () => {
    const slack = fakeSlack();
    const first = await startWithPostedCards(slack, [80]);
    first.store.votes.toggle(idOf(0), 'U0ANNA', 'up');
    const pending = first.cards.requestUpdate(idOf(0));
    // The process stops before the edit went out.
    first.scheduler.stop();
    await expect(pending).resolves.toBeUndefined();
    await first.store.close();
    expect(slack.updates).toHaveLength(0);

    const second = await start(slack);
    expect(second.store.data.proposals[idOf(0)]?.card?.refreshDue).toBe('person');
    second.cards.postPending();
    await second.drain();
    expect(slack.updates).toHaveLength(1);
    expect(slack.updates[0]).toMatchObject({
      ts: '1772452800.000001',
      metadata: { event_payload: { votes: { U0ANNA: 'up' } } },
    });
    expect((await cardsOnDisk(second.store))[idOf(0)]?.refreshDue ?? null).toBeNull();
  });

  it('clears refreshDue when Slack refuses the edit, so it is not retried at every sync', async () => {
    const slack = fakeSlack();
    const { store, cards, drain } = await startWithPostedCards(slack, [80]);
    slack.refusals.update = 'message_not_found';
    store.votes.toggle(idOf(0), 'U0ANNA', 'up');
    const request = cards.requestUpdate(idOf(0));
    await drain();
    await expect(request).resolves.toBeUndefined();
    expect(slack.calls.filter((call) => call.startsWith('update'))).toHaveLength(1);
    cards.postPending();
    await drain();
    cards.postPending();
    await drain();
    expect(slack.calls.filter((call) => call.startsWith('update'))).toHaveLength(1);
    expect((await cardsOnDisk(store))[idOf(0)]?.refreshDue ?? null).toBeNull();
  });

  it('keeps the intent open when Slack refuses the channel, and looks in history before posting once it may', async () => {
    const slack = fakeSlack();
    slack.refusals.post = 'not_in_channel';
    const { store, cards, access, drain } = await start(slack, [proposal(0, 80, intent())]);
    cards.postPending();
    await drain();
    expect(slack.posts).toHaveLength(0);
    expect(access.problemOf(CHANNEL)).toBe('needs_invite');
    expect(store.data.proposals[idOf(0)]?.card).toMatchObject({ state: 'intent', ts: null });

    // Someone invited the bot: the next sync reads the channel first (the refused post might have landed), then posts.
    slack.refusals.post = null;
    slack.calls.length = 0;
    cards.postPending();
    await drain();
    expect(slack.calls[0]).toBe(`history ${CHANNEL}`);
    expect(slack.calls.filter((call) => call.startsWith('post'))).toEqual([`post ${CHANNEL}`]);
    expect(slack.posts).toHaveLength(1);
    expect((await cardsOnDisk(store))[idOf(0)]).toMatchObject({ state: 'posted', ts: '1772452800.000001' });
  });

  it('never rejects requestUpdate, also after the store was closed', async () => {
    const slack = fakeSlack();
    const { store, cards, drain } = await startWithPostedCards(slack, [80]);
    store.votes.toggle(idOf(0), 'U0ANNA', 'up');
    await store.close();
    await expect(cards.requestUpdate(idOf(0))).resolves.toBeUndefined();
    await expect(
      cards.requestUpdate(idOf(0), { priority: 'background', slackShowsOther: true }),
    ).resolves.toBeUndefined();
    await expect(cards.requestUpdate('prop_unknown')).resolves.toBeUndefined();
    await drain();
    expect(slack.updates).toHaveLength(0);
  });

  it('never rejects requestUpdate when the store closes while Slack refuses the edit in flight', async () => {
    const slack = fakeSlack();
    const { store, cards, drain } = await startWithPostedCards(slack, [80]);
    slack.refusals.update = 'message_not_found';
    const release = slack.holdUpdateAnswers();
    store.votes.toggle(idOf(0), 'U0ANNA', 'up');
    const request = cards.requestUpdate(idOf(0));
    await drain();
    expect(slack.calls.filter((call) => call.startsWith('update'))).toHaveLength(1);
    // Shutdown closes the store while the edit is on its way; then Slack answers with its refusal.
    await store.close();
    release();
    await expect(request).resolves.toBeUndefined();
  });
});
