import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../src/logger.js';
import { CardService } from '../../src/services/cards.js';
import { ChannelAccess } from '../../src/services/channel-access.js';
import { DigestService } from '../../src/services/digest.js';
import { weightsFor } from '../../src/services/jobs.js';
import { unlimitedPolicy } from '../../src/services/slack-budgets.js';
import type { SlackMessageInput, SlackPort } from '../../src/services/slack-port.js';
import { SlackScheduler } from '../../src/services/slack-scheduler.js';
import type { StoredJob, StoredProposal } from '../../src/store/schema.js';
import { Store } from '../../src/store/store.js';
import { visibleText } from '../helpers/slack-text.js';
import { makeStoredProposal } from '../helpers/store-fixtures.js';

// The digest service against a real store and card ranking, with Slack replaced by a recorder.

const NOW = new Date('2026-03-02T12:30:00Z');
const HOUR = 3600_000;
const CHANNEL = 'C0HIRING';

function recordingSlack() {
  const posts: SlackMessageInput[] = [];
  const port: SlackPort = {
    postMessage: async (message) => {
      posts.push(message);
      return { ts: `${1_700_000_000 + posts.length}.000100` };
    },
    updateMessage: async () => {},
    postEphemeral: async () => {},
    history: async () => [],
    threadReplies: async () => [],
    joinChannel: async () => {},
    permalink: async (channel, ts) => `https://example.slack.com/archives/${channel}/p${ts.replace('.', '')}`,
  };
  return { port, posts };
}

function job(id: string, overrides: Partial<StoredJob> = {}): StoredJob {
  return {
    id,
    title: `Job ${id}`,
    status: 'OPEN',
    published: true,
    channelId: null,
    watch: null,
    weights: null,
    ...overrides,
  };
}

let serial = 0;
function proposal(
  jobId: string,
  name: string,
  opts: { hoursAgo: number; interview: number | null; match?: number | null; status?: string; ts?: string | null },
): StoredProposal {
  serial += 1;
  const base = makeStoredProposal(serial, jobId);
  const at = new Date(NOW.getTime() - opts.hoursAgo * HOUR).toISOString();
  const status = opts.status ?? 'UNREVIEWED';
  return {
    ...base,
    proposal: {
      ...base.proposal,
      createdAt: at,
      updatedAt: at,
      status: { raw: status, label: status },
      bid: { amountUsd: 30, unit: 'PER_HOUR', labelerHourlyRateUsd: null },
      candidate: { ...base.proposal.candidate, displayName: name },
      interviewScore: opts.interview,
      matchScore: opts.match === undefined ? opts.interview : opts.match,
    },
    card:
      opts.ts === null
        ? null
        : {
            channel: CHANNEL,
            state: 'posted',
            ts: opts.ts ?? `1772400000.${String(serial).padStart(6, '0')}`,
            intentAt: at,
            postedAt: at,
          },
    votes: {},
    notes: [],
    conversation: null,
  };
}

describe('DigestService', () => {
  let dir: string;
  let store: Store;
  let now: Date;
  let slack: ReturnType<typeof recordingSlack>;
  let digest: DigestService;
  let scheduler: SlackScheduler;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'digest-unit-'));
    store = await Store.open({ file: join(dir, 'store.json') });
    now = NOW;
    slack = recordingSlack();
    scheduler = new SlackScheduler(unlimitedPolicy());
    const clock = () => now;
    const cards = new CardService({
      slack: slack.port,
      store,
      scheduler,
      access: new ChannelAccess({ slack: slack.port, logger: silentLogger }),
      logger: silentLogger,
      clock,
      weightsFor: (jobId) => weightsFor(store, jobId),
    });
    digest = new DigestService({
      store,
      slack: slack.port,
      cards,
      logger: silentLogger,
      clock,
      rules: { jobIds: null, hiringChannel: CHANNEL },
      timeZone: 'UTC',
    });
  });

  afterEach(async () => {
    digest.stop();
    scheduler.stop();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  function seed(jobs: StoredJob[], proposals: StoredProposal[]) {
    store.change((data) => {
      for (const j of jobs) data.jobs[j.id] = j;
      for (const p of proposals) data.proposals[p.proposal.id] = p;
    });
  }

  it('lists the top 3 by composite score, leaving out declined, not-a-fit and hired candidates', async () => {
    const best = proposal('j1', 'Declined D.', { hoursAgo: 1, interview: 99, status: 'DECLINED' });
    const hired = proposal('j1', 'Hired H.', { hoursAgo: 50, interview: 98, status: 'HIRED' });
    const a = proposal('j1', 'Ana A.', { hoursAgo: 2, interview: 90 });
    const b = proposal('j1', 'Bea B.', { hoursAgo: 3, interview: 80, status: 'SHORTLISTED' });
    const c = proposal('j1', 'Cai C.', { hoursAgo: 30, interview: 70, ts: null });
    const d = proposal('j1', 'Dan D.', { hoursAgo: 4, interview: 60 });
    seed([job('j1')], [d, c, b, a, best, hired]);

    const result = await digest.postToChannel(CHANNEL);
    expect(result.outcome).toBe('posted');
    const text = visibleText(slack.posts[0] as never);
    const top = text.slice(text.indexOf('Top candidates'));
    expect(top).toMatch(/1\. <https:\/\/example\.slack\.com\/archives\/C0HIRING\/p\d+\|Ana A\.> — 9\d\/100/);
    expect(top).toMatch(/2\. <https:[^|]+\|Bea B\.> — 8\d\/100/);
    // Cai's proposal has no card (older than the backfill): named without a link.
    expect(top).toMatch(/3\. Cai C\. — 7\d\/100/);
    expect(text).not.toContain('Dan D.');
    expect(text).not.toContain('Declined D.');
    expect(text).not.toContain('Hired H.');
    // New in 24 h: Declined, Ana, Bea, Dan. Unreviewed: Ana, Cai, Dan.
    expect(text).toContain('4 new proposals in the last 24 h · 3 unreviewed');
  });

  it('shows replies owed and split votes with links to the cards', async () => {
    const waiting = proposal('j1', 'Wen W.', { hoursAgo: 40, interview: 70, ts: '1772400000.000200' });
    waiting.conversation = {
      id: 'conv_1',
      openedBy: 'U1',
      openedAt: NOW.toISOString(),
      relayedIds: [],
      lastSeenMessageId: null,
      unread: 2,
      awaitingReply: true,
      lastInboundAt: new Date(NOW.getTime() - 3 * HOUR).toISOString(),
    };
    const split = proposal('j1', 'Sol S.', { hoursAgo: 40, interview: 60, ts: '1772400000.000300' });
    split.votes = { U1: 'up', U2: 'down', U3: 'maybe', U4: 'up' };
    seed([job('j1')], [waiting, split]);

    const result = await digest.runScheduled();
    // No new proposal, but a candidate wrote in the last 24 h: that is news.
    expect(result).toMatchObject({ outcome: 'ran', posted: [CHANNEL] });
    const text = visibleText(slack.posts[0] as never);
    expect(text).toContain(
      '<https://example.slack.com/archives/C0HIRING/p1772400000000200|Wen W.> — 2 messages to answer',
    );
    expect(text).toContain(
      '<https://example.slack.com/archives/C0HIRING/p1772400000000300|Sol S.> — 👍 2 · 👎 1 · 🤔 1',
    );
  });

  it('hires waiting for approval around the 24 h edge: flagged from 24 h left, gone once lapsed, soonest first', async () => {
    const pending = (name: string, expiresInMs: number) => {
      const stored = proposal('j1', name, { hoursAgo: 40, interview: 50 });
      stored.hire = {
        approvalId: `appr_${name}`,
        status: 'pending',
        approvalUrl: `https://app.opentrain.ai/approvals/appr_${name}`,
        expiresAt: new Date(NOW.getTime() + expiresInMs).toISOString(),
        requestedBy: 'U1',
        requestedAt: new Date(NOW.getTime() - 48 * HOUR).toISOString(),
        terms: null,
        resolvedAt: null,
        contractId: null,
        superseded: [],
      };
      return stored;
    };
    seed(
      [job('j1')],
      [
        pending('Later', 24 * HOUR + 1),
        pending('Edge', 24 * HOUR),
        pending('Soon', 1),
        pending('Lapsed', 0),
        pending('Older', -HOUR),
      ],
    );
    const lineOf = (text: string, name: string) => text.split('\n').find((line) => line.includes(`appr_${name}|`));

    expect(await digest.runScheduled()).toMatchObject({ outcome: 'ran', posted: [CHANNEL] });
    let text = visibleText(slack.posts.at(-1) as never);
    expect(lineOf(text, 'Soon')).toContain('⚠️ expires within a day');
    expect(lineOf(text, 'Edge')).toContain('⚠️ expires within a day');
    expect(lineOf(text, 'Later')).toContain('expires <!date^');
    expect(lineOf(text, 'Later')).not.toContain('within a day');
    // Past expiresAt it is no longer waiting on anyone (OpenTrain expires it when read): not listed.
    expect(lineOf(text, 'Lapsed')).toBeUndefined();
    expect(lineOf(text, 'Older')).toBeUndefined();
    const order = ['Soon', 'Edge', 'Later'].map((name) => text.indexOf(`appr_${name}|`));
    expect(order).toEqual([...order].sort((a, b) => a - b));

    // Two milliseconds on, the later one crosses into its last day; the one a millisecond from lapsing is gone.
    now = new Date(NOW.getTime() + 2);
    expect(await digest.postToChannel(CHANNEL)).toMatchObject({ outcome: 'posted' });
    text = visibleText(slack.posts.at(-1) as never);
    expect(lineOf(text, 'Later')).toContain('⚠️ expires within a day');
    expect(lineOf(text, 'Soon')).toBeUndefined();
  });

  it('posts one digest per channel with news and skips a channel with nothing new in 24 h', async () => {
    seed(
      [job('fresh'), job('stale', { channelId: 'C0STALE', watch: true }), job('closed', { status: 'CLOSED' })],
      [
        proposal('fresh', 'Ana A.', { hoursAgo: 23.9, interview: 80 }),
        proposal('stale', 'Old O.', { hoursAgo: 24.1, interview: 80 }),
        proposal('closed', 'Gone G.', { hoursAgo: 1, interview: 80 }),
      ],
    );
    const result = await digest.runScheduled();
    expect(result).toEqual({ outcome: 'ran', posted: [CHANNEL], quiet: ['C0STALE'], failed: [] });
    expect(slack.posts.map((post) => post.channel)).toEqual([CHANNEL]);
    // The unwatched (closed) job isn't in the digest.
    expect(visibleText(slack.posts[0] as never)).not.toContain('Job closed');
  });

  it('skips a scheduled run less than a minute after the last one, in either clock direction', async () => {
    seed([job('j1')], [proposal('j1', 'Ana A.', { hoursAgo: 1, interview: 80 })]);
    expect(await digest.runScheduled()).toMatchObject({ outcome: 'ran', posted: [CHANNEL] });
    expect(store.data.digest.lastRunAt).toBe(NOW.toISOString());

    now = new Date(NOW.getTime() + 30_000);
    expect(await digest.runScheduled()).toMatchObject({ outcome: 'skipped', reason: 'ran-recently' });
    now = new Date(NOW.getTime() - 30_000);
    expect(await digest.runScheduled()).toMatchObject({ outcome: 'skipped', reason: 'ran-recently' });
    expect(slack.posts).toHaveLength(1);

    now = new Date(NOW.getTime() + 61_000);
    expect(await digest.runScheduled()).toMatchObject({ outcome: 'ran' });
    expect(slack.posts).toHaveLength(2);
  });

  it('runs one scheduled digest at a time', async () => {
    seed([job('j1')], [proposal('j1', 'Ana A.', { hoursAgo: 1, interview: 80 })]);
    const [first, second] = await Promise.all([digest.runScheduled(), digest.runScheduled()]);
    expect(first.outcome).toBe('ran');
    expect(second).toMatchObject({ outcome: 'skipped', reason: 'already-running' });
    expect(slack.posts).toHaveLength(1);
  });

  it('keeps posting to other channels when one channel fails', async () => {
    seed(
      [job('a', { channelId: 'C0AAA', watch: true }), job('b', { channelId: 'C0BBB', watch: true })],
      [proposal('a', 'Ana A.', { hoursAgo: 1, interview: 80 }), proposal('b', 'Bo B.', { hoursAgo: 1, interview: 80 })],
    );
    const post = slack.port.postMessage;
    slack.port.postMessage = async (message) => {
      if (message.channel === 'C0AAA') throw new Error('not_in_channel');
      return post(message);
    };
    expect(await digest.runScheduled()).toEqual({ outcome: 'ran', posted: ['C0BBB'], quiet: [], failed: ['C0AAA'] });
  });

  it('answers on demand for one channel: no jobs there, nothing to report, or the digest', async () => {
    seed(
      [job('j1', { title: 'Spanish sentiment' })],
      [proposal('j1', 'Rev R.', { hoursAgo: 48, interview: 80, status: 'SHORTLISTED' })],
    );
    expect(await digest.postToChannel('C0ELSEWHERE')).toEqual({ outcome: 'no-jobs' });
    expect(await digest.postToChannel(CHANNEL)).toEqual({ outcome: 'nothing', jobTitles: ['Spanish sentiment'] });
    expect(slack.posts).toHaveLength(0);

    // Old but still unreviewed: worth reporting when someone asks, though not news for the scheduled run.
    seed([], [proposal('j1', 'Una U.', { hoursAgo: 48, interview: 70 })]);
    expect(await digest.postToChannel(CHANNEL)).toMatchObject({ outcome: 'posted', jobCount: 1 });
    expect(visibleText(slack.posts[0] as never)).toContain('0 new proposals in the last 24 h · 1 unreviewed');
    expect(await digest.runScheduled()).toMatchObject({ outcome: 'ran', posted: [], quiet: [CHANNEL] });
  });

  it('calls runScheduled from the cron schedule, and stop() ends it', async () => {
    const runs = vi.spyOn(digest, 'runScheduled');
    digest.start('* * * * * *');
    await vi.waitFor(() => expect(runs).toHaveBeenCalled(), { timeout: 2500, interval: 20 });
    digest.stop();
    const calls = runs.mock.calls.length;
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(runs.mock.calls.length).toBe(calls);
  });
});
