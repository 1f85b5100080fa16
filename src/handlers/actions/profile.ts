import type { App, BlockButtonAction } from '@slack/bolt';
import { describeError } from '../../api/errors.js';
import { CARD_ACTIONS } from '../../blocks/card.js';
import { profileView } from '../../blocks/profile.js';
import { errorView, loadingView } from '../../blocks/transcript.js';
import { openThenFill, webClientModalPort } from '../../services/modal-port.js';
import { loadProposalProfile, reviewDeps } from '../../services/review.js';
import type { BotContext } from '../context.js';

const TITLE = 'Trainer profile';

/** Profile on a card: the candidate's masked public profile in a modal (loading view first). Open to all. */
export function registerProfileAction(app: App, ctx: BotContext): void {
  const modals = webClientModalPort(app.client);
  app.action<BlockButtonAction>(CARD_ACTIONS.profile, async ({ ack, body, action }) => {
    await ack();
    const proposalId = action.value ?? '';
    await ctx.track(() =>
      openThenFill(modals, {
        triggerId: body.trigger_id,
        loading: loadingView(TITLE),
        fill: async () => {
          const loaded = await loadProposalProfile(reviewDeps(ctx), proposalId);
          return loaded.ok ? profileView(loaded.value) : errorView(TITLE, loaded.message);
        },
        fallback: (error) => errorView(TITLE, describeError(error)),
        onOpenFailed: () => tellModalFailed(ctx, body, 'the profile'),
        logger: ctx.logger,
        label: 'profile',
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
