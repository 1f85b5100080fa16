// Per-channel pacing: Slack allows roughly one message per second per channel, so posts to one channel run one at
// a time, spaced by `intervalMs`, while different channels proceed independently. Tasks with the same key are
// coalesced (an update already queued for a card is not queued twice: it renders the latest state when it runs).

type Task = () => Promise<void>;

interface Lane {
  queue: { key: string; task: Task }[];
  keys: Set<string>;
  running: boolean;
  lastRunAt: number;
}

export class ChannelPacer {
  private readonly lanes = new Map<string, Lane>();
  private idleWaiters: (() => void)[] = [];
  private timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly intervalMs: number,
    private readonly onError: (error: unknown, key: string) => void,
  ) {}

  /** Queue `task` on `channel`'s lane unless a task with the same key is already waiting. */
  enqueue(channel: string, key: string, task: Task): void {
    if (this.stopped) return;
    let lane = this.lanes.get(channel);
    if (!lane) {
      lane = { queue: [], keys: new Set(), running: false, lastRunAt: 0 };
      this.lanes.set(channel, lane);
    }
    if (lane.keys.has(key)) return;
    lane.keys.add(key);
    lane.queue.push({ key, task });
    if (!lane.running) void this.drain(lane);
  }

  /** Number of tasks waiting or running. */
  get pending(): number {
    let count = 0;
    for (const lane of this.lanes.values()) count += lane.queue.length + (lane.running ? 1 : 0);
    return count;
  }

  /** Resolves when every lane is empty (tests, benchmarks and graceful shutdown use it). */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const lane of this.lanes.values()) {
      lane.queue = [];
      lane.keys.clear();
    }
    this.notifyIdle();
  }

  private async drain(lane: Lane): Promise<void> {
    lane.running = true;
    while (lane.queue.length > 0 && !this.stopped) {
      const wait = lane.lastRunAt + this.intervalMs - Date.now();
      if (wait > 0) await this.sleep(wait);
      const next = lane.queue.shift();
      if (!next) break;
      lane.keys.delete(next.key);
      lane.lastRunAt = Date.now();
      try {
        await next.task();
      } catch (error) {
        this.onError(error, next.key);
      }
    }
    lane.running = false;
    this.notifyIdle();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }

  private notifyIdle(): void {
    if (this.pending > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
