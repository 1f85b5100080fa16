import { randomUUID } from 'node:crypto';
import { type AskOutcomeInput, askModal, askNothingView } from '../blocks/ask.js';
import type { ModalView } from '../blocks/limits.js';
import { encodeAskMetadata } from '../blocks/metadata.js';
import { ASK_POLICY, composeQuestions } from '../services/ask-plan.js';
import type { BotContext } from './context.js';

// The Ask finalists form as the command, the button and a partial failure show it: built from what the bot knows of
// the job (its proposals, ranked by the cards' composite score). A fresh form draws a new round id (`askId`); the
// form shown again after a partial failure keeps its round, so its retry never asks anyone twice.

export interface AskFormRequest {
  jobId: string;
  /** How many to pre-select (default ASK_POLICY.defaultTop). */
  top?: number;
  /** Where the person opened it: the ephemeral summary goes there when the form is gone. */
  channel: string | null;
  /** Shown again after an attempt: the same round, what was typed, who is selected, and the outcome. */
  again?: {
    askId: string;
    first: string;
    second: string;
    selected: readonly string[];
    outcomes: readonly AskOutcomeInput[];
  };
}

const FIRST_PLACEHOLDER = '‹your first question›';

/** What each finalist reads; with placeholders until questions are typed. */
export function askPreview(jobTitle: string, first: string, second: string): string {
  return composeQuestions(jobTitle, [first.trim() || FIRST_PLACEHOLDER, second]);
}

export function askFormView(ctx: BotContext, request: AskFormRequest): ModalView {
  const form = ctx.ask.form(request.jobId, request.top ?? ASK_POLICY.defaultTop);
  if (form.options.length === 0) return askNothingView(form.jobTitle);
  const again = request.again;
  return askModal({
    jobTitle: form.jobTitle,
    options: form.options,
    selected: again ? again.selected : form.preselected,
    maxFinalists: ASK_POLICY.maxFinalists,
    maxQuestionLength: ASK_POLICY.maxQuestionLength,
    privateMetadata: encodeAskMetadata({
      askId: again?.askId ?? randomUUID(),
      jobId: request.jobId,
      channel: request.channel,
    }),
    preview: askPreview(form.jobTitle, again?.first ?? '', again?.second ?? ''),
    ...(again ? { first: again.first, second: again.second, outcomes: again.outcomes } : {}),
  });
}
