import type { App } from '@slack/bolt';
import type { BotContext } from '../context.js';
import { registerInviteView } from './invite.js';
import { registerMessageViews } from './message.js';

export function registerViews(app: App, ctx: BotContext): void {
  registerInviteView(app, ctx);
  registerMessageViews(app, ctx);
}
