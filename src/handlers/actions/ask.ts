import type { AllMiddlewareArgs, BlockPlainTextInputAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { ASK_INPUT_ACTION, ASK_TITLE, withPreview } from '../../blocks/ask.js';
import { ASK_BLOCKS, ASK_CALLBACK_ID } from '../../blocks/ids.js';
import { parseAskMetadata } from '../../blocks/metadata.js';
import { errorText } from '../../error-text.js';
import { own } from '../../records.js';
import { webClientModalPort } from '../../services/modal-port.js';
import { askFormView, askPreview } from '../ask-form.js';
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

/**
 * Typing a question in the form: the preview shows what each finalist will read. The update carries the view's hash,
 * so it never replaces a newer view (the "Sending…" one after Submit, or a later keystroke's preview).
 */
export function askTyped(ctx: BotContext) {
  return async ({
    ack,
    body,
    client,
  }: SlackActionMiddlewareArgs<BlockPlainTextInputAction> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const view = body.view;
    if (!view || view.callback_id !== ASK_CALLBACK_ID) return;
    const meta = parseAskMetadata(view.private_metadata);
    if (!meta) return;
    const typed = (block: string) => view.state.values[block]?.[ASK_INPUT_ACTION]?.value ?? '';
    const preview = askPreview(ctx.ask.jobTitle(meta.jobId), typed(ASK_BLOCKS.first), typed(ASK_BLOCKS.second));
    await ctx.track(
      async () => {
        try {
          await webClientModalPort(client).update(view.id, withPreview(view, preview), view.hash);
        } catch (error) {
          // Usually a newer view won (hash_conflict): nothing to do.
          ctx.logger.debug(`updating the ask preview didn't happen: ${errorText(error)}`);
        }
      },
      { label: 'ask preview' },
    );
  };
}
