import { describe, expect, it } from 'vitest';
import type { HomeView } from '../../src/blocks/limits.js';
import { silentLogger } from '../../src/logger.js';
import { HOME_REFRESH_POLICY, type HomeRefreshPolicy, HomeService } from '../../src/services/home.js';
import { SLACK_POLICY } from '../../src/services/slack-budgets.js';
import { SlackScheduler } from '../../src/services/slack-scheduler.js';
import { emptyStoreData, type StoreData } from '../../src/store/schema.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { makeStoredProposal, storedJob } from '../helpers/store-fixtures.js';

// The Home tab service through its ports (docs/slack.md#app-home): who gets a publish and when, the fingerprint that
// skips unchanged tabs, Slack's hash on every publish, a hash conflict, and card permalinks asked once.

const HOUR_MS = 60 * 60 * 1000;

interface Published {
  userId: string;
  view: HomeView;
  hash: string | undefined;
}

function setup(data: StoreData = storeData(), policy: HomeRefreshPolicy = HOME_REFRESH_POLICY) {
  const clock = new FakeClock();
  const scheduler = new SlackScheduler(SLACK_POLICY, clock);
  const published: Published[] = [];
  const permalinks: string[] = [];
  const failPermalinks = new Set<string>();
  let conflictNext = false;
  let hashes = 0;
  const service = new HomeService({
    store: { data },
    slack: {
      async publishHome(userId, view, hash) {
        if (conflictNext) {
          conflictNext = false;
          throw Object.assign(new Error('An API error occurred: hash_conflict'), {
            data: { ok: false, error: 'hash_conflict' },
          });
        }
        published.push({ userId, view, hash });
        hashes += 1;
        return { hash: `h${hashes}` };
      },
      async permalink(channel, ts) {
        permalinks.push(ts);
        return failPermalinks.has(ts) ? null : `https://x.slack.com/archives/${channel}/p${ts.replace('.', '')}`;
      },
    },
    scheduler,
    canAct: (userId) => userId !== 'U0INTERN',
    rules: { jobIds: null, hiringChannel: 'C0HIRING01' },
    logger: silentLogger,
    clock: () => new Date(clock.now()),
    timers: clock,
    policy,
  });
  return {
    data,
    clock,
    scheduler,
    service,
    published,
    permalinks,
    failPermalinks,
    conflictNext: () => {
      conflictNext = true;
    },
    /** A store change, then as long as the next refresh round may take to come. */
    async changed() {
      service.changed();
      await clock.advance(policy.refreshEveryMs);
      await scheduler.idle();
    },
  };
}

function storeData(): StoreData {
  const data = emptyStoreData();
  for (const index of [1, 2]) {
    const stored = { ...makeStoredProposal(index, 'job_a'), votes: {}, conversation: null };
    data.proposals[stored.proposal.id] = stored;
  }
  data.jobs.job_a = storedJob('job_a', 'Spanish');
  return data;
}

describe('HomeService', () => {
  it('publishes when someone opens their tab, and not again when they open it unchanged', async () => {
    const t = setup();
    expect(await t.service.opened('U0ANNA', null)).toBe('published');
    expect(t.published.map((p) => [p.userId, p.hash])).toEqual([['U0ANNA', undefined]]);
    // Slack's event on the next visit carries the hash our publish got back.
    expect(await t.service.opened('U0ANNA', 'h1')).toBe('unchanged');
    expect(t.published).toHaveLength(1);
  });

  it('publishes again, guarded by Slack’s hash, when the tab Slack shows is not the one we published', async () => {
    const t = setup();
    await t.service.opened('U0ANNA', null);
    expect(await t.service.opened('U0ANNA', 'published-elsewhere')).toBe('published');
    expect(t.published.map((p) => p.hash)).toEqual([undefined, 'published-elsewhere']);
  });

  it('after a change, re-publishes for people who opened their tab within the window only, and only when it differs', async () => {
    const t = setup();
    await t.service.opened('U0CARA', null);
    await t.clock.advance(HOME_REFRESH_POLICY.recentForMs + HOUR_MS);
    await t.service.opened('U0ANNA', null);
    await t.service.opened('U0BOB', null);
    t.published.length = 0;

    // Nothing the tabs show changed.
    t.data.health.lastSyncAt = new Date(t.clock.now()).toISOString();
    await t.changed();
    expect(t.published).toEqual([]);

    // Bob votes: Anna's and Bob's tabs change (unreviewed 2 → 1); Cara's window is over.
    t.data.proposals.prop_000001!.votes = { U0BOB: 'up' };
    await t.changed();
    expect(t.published.map((p) => p.userId).sort()).toEqual(['U0ANNA', 'U0BOB']);
    // Each publish carries the hash Slack gave the previous one.
    expect(t.published.every((p) => p.hash !== undefined)).toBe(true);
    expect(t.service.recentOpeners().sort()).toEqual(['U0ANNA', 'U0BOB']);
  });

  it('Refresh publishes even when nothing changed, guarded by the hash of the tab clicked in', async () => {
    const t = setup();
    await t.service.opened('U0ANNA', null);
    expect(await t.service.refresh('U0ANNA', 'tab-clicked')).toBe('published');
    expect(t.published.map((p) => p.hash)).toEqual([undefined, 'tab-clicked']);
  });

  it('a hash conflict leaves the newer tab alone; the next change publishes again', async () => {
    const t = setup();
    await t.service.opened('U0ANNA', null);
    t.conflictNext();
    t.data.proposals.prop_000001!.votes = { U0BOB: 'up' };
    await t.changed();
    expect(t.published).toHaveLength(1);
    t.data.proposals.prop_000002!.votes = { U0BOB: 'up' };
    await t.changed();
    expect(t.published).toHaveLength(2);
    // The hash we held was refused: the publish goes without one rather than with a stale one.
    expect(t.published[1]?.hash).toBeUndefined();
  });

  it('asks Slack for each card’s permalink once; one it could not get is asked again at the next render', async () => {
    const t = setup();
    const secondTs = t.data.proposals.prop_000002!.card!.ts!;
    const firstTs = t.data.proposals.prop_000001!.card!.ts!;
    t.failPermalinks.add(firstTs);
    await t.service.opened('U0ANNA', null);
    // The job's "Review next" button points at the oldest card not voted on: #1, unknown for now → no button.
    expect(JSON.stringify(t.published[0]?.view.blocks)).not.toContain('home_open_card');
    t.failPermalinks.clear();
    t.data.proposals.prop_000001!.votes = { U0ANNA: 'up' };
    await t.changed();
    t.data.proposals.prop_000001!.votes = {};
    await t.changed();
    expect(JSON.stringify(t.published.at(-1)?.view.blocks)).toContain(`p${firstTs.replace('.', '')}`);
    // Back to #2: its link is remembered.
    t.data.proposals.prop_000001!.votes = { U0ANNA: 'down' };
    await t.changed();
    expect(JSON.stringify(t.published.at(-1)?.view.blocks)).toContain(`p${secondTs.replace('.', '')}`);
    expect(t.permalinks.filter((ts) => ts === firstTs)).toHaveLength(2);
    expect(t.permalinks.filter((ts) => ts === secondTs)).toHaveLength(1);
  });

  it('a burst of changes is one re-render per recent opener; changes that go on are re-rendered once per round', async () => {
    const t = setup();
    await t.service.opened('U0ANNA', null);
    await t.service.opened('U0BOB', null);
    const rendersBefore = t.service.renders;
    // A sync posting cards: a hundred store changes within a second, each altering what the tabs show.
    for (let i = 0; i < 100; i += 1) {
      t.data.health.lastSyncAt = new Date(t.clock.now()).toISOString();
      t.data.proposals.prop_000001!.votes = i % 2 === 0 ? { U0BOB: 'up' } : {};
      t.service.changed();
      await t.clock.advance(10);
    }
    await t.clock.advance(HOME_REFRESH_POLICY.refreshEveryMs);
    await t.scheduler.idle();
    // The first change is rendered at once (a lone vote shows without delay), the rest in the next round.
    expect(t.service.renders - rendersBefore).toBe(2 * 2);
    // The tabs show the last state: opening them again, with the hash of their last publish, publishes nothing.
    for (const userId of ['U0ANNA', 'U0BOB']) {
      const last = t.published.findLastIndex((p) => p.userId === userId);
      expect(await t.service.opened(userId, `h${last + 1}`)).toBe('unchanged');
    }

    // Ten seconds of changes, one every 100 ms: one round per refreshEveryMs at most.
    const rendersMid = t.service.renders;
    for (let i = 0; i < 100; i += 1) {
      t.data.health.lastSyncAt = new Date(t.clock.now()).toISOString();
      t.service.changed();
      await t.clock.advance(100);
    }
    await t.clock.advance(HOME_REFRESH_POLICY.refreshEveryMs);
    await t.scheduler.idle();
    const rounds = (t.service.renders - rendersMid) / 2;
    expect(rounds).toBeGreaterThanOrEqual(5);
    expect(rounds).toBeLessThanOrEqual(10_000 / HOME_REFRESH_POLICY.refreshEveryMs + 1);
  });

  it('rounds whose renders take long push the next round back; opening or Refresh still publishes at once', async () => {
    // Any render time at all, at this share, is worth hours of waiting.
    const t = setup(storeData(), { ...HOME_REFRESH_POLICY, maxRenderShare: 1e-9 });
    await t.service.opened('U0ANNA', null);
    t.data.proposals.prop_000001!.votes = { U0BOB: 'up' };
    await t.changed();
    expect(t.published).toHaveLength(2);
    t.data.proposals.prop_000002!.votes = { U0BOB: 'up' };
    await t.changed();
    await t.clock.advance(60_000);
    await t.scheduler.idle();
    expect(t.published).toHaveLength(2);
    expect(t.service.roundWaiting).toBe(true);
    expect(await t.service.refresh('U0ANNA', 'h2')).toBe('published');
    expect(t.published).toHaveLength(3);
  });
});
