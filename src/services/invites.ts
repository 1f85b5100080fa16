import { describeError, logOpenTrainFailure, type OpenTrainClient, outcomeUnknown } from '../api/index.js';
import { candidateName as displayName, escapeMrkdwn } from '../blocks/format.js';
import type { ModalView } from '../blocks/limits.js';
import { encodeInviteMetadata, type InviteMetadata } from '../blocks/metadata.js';
import { inviteModal } from '../blocks/modals.js';
import type { Logger } from '../logger.js';
import { own } from '../records.js';
import type { Store, StoredJob } from '../store/index.js';
import type { CardService } from './cards.js';
import { refreshJobs, type WatchRules } from './jobs.js';

// "Invite to job…" (docs/architecture.md#buttons-and-modals): POST /jobs/{id}/invites for a candidate, the outcome in
// words, and the "Invited to <job> by @user" note on the candidate's cards. Bolt-free; handlers pass what Slack gave
// them.

export interface InviteDeps {
  client: OpenTrainClient;
  store: Store;
  cards: CardService;
  rules: WatchRules;
  logger: Logger;
}

export function inviteDeps(from: {
  openTrain: OpenTrainClient;
  store: Store;
  cards: CardService;
  rules: WatchRules;
  logger: Logger;
}): InviteDeps {
  return { client: from.openTrain, store: from.store, cards: from.cards, rules: from.rules, logger: from.logger };
}

/** Jobs a candidate can be invited to: published, OPEN, and not the one they applied to. */
export function invitableJobs(jobs: StoredJob[], appliedJobId: string | null): StoredJob[] {
  return jobs
    .filter((job) => job.published && job.status.toUpperCase() === 'OPEN' && job.id !== appliedJobId)
    .sort((a, b) => a.title.localeCompare(b.title));
}

/** Refreshes /jobs/mine; when OpenTrain doesn't answer, the last known list is used (OpenTrain re-checks anyway). */
export async function refreshedJobs(deps: InviteDeps): Promise<StoredJob[]> {
  try {
    await refreshJobs(deps.client, deps.store, deps.rules);
  } catch (error) {
    logOpenTrainFailure(deps.logger, 'refreshing jobs for the invite form failed; using the last known list', error);
    if (Object.keys(deps.store.data.jobs).length === 0) throw error;
  }
  return Object.values(deps.store.data.jobs);
}

/**
 * Everything the invite form needs for a card's proposal: the candidate (store, else GET /proposals/{id}) and the
 * account's jobs (/jobs/mine), fetched side by side.
 */
export async function prepareInviteForm(
  deps: InviteDeps,
  card: { proposalId: string; channel: string | null; messageTs: string | null },
): Promise<{ metadata: InviteMetadata; jobs: StoredJob[] }> {
  const stored = own(deps.store.data.proposals, card.proposalId)?.proposal;
  const [proposal, jobs] = await Promise.all([stored ?? deps.client.getProposal(card.proposalId), refreshedJobs(deps)]);
  const metadata: InviteMetadata = {
    proposalId: proposal.id,
    freelancerId: proposal.candidate.id,
    channel: card.channel,
    messageTs: card.messageTs,
    candidateName: displayName(proposal.candidate),
    jobId: proposal.jobId,
  };
  return { metadata, jobs };
}

/** The invite form; after a failed attempt with the reason on top and the person's choice still selected. */
export function inviteFormView(
  metadata: InviteMetadata,
  jobs: StoredJob[],
  retry?: { error: string; selectedJobId: string },
): ModalView {
  return inviteModal({
    proposalId: metadata.proposalId,
    candidateName: metadata.candidateName,
    jobs: invitableJobs(jobs, metadata.jobId).map((job) => ({ id: job.id, title: job.title })),
    privateMetadata: encodeInviteMetadata(metadata),
    ...(retry ? { error: retry.error, selectedJobId: retry.selectedJobId } : {}),
  });
}

export interface InviteRequest {
  freelancerId: string;
  candidateName: string;
  job: { id: string; title: string };
  /** Slack user who asked. */
  invitedBy: string;
  /** The card the invite started from, noted even if the store has it under another candidate id. */
  proposalId?: string;
}

export type InviteOutcome =
  /** `confirmedAfterLostAnswer`: the first answer was lost and asking again showed the invite in place. */
  | { kind: 'invited'; candidateName: string; jobTitle: string; confirmedAfterLostAnswer?: boolean }
  | { kind: 'alreadyInvited'; candidateName: string; jobTitle: string }
  | { kind: 'failed'; message: string };

/**
 * POST /jobs/{id}/invites. The endpoint is idempotent (docs/opentrain.md), so when its answer is lost (dropped
 * connection, timeout, 5xx) the bot asks once more and reports what OpenTrain says then, instead of "try again".
 */
export async function inviteCandidate(deps: InviteDeps, request: InviteRequest): Promise<InviteOutcome> {
  const { candidateName, job } = request;
  const invite = () => deps.client.inviteToJob(job.id, request.freelancerId);
  let alreadyInvited: boolean;
  let confirmedAfterLostAnswer = false;
  try {
    ({ alreadyInvited } = await invite());
  } catch (error) {
    if (!outcomeUnknown(error)) return inviteFailed(deps, request, error);
    deps.logger.warn(`inviting ${request.freelancerId} to job ${job.id}: the answer was lost; asking OpenTrain again`);
    try {
      ({ alreadyInvited } = await invite());
    } catch (again) {
      inviteFailed(deps, request, again);
      return { kind: 'failed', message: LOST_TWICE };
    }
    // "Already invited" now means the lost request (or an earlier one) did it: either way the invite is in place.
    confirmedAfterLostAnswer = alreadyInvited;
    alreadyInvited = false;
  }
  if (alreadyInvited) return { kind: 'alreadyInvited', candidateName, jobTitle: job.title };
  await noteInvite(deps, request);
  return { kind: 'invited', candidateName, jobTitle: job.title, confirmedAfterLostAnswer };
}

const LOST_TWICE =
  "OpenTrain didn't answer the invite, twice, so I can't tell whether it went through. Check the trainer's invites " +
  'on OpenTrain in a few minutes before inviting again.';

function inviteFailed(deps: InviteDeps, request: InviteRequest, error: unknown): InviteOutcome {
  const what = `inviting ${request.freelancerId} to job ${request.job.id} failed`;
  // The HTTP layer has logged the failure with its request id; this says what it meant.
  logOpenTrainFailure(deps.logger, what, error, 'debug');
  return { kind: 'failed', message: describeError(error) };
}

/** "Invited to <job> by <@user>" on every card of this candidate, then the cards are edited in place. */
async function noteInvite(deps: InviteDeps, request: InviteRequest): Promise<void> {
  const note = inviteNote(request.job.title, request.invitedBy);
  const noted = deps.store.proposals.addNote(note, {
    proposalId: request.proposalId,
    candidateId: request.freelancerId,
  });
  await Promise.all(noted.map((proposalId) => deps.cards.requestUpdate(proposalId)));
}

export function inviteNote(jobTitle: string, userId: string): string {
  return `:envelope_with_arrow: Invited to *${escapeMrkdwn(jobTitle)}* by <@${userId}>`;
}

/** The outcome as one ephemeral line. */
export function inviteOutcomeText(outcome: InviteOutcome): string {
  switch (outcome.kind) {
    case 'invited': {
      const confirmed = outcome.confirmedAfterLostAnswer
        ? " (OpenTrain's first answer was lost; asking again confirmed the invite is in place)"
        : '';
      return `:white_check_mark: Invited *${escapeMrkdwn(outcome.candidateName)}* to *${escapeMrkdwn(outcome.jobTitle)}*${confirmed}. They get an invitation on OpenTrain and can apply.`;
    }
    case 'alreadyInvited':
      return `:information_source: *${escapeMrkdwn(outcome.candidateName)}* was already invited to *${escapeMrkdwn(outcome.jobTitle)}* (or has applied), so OpenTrain sent nothing new.`;
    case 'failed':
      return `:warning: ${escapeMrkdwn(outcome.message)}`;
  }
}
