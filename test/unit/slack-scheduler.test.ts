import { describe, expect, it } from 'vitest';
import { type SchedulingPolicy, SLACK_POLICY } from '../../src/services/slack-budgets.js';
import {
  NOT_SENT,
  type ScheduledWork,
  SchedulerStoppedError,
  SlackScheduler,
} from '../../src/services/slack-scheduler.js';
import { FakeClock } from '../helpers/fake-clock.js';

function setup(policy: SchedulingPolicy = SLACK_POLICY) {
  const clock = new FakeClock();
  const scheduler = new SlackScheduler(policy, clock);
  const started: { key: string; at: number }[] = [];
  const add = (work: ScheduledWork, result: unknown = undefined) =>
    scheduler.schedule(work, async () => {
      started.push({ key: work.key, at: clock.now() });
      return result;
    });
  const startOf = (key: string) => started.find((s) => s.key === key)?.at;
  return { clock, scheduler, started, add, startOf };
}

const post = (channel: string, key: string, priority: ScheduledWork['priority'] = 'arrival'): ScheduledWork => ({
  priority,
  channel,
  key,
  call: 'post',
});
const update = (key: string, priority: ScheduledWork['priority'], channel = 'C1'): ScheduledWork => ({
  priority,
  channel,
  key,
  call: 'update',
});

describe('SlackScheduler', () => {
  it('posts to one channel one at a time, one per second, in order', async () => {
    const { clock, add, started } = setup();
    for (const key of ['a', 'b', 'c']) void add(post('C1', key));
    await clock.advanceTo(5000);
    expect(started).toEqual([
      { key: 'a', at: 0 },
      { key: 'b', at: 1000 },
      { key: 'c', at: 2000 },
    ]);
  });

  it('lets different channels post at the same moment', async () => {
    const { clock, add, started } = setup();
    for (const channel of ['C1', 'C2', 'C3']) void add(post(channel, `post:${channel}`));
    await clock.advanceTo(0);
    expect(started.map((s) => s.at)).toEqual([0, 0, 0]);
  });

  it('never makes a vote update wait behind posts in the same channel (different Slack limits)', async () => {
    const { clock, add, startOf } = setup();
    for (let i = 0; i < 5; i += 1) void add(post('C1', `post:${i}`));
    await clock.advanceTo(1500);
    void add(update('card:old', 'person'));
    await clock.advanceTo(1500);
    expect(startOf('card:old')).toBe(1500);
    await clock.advanceTo(10_000);
    expect(startOf('post:4')).toBe(4000);
  });

  it('posts a new card before thread posts a person caused that wait in the same channel', async () => {
    const { clock, add, started } = setup();
    void add(post('C1', 'thread:1', 'person'));
    void add(post('C1', 'thread:2', 'person'));
    await clock.advanceTo(100);
    void add(post('C1', 'card:new', 'arrival'));
    await clock.advanceTo(5000);
    expect(started.map((s) => [s.key, s.at])).toEqual([
      ['thread:1', 0],
      ['card:new', 1000],
      ['thread:2', 2000],
    ]);
  });

  it('keeps background refreshes out of the way of people’s updates, which never wait for a token', async () => {
    const { clock, add, startOf, started } = setup();
    for (let i = 0; i < 200; i += 1) void add(update(`bg:${i}`, 'background'));
    const clicks: number[] = [];
    for (let at = 0; at <= 300_000; at += 7_000) {
      await clock.advanceTo(at);
      const key = `vote:${at}`;
      void add(update(key, 'person'));
      await clock.advanceTo(at);
      clicks.push(startOf(key)! - at);
    }
    expect(clicks.every((delay) => delay === 0)).toBe(true);
    // Background refreshes spread out at their own budget: at most burst + 30 in any minute.
    const background = started.filter((s) => s.key.startsWith('bg:')).map((s) => s.at);
    expect(background.length).toBeGreaterThan(140);
    expect(maxInWindow(background, 60_000)).toBeLessThanOrEqual(31);
    // …and all updates together stay within chat.update's Tier 3 (~50 per minute per workspace).
    expect(
      maxInWindow(
        started.map((s) => s.at),
        60_000,
      ),
    ).toBeLessThanOrEqual(50);
  });

  it('leaves update tokens for people: clicks at 40 a minute never wait, however many refreshes are queued', async () => {
    const { clock, add, startOf, started } = setup();
    for (let i = 0; i < 500; i += 1) void add(update(`bg:${i}`, 'background'));
    const delays: number[] = [];
    for (let at = 0; at <= 600_000; at += 1500) {
      await clock.advanceTo(at);
      void add(update(`vote:${at}`, 'person'));
      await clock.advanceTo(at);
      delays.push(startOf(`vote:${at}`)! - at);
    }
    expect(Math.max(...delays)).toBe(0);
    // The refreshes still move, with what the clicks leave over.
    expect(started.filter((s) => s.key.startsWith('bg:')).length).toBeGreaterThan(40);
    expect(
      maxInWindow(
        started.map((s) => s.at),
        60_000,
      ),
    ).toBeLessThanOrEqual(50);
  });

  it('lets a person-caused update go first when both wait for the update budget', async () => {
    const tight: SchedulingPolicy = {
      ...SLACK_POLICY,
      budgets: {
        ...SLACK_POLICY.budgets,
        update: { method: 'chat.update', scope: 'workspace', perMinute: 60, burst: 1 },
      },
    };
    const { clock, add, started } = setup(tight);
    void add(update('bg:1', 'background'));
    void add(update('bg:2', 'background'));
    void add(update('vote:1', 'person'));
    await clock.advanceTo(500);
    void add(update('vote:2', 'person'));
    await clock.advanceTo(10_000);
    expect(started.map((s) => [s.key, s.at])).toEqual([
      ['vote:1', 0],
      ['vote:2', 1000],
      ['bg:1', 2000],
      ['bg:2', 4000], // the background budget: 30 per minute
    ]);
  });

  it('coalesces a refresh already queued, and promotes it when a person asks for the same card', async () => {
    const { clock, scheduler, started } = setup({
      ...SLACK_POLICY,
      budgets: { ...SLACK_POLICY.budgets, update: { ...SLACK_POLICY.budgets.update, burst: 1 } },
    });
    let runs = 0;
    const refresh = async () => {
      runs += 1;
      started.push({ key: 'card:p1', at: 0 });
    };
    void scheduler.schedule(update('card:p0', 'person'), async () => {});
    const waits = [
      scheduler.schedule(update('card:p1', 'background'), refresh),
      scheduler.schedule(update('card:p1', 'background'), refresh),
      scheduler.schedule(update('card:p2', 'background'), async () => {}),
    ];
    await clock.advanceTo(0);
    expect(scheduler.isQueued('card:p1')).toBe(true);
    waits.push(scheduler.schedule(update('card:p1', 'person'), refresh));
    // Promoted: it takes the next update token (1.33 s later), ahead of card:p2.
    await clock.advanceTo(1400);
    expect(runs).toBe(1);
    expect(scheduler.isQueued('card:p2')).toBe(true);
    await clock.advanceTo(10_000);
    await Promise.all(waits);
    expect(runs).toBe(1);
  });

  it('runs one key at a time: a refresh asked for while the card is being updated runs after it', async () => {
    const { clock, scheduler } = setup();
    const log: string[] = [];
    let release!: () => void;
    void scheduler.schedule(update('card:p1', 'person'), async () => {
      log.push('first start');
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      log.push('first end');
    });
    await clock.advanceTo(0);
    void scheduler.schedule(update('card:p1', 'person'), async () => {
      log.push('second');
    });
    await clock.advanceTo(5000);
    expect(log).toEqual(['first start']);
    release();
    await clock.advanceTo(5000);
    expect(log).toEqual(['first start', 'first end', 'second']);
  });

  it('gives the tokens back when a task had nothing to send', async () => {
    const { clock, add, startOf } = setup();
    for (let i = 0; i < 10; i += 1) void add(update(`same:${i}`, 'background'), NOT_SENT);
    void add(update('changed', 'background'));
    await clock.advanceTo(0);
    expect(startOf('changed')).toBe(0);
  });

  it('reports a failing task (thrown synchronously too) to its caller and keeps going', async () => {
    const { clock, scheduler, add, startOf } = setup();
    const failed = scheduler
      .schedule(post('C1', 'boom'), () => {
        throw new Error('boom');
      })
      .then(
        () => 'resolved',
        (error: Error) => `rejected: ${error.message}`,
      );
    void add(post('C1', 'after'));
    await clock.advanceTo(2000);
    expect(await failed).toBe('rejected: boom');
    expect(startOf('after')).toBe(1000);
    expect(scheduler.pending).toBe(0);
  });

  it('on stop drops what waits (its callers are told) and resolves idle()', async () => {
    const { clock, scheduler, add } = setup();
    void add(post('C1', 'first'));
    const waiting = add(post('C1', 'second'));
    await clock.advanceTo(0);
    scheduler.stop();
    await expect(waiting).rejects.toBeInstanceOf(SchedulerStoppedError);
    await scheduler.idle();
    expect(scheduler.pending).toBe(0);
  });
});

function maxInWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end += 1) {
    while (sorted[end]! - sorted[start]! >= windowMs) start += 1;
    best = Math.max(best, end - start + 1);
  }
  return best;
}
