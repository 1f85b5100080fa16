import { candidateName } from '../blocks/format.js';
import type { RankedProposal } from '../domain.js';
import type { AskView, ProposalView } from '../store/index.js';
import { checkOutboundMessage, MAX_MESSAGE_LENGTH } from './guard.js';

// Asking finalists, the pure parts (docs/architecture.md#asking-finalists): which proposals are offered and
// pre-selected, what the candidate reads, what a submission must satisfy, and — per finalist — whether this round's
// questions are sent, skipped (already asked) or first checked for in the conversation. No I/O, no Bolt.

export const ASK_POLICY = {
  /** `/hiring ask <job>` and `/hiring shortlist <job>` without `top N`. */
  defaultTop: 3,
  /** Finalists per round (the multi-select's max_selected_items), and the largest `top N` of ask and shortlist. */
  maxFinalists: 10,
  /** Per question; two of them and the intro stay far below OpenTrain's 10,000 characters. */
  maxQuestionLength: 2000,
} as const;

/** Proposals in these statuses are offered but never pre-selected: the team has decided on them already. */
const NOT_PRESELECTED = new Set(['DECLINED', 'NOT_A_FIT', 'HIRED']);

export interface FinalistOption {
  proposalId: string;
  name: string;
  rank: number;
  score: number | null;
  partial: boolean;
  status: string;
  /** Some round already reached them (this person's or someone else's): the form says so before anyone asks again. */
  askedBefore: boolean;
}

/** Every proposal of the job the bot knows, ranked by composite score (the cards' ranks), best first. */
export function finalistOptions(
  proposals: readonly ProposalView[],
  ranks: ReadonlyMap<string, RankedProposal>,
): FinalistOption[] {
  return proposals
    .map((stored) => {
      const rank = ranks.get(stored.proposal.id);
      return {
        proposalId: stored.proposal.id,
        name: candidateName(stored.proposal.candidate),
        rank: rank?.rank ?? Number.MAX_SAFE_INTEGER,
        score: rank?.score ?? null,
        partial: rank?.partial ?? false,
        status: stored.proposal.status.raw,
        askedBefore: (stored.asked ?? []).some((record) => record.state === 'sent'),
      };
    })
    .sort((a, b) => a.rank - b.rank || (a.proposalId < b.proposalId ? -1 : 1));
}

/** The top `top` options by score, skipping proposals already decided (declined, not a fit, hired). */
export function preselectFinalists(options: readonly FinalistOption[], top: number): string[] {
  return options
    .filter((option) => !NOT_PRESELECTED.has(option.status.toUpperCase()))
    .slice(0, Math.max(0, Math.min(top, ASK_POLICY.maxFinalists)))
    .map((option) => option.proposalId);
}

/** The questions as the one message each finalist reads (the modal previews exactly this). */
export function composeQuestions(jobTitle: string, questions: readonly string[]): string {
  const asked = nonEmpty(questions);
  const intro = `Thank you for your proposal for “${jobTitle.trim()}”. Before we decide, we'd like to ask you`;
  if (asked.length <= 1) return `${intro}:\n\n${listQuestions(asked)}`;
  return `${intro} ${asked.length === 2 ? 'two' : asked.length} questions:\n\n${listQuestions(asked)}`;
}

/** The questions alone, numbered when there are several: what the card's thread shows after "@you asked:". */
export function listQuestions(questions: readonly string[]): string {
  const asked = nonEmpty(questions);
  if (asked.length <= 1) return asked[0] ?? '';
  return asked.map((question, index) => `${index + 1}. ${question}`).join('\n\n');
}

function nonEmpty(questions: readonly string[]): string[] {
  return questions.map((question) => question.trim()).filter((question) => question.length > 0);
}

export interface AskSubmission {
  finalists: readonly string[];
  first: string;
  second: string;
}

/** Which field a problem belongs to (the modal shows it under that input). */
export type AskField = 'finalists' | 'first' | 'second';

export type AskValidation =
  | { ok: true; finalists: string[]; questions: string[]; text: string }
  | { ok: false; errors: Partial<Record<AskField, string>> };

/**
 * A submission is sendable when at least one known finalist (at most maxFinalists) is chosen, the first question is
 * there, each question fits, and the message as the candidate reads it passes the outbound guard. Nothing is sent
 * otherwise; the guard's words go under the question that holds the problem.
 */
export function validateAsk(input: AskSubmission, jobTitle: string, known: ReadonlySet<string>): AskValidation {
  const errors: Partial<Record<AskField, string>> = {};
  const finalists = [...new Set(input.finalists)].filter((id) => known.has(id));
  if (finalists.length === 0) errors.finalists = 'Choose at least one finalist to ask.';
  else if (finalists.length > ASK_POLICY.maxFinalists) {
    errors.finalists = `Choose at most ${ASK_POLICY.maxFinalists} finalists per round.`;
  }
  const fields: [AskField, string][] = [
    ['first', input.first],
    ['second', input.second],
  ];
  for (const [field, raw] of fields) {
    const question = raw.trim();
    if (question.length === 0) {
      if (field === 'first') errors.first = 'Write the question to ask (the second one is optional).';
      continue;
    }
    if (question.length > ASK_POLICY.maxQuestionLength) {
      errors[field] =
        `This question is ${question.length.toLocaleString('en-US')} characters; keep it under ` +
        `${ASK_POLICY.maxQuestionLength.toLocaleString('en-US')}. Your text was kept.`;
      continue;
    }
    const guard = checkOutboundMessage(question);
    if (!guard.ok) errors[field] = guard.message;
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const questions = [input.first, input.second].map((question) => question.trim()).filter((q) => q.length > 0);
  const text = composeQuestions(jobTitle, questions);
  // The questions passed one by one; the whole message (with the job's title) must too, and fit OpenTrain.
  const whole = checkOutboundMessage(text);
  if (!whole.ok || text.length > MAX_MESSAGE_LENGTH) {
    return { ok: false, errors: { first: whole.ok ? 'The questions are too long for one message.' : whole.message } };
  }
  return { ok: true, finalists, questions, text };
}

/**
 * What to do for one finalist of a submission, from this round's record (same askId):
 * - none, or `failed` → send (again);
 * - `sent` → skip: they were asked;
 * - `sending` → the outcome is unknown (a crash, a lost answer): look for the message in the conversation first; with
 *   no conversation linked nothing can have been sent, so send.
 */
export type FinalistDecision = 'send' | 'skip' | 'verify';

export function decideFinalist(record: AskView | undefined, conversationId: string | null): FinalistDecision {
  if (!record || record.state === 'failed') return 'send';
  if (record.state === 'sent') return 'skip';
  return conversationId ? 'verify' : 'send';
}

/** This round's record of a finalist, if any. */
export function askRecordOf(stored: ProposalView | undefined, askId: string): AskView | undefined {
  return stored?.asked?.find((record) => record.askId === askId);
}
