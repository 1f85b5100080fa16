// OpenTrain's hiring facts the bot, its blocks and the sandbox share (docs/opentrain.md#hiring): approval states and
// types, the fees a confirmed hire funds, the approval's lifetime, and the hire request's assumed flag and 409 reasons.

/** An approval's terminal states: `approval.confirmed` fires for each of them (docs/opentrain.md#hiring). */
export const APPROVAL_OUTCOMES = ['confirmed', 'declined', 'expired'] as const;
export type ApprovalOutcome = (typeof APPROVAL_OUTCOMES)[number];
/** Where an approval stands (docs/opentrain.md#hiring); anything else OpenTrain says is kept raw and shown raw. */
export const APPROVAL_STATUSES = ['pending', ...APPROVAL_OUTCOMES] as const;
export type ApprovalStatusName = (typeof APPROVAL_STATUSES)[number];

/** True for a terminal approval state (an unknown raw status is not one: it is shown, not announced). */
export function isApprovalOutcome(status: string): status is ApprovalOutcome {
  return (APPROVAL_OUTCOMES as readonly string[]).includes(status);
}

/** The approval type a hire request creates; other types (milestone_fund…) are never mistaken for a hire. */
export const HIRE_APPROVAL_TYPE = 'proposal_hire';

/** OpenTrain's hire fees on top of the first milestone (docs/opentrain.md#hiring): 10 % marketplace + $9.95 initiation. */
export const HIRE_FEES = { marketplacePercent: 10, contractInitiationUsd: 9.95 } as const;

/** How long a person has to confirm a hire approval (OpenTrain: "expires ~72 h"; `expiresAt` is what counts). */
export const HIRE_APPROVAL_LIFETIME_HOURS = 72;

export interface HireFeeBreakdown {
  milestoneUsd: number;
  marketplaceFeeUsd: number;
  initiationFeeUsd: number;
  totalUsd: number;
}

/**
 * What confirming a hire funds: the milestone, plus the marketplace fee (rounded half up to the cent; OpenTrain doesn't
 * say how it rounds), plus the initiation fee. Worked in whole cents, so the parts always add up to the total.
 */
export function hireFees(amountUsd: number): HireFeeBreakdown {
  const milestoneCents = Math.round(amountUsd * 100);
  const marketplaceCents = Math.floor((milestoneCents * HIRE_FEES.marketplacePercent + 50) / 100);
  const initiationCents = Math.round(HIRE_FEES.contractInitiationUsd * 100);
  return {
    milestoneUsd: milestoneCents / 100,
    marketplaceFeeUsd: marketplaceCents / 100,
    initiationFeeUsd: initiationCents / 100,
    totalUsd: (milestoneCents + marketplaceCents + initiationCents) / 100,
  };
}

/**
 * The hire body's boolean confirming a proposal marked Not a fit. Its name was cut off in OpenTrain's docs; this one is
 * assumed (docs/opentrain.md#hiring), and the sandbox insists on it.
 */
export const HIRE_NOT_A_FIT_FLAG = 'confirmNotAFit';

/** `details.reason` of the hire 409s (docs/opentrain.md#hiring): both names are assumed, the docs cut them off. */
export const HIRE_CONFLICT_REASONS = {
  notAFit: 'not_a_fit_confirmation_required',
  alreadyHired: 'proposal_already_hired',
} as const;
