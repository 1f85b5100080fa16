import {
  CARD_ACTIONS,
  HIRE_CALLBACK_ID,
  HIRE_NOT_A_FIT_CALLBACK_ID,
  HIRING_COMMAND,
  HOME_ACTIONS,
  INVITE_CALLBACK_ID,
  MESSAGE_CALLBACK_IDS,
  RELAY_REPLY_ACTION,
  SEND_TO_CANDIDATE_CALLBACK,
  VOTE_ACTIONS,
} from '../blocks/ids.js';
import { LINK_ACTIONS } from './actions/links.js';

/**
 * Every id the app listens for, by kind, from the registry the blocks and listeners use (src/blocks/ids.ts). A
 * request whose id isn't here comes from something older (a card posted by a previous version) or from nobody we
 * know; the request guard (src/handlers/requests/) answers it politely instead of leaving it unacknowledged.
 */
export const LISTENED_IDS = {
  commands: new Set<string>([HIRING_COMMAND]),
  actions: new Set<string>([
    ...Object.values(CARD_ACTIONS),
    ...Object.values(VOTE_ACTIONS),
    RELAY_REPLY_ACTION,
    HOME_ACTIONS.refresh,
    ...LINK_ACTIONS,
  ]),
  views: new Set<string>([INVITE_CALLBACK_ID, ...MESSAGE_CALLBACK_IDS, HIRE_CALLBACK_ID, HIRE_NOT_A_FIT_CALLBACK_ID]),
  shortcuts: new Set<string>([SEND_TO_CANDIDATE_CALLBACK]),
} as const;

export type ListenedIds = typeof LISTENED_IDS;
