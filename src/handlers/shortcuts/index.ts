import type { App } from '@slack/bolt';
import type { BotContext } from '../context.js';
import { registerSendToCandidateShortcut } from './send-to-candidate.js';

export function registerShortcuts(app: App, ctx: BotContext): void {
  registerSendToCandidateShortcut(app, ctx);
}
