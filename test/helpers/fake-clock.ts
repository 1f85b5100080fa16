import type { SchedulerClock } from '../../src/services/slack-scheduler.js';

/** Lets pending promise work run (a few turns of the event loop). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 10; i += 1) await new Promise((resolve) => setImmediate(resolve));
}

/** Time stands still until the test advances it; timers fire in order, with pending promise work run in between. */
export class FakeClock implements SchedulerClock {
  private time = 0;
  private timers: { at: number; callback: () => void; id: number }[] = [];
  private ids = 0;

  now(): number {
    return this.time;
  }

  setTimer(callback: () => void, ms: number): unknown {
    this.ids += 1;
    this.timers.push({ at: this.time + ms, callback, id: this.ids });
    return this.ids;
  }

  clearTimer(handle: unknown): void {
    this.timers = this.timers.filter((timer) => timer.id !== handle);
  }

  /** Moves time forward by `ms`, firing each timer at its own time. */
  advance(ms: number): Promise<void> {
    return this.advanceTo(this.time + ms);
  }

  /** Moves time forward to `until`, firing each timer at its own time. */
  async advanceTo(until: number): Promise<void> {
    await settle();
    for (;;) {
      const next = this.timers.filter((timer) => timer.at <= until).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!next) break;
      this.timers = this.timers.filter((timer) => timer !== next);
      this.time = next.at;
      next.callback();
      await settle();
    }
    this.time = until;
    await settle();
  }
}
