import type { App, BlockButtonAction } from '@slack/bolt';
import { describeError } from '../../api/errors.js';
import type { ModalView } from '../../blocks/limits.js';
import { errorView, loadingView } from '../../blocks/transcript.js';
import { openThenFill, webClientModalPort } from '../../services/modal-port.js';
import type { BotContext } from '../context.js';

/**
 * A card button that shows something in a modal: ack, open a "Loading…" view inside Slack's 3-second trigger
 * window, then fill it from OpenTrain (or with the error's one sentence).
 */
export function registerCardModalAction(
  app: App,
  ctx: BotContext,
  spec: {
    actionId: string;
    title: string;
    /** What the modal shows ("the transcript"), for the message when Slack refuses to open it. */
    what: string;
    load: (proposalId: string) => Promise<{ ok: true; view: ModalView } | { ok: false; message: string }>;
  },
): void {
  const modals = webClientModalPort(app.client);
  app.action<BlockButtonAction>(spec.actionId, async ({ ack, body, action }) => {
    await ack();
    const proposalId = action.value ?? '';
    await ctx.track(() =>
      openThenFill(modals, {
        triggerId: body.trigger_id,
        loading: loadingView(spec.title),
        fill: async () => {
          const loaded = await spec.load(proposalId);
          return loaded.ok ? loaded.view : errorView(spec.title, loaded.message);
        },
        fallback: (error) => errorView(spec.title, describeError(error)),
        onOpenFailed: () => tellModalFailed(ctx, body, spec.what),
        logger: ctx.logger,
        label: spec.actionId,
      }),
    );
  });
}

/** Slack refused the modal (usually an expired trigger): say so where the person clicked, instead of nothing. */
export async function tellModalFailed(ctx: BotContext, body: BlockButtonAction, what: string): Promise<void> {
  const channel = body.container?.channel_id ?? body.channel?.id;
  if (!channel) return;
  await ctx.slack.postEphemeral({
    channel,
    user: body.user.id,
    text: `:warning: Slack didn't let me open ${what} in time. Please click the button again.`,
  });
}
