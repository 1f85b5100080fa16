import { CARD_EVENT_TYPE } from '../../blocks/ids.js';
import { errorView } from '../../blocks/modals.js';
import type { ListenedIds } from '../ids.js';

// What to answer a Slack request that no listener acknowledged: an id from an older version (a button on an old
// card, a form or shortcut renamed since), a malformed payload (no `actions`, an `event_callback` without `event`),
// or a listener that failed before its ack. Computed as plain data from the raw body; the request guard performs it.
// Bolt never acknowledges such requests itself, so without this Slack shows the person an error after 3 seconds.

export const UNHANDLED_SENTENCES = {
  oldCardRefreshed: 'This button is from an older version of the card; here is a fresh one.',
  oldButton: 'This button is from an older version of the bot and no longer does anything, so nothing was done.',
  noButton: 'That click reached me without its button, so nothing was done. Please click again.',
  oldForm: 'This form is from an older version of the bot, so nothing was sent. Please close it and start again.',
  oldShortcut: 'This shortcut is from an older version of the bot and no longer does anything.',
  unknownCommand: 'I only answer `/hiring` — try `/hiring help`.',
  failed:
    'Something went wrong on my side while handling that, so it may not have happened. ' +
    "It's in the bot's log; please try again in a moment.",
} as const;

/** The title of the modal that carries a sentence when there is nowhere else to say it. */
export const GUARD_TITLE = 'Hiring bot';

/** Where a sentence for the person goes once the request is acknowledged. */
export type FollowUp =
  | { kind: 'ephemeral'; channel: string; user: string; threadTs?: string; text: string }
  | { kind: 'modal'; triggerId: string; text: string }
  | { kind: 'none' };

export interface UnhandledPlan {
  /** One log line: what arrived and why it wasn't handled. */
  log: string;
  /** The ack's body (undefined: an empty ack). */
  ackBody?: Record<string, unknown>;
  followUp: FollowUp;
  /** A card whose button was from an older version: re-render it in place. */
  refreshCard?: { channel: string; messageTs: string; proposalId: string | null };
}

export type UnhandledReason = 'unhandled' | 'failed';

/**
 * The answer for a request nobody acknowledged. `reason` is 'failed' when a listener was matched (or ran out of
 * time) but didn't ack; then the person is told something went wrong rather than that their button is old.
 */
export function planUnhandled(rawBody: unknown, known: ListenedIds, reason: UnhandledReason): UnhandledPlan {
  const body = record(rawBody);
  const type = text(body.type);
  if (text(body.command) !== undefined) return planCommand(body, known, reason);
  switch (type) {
    case 'block_actions':
      return planBlockActions(body, known, reason);
    case 'view_submission':
      return planViewSubmission(body, known, reason);
    case 'view_closed':
      return { log: `view_closed for ${describe(record(body.view).callback_id)} acknowledged`, followUp: none() };
    case 'shortcut':
    case 'message_action':
      return planShortcut(body, type, known, reason);
    case 'block_suggestion':
      return { log: 'block_suggestion answered with no options', ackBody: { options: [] }, followUp: none() };
    case 'event_callback':
      return { log: `event_callback ${describe(body.event_id)} without a usable event acknowledged`, followUp: none() };
    default:
      return { log: `request of unknown type ${describe(body.type)} acknowledged`, followUp: none() };
  }
}

function planCommand(body: Record<string, unknown>, known: ListenedIds, reason: UnhandledReason): UnhandledPlan {
  const command = text(body.command) ?? '';
  const listened = known.commands.has(command);
  const sentence = listened ? UNHANDLED_SENTENCES.failed : UNHANDLED_SENTENCES.unknownCommand;
  return {
    log: `${listened ? reason : 'unknown'} command ${describe(command)} answered`,
    ackBody: { response_type: 'ephemeral', text: `:warning: ${sentence}` },
    followUp: none(),
  };
}

function planBlockActions(body: Record<string, unknown>, known: ListenedIds, reason: UnhandledReason): UnhandledPlan {
  const actions = Array.isArray(body.actions) ? body.actions : [];
  const actionId = text(record(actions[0]).action_id);
  const where = clickPlace(body);
  const tell = (sentence: string): FollowUp =>
    where
      ? {
          kind: 'ephemeral',
          channel: where.channel,
          user: where.user,
          ...(where.threadTs ? { threadTs: where.threadTs } : {}),
          text: sentence,
        }
      : none();
  if (actionId === undefined) {
    return { log: 'block_actions without an action acknowledged', followUp: tell(UNHANDLED_SENTENCES.noButton) };
  }
  if (known.actions.has(actionId)) {
    return { log: `action ${describe(actionId)} ${reason} before its ack`, followUp: tell(UNHANDLED_SENTENCES.failed) };
  }
  const card = where?.messageTs ? { channel: where.channel, messageTs: where.messageTs } : null;
  if (card && !where?.threadTs) {
    return {
      log: `unknown action ${describe(actionId)} on message ${card.messageTs}: refreshing the card`,
      followUp: tell(UNHANDLED_SENTENCES.oldCardRefreshed),
      refreshCard: { ...card, proposalId: cardProposalId(body) },
    };
  }
  return { log: `unknown action ${describe(actionId)} acknowledged`, followUp: tell(UNHANDLED_SENTENCES.oldButton) };
}

function planViewSubmission(body: Record<string, unknown>, known: ListenedIds, reason: UnhandledReason): UnhandledPlan {
  const view = record(body.view);
  const callbackId = text(view.callback_id);
  const listened = callbackId !== undefined && known.views.has(callbackId);
  const sentence = listened ? UNHANDLED_SENTENCES.failed : UNHANDLED_SENTENCES.oldForm;
  const log = `${listened ? reason : 'unknown'} view_submission ${describe(callbackId)} answered`;
  // An error under the first input keeps what the person typed; a form without inputs is replaced by the sentence.
  const inputBlock = (Array.isArray(view.blocks) ? view.blocks : [])
    .map(record)
    .find((block) => block.type === 'input' && text(block.block_id) !== undefined);
  if (inputBlock) {
    return {
      log,
      ackBody: { response_action: 'errors', errors: { [text(inputBlock.block_id)!]: sentence } },
      followUp: none(),
    };
  }
  return { log, ackBody: { response_action: 'update', view: errorView(GUARD_TITLE, sentence) }, followUp: none() };
}

function planShortcut(
  body: Record<string, unknown>,
  type: string,
  known: ListenedIds,
  reason: UnhandledReason,
): UnhandledPlan {
  const callbackId = text(body.callback_id);
  const listened = callbackId !== undefined && known.shortcuts.has(callbackId);
  const sentence = listened ? UNHANDLED_SENTENCES.failed : UNHANDLED_SENTENCES.oldShortcut;
  const channel = text(record(body.channel).id);
  const user = text(record(body.user).id);
  const triggerId = text(body.trigger_id);
  const followUp: FollowUp =
    channel && user
      ? { kind: 'ephemeral', channel, user, text: sentence }
      : triggerId
        ? { kind: 'modal', triggerId, text: sentence }
        : none();
  return { log: `${listened ? reason : 'unknown'} ${type} ${describe(callbackId)} acknowledged`, followUp };
}

/** The channel, person and message of a click on a message (null for a click inside a modal). */
function clickPlace(
  body: Record<string, unknown>,
): { channel: string; user: string; messageTs?: string; threadTs?: string } | null {
  const container = record(body.container);
  const message = record(body.message);
  const channel = text(container.channel_id) ?? text(record(body.channel).id);
  const user = text(record(body.user).id);
  if (!channel || !user) return null;
  const messageTs = text(container.message_ts) ?? text(message.ts);
  const threadTs = text(container.thread_ts) ?? text(message.thread_ts);
  // A click on the card itself is not "in a thread", even though a card with replies carries its own ts as thread_ts.
  const inThread = threadTs !== undefined && threadTs !== messageTs;
  return { channel, user, ...(messageTs ? { messageTs } : {}), ...(inThread ? { threadTs } : {}) };
}

/** The proposal id in the clicked message's card metadata, when the payload carries it. */
function cardProposalId(body: Record<string, unknown>): string | null {
  const metadata = record(record(body.message).metadata);
  if (metadata.event_type !== CARD_EVENT_TYPE) return null;
  return text(record(metadata.event_payload).proposal_id) ?? null;
}

function none(): FollowUp {
  return { kind: 'none' };
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** An outside value for a log line: quoted, cut short, never a candidate's text (ids and types only reach here). */
function describe(value: unknown): string {
  if (typeof value !== 'string') return `(${value === undefined ? 'missing' : typeof value})`;
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
}
