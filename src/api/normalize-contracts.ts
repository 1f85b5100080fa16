import type { Contract, PendingPayment } from '../domain.js';
import { normalizeMatchScore } from './normalize.js';
import type { ApiContract, ApiPendingPayment } from './schemas.js';

// Pure mappers for the after-the-hire reads (docs/opentrain.md#after-the-hire), beside normalize.ts's.

/**
 * `consumedFraction` is documented as 0–1; a value above 1 is taken as a percentage already (the same rule as match
 * scores). Whole percent, 0–100.
 */
export function consumedPercent(value: number | null | undefined): number | null {
  const percent = normalizeMatchScore(value);
  return percent === null ? null : Math.round(percent);
}

export function toContract(api: ApiContract): Contract {
  return {
    id: api.id,
    status: api.status ?? null,
    title: api.title ?? null,
    jobId: api.jobId ?? null,
    proposalId: api.proposalId ?? null,
    paymentType: api.paymentType ?? null,
    milestones: api.milestones.items.map((milestone) => ({
      id: milestone.id,
      name: milestone.name ?? null,
      description: milestone.description ?? null,
      status: milestone.status ?? null,
      amountUsd: milestone.amountUsd ?? null,
      invoiceId: milestone.invoiceId ?? null,
    })),
    budget: api.budget
      ? {
          state: api.budget.state ? api.budget.state.toUpperCase() : null,
          consumedPercent: consumedPercent(api.budget.consumedFraction),
          activeMilestoneName: api.budget.activeMilestone?.name ?? null,
        }
      : null,
  };
}

export function toPendingPayment(api: ApiPendingPayment): PendingPayment {
  return {
    id: api.id,
    status: api.status ?? null,
    amountUsd: api.amountUsd ?? null,
    jobId: api.job?.id ?? null,
    jobTitle: api.job?.title ?? null,
    milestoneId: api.milestone?.id ?? null,
    milestoneName: api.milestone?.name ?? null,
  };
}
