import type { Approval } from '../../src/api/schemas.js';
import type { Harness } from '../../src/sandbox/harness.js';
import type { StoredSlackView } from '../../src/sandbox/slack/standin.js';

/** A pending hire approval as GET /approvals/{id} gives it (72 h from `createdAt`), with overrides. */
export function hireApproval(createdAt: string, overrides: Partial<Approval> = {}): Approval {
  return {
    id: 'appr_1',
    type: 'proposal_hire',
    status: 'pending',
    contractId: null,
    milestoneId: null,
    jobId: 'job_0',
    proposalId: 'prop_000000',
    approvalUrl: 'https://app.opentrain.ai/approvals/appr_1',
    expiresAt: new Date(Date.parse(createdAt) + 72 * 3_600_000).toISOString(),
    resolvedAt: null,
    result: null,
    createdAt,
    ...overrides,
  };
}

/** The Hire… form's values as Slack sends them in a view_submission. */
export function hireFormValues(terms: { name: string; amount: string; dueDate?: string | null }) {
  return {
    hire_name: { value: { type: 'plain_text_input', value: terms.name } },
    hire_amount: { value: { type: 'plain_text_input', value: terms.amount } },
    hire_due: { value: { type: 'datepicker', selected_date: terms.dueDate ?? null } },
  };
}

/** Clicks Hire… on a card as `userId`; returns the modal it opened, if any. */
export async function clickHire(
  h: Harness,
  card: { proposalId: string; channel: string; ts: string },
  userId: string,
): Promise<StoredSlackView | undefined> {
  const before = new Set(h.slack.views.keys());
  const result = await h.sender.blockAction({
    actionId: 'card_hire',
    value: card.proposalId,
    userId,
    channelId: card.channel,
    messageTs: card.ts,
  });
  if (result.status !== 200) throw new Error(`Hire… click answered ${result.status}`);
  await h.bot.idle();
  return [...h.slack.views.values()].find((view) => !before.has(view.id));
}
