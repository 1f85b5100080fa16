import type { BotContext } from './handlers/context.js';
import type { Logger } from './logger.js';
import { type GuardedTask, runGuarded } from './services/background.js';

export interface FollowUps {
  /** `ctx.track`: runs a Slack request's follow-up work after its ack (docs/architecture.md#ack-first). */
  track: BotContext['track'];
  /** Follow-up work started and not finished yet. */
  readonly tracked: ReadonlySet<Promise<unknown>>;
}

/**
 * Follow-up work starts one piece per event-loop turn, after pending I/O: under a burst of clicks every request that
 * has arrived is acknowledged before more OpenTrain work is started. Each piece runs guarded: nothing it throws escapes.
 */
export function followUps(logger: Logger): FollowUps {
  const starts: (() => void)[] = [];
  const startNext = () => {
    const start = starts.shift();
    if (starts.length > 0) setImmediate(startNext);
    start?.();
  };
  const tracked = new Set<Promise<unknown>>();
  const track = <T>(work: () => Promise<T>, task: Partial<GuardedTask> = {}): Promise<T | undefined> => {
    // runGuarded catches a synchronous throw from `work` too: thrown inside setImmediate it would end the process.
    const guarded = new Promise<T | undefined>((resolve) => {
      starts.push(() => {
        void runGuarded(
          logger,
          { label: task.label ?? 'follow-up work of a Slack request', tell: task.tell },
          work,
        ).then(resolve);
      });
      if (starts.length === 1) setImmediate(startNext);
    });
    tracked.add(guarded);
    void guarded.finally(() => tracked.delete(guarded));
    return guarded;
  };
  return { track, tracked };
}
