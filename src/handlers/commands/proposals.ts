import { proposalsMessage } from '../../blocks/help.js';
import { fitMessage } from '../../blocks/limits.js';
import { rankedProposals } from '../../services/proposal-list.js';
import { MAX_TOP } from './parse.js';
import { type CommandArgs, ephemeral, findJob } from './shared.js';

/** `/hiring proposals <job> [status] [top N]`: the job's proposals ranked by composite score, linked to their cards. */
export async function proposalsCommand({
  respond,
  parsed,
  ctx,
}: CommandArgs<{ job: string; status?: string; top?: number }>): Promise<void> {
  const job = await findJob(ctx, respond, parsed.job);
  if (!job) return;
  const listing = await rankedProposals({ client: ctx.openTrain, store: ctx.store, slack: ctx.slack }, job.id, {
    ...(parsed.status ? { status: parsed.status } : {}),
    ...(parsed.top !== undefined ? { top: parsed.top } : {}),
  });
  const message = proposalsMessage({ jobTitle: job.title, jobId: job.id, rows: listing.rows });
  if (listing.rows.length < listing.total) {
    // Say that the list is cut and how to see more.
    message.blocks.push({
      type: 'context',
      block_id: 'proposals_more',
      elements: [
        {
          type: 'mrkdwn',
          text: `Showing the top ${listing.rows.length} of ${listing.total}. Add \`top N\` for more (up to ${MAX_TOP}).`,
        },
      ],
    });
  }
  await respond(ephemeral(fitMessage(message)));
}
