import type { WebClient } from '@slack/web-api';
import { candidateName } from '../../blocks/format.js';
import {
  HIRE_INPUT_ACTION,
  HIRE_TITLE,
  hireDoneView,
  hireModal,
  hireOutcomeText,
  hireSendingView,
  notAFitConfirmView,
} from '../../blocks/hire.js';
import { HIRE_BLOCKS } from '../../blocks/ids.js';
import type { ModalView } from '../../blocks/limits.js';
import { encodeHireMetadata, type HireMetadata, parseHireMetadata } from '../../blocks/metadata.js';
import { errorView } from '../../blocks/modals.js';
import { own } from '../../records.js';
import type { HireOutcome } from '../../services/hire/service.js';
import { hireFees, isNotAFit, readHireForm } from '../../services/hire/terms.js';
import type { HireTerms } from '../../store/index.js';
import { HIRE_ACTION_PHRASE } from '../actions/hire.js';
import type { BotContext } from '../context.js';
import type { SubmissionArgs } from '../listener.js';
import { showOutcome } from '../modal.js';
import { tellIn } from '../tell.js';

// The hire form's submission and its Not-a-fit confirmation step (docs/opentrain.md#hiring). What can be checked
// without OpenTrain is answered inside the ack, as errors under the fields; what OpenTrain says comes after the ack,
// in the same modal (the form again with the reason, or the approval to confirm).

const FORM_FIELDS = { milestone: HIRE_BLOCKS.name, amount: HIRE_BLOCKS.amount, dueDate: HIRE_BLOCKS.dueDate } as const;

export function hireSubmitted(ctx: BotContext) {
  return async ({ ack, body, view, client }: SubmissionArgs): Promise<void> => {
    const userId = body.user.id;
    const metadata = parseHireMetadata(view.private_metadata);
    const refuse = (message: string) => ack({ response_action: 'errors', errors: { [HIRE_BLOCKS.name]: message } });
    if (!metadata) return refuse('This form is out of date. Close it and click Hire… on the card again.');
    if (!ctx.reviewers.canAct(userId)) return refuse(ctx.reviewers.refusal(HIRE_ACTION_PHRASE, 'plain'));
    const values = view.state.values;
    const read = readHireForm(
      {
        milestone: values[HIRE_BLOCKS.name]?.[HIRE_INPUT_ACTION]?.value,
        amount: values[HIRE_BLOCKS.amount]?.[HIRE_INPUT_ACTION]?.value,
        dueDate: values[HIRE_BLOCKS.dueDate]?.[HIRE_INPUT_ACTION]?.selected_date,
      },
      ctx.clock().toISOString().slice(0, 10),
    );
    if (!read.ok) {
      const errors: Record<string, string> = {};
      for (const [field, message] of Object.entries(read.errors)) {
        errors[FORM_FIELDS[field as keyof typeof FORM_FIELDS]] = message;
      }
      return ack({ response_action: 'errors', errors });
    }
    const stored = own(ctx.store.data.proposals, metadata.proposalId);
    if (!stored) return refuse("The bot doesn't track this proposal any more, so nothing was sent.");
    const name = candidateName(stored.proposal.candidate);
    const fees = hireFees(read.terms.amountUsd);
    if (isNotAFit(stored.proposal.status.raw)) {
      // Asked before anything is sent: the flag that overrides Not a fit is the person's decision, not the bot's.
      return ack({
        response_action: 'update',
        view: notAFitConfirmView({
          candidateName: name,
          terms: read.terms,
          fees,
          privateMetadata: encodeHireMetadata({ ...metadata, terms: read.terms }),
        }),
      });
    }
    await ack({ response_action: 'update', view: hireSendingView({ candidateName: name, fees }) });
    await sendHire(ctx, client, { viewId: view.id, userId, metadata, terms: read.terms, confirmNotAFit: false });
  };
}

/** "Hire anyway" on the Not-a-fit step: sends the request with the confirmation flag. */
export function hireNotAFitConfirmed(ctx: BotContext) {
  return async ({ ack, body, view, client }: SubmissionArgs): Promise<void> => {
    const userId = body.user.id;
    const metadata = parseHireMetadata(view.private_metadata);
    const terms = metadata?.terms;
    // This step has no input to hang an error on: the refusal replaces the view.
    if (!metadata || !terms) {
      return ack({
        response_action: 'update',
        view: errorView(HIRE_TITLE, 'This form is out of date; nothing was sent. Click Hire… on the card again.'),
      });
    }
    if (!ctx.reviewers.canAct(userId)) {
      return ack({
        response_action: 'update',
        view: errorView(HIRE_TITLE, ctx.reviewers.refusal(HIRE_ACTION_PHRASE, 'plain')),
      });
    }
    const stored = own(ctx.store.data.proposals, metadata.proposalId);
    const name = stored ? candidateName(stored.proposal.candidate) : 'the candidate';
    await ack({
      response_action: 'update',
      view: hireSendingView({ candidateName: name, fees: hireFees(terms.amountUsd) }),
    });
    await sendHire(ctx, client, { viewId: view.id, userId, metadata, terms, confirmNotAFit: true });
  };
}

async function sendHire(
  ctx: BotContext,
  client: WebClient,
  input: { viewId: string; userId: string; metadata: HireMetadata; terms: HireTerms; confirmNotAFit: boolean },
): Promise<void> {
  const { metadata, userId, terms } = input;
  const place = { channel: metadata.channel, user: userId };
  await ctx.track(
    async () => {
      const outcome = await ctx.hires.request({
        proposalId: metadata.proposalId,
        userId,
        terms,
        confirmNotAFit: input.confirmNotAFit,
      });
      if (await showOutcome(ctx, client, input.viewId, outcomeView(ctx, metadata, terms, outcome), 'hire')) return;
      // The modal was closed meanwhile: say it where the person clicked.
      await tellIn(ctx, place)?.(outcomeSentence(outcome));
    },
    { label: 'hire submission', tell: tellIn(ctx, place) },
  );
}

function outcomeView(ctx: BotContext, metadata: HireMetadata, terms: HireTerms, outcome: HireOutcome): ModalView {
  if (outcome.kind === 'confirm-not-a-fit') {
    return notAFitConfirmView({
      candidateName: outcome.candidateName,
      terms,
      fees: outcome.fees,
      privateMetadata: encodeHireMetadata({ ...metadata, terms }),
    });
  }
  if (outcome.kind === 'already-hired') return hireDoneView(`:warning: ${outcome.message}`);
  if (outcome.kind === 'failed') {
    const stored = own(ctx.store.data.proposals, metadata.proposalId);
    return hireModal({
      candidateName: stored ? candidateName(stored.proposal.candidate) : 'the candidate',
      jobTitle: stored?.proposal.jobTitle ?? '',
      privateMetadata: encodeHireMetadata({ ...metadata, terms: null }),
      initial: terms,
      error: `${outcome.message} ${failedHow(outcome)}; your terms are kept below.`,
    });
  }
  return hireDoneView(hireOutcomeText(outcome));
}

/** Whether anything may have reached OpenTrain: after a lost answer, asking again with the same terms is the check. */
function failedHow(outcome: Extract<HireOutcome, { kind: 'failed' }>): string {
  return outcome.maybeRequested
    ? 'OpenTrain may have recorded the request without answering; sending the same terms again is safe (it reuses that approval, if any)'
    : 'Nothing was requested';
}

function outcomeSentence(outcome: HireOutcome): string {
  if (outcome.kind === 'already-hired') return `:warning: ${outcome.message}`;
  if (outcome.kind === 'failed') {
    if (outcome.maybeRequested) return `:warning: ${outcome.message} ${failedHow(outcome)}.`;
    return `:warning: The hire wasn't requested: ${outcome.message}`;
  }
  if (outcome.kind === 'confirm-not-a-fit') {
    return ':warning: The hire wasn’t requested: this proposal is marked Not a fit; click Hire… again to confirm.';
  }
  return hireOutcomeText(outcome);
}
