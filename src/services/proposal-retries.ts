import { OpenTrainError } from '../api/index.js';
import { errorText } from '../error-text.js';
import { own } from '../records.js';
import type { FailingProposal } from '../store/index.js';

// A proposal whose detail can't be read (OpenTrain answers with a shape the bot can't parse, or refuses that one
// proposal) must not hold the ledger cursor: it is retried on its own with backoff, then set aside until its next
// ledger event. An outage (no answer, 5xx, 429) is different: the whole cycle stops and the cursor stays put, since
// every proposal would fail alike and none of them is to blame.

/** Waits before the 2nd, 3rd and 4th attempt; a failure after the last wait sets the proposal aside. */
export const PROPOSAL_RETRY_POLICY = { delaysMs: [30_000, 2 * 60_000, 10 * 60_000] } as const;

export type ProposalRetryPolicy = { readonly delaysMs: readonly number[] };

/** Whether the error is OpenTrain (or the way to it) being unavailable, rather than a problem with this proposal. */
export function isOutage(error: unknown): boolean {
  if (!(error instanceof OpenTrainError)) return false;
  return error.status === 0 || error.status === 429 || error.status >= 500;
}

/** Whether the proposal is simply not ours to read any more (gone, or not visible to this token). */
export function isGone(error: unknown): boolean {
  return error instanceof OpenTrainError && (error.status === 403 || error.status === 404);
}

/** What a failed attempt makes of the proposal's record: the next attempt time, or set aside. */
export function recordFailure(
  previous: FailingProposal | undefined,
  error: unknown,
  { now, post, policy = PROPOSAL_RETRY_POLICY }: { now: Date; post: boolean; policy?: ProposalRetryPolicy },
): FailingProposal {
  // A proposal set aside and picked up again by a new event starts a fresh series of attempts.
  const attempts = (previous && previous.setAsideAt === null ? previous.attempts : 0) + 1;
  const delay = policy.delaysMs[attempts - 1];
  return {
    attempts,
    nextAttemptAt: delay === undefined ? null : new Date(now.getTime() + delay).toISOString(),
    setAsideAt: delay === undefined ? now.toISOString() : null,
    reason: failureReason(error),
    requestId: error instanceof OpenTrainError ? error.requestId : null,
    post: post || (previous?.post ?? false),
  };
}

/** Ids whose next attempt is due. */
export function dueRetries(failing: Record<string, FailingProposal> | undefined, now: Date): string[] {
  if (!failing) return [];
  return Object.keys(failing).filter((id) => {
    const next = own(failing, id)?.nextAttemptAt;
    return next != null && Date.parse(next) <= now.getTime();
  });
}

function failureReason(error: unknown): string {
  const text = errorText(error);
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}
