import type { App, BlockButtonAction } from '@slack/bolt';
import type { VoteKind } from '../../domain.js';
import { own } from '../../records.js';
import { toggleVote } from '../../services/votes.js';
import type { BotContext } from '../context.js';
import { tellIn } from '../tell.js';

const VOTE_ACTIONS: Record<string, VoteKind> = { vote_up: 'up', vote_down: 'down', vote_maybe: 'maybe' };

/** 👍 / 👎 / 🤔: anyone in the channel may vote; one vote each; clicking your vote again removes it. */
export function registerVoteActions(app: App, ctx: BotContext): void {
  for (const [actionId, kind] of Object.entries(VOTE_ACTIONS)) {
    app.action<BlockButtonAction>(actionId, async ({ ack, body, action, respond }) => {
      await ack();
      const proposalId = action.value ?? '';
      if (!own(ctx.store.data.proposals, proposalId)) {
        ctx.logger.warn(`vote for unknown proposal ${proposalId}`);
        await ctx.track(() =>
          respond({
            response_type: 'ephemeral',
            replace_original: false,
            text: `:hourglass: This card is no longer tracked (cards older than ${ctx.config.retentionDays} days are pruned), so votes on it aren't counted.`,
          }),
        );
        return;
      }
      toggleVote(ctx.store, proposalId, body.user.id, kind);
      await ctx.track(() => ctx.cards.requestUpdate(proposalId), {
        label: `${actionId} click`,
        tell: tellIn(ctx, { channel: body.container?.channel_id ?? body.channel?.id, user: body.user.id }),
      });
    });
  }
}
