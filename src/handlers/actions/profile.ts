import type { App } from '@slack/bolt';
import { CARD_ACTIONS } from '../../blocks/card.js';
import { profileView } from '../../blocks/profile.js';
import { loadProposalProfile, reviewDeps } from '../../services/review.js';
import type { BotContext } from '../context.js';
import { registerCardModalAction } from './card-modal.js';

/** Profile on a card: the candidate's masked public profile in a modal. Open to everyone. */
export function registerProfileAction(app: App, ctx: BotContext): void {
  registerCardModalAction(app, ctx, {
    actionId: CARD_ACTIONS.profile,
    title: 'Trainer profile',
    what: 'the profile',
    load: async (proposalId) => {
      const loaded = await loadProposalProfile(reviewDeps(ctx), proposalId);
      return loaded.ok ? { ok: true, view: profileView(loaded.value) } : loaded;
    },
  });
}
