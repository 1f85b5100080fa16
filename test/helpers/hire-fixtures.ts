import type { Approval } from '../../src/api/schemas.js';

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
