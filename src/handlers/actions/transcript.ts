import type { App, BlockButtonAction } from '@slack/bolt';
import { describeError } from '../../api/errors.js';
import { CARD_ACTIONS } from '../../blocks/card.js';
import { errorView, loadingView, transcriptView } from '../../blocks/transcript.js';
import { openThenFill, webClientModalPort } from '../../services/modal-port.js';
import { loadTranscript, reviewDeps } from '../../services/review.js';
import type { BotContext } from '../context.js';
import { tellModalFailed } from './profile.js';

const TITLE = 'Interview transcript';

/** Transcript on a card: open a loading modal inside the trigger window, then fill it from OpenTrain. Open to all. */
export function registerTranscriptAction(app: App, ctx: BotContext): void {
  const modals = webClientModalPort(app.client);
  app.action<BlockButtonAction>(CARD_ACTIONS.transcript, async ({ ack, body, action }) => {
    await ack();
    const proposalId = action.value ?? '';
    await ctx.track(() =>
      openThenFill(modals, {
        triggerId: body.trigger_id,
        loading: loadingView(TITLE),
        fill: async () => {
          const loaded = await loadTranscript(reviewDeps(ctx), proposalId);
          return loaded.ok ? transcriptView(loaded.value) : errorView(TITLE, loaded.message);
        },
        fallback: (error) => errorView(TITLE, describeError(error)),
        onOpenFailed: () => tellModalFailed(ctx, body, 'the transcript'),
        logger: ctx.logger,
        label: 'transcript',
      }),
    );
  });
}
