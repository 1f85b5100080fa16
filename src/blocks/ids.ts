import type { VoteKind } from '../domain.js';

// Every id Slack sends back to the app, in one place: the action ids on buttons and inputs, the modals' callback ids
// and block ids, the shortcut's callback id, the slash command, and the metadata event type that marks a proposal
// card. Blocks put them on what they render; listeners (src/handlers/) subscribe to them; src/handlers/ids.ts lists
// which ones the app listens for.

export const HIRING_COMMAND = '/hiring';

/** The buttons on a proposal card that open something. */
export const CARD_ACTIONS = {
  transcript: 'card_transcript',
  profile: 'card_profile',
  invite: 'card_invite',
  message: 'card_message',
  /** Opens the Hire… modal; also on the shortlist (value: the proposal id). */
  hire: 'card_hire',
} as const;

/** The vote buttons on a card, by vote. */
export const VOTE_ACTIONS: Readonly<Record<VoteKind, string>> = {
  up: 'vote_up',
  down: 'vote_down',
  maybe: 'vote_maybe',
};

/** The vote a vote button's action id stands for (the inverse of VOTE_ACTIONS). */
export const VOTE_KIND_BY_ACTION: ReadonlyMap<string, VoteKind> = new Map(
  (Object.entries(VOTE_ACTIONS) as [VoteKind, string][]).map(([kind, actionId]) => [actionId, kind]),
);

/** The Reply button under each relayed candidate message. */
export const RELAY_REPLY_ACTION = 'relay_reply';

/** The "Open on OpenTrain" link button in the profile modal. */
export const PROFILE_OPEN_ACTION = 'profile_open';

/** The invite form: its callback id, and the block and action id of its job select. */
export const INVITE_CALLBACK_ID = 'invite_submit';
export const INVITE_JOB_BLOCK = 'job';
export const INVITE_JOB_ACTION = 'job_select';

/** The message composer: the first message (card's Message button) and replies (the Reply button). */
export const MESSAGE_CALLBACK_IDS = ['message_submit', 'reply_submit'] as const;
export type MessageCallbackId = (typeof MESSAGE_CALLBACK_IDS)[number];
/** The composer's text input: its block and action id. */
export const MESSAGE_BLOCK = 'message';
export const MESSAGE_ACTION = 'text';

/** The hire form (first milestone): its callback id and its inputs' block ids (each input's action id is `value`). */
export const HIRE_CALLBACK_ID = 'hire_submit';
export const HIRE_BLOCKS = { name: 'hire_name', amount: 'hire_amount', dueDate: 'hire_due' } as const;
/** The confirmation asked before hiring a proposal marked Not a fit (the modal's second step). */
export const HIRE_NOT_A_FIT_CALLBACK_ID = 'hire_not_a_fit_confirm';

/** "Ask finalists…" on the digest and on `/hiring proposals` answers (value: the job id). */
export const ASK_FINALISTS_ACTION = 'ask_finalists';
/** The ask form: callback id, the finalists' multi-select and the two question inputs (action id `value`). */
export const ASK_CALLBACK_ID = 'ask_submit';
export const ASK_BLOCKS = { finalists: 'ask_finalists', first: 'ask_q1', second: 'ask_q2' } as const;

/**
 * The App Home tab's buttons: links to a card (or, for reviewers, to a pending hire approval on OpenTrain) whose
 * clicks only want an ack, and Refresh, which re-publishes the tab at once (value: nothing).
 */
export const HOME_ACTIONS = {
  openCard: 'home_open_card',
  openApproval: 'home_open_approval',
  refresh: 'home_refresh',
} as const;

/** The message shortcut "Send to candidate". */
export const SEND_TO_CANDIDATE_CALLBACK = 'send_to_candidate';

/** The message metadata event type that marks a proposal card (how cards are found again in channel history). */
export const CARD_EVENT_TYPE = 'opentrain_proposal';
/** The message metadata event type that marks a post-hire notice in a card's thread (found again after a crash). */
export const NOTICE_EVENT_TYPE = 'opentrain_notice';
/** The message metadata event type that marks a shortlist message (found again in history, updated in place). */
export const SHORTLIST_EVENT_TYPE = 'opentrain_shortlist';
