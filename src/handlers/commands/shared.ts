import type { RespondArguments, RespondFn, SlashCommand } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { describeError } from '../../api/index.js';
import { own } from '../../records.js';
import { refreshJobs } from '../../services/jobs.js';
import type { StoredJob } from '../../store/index.js';
import type { BotContext } from '../context.js';
import { resolveJob } from './references.js';

export interface CommandArgs<P> {
  command: SlashCommand;
  /** For modals (`/hiring ask`): the trigger in `command` works for 3 seconds. */
  client: WebClient;
  respond: RespondFn;
  parsed: P;
  ctx: BotContext;
}

/** Every command reply is ephemeral: only the person who asked sees it. */
export function ephemeral(message: { text: string; blocks?: unknown[] }): RespondArguments {
  return {
    response_type: 'ephemeral',
    text: message.text,
    ...(message.blocks ? { blocks: message.blocks as never } : {}),
  };
}

/**
 * The jobs the account owns, refreshed from OpenTrain when it answers, else what the store last saw; `counts` holds
 * the live proposal counts (empty when OpenTrain didn't answer).
 */
export async function knownJobs(ctx: BotContext): Promise<{
  jobs: StoredJob[];
  counts: Map<string, { total: number; unreviewed: number }>;
  warning: string | null;
}> {
  const counts = new Map<string, { total: number; unreviewed: number }>();
  try {
    for (const job of await refreshJobs(ctx.openTrain, ctx.store, ctx.rules)) {
      if (job.proposalCounts) counts.set(job.id, job.proposalCounts);
    }
    return { jobs: Object.values(ctx.store.data.jobs), counts, warning: null };
  } catch (error) {
    const jobs = Object.values(ctx.store.data.jobs);
    return {
      jobs,
      counts,
      warning: `Couldn't refresh jobs from OpenTrain (${describeError(error)}); using the last known list.`,
    };
  }
}

/**
 * Resolves a job argument (id, URL, or unique part of the title) or answers with why not. `storeFirst`: a job the
 * store names unambiguously is taken as is, without asking OpenTrain (for commands that only read what the bot
 * tracks, so a slow OpenTrain doesn't keep the person waiting); otherwise the job list is refreshed first.
 */
export async function findJob(
  ctx: BotContext,
  respond: RespondFn,
  arg: string,
  options: { storeFirst?: boolean } = {},
): Promise<StoredJob | null> {
  if (options.storeFirst) {
    const known = resolveJob(arg, Object.values(ctx.store.data.jobs));
    if (known.ok) return own(ctx.store.data.jobs, known.job.id) ?? null;
  }
  const { jobs, warning } = await knownJobs(ctx);
  const found = resolveJob(arg, jobs);
  if (found.ok) return own(ctx.store.data.jobs, found.job.id) ?? null;
  await respond(ephemeral({ text: warning ? `${found.message}\n${warning}` : found.message }));
  return null;
}
