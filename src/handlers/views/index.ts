import type { App, ViewSubmitAction } from '@slack/bolt';
import {
  ASK_CALLBACK_ID,
  HIRE_CALLBACK_ID,
  HIRE_NOT_A_FIT_CALLBACK_ID,
  INVITE_CALLBACK_ID,
  MESSAGE_CALLBACK_IDS,
} from '../../blocks/ids.js';
import type { BotContext } from '../context.js';
import { exactly } from '../id-pattern.js';
import type { SubmissionArgs } from '../listener.js';
import { askSubmitted } from './ask.js';
import { hireNotAFitConfirmed, hireSubmitted } from './hire.js';
import { inviteSubmitted } from './invite.js';
import { messageSubmitted } from './message.js';

/** The modal submissions the bot answers: callback id → callback. */
export function viewListeners(ctx: BotContext): ReadonlyMap<string, (args: SubmissionArgs) => Promise<void>> {
  return new Map([
    [INVITE_CALLBACK_ID, inviteSubmitted(ctx)],
    [HIRE_CALLBACK_ID, hireSubmitted(ctx)],
    [HIRE_NOT_A_FIT_CALLBACK_ID, hireNotAFitConfirmed(ctx)],
    [ASK_CALLBACK_ID, askSubmitted(ctx)],
    ...MESSAGE_CALLBACK_IDS.map((callbackId) => [callbackId, messageSubmitted(ctx, callbackId)] as const),
  ]);
}

/** One Bolt listener for all of them, dispatching by callback id (docs/slack.md#one-listener-per-kind). */
export function registerViews(app: App, ctx: BotContext): void {
  const listeners = viewListeners(ctx);
  app.view<ViewSubmitAction>(exactly(listeners.keys()), async (args) => {
    await listeners.get(args.view.callback_id)?.(args);
  });
}
