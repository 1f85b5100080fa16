import { CARD_ACTIONS, VOTE_ACTIONS } from '../blocks/card.js';
import { INVITE_CALLBACK_ID, MESSAGE_CALLBACK_IDS } from '../blocks/modals.js';
import { RELAY_REPLY_ACTION } from '../blocks/relay.js';
import { LINK_ACTIONS } from './actions/links.js';
import { SEND_TO_CANDIDATE_CALLBACK } from './shortcuts/send-to-candidate.js';

/**
 * Every id the app listens for, by kind, from the constants the blocks and listeners use. A request whose id isn't
 * here comes from something older (a card posted by a previous version) or from nobody we know; the request guard
 * (src/handlers/requests/) answers it politely instead of leaving it unacknowledged.
 */
export const LISTENED_IDS = {
  commands: new Set<string>(['/hiring']),
  actions: new Set<string>([
    ...Object.values(CARD_ACTIONS),
    ...Object.values(VOTE_ACTIONS),
    RELAY_REPLY_ACTION,
    ...LINK_ACTIONS,
  ]),
  views: new Set<string>([INVITE_CALLBACK_ID, ...MESSAGE_CALLBACK_IDS]),
  shortcuts: new Set<string>([SEND_TO_CANDIDATE_CALLBACK]),
} as const;

export type ListenedIds = typeof LISTENED_IDS;
