import type { App, BlockButtonAction, BlockPlainTextInputAction } from '@slack/bolt';
import { ASK_INPUT_ACTION } from '../../blocks/ask.js';
import {
  ASK_BLOCKS,
  ASK_FINALISTS_ACTION,
  CARD_ACTIONS,
  HOME_ACTIONS,
  RELAY_REPLY_ACTION,
  VOTE_KIND_BY_ACTION,
} from '../../blocks/ids.js';
import type { BotContext } from '../context.js';
import { askClicked, askTyped } from './ask.js';
import { messageClicked, replyClicked } from './conversation.js';
import { hireClicked } from './hire.js';
import { homeRefreshClicked } from './home.js';
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
  app.action<BlockButtonAction>(ASK_FINALISTS_ACTION, askClicked(ctx));
  for (const blockId of [ASK_BLOCKS.first, ASK_BLOCKS.second]) {
    app.action<BlockPlainTextInputAction>({ block_id: blockId, action_id: ASK_INPUT_ACTION }, askTyped(ctx));
  }
  app.action<BlockButtonAction>(HOME_ACTIONS.refresh, homeRefreshClicked(ctx));
  for (const actionId of LINK_ACTIONS) app.action<BlockButtonAction>(actionId, linkClicked);
}
