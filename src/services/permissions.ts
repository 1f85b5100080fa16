// REVIEWER_IDS gate write actions (invite, message, reply, watch/unwatch, weights); everyone may view and vote.

export interface ReviewerPolicy {
  canAct(userId: string): boolean;
  /**
   * The refusal: says who may act. `mrkdwn` (the default) for messages, naming the reviewers; `plain` for a modal's
   * field error, where mentions don't render.
   */
  refusal(action: string, format?: 'mrkdwn' | 'plain'): string;
}

export function reviewerPolicy(reviewerIds: string[] | null): ReviewerPolicy {
  const allowed = reviewerIds ? new Set(reviewerIds) : null;
  return {
    canAct: (userId) => allowed === null || allowed.has(userId),
    refusal: (action, format = 'mrkdwn') => {
      const ask = 'Ask one of them, or ask an admin to add you to REVIEWER_IDS.';
      if (format === 'plain') return `Only the hiring reviewers can ${action}. ${ask}`;
      const who = [...(allowed ?? [])].map((id) => `<@${id}>`).join(', ');
      return `:no_entry: Only the hiring reviewers (${who}) can ${action}. ${ask}`;
    },
  };
}
