import type { App } from '@slack/bolt';
import type { BotContext } from '../context.js';
import { registerConversationActions } from './conversation.js';
import { registerInviteAction } from './invite.js';
import { registerLinkActions } from './links.js';
import { registerProfileAction } from './profile.js';
import { registerTranscriptAction } from './transcript.js';
import { registerVoteActions } from './votes.js';

export function registerActions(app: App, ctx: BotContext): void {
  registerVoteActions(app, ctx);
  registerTranscriptAction(app, ctx);
  registerProfileAction(app, ctx);
  registerInviteAction(app, ctx);
  registerConversationActions(app, ctx);
  registerLinkActions(app);
}
