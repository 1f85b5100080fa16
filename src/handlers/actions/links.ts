import type { App } from '@slack/bolt';
import { PROFILE_OPEN_ACTION } from '../../blocks/profile.js';

/** Buttons with a `url`: Slack opens the link itself but still sends the click, which wants nothing but an ack. */
export const LINK_ACTIONS = [PROFILE_OPEN_ACTION] as const;

export function registerLinkActions(app: App): void {
  for (const actionId of LINK_ACTIONS) {
    app.action(actionId, async ({ ack }) => {
      await ack();
    });
  }
}
