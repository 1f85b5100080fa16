import { HOME_ACTIONS, PROFILE_OPEN_ACTION } from '../../blocks/ids.js';
import type { ButtonArgs } from '../listener.js';

/** Buttons with a `url`: Slack opens the link itself but still sends the click, which wants nothing but an ack. */
export const LINK_ACTIONS = [PROFILE_OPEN_ACTION, HOME_ACTIONS.openCard, HOME_ACTIONS.openApproval] as const;

export async function linkClicked({ ack }: ButtonArgs): Promise<void> {
  await ack();
}
