import type { BotContext } from '../context.js';
import type { ButtonArgs } from '../listener.js';

/** Refresh on the Home tab: publishes that person's tab (only theirs) now, guarded by the hash of the tab clicked. */
export function homeRefreshClicked(ctx: BotContext) {
  return async ({ ack, body }: ButtonArgs): Promise<void> => {
    await ack();
    const hash = body.view?.hash;
    await ctx.track(() => ctx.home.refresh(body.user.id, typeof hash === 'string' ? hash : null), {
      label: 'home_refresh click',
    });
  };
}
