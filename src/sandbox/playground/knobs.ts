// The page's sandbox panel: what OpenTrain does on its own, on demand (a new proposal, a candidate's answer, a human
// resolving a hire approval, an invoice or a budget after the hire) and how it misbehaves (latency, errors), by calling
// the sandbox in-process.

import { APPROVAL_OUTCOMES } from '../../hiring.js';
import { ApiError } from '../opentrain/errors.js';
import type { OpenTrainSandbox } from '../opentrain/index.js';
import type { ScriptedActivity } from './activity.js';
import { type Body, field, HttpError, optional } from './http-body.js';

export type PostRoute = (body: Body) => Promise<Record<string, unknown>>;

/** The contract knobs: an invoice to pay, or the budget moving to a state that needs someone. */
const CONTRACT_EVENTS = ['payment', 'LOW', 'DEPLETED'] as const;

/** What the hiring knobs offer: hires waiting for a human, and the contracts made so far. */
export function hiringSummary(sandbox: OpenTrainSandbox) {
  const { state } = sandbox;
  const label = (proposalId: string | null, jobId: string) => {
    const proposal = proposalId ? state.proposals.get(proposalId) : undefined;
    const name = proposal ? state.freelancers.get(proposal.freelancerId)?.displayName : undefined;
    return `${name ?? proposalId ?? '?'} — ${state.jobs.get(jobId)?.title ?? jobId}`;
  };
  return {
    approvals: [...state.approvals.values()]
      .filter((approval) => approval.status === 'pending')
      .map((approval) => ({ id: approval.id, label: label(approval.proposalId, approval.jobId) })),
    contracts: [...state.contracts.values()]
      .filter((contract) => contract.status === 'active')
      .map((contract) => ({
        id: contract.id,
        label: `${label(contract.proposalId, contract.jobId)} (budget ${contract.budget.state})`,
      })),
  };
}

/** A sandbox refusal (unknown id, already resolved) in the page's words and status. */
async function asPageError<T>(work: () => T): Promise<T> {
  try {
    return work();
  } catch (error) {
    if (error instanceof ApiError) throw new HttpError(error.status, error.message);
    throw error;
  }
}

function oneOf<T extends string>(body: Body, name: string, choices: readonly T[]): T {
  const value = field(body, name);
  if (!(choices as readonly string[]).includes(value))
    throw new HttpError(400, `${name} must be ${choices.join(', ')}`);
  return value as T;
}

export function sandboxKnobRoutes(sandbox: OpenTrainSandbox, activity: ScriptedActivity): [string, PostRoute][] {
  return [
    ['/api/knobs/proposal', async (body) => ({ ok: true, proposalId: activity.addProposal(optional(body, 'jobId')) })],
    [
      '/api/knobs/candidate-reply',
      async (body) => {
        activity.candidateReply(field(body, 'conversationId'));
        return { ok: true };
      },
    ],
    [
      '/api/knobs/approval',
      async (body) => {
        const status = oneOf(body, 'status', APPROVAL_OUTCOMES);
        await asPageError(() => sandbox.resolveApproval(field(body, 'approvalId'), status));
        return { ok: true };
      },
    ],
    [
      '/api/knobs/contract',
      async (body) => {
        const event = oneOf(body, 'event', CONTRACT_EVENTS);
        const contractId = field(body, 'contractId');
        await asPageError(() =>
          event === 'payment' ? sandbox.paymentPending(contractId) : sandbox.setBudgetState(contractId, event),
        );
        return { ok: true };
      },
    ],
    [
      '/api/knobs/latency',
      async (body) => {
        const ms = Number(body.ms);
        if (!Number.isFinite(ms) || ms < 0 || ms > 60_000) throw new HttpError(400, 'ms must be 0–60000');
        sandbox.setLatency(ms);
        return { ok: true };
      },
    ],
    [
      '/api/knobs/errors',
      async (body) => {
        const count = Number(body.count ?? 3);
        if (!Number.isInteger(count) || count < 1 || count > 100) throw new HttpError(400, 'count must be 1–100');
        sandbox.injectFaults({ status: 503, count, reason: 'injected from the playground' });
        return { ok: true };
      },
    ],
    [
      '/api/knobs/clear',
      async () => {
        sandbox.clearFaults();
        return { ok: true };
      },
    ],
  ];
}
