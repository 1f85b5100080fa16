import { candidateName } from '../../blocks/format.js';
import { ALREADY_HIRED_TEXT, HIRE_TITLE, hireModal, offersHire } from '../../blocks/hire.js';
import { encodeHireMetadata } from '../../blocks/metadata.js';
import { errorView } from '../../blocks/modals.js';
import { own } from '../../records.js';
import type { BotContext } from '../context.js';
import type { ButtonArgs } from '../listener.js';
import { openReadyModal } from '../modal.js';
import { clickedAt, reviewersOnly } from './clicked.js';

/** What a refusal names: reviewers only may hire. */
export const HIRE_ACTION_PHRASE = 'hire candidates';

/**
 * "Hire…" on a card or a shortlist (the value is the proposal id, all it needs): reviewers only. The form is filled
 * from the store, so it opens at once, inside the trigger's 3 seconds, without a loading step.
 */
export function hireClicked(ctx: BotContext) {
  return async ({ ack, body, action, client }: ButtonArgs): Promise<void> => {
    await ack();
    if (!(await reviewersOnly(ctx, body, HIRE_ACTION_PHRASE))) return;
    const { channel, messageTs, place } = clickedAt(body);
    const proposalId = action.value ?? '';
    const stored = own(ctx.store.data.proposals, proposalId);
    let view = errorView(HIRE_TITLE, "The bot doesn't track this proposal any more, so it can't hire from here.");
    if (stored && !offersHire(stored.hire, stored.proposal.status.raw)) {
      view = errorView(HIRE_TITLE, ALREADY_HIRED_TEXT);
    } else if (stored) {
      const pending = stored.hire?.status === 'pending' ? stored.hire : null;
      view = hireModal({
        candidateName: candidateName(stored.proposal.candidate),
        jobTitle: stored.proposal.jobTitle,
        privateMetadata: encodeHireMetadata({ proposalId, channel, messageTs, terms: null }),
        initial: pending?.terms ?? null,
        pending,
      });
    }
    await ctx.track(() =>
      openReadyModal(ctx, client, { triggerId: body.trigger_id, what: 'the hire form', label: 'hire', place, view }),
    );
  };
}
