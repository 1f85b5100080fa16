import { describeError, logOpenTrainFailure, type OpenTrainClient } from '../api/index.js';
import { candidateName } from '../blocks/format.js';
import type { TranscriptInput } from '../blocks/transcript.js';
import type { FreelancerProfile, Proposal } from '../domain.js';
import type { Logger } from '../logger.js';
import { own } from '../records.js';
import type { Store } from '../store/index.js';

// What reviewers open from a card or with `/hiring transcript|profile`: the AI-interview transcript and the masked
// public profile. Every failure comes back as one sentence a reviewer understands (docs/opentrain.md#error-envelope,
// docs/architecture.md#errors-shown-to-people).

export interface ReviewDeps {
  client: OpenTrainClient;
  store: Store;
  logger: Logger;
}

/** The deps from anything holding them under the app's names (the handlers' context). */
export function reviewDeps(from: { openTrain: OpenTrainClient; store: Store; logger: Logger }): ReviewDeps {
  return { client: from.openTrain, store: from.store, logger: from.logger };
}

export type Loaded<T> = { ok: true; value: T } | { ok: false; message: string };

/** The proposal as the store knows it (cards keep the detail payload), else fetched from OpenTrain. */
export async function knownProposal(deps: ReviewDeps, proposalId: string): Promise<Proposal> {
  return own(deps.store.data.proposals, proposalId)?.proposal ?? (await deps.client.getProposal(proposalId));
}

/** The transcript of a proposal's AI interview, with the candidate's name and the job for the heading. */
export async function loadTranscript(deps: ReviewDeps, proposalId: string): Promise<Loaded<TranscriptInput>> {
  try {
    const proposal = await knownProposal(deps, proposalId);
    const name = candidateName(proposal.candidate);
    // The detail says when there is nothing to read; then /interview isn't asked at all.
    if (proposal.aiInterview && !proposal.aiInterview.transcriptAvailable) {
      return { ok: false, message: `No AI interview transcript is available for ${name}'s proposal.` };
    }
    const transcript = await deps.client.getInterview(proposalId);
    return {
      ok: true,
      value: { candidateName: name, ...(proposal.jobTitle ? { jobTitle: proposal.jobTitle } : {}), transcript },
    };
  } catch (error) {
    return failed(deps, `transcript of proposal ${proposalId}`, error);
  }
}

/** The profile of the candidate behind a proposal. */
export async function loadProposalProfile(deps: ReviewDeps, proposalId: string): Promise<Loaded<FreelancerProfile>> {
  let freelancerId: string;
  try {
    freelancerId = (await knownProposal(deps, proposalId)).candidate.id;
  } catch (error) {
    return failed(deps, `proposal ${proposalId}`, error);
  }
  return loadProfile(deps, freelancerId);
}

/** A profile by OpenTrain user id or profile slug. */
export async function loadProfile(deps: ReviewDeps, idOrSlug: string): Promise<Loaded<FreelancerProfile>> {
  try {
    return { ok: true, value: await deps.client.getFreelancer(idOrSlug) };
  } catch (error) {
    return failed(deps, `profile ${idOrSlug}`, error);
  }
}

function failed(deps: ReviewDeps, what: string, error: unknown): { ok: false; message: string } {
  // Expected answers (404, 403…) are part of the job; the HTTP layer has already logged the request id.
  logOpenTrainFailure(deps.logger, `loading the ${what} failed`, error, 'debug');
  return { ok: false, message: describeError(error) };
}
