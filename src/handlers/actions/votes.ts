import type { App, BlockButtonAction } from '@slack/bolt';
import type { VoteKind } from '../../domain.js';
import { toggleVote } from '../../services/votes.js';
import type { BotContext } from '../context.js';

const VOTE_ACTIONS: Record<string, VoteKind> = { vote_up: 'up', vote_down: 'down', vote_maybe: 'maybe' };

/** 👍 / 👎 / 🤔: anyone in the channel may vote; one vote each; clicking your vote again removes it. */
export function registerVoteActions(app: App, ctx: BotContext): void {
  for (const [actionId, kind] of Object.entries(VOTE_ACTIONS)) {
    app.action<BlockButtonAction>(actionId, async ({ ack, body, action }) => {
      await ack();
      const proposalId = action.value ?? '';
      if (!ctx.store.data.proposals[proposalId]) {
        ctx.logger.warn(`vote for unknown proposal ${proposalId}`);
        return;
      }
      toggleVote(ctx.store, proposalId, body.user.id, kind);
      await ctx.track(() => ctx.cards.requestUpdate(proposalId));
    });
  }
}
