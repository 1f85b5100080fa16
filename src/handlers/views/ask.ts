import {
  ASK_INPUT_ACTION,
  type AskOutcomeInput,
  askDoneView,
  askSendingView,
  askSummaryText,
} from '../../blocks/ask.js';
import { ASK_BLOCKS } from '../../blocks/ids.js';
import { parseAskMetadata } from '../../blocks/metadata.js';
import { ASK_POLICY, type AskField, validateAsk } from '../../services/ask-plan.js';
import { askFormView } from '../ask-form.js';
import type { BotContext } from '../context.js';
import type { SubmissionArgs } from '../listener.js';
import { showOutcome } from '../modal.js';
import { tellIn } from '../tell.js';

// The Ask finalists form's submission. Everything that can be checked without OpenTrain — who may ask, a finalist
// chosen, a question there and short enough, the outbound guard — answers inside the ack, under the input concerned,
// with the typed text kept and nothing sent. Then the ack shows "Sending to N finalists…" at once (Slack waits 3 s at
// most) and the per-candidate outcome replaces it; after a partial failure the form comes back with the failed
// finalists selected and the questions kept, as the same round (askId), so a retry never asks anyone twice.

const FIELD_BLOCKS: Record<AskField, string> = ASK_BLOCKS;

export function askSubmitted(ctx: BotContext) {
  return async ({ ack, body, view, client }: SubmissionArgs): Promise<void> => {
    const userId = body.user.id;
    const values = view.state.values;
    const input = (block: string) => values[block]?.[ASK_INPUT_ACTION];
    const finalists = (input(ASK_BLOCKS.finalists)?.selected_options ?? []).map((option) => option.value);
    const first = input(ASK_BLOCKS.first)?.value ?? '';
    const second = input(ASK_BLOCKS.second)?.value ?? '';
    const meta = parseAskMetadata(view.private_metadata);
    const refuse = (errors: Partial<Record<AskField, string>>) =>
      ack({
        response_action: 'errors',
        errors: Object.fromEntries(
          Object.entries(errors).map(([field, text]) => [FIELD_BLOCKS[field as AskField], text]),
        ),
      });
    if (!meta) {
      ctx.logger.warn('ask submission: unreadable private_metadata');
      return refuse({
        first: 'This form lost track of its job; copy your questions, close it and open Ask finalists… again.',
      });
    }
    if (!ctx.reviewers.canAct(userId)) {
      return refuse({ first: `${ctx.reviewers.refusal('ask finalists', 'plain')} Your text was kept.` });
    }
    const form = ctx.ask.form(meta.jobId, 0);
    const checked = validateAsk(
      { finalists, first, second },
      form.jobTitle,
      new Set(form.options.map((option) => option.proposalId)),
    );
    if (!checked.ok) return refuse(checked.errors);

    const total = checked.finalists.length;
    await ack({ response_action: 'update', view: askSendingView(total) });
    const place = { channel: meta.channel, user: userId };
    await ctx.track(
      async () => {
        // Progress, one update at a time and in order; none once the form is gone or the last finalist is done.
        let progress = Promise.resolve(true);
        const onProgress = (done: readonly AskOutcomeInput[]) => {
          if (done.length >= total) return;
          progress = progress.then((open) =>
            open ? showOutcome(ctx, client, view.id, askSendingView(total, done), 'ask progress') : false,
          );
        };
        const round = {
          askId: meta.askId,
          jobId: meta.jobId,
          userId,
          finalists: checked.finalists,
          questions: checked.questions,
        };
        const outcomes = await ctx.ask.ask(round, onProgress);
        await progress;
        const unsent = outcomes.filter((outcome) => outcome.state === 'failed' || outcome.state === 'unconfirmed');
        const next =
          unsent.length === 0
            ? askDoneView(outcomes)
            : askFormView(ctx, {
                jobId: meta.jobId,
                channel: meta.channel,
                top: ASK_POLICY.defaultTop,
                again: {
                  askId: meta.askId,
                  first,
                  second,
                  selected: unsent.map((outcome) => outcome.proposalId),
                  outcomes,
                },
              });
        if (await showOutcome(ctx, client, view.id, next, 'ask finalists')) return;
        // The form was closed meanwhile: the outcome goes where the person opened it.
        await tellIn(ctx, place)?.(askSummaryText(form.jobTitle, outcomes, checked.questions));
      },
      { label: 'ask submission', tell: tellIn(ctx, place) },
    );
  };
}
