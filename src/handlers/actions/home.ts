import type { BotContext } from '../context.js';
import type { ButtonArgs } from '../listener.js';

/** Refresh on the Home tab: brings that person's tab up to date (only theirs). */
export function homeRefreshClicked(ctx: BotContext) {
  return async ({ ack, body }: ButtonArgs): Promise<void> => {
    await ack();
    await ctx.track(() => ctx.home.refresh(body.user.id), { label: 'home_refresh click' });
  };
}
