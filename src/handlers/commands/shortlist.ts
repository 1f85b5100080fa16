import { noFinalistsText } from '../../blocks/ask.js';
import { escapeMrkdwn, plural } from '../../blocks/format.js';
import { ASK_POLICY } from '../../services/ask-plan.js';
import { channelFor } from '../../services/jobs.js';
import { type CommandArgs, ephemeral, findJob } from './shared.js';

/**
 * `/hiring shortlist <job> [top N] [here]`: the finalists with their evidence, posted in the job's channel and kept up
 * to date there; with `here`, shown only to the person who asked (and not kept up to date).
 */
export async function shortlistCommand({
  command,
  respond,
  parsed,
  ctx,
}: CommandArgs<{ job: string; top?: number; here?: boolean }>): Promise<void> {
  // Only tracked proposals can be shortlisted, so the store knows the job: OpenTrain isn't asked unless it doesn't.
  const job = await findJob(ctx, respond, parsed.job, { storeFirst: true });
  if (!job) return;
  const title = escapeMrkdwn(job.title);
  const topN = parsed.top ?? ASK_POLICY.defaultTop;
  if (ctx.shortlists.finalists(job.id, topN).length === 0) {
    await respond(ephemeral({ text: noFinalistsText(job.title) }));
    return;
  }
  if (parsed.here) {
    await respond(ephemeral(await ctx.shortlists.preview(job, topN, command.user_id)));
    return;
  }
  const channel = channelFor(job, ctx.rules);
  if (!channel) {
    await respond(
      ephemeral({
        text: `*${title}* has no channel yet: \`/hiring watch\` it in one, or add \`here\` to see the shortlist yourself.`,
      }),
    );
    return;
  }
  const outcome = await ctx.shortlists.post({ job, channel, topN, requestedBy: command.user_id });
  if (outcome.ok) {
    const posted = `Posted the shortlist of *${title}* (${plural(outcome.shown, 'finalist')}) in <#${channel}>; it follows answers, votes and hires.`;
    await respond(ephemeral({ text: posted }));
    return;
  }
  const meanwhile = outcome.channelProblem ? ' Meanwhile, add `here` to see the shortlist yourself.' : '';
  await respond(ephemeral({ text: `:warning: ${outcome.message}${meanwhile}` }));
}
