import { jobsMessage, watchingMessage } from '../../blocks/help.js';
import { channelFor, isWatched } from '../../services/jobs.js';
import type { StoredJob } from '../../store/index.js';
import type { BotContext } from '../context.js';
import { type CommandArgs, ephemeral, knownJobs } from './shared.js';

function rowsFor(ctx: BotContext, jobs: StoredJob[], counts: Map<string, { total: number; unreviewed: number }>) {
  return jobs.map((job) => ({
    id: job.id,
    title: job.title,
    status: job.status,
    total: counts.get(job.id)?.total ?? 0,
    unreviewed: counts.get(job.id)?.unreviewed ?? 0,
    channelId: channelFor(job, ctx.rules),
    watched: isWatched(job, ctx.rules),
  }));
}

/** `/hiring jobs`: your jobs with status, total/unreviewed counts and where their cards go. */
export async function jobsCommand({ respond, ctx }: CommandArgs<unknown>): Promise<void> {
  const { jobs, counts, warning } = await knownJobs(ctx);
  const message = jobsMessage(rowsFor(ctx, jobs, counts));
  await respond(ephemeral(warning ? { ...message, text: `${warning}\n${message.text}` } : message));
}

/** `/hiring watching`: the watched jobs and their channels. */
export async function watchingCommand({ respond, ctx }: CommandArgs<unknown>): Promise<void> {
  const jobs = Object.values(ctx.store.data.jobs).filter((job) => isWatched(job, ctx.rules));
  await respond(ephemeral(watchingMessage(rowsFor(ctx, jobs, new Map()))));
}
