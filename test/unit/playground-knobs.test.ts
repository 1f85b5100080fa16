import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenTrainSandbox, startOpenTrainSandbox } from '../../src/sandbox/opentrain/index.js';
import { ScriptedActivity } from '../../src/sandbox/playground/activity.js';
import type { Body } from '../../src/sandbox/playground/http-body.js';
import { hiringSummary, type PostRoute, sandboxKnobRoutes } from '../../src/sandbox/playground/knobs.js';

// The playground's hiring knobs against an in-process sandbox: what the panel offers, what each press changes in
// OpenTrain, and the sentence a wrong press gets.

let sandbox: OpenTrainSandbox;
let routes: Map<string, PostRoute>;
beforeAll(async () => {
  sandbox = await startOpenTrainSandbox();
  routes = new Map(sandboxKnobRoutes(sandbox, new ScriptedActivity(sandbox)));
});
afterAll(async () => {
  await sandbox.close();
});

const press = (path: string, body: Body) => routes.get(path)!(body);

async function requestHire(proposalId: string): Promise<string> {
  const response = await fetch(`${sandbox.url}/proposals/${proposalId}/hire`, {
    method: 'POST',
    headers: { authorization: 'Bearer ot_pat_sandbox_owner', 'content-type': 'application/json' },
    body: JSON.stringify({ milestone: { name: 'Pilot', amount: 90 } }),
  });
  return ((await response.json()) as { approval: { id: string } }).approval.id;
}

describe('the playground’s hiring knobs', () => {
  it('lists hires waiting for approval; Confirm makes a contract the contract knobs then act on', async () => {
    const approvalId = await requestHire(sandbox.ids.proposals.spanishRecent);
    expect(hiringSummary(sandbox).approvals).toEqual([{ id: approvalId, label: expect.stringContaining(' — ') }]);

    expect(await press('/api/knobs/approval', { approvalId, status: 'confirmed' })).toEqual({ ok: true });
    const summary = hiringSummary(sandbox);
    expect(summary.approvals).toEqual([]);
    const contractId = sandbox.state.approvals.get(approvalId)!.contractId!;
    expect(summary.contracts).toEqual([{ id: contractId, label: expect.stringContaining('(budget OK)') }]);

    await press('/api/knobs/contract', { contractId, event: 'payment' });
    await press('/api/knobs/contract', { contractId, event: 'LOW' });
    expect(sandbox.state.events.slice(-2).map((event) => event.type)).toEqual([
      'payment.pending',
      'contract.budget_state_changed',
    ]);
    expect(hiringSummary(sandbox).contracts[0]!.label).toContain('(budget LOW)');
  });

  it('Decline and Expire resolve without a contract; wrong presses get a status and a sentence', async () => {
    const declined = await requestHire(sandbox.ids.proposals.medicalTop);
    await press('/api/knobs/approval', { approvalId: declined, status: 'declined' });
    expect(sandbox.state.approvals.get(declined)).toMatchObject({ status: 'declined', contractId: null });

    await expect(press('/api/knobs/approval', { approvalId: declined, status: 'expired' })).rejects.toMatchObject({
      status: 409,
      message: 'Approval is already resolved',
    });
    await expect(press('/api/knobs/approval', { approvalId: declined, status: 'maybe' })).rejects.toMatchObject({
      status: 400,
    });
    await expect(press('/api/knobs/contract', { contractId: 'ctr_missing', event: 'LOW' })).rejects.toMatchObject({
      status: 404,
    });
    await expect(press('/api/knobs/contract', { contractId: 'ctr_missing', event: 'OK' })).rejects.toMatchObject({
      status: 400,
    });
  });
});
