import type { Logger } from '../logger.js';

// Work that runs after the fact (a listener's follow-up after its ack, a timer, a cron or scheduler task) has nobody up
// the call stack to catch its failures: a synchronous throw inside a setImmediate/setTimeout callback or a rejected
// promise nobody awaits would take the whole process down. Every such piece of work runs through `runGuarded`, which
// turns throws and rejections alike into one log line with context and, when someone asked for the work, one
// sentence for them. Free of Bolt: the caller says how to tell the person.

/** Says one sentence to the person who asked for the work (an ephemeral message, a modal…). */
export type Tell = (sentence: string) => Promise<unknown>;

export interface GuardedTask {
  /** What the work is, for the log line ("/hiring jobs", "vote_up click", "sync timer"). */
  label: string;
  /** The person to tell when the work fails; absent for timers and cron tasks. */
  tell?: Tell | undefined;
}

/** The sentence a person gets when work they asked for failed in a way nobody handled more precisely. */
export const BACKGROUND_FAILURE_SENTENCE =
  ":warning: Something went wrong on my side while doing that, so it may not have happened. It's in the bot's log; " +
  'please try again in a moment.';

/**
 * Runs `work` now and never lets it throw or reject: a failure is logged once (with the label) and told to the
 * person who asked, if anyone did. Resolves to the work's result, or undefined when it failed.
 */
export async function runGuarded<T>(
  logger: Logger,
  task: GuardedTask,
  work: () => Promise<T> | T,
): Promise<T | undefined> {
  try {
    // Inside the try, so a synchronous throw from `work` itself is caught the same way as a rejection.
    return await work();
  } catch (error) {
    logger.error(`background work failed: ${task.label}`, error);
    if (task.tell) {
      try {
        await task.tell(BACKGROUND_FAILURE_SENTENCE);
      } catch (tellError) {
        logger.warn(`could not tell the person about the failure of ${task.label}`, errorText(tellError));
      }
    }
    return undefined;
  }
}

/** A callback for a timer or scheduler that must never throw into it (setTimeout, node-cron, the Slack scheduler). */
export function guarded(logger: Logger, label: string, work: () => Promise<unknown> | unknown): () => Promise<void> {
  return async () => {
    await runGuarded(logger, { label }, work);
  };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
