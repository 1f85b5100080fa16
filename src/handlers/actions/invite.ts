import type { App, BlockButtonAction } from '@slack/bolt';
import { describeError } from '../../api/errors.js';
import { CARD_ACTIONS } from '../../blocks/card.js';
import { errorView, loadingView } from '../../blocks/transcript.js';
import { inviteDeps, inviteFormView, prepareInviteForm } from '../../services/invites.js';
import { openThenFill, webClientModalPort } from '../../services/modal-port.js';
import type { BotContext } from '../context.js';
import { tellModalFailed } from './card-modal.js';

const TITLE = 'Invite to job';

/** "Invite to job…" on a card: reviewers only; a loading modal at once, then the form with the other open jobs. */
export function registerInviteAction(app: App, ctx: BotContext): void {
  const modals = webClientModalPort(app.client);
  app.action<BlockButtonAction>(CARD_ACTIONS.invite, async ({ ack, body, action }) => {
    await ack();
    const channel: string | null = body.container?.channel_id ?? body.channel?.id ?? null;
    const messageTs: string | null = body.container?.message_ts ?? body.message?.ts ?? null;
    if (!ctx.reviewers.canAct(body.user.id)) {
      if (channel) {
        await ctx.track(() =>
          ctx.slack.postEphemeral({ channel, user: body.user.id, text: ctx.reviewers.refusal('invite trainers') }),
        );
      }
      return;
    }
    const proposalId = action.value ?? '';
    await ctx.track(() =>
      openThenFill(modals, {
        triggerId: body.trigger_id,
        loading: loadingView(TITLE),
        fill: async () => {
          const { metadata, jobs } = await prepareInviteForm(inviteDeps(ctx), { proposalId, channel, messageTs });
          return inviteFormView(metadata, jobs);
        },
        fallback: (error) => errorView(TITLE, describeError(error)),
        onOpenFailed: () => tellModalFailed(ctx, body, 'the invite form'),
        logger: ctx.logger,
        label: 'invite',
      }),
    );
  });
}
