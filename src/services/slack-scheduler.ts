import {
  type Budget,
  type BudgetName,
  PRIORITIES,
  PRIORITY_RANK,
  type Priority,
  type SchedulingPolicy,
  SLACK_POLICY,
  type SlackCall,
} from './slack-budgets.js';

// The one door to Slack's posting and editing limits. Work is queued with a class (what a person is waiting for) and
// the kind of call it makes; it starts when every budget it draws from has a token and no waiting work of a higher
// class needs the same budget. Posts to one channel go one at a time, in order; work with the same key is coalesced
// (a card refresh already queued is not queued twice: it renders the latest state when it runs) and never runs twice
// at once. See docs/decisions.md#scheduling.

/** A task returns this when it found nothing to send: the tokens it took are given back. */
export const NOT_SENT = Symbol('not sent');

export class SchedulerStoppedError extends Error {
  constructor() {
    super('the Slack scheduler stopped before this ran');
  }
}

/** Time and timers, so tests drive the scheduler with a fake clock. */
export interface SchedulerClock {
  now(): number;
  setTimer(callback: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

export const systemClock: SchedulerClock = {
  now: () => Date.now(),
  setTimer: (callback, ms) => setTimeout(callback, ms),
  clearTimer: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface ScheduledWork {
  priority: Priority;
  channel: string;
  /** Same key → coalesced while queued, serialised while running (e.g. `card:<proposal id>`). */
  key: string;
  call: SlackCall;
}

interface Job extends ScheduledWork {
  run: () => Promise<unknown>;
  waiters: { resolve: (value: unknown) => void; reject: (error: unknown) => void }[];
}

/** A token bucket: `burst` tokens, refilled at `perMinute`. */
class Bucket {
  private tokens: number;
  private at: number;

  constructor(
    private readonly budget: Budget,
    now: number,
  ) {
    this.tokens = budget.burst;
    this.at = now;
  }

  private get unlimited(): boolean {
    return !Number.isFinite(this.budget.perMinute);
  }

  private refill(now: number): void {
    this.tokens = Math.min(this.budget.burst, this.tokens + ((now - this.at) * this.budget.perMinute) / 60_000);
    this.at = now;
  }

  /** Milliseconds until `need` tokens are there (0: now); asking for more than the bucket holds means one. */
  waitMs(now: number, need = 1): number {
    if (this.unlimited) return 0;
    this.refill(now);
    const wanted = Math.max(1, Math.min(need, this.budget.burst));
    if (this.tokens >= wanted - 1e-9) return 0;
    return Math.ceil(((wanted - this.tokens) * 60_000) / this.budget.perMinute);
  }

  take(now: number): void {
    if (this.unlimited) return;
    this.refill(now);
    this.tokens -= 1;
  }

  refund(now: number): void {
    if (this.unlimited) return;
    this.refill(now);
    this.tokens = Math.min(this.budget.burst, this.tokens + 1);
  }
}

export class SlackScheduler {
  private readonly queues = new Map<Priority, Job[]>(PRIORITIES.map((p) => [p, []]));
  private readonly queued = new Map<string, Job>();
  private readonly runningKeys = new Set<string>();
  private readonly postingChannels = new Set<string>();
  private readonly inFlight = new Map<Priority, number>(PRIORITIES.map((p) => [p, 0]));
  private readonly buckets = new Map<string, Bucket>();
  private idleWaiters: (() => void)[] = [];
  private timer: unknown = null;
  private timerAt = Number.POSITIVE_INFINITY;
  private pumpQueued = false;
  private stopped = false;

  constructor(
    private readonly policy: SchedulingPolicy = SLACK_POLICY,
    private readonly clock: SchedulerClock = systemClock,
  ) {}

  /**
   * Queue `run`; resolves with its result when it ran (or with the result of the queued work it was coalesced into),
   * rejects with its error, or with SchedulerStoppedError when the scheduler stopped first. Callers handle both.
   */
  schedule<T>(work: ScheduledWork, run: () => Promise<T>): Promise<T> {
    if (this.stopped) return Promise.reject(new SchedulerStoppedError());
    return new Promise<T>((resolve, reject) => {
      const waiter = { resolve: resolve as (value: unknown) => void, reject };
      const existing = this.queued.get(work.key);
      if (existing) {
        existing.waiters.push(waiter);
        if (PRIORITY_RANK[work.priority] < PRIORITY_RANK[existing.priority]) this.promote(existing, work.priority);
      } else {
        const job: Job = { ...work, run, waiters: [waiter] };
        this.queued.set(work.key, job);
        this.queues.get(work.priority)!.push(job);
      }
      this.pumpSoon();
    });
  }

  /** Work with this key is waiting to run (not counting one that is running). */
  isQueued(key: string): boolean {
    return this.queued.has(key);
  }

  /** Tasks waiting or running. */
  get pending(): number {
    return this.queued.size + this.runningKeys.size;
  }

  /** Resolves when nothing is waiting or running (tests, benchmarks and graceful shutdown use it). */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Drops what is queued (its callers get SchedulerStoppedError); what runs finishes. */
  stop(): void {
    this.stopped = true;
    if (this.timer !== null) this.clock.clearTimer(this.timer);
    this.timer = null;
    const dropped = [...this.queued.values()];
    this.queued.clear();
    for (const queue of this.queues.values()) queue.length = 0;
    for (const job of dropped) for (const waiter of job.waiters) waiter.reject(new SchedulerStoppedError());
    this.notifyIdle();
  }

  private promote(job: Job, priority: Priority): void {
    const from = this.queues.get(job.priority)!;
    from.splice(from.indexOf(job), 1);
    job.priority = priority;
    this.queues.get(priority)!.push(job);
  }

  private pumpSoon(): void {
    if (this.pumpQueued) return;
    this.pumpQueued = true;
    queueMicrotask(() => {
      this.pumpQueued = false;
      this.pump();
    });
  }

  /** Starts everything that may start now, and sets one timer for the earliest token something waits for. */
  private pump(): void {
    if (this.stopped) return;
    const now = this.clock.now();
    // Budgets a waiting job of a higher class (or an earlier one of the same class) needs: nobody after it takes them.
    const reserved = new Set<string>();
    let wakeAt = Number.POSITIVE_INFINITY;
    for (const priority of PRIORITIES) {
      const queue = this.queues.get(priority)!;
      for (let index = 0; index < queue.length; ) {
        if (this.inFlight.get(priority)! >= this.policy.maxInFlight[priority]) break;
        const job = queue[index]!;
        const draws = this.policy.draws[job.call][job.priority];
        const bucketIds = draws.map((name) => bucketId(name, this.policy.budgets[name], job));
        if (
          this.runningKeys.has(job.key) ||
          (job.call === 'post' && this.postingChannels.has(job.channel)) ||
          bucketIds.some((id) => reserved.has(id))
        ) {
          // A post waiting for its channel keeps the channel's order: later posts there see its budget reserved.
          if (job.call === 'post') for (const id of bucketIds) reserved.add(id);
          index += 1;
          continue;
        }
        const buckets = bucketIds.map((id) => this.bucket(id, now));
        const headroom = this.policy.headroom[priority];
        const wait = Math.max(0, ...buckets.map((bucket, i) => bucket.waitMs(now, 1 + (headroom[draws[i]!] ?? 0))));
        if (wait > 0) {
          for (const id of bucketIds) reserved.add(id);
          wakeAt = Math.min(wakeAt, now + wait);
          index += 1;
          continue;
        }
        for (const bucket of buckets) bucket.take(now);
        queue.splice(index, 1);
        this.queued.delete(job.key);
        this.start(job, buckets);
      }
    }
    this.wakeAt(wakeAt);
  }

  private start(job: Job, buckets: Bucket[]): void {
    this.runningKeys.add(job.key);
    if (job.call === 'post') this.postingChannels.add(job.channel);
    this.inFlight.set(job.priority, this.inFlight.get(job.priority)! + 1);
    const priority = job.priority;
    // `then(job.run)` turns a synchronous throw into a rejection as well.
    void Promise.resolve()
      .then(job.run)
      .then(
        (result) => {
          if (result === NOT_SENT) for (const bucket of buckets) bucket.refund(this.clock.now());
          for (const waiter of job.waiters) waiter.resolve(result);
        },
        // The callers log it, with what they were doing.
        (error: unknown) => {
          for (const waiter of job.waiters) waiter.reject(error);
        },
      )
      .finally(() => {
        this.runningKeys.delete(job.key);
        if (job.call === 'post') this.postingChannels.delete(job.channel);
        this.inFlight.set(priority, this.inFlight.get(priority)! - 1);
        this.pump();
        this.notifyIdle();
      });
  }

  private bucket(id: string, now: number): Bucket {
    let bucket = this.buckets.get(id);
    if (!bucket) {
      const name = id.split(':', 1)[0] as BudgetName;
      bucket = new Bucket(this.policy.budgets[name], now);
      this.buckets.set(id, bucket);
    }
    return bucket;
  }

  private wakeAt(at: number): void {
    if (at === this.timerAt) return;
    if (this.timer !== null) this.clock.clearTimer(this.timer);
    this.timer = null;
    this.timerAt = at;
    if (!Number.isFinite(at)) return;
    this.timer = this.clock.setTimer(
      () => {
        this.timer = null;
        this.timerAt = Number.POSITIVE_INFINITY;
        this.pump();
      },
      Math.max(0, at - this.clock.now()),
    );
  }

  private notifyIdle(): void {
    if (this.pending > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

function bucketId(name: BudgetName, budget: Budget, work: ScheduledWork): string {
  return budget.scope === 'channel' ? `${name}:${work.channel}` : name;
}
