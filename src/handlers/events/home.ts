import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { BotContext } from '../context.js';

type HomeOpenedArgs = SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs;

/**
 * Someone opened the app's Home: on the Home tab (not the Messages tab), their overview is published, unless it is
 * what the tab already shows (docs/slack.md#app-home). Bolt acks the event before this runs.
 */
export function homeOpened(ctx: BotContext) {
  return async ({ event }: HomeOpenedArgs): Promise<void> => {
    if (event.tab !== 'home') return;
    // The event's view is the tab as published (Slack adds id, hash…), which the View type doesn't declare.
    const shown: unknown = event.view;
    const hash = typeof shown === 'object' && shown !== null && 'hash' in shown ? shown.hash : null;
    await ctx.track(() => ctx.home.opened(event.user, typeof hash === 'string' ? hash : null), {
      label: 'app_home_opened',
    });
  };
}
