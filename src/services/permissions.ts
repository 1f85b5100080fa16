// REVIEWER_IDS gate write actions (invite, message, reply, watch/unwatch, weights); everyone may view and vote.

export interface ReviewerPolicy {
  canAct(userId: string): boolean;
  /** The ephemeral refusal: says who may act. */
  refusal(action: string): string;
}

export function reviewerPolicy(reviewerIds: string[] | null): ReviewerPolicy {
  const allowed = reviewerIds ? new Set(reviewerIds) : null;
  return {
    canAct: (userId) => allowed === null || allowed.has(userId),
    refusal: (action) => {
      const who = [...(allowed ?? [])].map((id) => `<@${id}>`).join(', ');
      return `:no_entry: Only the hiring reviewers (${who}) can ${action}. Ask one of them, or ask an admin to add you to REVIEWER_IDS.`;
    },
  };
}
