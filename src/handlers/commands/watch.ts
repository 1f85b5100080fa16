import { channelProblemText } from '../../services/channel-access.js';
import { type CommandArgs, ephemeral, findJob } from './shared.js';

/** `/hiring watch <job> [#channel]`: route a job's new cards to a channel (default: this one). */
export async function watchCommand({
  command,
  respond,
  parsed,
  ctx,
}: CommandArgs<{ job: string; channelId?: string }>): Promise<void> {
  const job = await findJob(ctx, respond, parsed.job);
  if (!job) return;
  const channelId = parsed.channelId ?? command.channel_id;
  ctx.store.jobs.watch(job.id, channelId);
  await ctx.store.flush();
  // The bot joins a public channel here; a private one needs an invite first, which the person can do right away.
  const readable = await ctx.access.ensureReadable(channelId).catch(() => true);
  const problem = readable ? null : ctx.access.problemOf(channelId);
  const watching = `:eyes: Watching *${job.title}*: new proposals will be posted in <#${channelId}>.`;
  await respond(
    ephemeral({ text: problem ? `${watching}\n:warning: ${channelProblemText(channelId, problem)}` : watching }),
  );
}

/** `/hiring unwatch <job>`: stop posting a job's cards. */
export async function unwatchCommand({ respond, parsed, ctx }: CommandArgs<{ job: string }>): Promise<void> {
  const job = await findJob(ctx, respond, parsed.job);
  if (!job) return;
  ctx.store.jobs.unwatch(job.id);
  await ctx.store.flush();
  await respond(
    ephemeral({ text: `:see_no_evil: Stopped watching *${job.title}*. Existing cards stay where they are.` }),
  );
}
