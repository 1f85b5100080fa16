import { escapeMrkdwn } from '../../blocks/format.js';
import { slackErrorCode } from '../../services/slack-port.js';
import { type CommandArgs, ephemeral } from './shared.js';

/** Slack errors that mean "I can't post in this channel", in words a person can act on. */
const POST_REFUSALS: Record<string, string> = {
  not_in_channel: "I'm not a member of this channel — add me with `/invite` and try again.",
  channel_not_found: "I can't see this channel — add me with `/invite` and try again.",
  is_archived: "This channel is archived, so I can't post here.",
  restricted_action: "This workspace doesn't let me post in this channel.",
};

/** `/hiring digest`: post the digest (docs/architecture.md#digest) for the jobs whose cards go to this channel, now. */
export async function digestCommand({ command, respond, ctx }: CommandArgs<unknown>): Promise<void> {
  let result: Awaited<ReturnType<typeof ctx.digest.postToChannel>>;
  try {
    result = await ctx.digest.postToChannel(command.channel_id);
  } catch (error) {
    const refusal = POST_REFUSALS[slackErrorCode(error) ?? ''];
    if (!refusal) throw error;
    await respond(ephemeral({ text: `:warning: ${refusal}` }));
    return;
  }
  switch (result.outcome) {
    case 'posted':
      // The digest itself is the answer; nothing else to say.
      return;
    case 'no-jobs':
      await respond(
        ephemeral({
          text:
            'No watched job posts its cards in this channel, so there is no digest for it here. ' +
            '`/hiring watch <job>` routes a job to this channel; `/hiring watching` shows where each job goes.',
        }),
      );
      return;
    case 'nothing': {
      const titles = result.jobTitles.map((title) => `*${escapeMrkdwn(title)}*`).join(', ');
      await respond(
        ephemeral({
          text:
            `Nothing to report for ${titles}: no new proposals in the last 24 h, none unreviewed, ` +
            'no candidate waiting for a reply and no split votes.',
        }),
      );
      return;
    }
  }
}
