import { ASK_TITLE } from '../../blocks/ask.js';
import { own } from '../../records.js';
import { askFormView } from '../ask-form.js';
import type { BotContext } from '../context.js';
import type { ButtonArgs } from '../listener.js';
import { openReadyModal } from '../modal.js';
import { tellIn } from '../tell.js';

/** "Ask finalists…" on the digest or a `/hiring proposals` answer (value: the job id): reviewers only. */
export function askClicked(ctx: BotContext) {
  return async ({ ack, body, action, client }: ButtonArgs): Promise<void> => {
    await ack();
    const channel: string | null = body.container?.channel_id ?? body.channel?.id ?? null;
    const place = { channel, user: body.user.id };
    const jobId = action.value ?? '';
    if (!ctx.reviewers.canAct(body.user.id)) {
      await ctx.track(async () => tellIn(ctx, place)?.(ctx.reviewers.refusal('ask finalists')));
      return;
    }
    if (!own(ctx.store.data.jobs, jobId)) {
      const text = "The bot doesn't know this job any more; `/hiring jobs` lists the current ones.";
      await ctx.track(async () => tellIn(ctx, place)?.(text));
      return;
    }
    // Everything the form needs is in the store: it opens ready, well inside the trigger's 3 seconds.
    await ctx.track(
      () =>
        openReadyModal(ctx, client, {
          triggerId: body.trigger_id,
          what: `the ${ASK_TITLE} form`,
          place,
          label: 'ask finalists',
          view: askFormView(ctx, { jobId, channel }),
        }),
      { label: 'Ask finalists click', tell: tellIn(ctx, place) },
    );
  };
}
