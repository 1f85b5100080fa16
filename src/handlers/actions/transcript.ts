import type { App } from '@slack/bolt';
import { CARD_ACTIONS } from '../../blocks/card.js';
import { transcriptView } from '../../blocks/transcript.js';
import { loadTranscript, reviewDeps } from '../../services/review.js';
import type { BotContext } from '../context.js';
import { registerCardModalAction } from './card-modal.js';

/** Transcript on a card: the AI-interview transcript in a modal. Open to everyone. */
export function registerTranscriptAction(app: App, ctx: BotContext): void {
  registerCardModalAction(app, ctx, {
    actionId: CARD_ACTIONS.transcript,
    title: 'Interview transcript',
    what: 'the transcript',
    load: async (proposalId) => {
      const loaded = await loadTranscript(reviewDeps(ctx), proposalId);
      return loaded.ok ? { ok: true, view: transcriptView(loaded.value) } : loaded;
    },
  });
}
