import type { App } from '@slack/bolt';
import type { BotContext } from '../context.js';
import { homeOpened } from './home.js';

/**
 * Plain thread chatter stays internal (docs/architecture.md#conversation-relay): the app never relays channel messages
 * on its own, so it subscribes to no message events. It publishes a person's Home tab when they open it, and notes
 * when it is uninstalled or its tokens are revoked.
 */
export function registerEvents(app: App, ctx: BotContext): void {
  app.event('app_home_opened', homeOpened(ctx));
  app.event('app_uninstalled', async () => {
    ctx.logger.warn('the app was uninstalled from the workspace');
  });
  app.event('tokens_revoked', async () => {
    ctx.logger.warn('Slack tokens were revoked: the bot can no longer post');
  });
}
