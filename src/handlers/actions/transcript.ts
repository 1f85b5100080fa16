import { transcriptView } from '../../blocks/transcript.js';
import { loadTranscript, reviewDeps } from '../../services/review.js';
import type { BotContext } from '../context.js';
import { cardModalClicked } from './card-modal.js';

/** Transcript on a card: the AI-interview transcript in a modal. Open to everyone. */
export function transcriptClicked(ctx: BotContext) {
  return cardModalClicked(ctx, {
    title: 'Interview transcript',
    what: 'the transcript',
    load: async (proposalId) => {
      const loaded = await loadTranscript(reviewDeps(ctx), proposalId);
      return loaded.ok ? { ok: true, view: transcriptView(loaded.value) } : loaded;
    },
  });
}
