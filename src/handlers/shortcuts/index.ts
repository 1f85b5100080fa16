import type { App, MessageShortcut } from '@slack/bolt';
import { SEND_TO_CANDIDATE_CALLBACK } from '../../blocks/ids.js';
import type { BotContext } from '../context.js';
import { sendToCandidateUsed } from './send-to-candidate.js';

export function registerShortcuts(app: App, ctx: BotContext): void {
  app.shortcut<MessageShortcut>(SEND_TO_CANDIDATE_CALLBACK, sendToCandidateUsed(ctx));
}
