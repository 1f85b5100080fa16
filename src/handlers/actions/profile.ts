import { profileView } from '../../blocks/profile.js';
import { loadProposalProfile, reviewDeps } from '../../services/review.js';
import type { BotContext } from '../context.js';
import { cardModalClicked } from './card-modal.js';

/** Profile on a card: the candidate's masked public profile in a modal. Open to everyone. */
export function profileClicked(ctx: BotContext) {
  return cardModalClicked(ctx, {
    title: 'Trainer profile',
    what: 'the profile',
    load: async (proposalId) => {
      const loaded = await loadProposalProfile(reviewDeps(ctx), proposalId);
      return loaded.ok ? { ok: true, view: profileView(loaded.value) } : loaded;
    },
  });
}
