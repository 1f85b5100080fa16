import type { App, BlockButtonAction } from '@slack/bolt';
import { CARD_ACTIONS, RELAY_REPLY_ACTION, VOTE_KIND_BY_ACTION } from '../../blocks/ids.js';
import type { BotContext } from '../context.js';
import { messageClicked, replyClicked } from './conversation.js';
import { hireClicked } from './hire.js';
import { inviteClicked } from './invite.js';
import { LINK_ACTIONS, linkClicked } from './links.js';
import { profileClicked } from './profile.js';
import { transcriptClicked } from './transcript.js';
import { voteClicked } from './votes.js';

export function registerActions(app: App, ctx: BotContext): void {
  for (const [actionId, kind] of VOTE_KIND_BY_ACTION) app.action<BlockButtonAction>(actionId, voteClicked(ctx, kind));
  app.action<BlockButtonAction>(CARD_ACTIONS.transcript, transcriptClicked(ctx));
  app.action<BlockButtonAction>(CARD_ACTIONS.profile, profileClicked(ctx));
  app.action<BlockButtonAction>(CARD_ACTIONS.invite, inviteClicked(ctx));
  app.action<BlockButtonAction>(CARD_ACTIONS.message, messageClicked(ctx));
  app.action<BlockButtonAction>(CARD_ACTIONS.hire, hireClicked(ctx));
  app.action<BlockButtonAction>(RELAY_REPLY_ACTION, replyClicked(ctx));
  for (const actionId of LINK_ACTIONS) app.action<BlockButtonAction>(actionId, linkClicked);
}
