import type { VoteKind } from '../../domain.js';
import { own } from '../../records.js';
import type { Tell } from '../../services/background.js';
import type { BotContext } from '../context.js';
import type { ButtonArgs } from '../listener.js';
import { tellIn } from '../tell.js';

/** 👍 / 👎 / 🤔: anyone in the channel may vote; one vote each; clicking your vote again removes it. */
export function voteClicked(ctx: BotContext, kind: VoteKind) {
  return async ({ ack, body, action, respond }: ButtonArgs): Promise<void> => {
    await ack();
    const actionId = action.action_id;
    const channel = body.container?.channel_id ?? body.channel?.id;
    // Ephemeral through the response_url when the click has one, else where the click happened.
    const tell: Tell | undefined =
      typeof body.response_url === 'string'
        ? (text) => respond({ response_type: 'ephemeral', replace_original: false, text })
        : tellIn(ctx, { channel, user: body.user.id });
    // The button's value names the proposal; the clicked card itself does too, should the value be unusable.
    const value: unknown = action.value;
    const messageTs: unknown = body.container?.message_ts;
    const proposalId =
      typeof value === 'string' && own(ctx.store.data.proposals, value)
        ? value
        : typeof channel === 'string' && typeof messageTs === 'string'
          ? ctx.relay.proposalForThread(channel, messageTs)
          : null;
    if (!proposalId) {
      ctx.logger.warn(`${actionId} for a proposal the bot doesn't track`);
      await ctx.track(
        async () =>
          tell?.(
            `:hourglass: This card is no longer tracked (cards older than ${ctx.config.retentionDays} days are pruned), so votes on it aren't counted.`,
          ),
        { label: `${actionId} click` },
      );
      return;
    }
    ctx.store.votes.toggle(proposalId, body.user.id, kind);
    await ctx.track(() => ctx.cards.requestUpdate(proposalId), { label: `${actionId} click`, tell });
  };
}
