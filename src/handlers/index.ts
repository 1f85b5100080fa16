import type { App } from '@slack/bolt';
import { registerActions } from './actions/index.js';
import { registerCommands } from './commands/index.js';
import type { BotContext } from './context.js';
import { registerEvents } from './events/index.js';
import { registerShortcuts } from './shortcuts/index.js';
import { registerViews } from './views/index.js';

/** Registers every listener, grouped by kind like Slack's bolt-ts-starter-template. */
export function registerHandlers(app: App, ctx: BotContext): void {
  registerCommands(app, ctx);
  registerActions(app, ctx);
  registerViews(app, ctx);
  registerShortcuts(app, ctx);
  registerEvents(app, ctx);
}
