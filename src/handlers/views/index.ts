import type { App, ViewSubmitAction } from '@slack/bolt';
import {
  ASK_CALLBACK_ID,
  HIRE_CALLBACK_ID,
  HIRE_NOT_A_FIT_CALLBACK_ID,
  INVITE_CALLBACK_ID,
  MESSAGE_CALLBACK_IDS,
} from '../../blocks/ids.js';
import type { BotContext } from '../context.js';
import { askSubmitted } from './ask.js';
import { hireNotAFitConfirmed, hireSubmitted } from './hire.js';
import { inviteSubmitted } from './invite.js';
import { messageSubmitted } from './message.js';

export function registerViews(app: App, ctx: BotContext): void {
  app.view<ViewSubmitAction>(INVITE_CALLBACK_ID, inviteSubmitted(ctx));
  app.view<ViewSubmitAction>(HIRE_CALLBACK_ID, hireSubmitted(ctx));
  app.view<ViewSubmitAction>(HIRE_NOT_A_FIT_CALLBACK_ID, hireNotAFitConfirmed(ctx));
  app.view<ViewSubmitAction>(ASK_CALLBACK_ID, askSubmitted(ctx));
  for (const callbackId of MESSAGE_CALLBACK_IDS)
    app.view<ViewSubmitAction>(callbackId, messageSubmitted(ctx, callbackId));
}
