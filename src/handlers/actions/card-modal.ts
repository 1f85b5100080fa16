import type { BotContext } from '../context.js';
import type { ButtonArgs } from '../listener.js';
import { type ModalContent, openLoadingModal } from '../modal.js';

/**
 * A card button that shows something in a modal: ack, open a "Loading…" view inside Slack's 3-second trigger
 * window, then fill it from OpenTrain (or with the failure's one sentence).
 */
export function cardModalClicked(
  ctx: BotContext,
  spec: {
    title: string;
    /** What the modal shows ("the transcript"), for the message when Slack refuses to open it. */
    what: string;
    load: (proposalId: string) => Promise<ModalContent>;
  },
) {
  return async ({ ack, body, action, client }: ButtonArgs): Promise<void> => {
    await ack();
    const proposalId = action.value ?? '';
    await ctx.track(() =>
      openLoadingModal(ctx, client, {
        triggerId: body.trigger_id,
        title: spec.title,
        what: spec.what,
        place: { channel: body.container?.channel_id ?? body.channel?.id, user: body.user.id },
        label: action.action_id,
        fill: () => spec.load(proposalId),
      }),
    );
  };
}
