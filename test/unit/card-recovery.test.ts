import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.js';
import { CardRecovery } from '../../src/services/card-recovery.js';
import { CardService } from '../../src/services/cards.js';
import { ChannelAccess } from '../../src/services/channel-access.js';
import { weightsFor } from '../../src/services/jobs.js';
import { unlimitedPolicy } from '../../src/services/slack-budgets.js';
import type { SlackHistoryMessage, SlackMessageInput, SlackPort } from '../../src/services/slack-port.js';
import { SlackScheduler } from '../../src/services/slack-scheduler.js';
import { Store } from '../../src/store/store.js';
import { makeStoredProposal, storeDataWithProposals } from '../helpers/store-fixtures.js';

// Card recovery through its ports: a real store (opened on a damaged file where that matters), the real card service,
// and a Slack port whose channel history the test controls.

const NOW = new Date('2026-03-02T12:00:00Z');
const HIRING = 'C0HIRING01';
const WATCH_CHANNEL = 'C0WATCHED';

class NotInChannel extends Error {
  readonly data = { ok: false, error: 'not_in_channel' };
}

function fakeSlack(history: Map<string, SlackHistoryMessage[]>) {
  const posts: SlackMessageInput[] = [];
  const historyCalls: string[] = [];
  let failHistory: Error | null = null;
  const port: SlackPort = {
    postMessage: async (message) => {
      posts.push(message);
      return { ts: `1772000000.${String(posts.length).padStart(6, '0')}` };
    },
    updateMessage: async () => {},
    postEphemeral: async () => {},
    joinChannel: async () => {},
    history: async (channel) => {
      historyCalls.push(channel);
      if (failHistory) throw failHistory;
      return history.get(channel) ?? [];
    },
    threadReplies: async () => [],
    permalink: async () => null,
  };
  return {
    port,
    posts,
    historyCalls,
    failHistoryWith: (error: Error | null) => {
      failHistory = error;
    },
  };
}

function cardMessage(proposalId: string, ts: string, votes: Record<string, string> = {}): SlackHistoryMessage {
  return {
    ts,
    threadTs: null,
    metadata: {
      event_type: 'opentrain_proposal',
      event_payload: { proposal_id: proposalId, job_id: 'job_1', votes, notes: 'Invited to X by <@U1>' },
    },
  };
}

let dir: string;
let file: string;
const stores: Store[] = [];
const pacers: SlackScheduler[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'card-recovery-'));
  file = join(dir, 'hiring-bot.json');
});

afterEach(async () => {
  for (const pacer of pacers.splice(0)) pacer.stop();
  for (const store of stores.splice(0)) await store.close().catch(() => {});
  await rm(dir, { recursive: true, force: true });
});

async function setUp(slack: SlackPort) {
  const store = await Store.open({ file, flushDelayMs: 10_000 });
  stores.push(store);
  const pacer = new SlackScheduler(unlimitedPolicy());
  pacers.push(pacer);
  const clock = () => NOW;
  const cards = new CardService({
    slack,
    store,
    scheduler: pacer,
    access: new ChannelAccess({ slack, logger: silentLogger }),
    logger: silentLogger,
    clock,
    weightsFor: (jobId) => weightsFor(store, jobId),
  });
  const rules = { jobIds: null, hiringChannel: HIRING };
  const recovery = new CardRecovery({ store, cards, logger: silentLogger, clock, rules, retentionDays: 180 });
  return { store, pacer, cards, recovery };
}

/** A store file with `count` fixture proposals whose header line was destroyed. */
async function writeHeaderlessStore(count: number, mutate?: (data: ReturnType<typeof storeDataWithProposals>) => void) {
  const data = storeDataWithProposals(count);
  mutate?.(data);
  const lines = ['{"version":1,"cursor":"10', ...Object.entries(data.proposals).map((entry) => JSON.stringify(entry))];
  await mkdir(dir, { recursive: true });
  await writeFile(file, `${lines.join('\n')}\n`);
}

describe('CardRecovery', () => {
  it('after a lost header, routes a job whose cards went to another channel there again, and searches that channel', async () => {
    await writeHeaderlessStore(3, (data) => {
      data.proposals.prop_000001!.card!.channel = WATCH_CHANNEL;
      data.proposals.prop_000002!.card!.channel = HIRING;
    });
    const slack = fakeSlack(new Map());
    const { store, recovery } = await setUp(slack.port);
    await recovery.run();
    expect(store.data.jobs.job_1).toMatchObject({ channelId: WATCH_CHANNEL, watch: true });
    // job_2's cards were in HIRING_CHANNEL: the default rule already routes them there.
    expect(store.data.jobs.job_2).toBeUndefined();
    expect(new Set(slack.historyCalls)).toEqual(new Set([HIRING, WATCH_CHANNEL]));
    expect(store.data.recovery?.cardsReconciledAt).toBe(NOW.toISOString());
  });

  it('links intents to their cards and remembers cards of lost proposals, votes and notes included', async () => {
    await writeHeaderlessStore(2, (data) => {
      data.proposals.prop_000000!.card = {
        channel: HIRING,
        state: 'intent',
        ts: null,
        intentAt: NOW.toISOString(),
        postedAt: null,
      };
    });
    const history = new Map([
      [
        HIRING,
        [
          cardMessage('prop_000000', '1771999000.000100'),
          cardMessage(
            'prop_lost',
            '1771999000.000200',
            // Written by the bot, but read back defensively: only well-formed user ids and vote kinds, no prototype.
            JSON.parse('{"U0ANNA":"up","U0BOB":"down","__proto__":"up","not a user":"up","U0CARL":"sideways"}'),
          ),
        ],
      ],
    ]);
    const slack = fakeSlack(history);
    const { store, recovery, cards } = await setUp(slack.port);
    await recovery.run();
    cards.postPending();
    expect(store.data.proposals.prop_000000?.card).toMatchObject({ state: 'posted', ts: '1771999000.000100' });
    expect(store.data.foundCards?.prop_lost).toEqual({
      channel: HIRING,
      ts: '1771999000.000200',
      jobId: 'job_1',
      votes: { U0ANNA: 'up', U0BOB: 'down' },
      notes: ['Invited to X by <@U1>'],
    });
    expect(recovery.channelHasCards(HIRING)).toBe(true);
    expect(slack.posts).toHaveLength(0);
  });

  it('holds posts to a channel whose history cannot be read, and searches it again at the next run', async () => {
    await writeHeaderlessStore(1, (data) => {
      data.proposals.prop_000000!.card = {
        channel: HIRING,
        state: 'intent',
        ts: null,
        intentAt: NOW.toISOString(),
        postedAt: null,
      };
    });
    const slack = fakeSlack(new Map());
    slack.failHistoryWith(new NotInChannel('not_in_channel'));
    const { store, recovery, cards, pacer } = await setUp(slack.port);
    await recovery.run();
    cards.postPending();
    await pacer.idle();
    expect(slack.posts).toHaveLength(0);
    expect(store.data.recovery?.cardsReconciledAt).toBeNull();
    expect(recovery.channelHasCards(HIRING)).toBeNull();

    slack.failHistoryWith(null);
    await recovery.run();
    cards.postPending();
    await pacer.idle();
    expect(slack.posts).toHaveLength(1);
    expect(store.data.recovery?.cardsReconciledAt).toBe(NOW.toISOString());
  });

  it('on a fresh install, a channel the bot is not in has no cards to find: nothing is held', async () => {
    const slack = fakeSlack(new Map());
    slack.failHistoryWith(new NotInChannel('not_in_channel'));
    const { store, recovery, cards, pacer } = await setUp(slack.port);
    await recovery.run();
    expect(recovery.channelHasCards(HIRING)).toBe(false);
    store.change((data) => {
      const stored = makeStoredProposal(7);
      stored.card = { channel: HIRING, state: 'intent', ts: null, intentAt: NOW.toISOString(), postedAt: null };
      data.proposals[stored.proposal.id] = stored;
    });
    cards.postPending();
    await pacer.idle();
    expect(slack.posts).toHaveLength(1);
  });

  it('does nothing once the store is whole and set up', async () => {
    const store = await Store.open({ file });
    store.change((data) => Object.assign(data, storeDataWithProposals(2), { backfilledAt: NOW.toISOString() }));
    await store.close();
    const slack = fakeSlack(new Map());
    const { recovery } = await setUp(slack.port);
    expect(recovery.needed).toBe(false);
    await recovery.run();
    expect(slack.historyCalls).toEqual([]);
  });
});
