import { inviteDeps, inviteFormView, prepareInviteForm } from '../../services/invites.js';
import type { BotContext } from '../context.js';
import type { ButtonArgs } from '../listener.js';
import { openLoadingModal } from '../modal.js';
import { clickedAt, reviewersOnly } from './clicked.js';

/** "Invite to job…" on a card: reviewers only; a loading modal at once, then the form with the other open jobs. */
export function inviteClicked(ctx: BotContext) {
  return async ({ ack, body, action, client }: ButtonArgs): Promise<void> => {
    await ack();
    if (!(await reviewersOnly(ctx, body, 'invite trainers'))) return;
    const { channel, messageTs, place } = clickedAt(body);
    const proposalId = action.value ?? '';
    await ctx.track(() =>
      openLoadingModal(ctx, client, {
        triggerId: body.trigger_id,
        title: 'Invite to job',
        what: 'the invite form',
        place,
        label: 'invite',
        fill: async () => {
          const { metadata, jobs } = await prepareInviteForm(inviteDeps(ctx), { proposalId, channel, messageTs });
          return { ok: true, view: inviteFormView(metadata, jobs) };
        },
      }),
    );
  };
}
