// The OpenTrain sandbox after the hire, over real HTTP: the contract a confirmed hire creates, GET /contracts (list and
// one), GET /payments/pending, and the knobs that raise an invoice or move the budget, each announced in the ledger
// and by webhook like the other events.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { type OpenTrainSandbox, SANDBOX_TOKENS, startOpenTrainSandbox } from '../../src/sandbox/opentrain/index.js';

// biome-ignore lint/suspicious/noExplicitAny: JSON bodies are inspected loosely in assertions.
type Json = any;

const started: OpenTrainSandbox[] = [];
const servers: Server[] = [];
afterAll(async () => {
  await Promise.all(started.map((sandbox) => sandbox.close()));
  for (const server of servers) server.close();
});

async function call(sandbox: OpenTrainSandbox, method: string, path: string, body?: unknown, token?: string) {
  const headers: Record<string, string> = { authorization: `Bearer ${token ?? SANDBOX_TOKENS.owner}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${sandbox.url}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as Json };
}

async function knob(sandbox: OpenTrainSandbox, path: string, body: unknown) {
  const response = await fetch(`${sandbox.knobUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Json };
}

async function tail(sandbox: OpenTrainSandbox): Promise<string> {
  return (await call(sandbox, 'GET', '/updates?limit=200')).body.nextCursor;
}

async function eventsSince(sandbox: OpenTrainSandbox, cursor: string): Promise<Json[]> {
  return (await call(sandbox, 'GET', `/updates?cursor=${cursor}&limit=200`)).body.events;
}

let sandbox: OpenTrainSandbox;
let contractId: string;
let proposalId: string;

/** A hire made through the API and confirmed by the human (the resolve knob), as the bot's users would. */
async function hired(own: OpenTrainSandbox, key: 'medicalTop' | 'agency' = 'medicalTop') {
  const id = own.ids.proposals[key];
  const { body } = await call(own, 'POST', `/proposals/${id}/hire`, {
    milestone: {
      name: 'First labeling batch',
      description: 'The first 5,000 images',
      amount: 300,
      dueDate: '2026-07-01',
    },
  });
  const resolved = await knob(own, `/approvals/${body.approval.id}/resolve`, { status: 'confirmed' });
  expect(resolved.status).toBe(200);
  const approval = (await call(own, 'GET', `/approvals/${body.approval.id}`)).body.approval;
  return { proposalId: id, contractId: approval.contractId as string, approval };
}

beforeEach(async () => {
  sandbox = await startOpenTrainSandbox({ webhookRetryDelaysMs: [20, 20, 20, 20] });
  started.push(sandbox);
  ({ contractId, proposalId } = await hired(sandbox));
});

describe('the contract a confirmed hire creates', () => {
  it('GET /contracts/{id} shows the hire terms as the first milestone, funded, with an OK budget', async () => {
    const { status, body } = await call(sandbox, 'GET', `/contracts/${contractId}`);
    expect(status).toBe(200);
    const contract = body.contract;
    // The documented key set (docs/opentrain-examples/contract-get.json), in its order.
    expect(Object.keys(contract)).toEqual([
      'id',
      'status',
      'title',
      'jobId',
      'proposalId',
      'paymentType',
      'rateUsd',
      'estimatedTotalUsd',
      'estimatedVolume',
      'hasActiveMilestone',
      'startDate',
      'endDate',
      'createdAt',
      'updatedAt',
      'freelancer',
      'milestones',
      'jobDmConversationId',
      'budget',
    ]);
    expect(contract).toMatchObject({
      id: contractId,
      status: 'active',
      jobId: sandbox.ids.jobs.medical,
      proposalId,
      hasActiveMilestone: true,
      milestones: [
        {
          name: 'First labeling batch',
          description: 'The first 5,000 images',
          status: 'ACTIVE_FUNDED',
          amountUsd: 300,
          milestoneNumber: 1,
          dueDate: '2026-07-01T00:00:00.000Z',
        },
      ],
      budget: { contractId, state: 'OK', fundedAmountUsd: 300, consumedFraction: 0 },
    });
    expect(contract.budget.activeMilestone).toMatchObject({ id: contract.milestones[0].id, status: 'ACTIVE_FUNDED' });
    // The approval names the milestone it funded.
    const approval = [...sandbox.state.approvals.values()].find((a) => a.contractId === contractId);
    expect(approval?.milestoneId).toBe(contract.milestones[0].id);
  });

  it('GET /contracts lists the account’s contracts (without budget) and filters by job and status', async () => {
    const second = await hired(sandbox, 'agency');
    const all = (await call(sandbox, 'GET', '/contracts')).body.contracts;
    expect(all.map((c: Json) => c.id)).toEqual(expect.arrayContaining([contractId, second.contractId]));
    expect(all[0]).not.toHaveProperty('budget');
    expect(all[0]).not.toHaveProperty('jobDmConversationId');
    const medical = (await call(sandbox, 'GET', `/contracts?jobId=${sandbox.ids.jobs.medical}&status=active`)).body;
    expect(medical.contracts.map((c: Json) => c.id)).toContain(contractId);
    expect(medical.contracts.every((c: Json) => c.jobId === sandbox.ids.jobs.medical)).toBe(true);
    expect((await call(sandbox, 'GET', '/contracts?status=ended')).body.contracts).toEqual([]);
  });

  it('answers 400 {field: status}, 403 for scope or another account, 404 for unknown ids', async () => {
    const badStatus = await call(sandbox, 'GET', '/contracts?status=paused');
    expect(badStatus.status).toBe(400);
    expect(badStatus.body.details).toMatchObject({ field: 'status' });
    expect((await call(sandbox, 'GET', '/contracts?jobId=job_missing')).status).toBe(404);
    expect((await call(sandbox, 'GET', `/contracts?jobId=${sandbox.ids.otherAccount.jobId}`)).status).toBe(403);
    expect((await call(sandbox, 'GET', '/contracts/ctr_missing')).status).toBe(404);

    sandbox.addToken('ot_pat_no_payments', { scopes: ['proposals:read'] });
    for (const path of ['/contracts', `/contracts/${contractId}`, '/payments/pending']) {
      const refused = await call(sandbox, 'GET', path, undefined, 'ot_pat_no_payments');
      expect(refused.status).toBe(403);
      expect(refused.body.details.requiredScopes).toEqual(['payments:read']);
    }

    const theirs = { ...sandbox.state.contracts.get(contractId)!, id: 'ctr_theirs' };
    theirs.organizationId = sandbox.ids.otherAccount.organizationId;
    sandbox.state.contracts.set(theirs.id, theirs);
    expect((await call(sandbox, 'GET', '/contracts/ctr_theirs')).status).toBe(403);
    expect((await call(sandbox, 'GET', '/contracts')).body.contracts.map((c: Json) => c.id)).not.toContain(
      'ctr_theirs',
    );
  });
});

describe('the approval resolve knob', () => {
  it('refuses in the documented envelope: a bad status (400), an unknown approval (404), a resolved one (409)', async () => {
    const { approval } = await hired(sandbox, 'agency');
    const badStatus = await knob(sandbox, `/approvals/${approval.id}/resolve`, { status: 'approved' });
    expect(badStatus.status).toBe(400);
    expect(badStatus.body).toMatchObject({ code: 'BAD_REQUEST', details: { field: 'status' } });
    const unknown = await knob(sandbox, '/approvals/appr_nope/resolve', { status: 'confirmed' });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({
      code: 'NOT_FOUND',
      requestId: expect.any(String),
      details: { resource: 'approvals', approvalId: 'appr_nope' },
    });
    const again = await knob(sandbox, `/approvals/${approval.id}/resolve`, { status: 'declined' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'CONFLICT', details: { reason: 'approval_not_pending' } });
    // The refused resolve changed nothing.
    expect((await call(sandbox, 'GET', `/approvals/${approval.id}`)).body.approval.status).toBe('confirmed');
  });
});

describe('payment and budget knobs', () => {
  it('payment-pending raises an invoice: GET /payments/pending lists it and the ledger says payment.pending', async () => {
    const cursor = await tail(sandbox);
    const raised = await knob(sandbox, `/contracts/${contractId}/payment-pending`, {});
    expect(raised.status).toBe(201);
    const { invoiceId } = raised.body;
    const contract = (await call(sandbox, 'GET', `/contracts/${contractId}`)).body.contract;
    const milestone = contract.milestones[0];
    expect(milestone.invoiceId).toBe(invoiceId);

    const payments = (await call(sandbox, 'GET', '/payments/pending')).body.payments;
    expect(payments).toEqual([
      {
        id: invoiceId,
        status: 'PENDING_PAYOUT',
        invoiceKind: 'PAYOUT',
        viewerRole: 'EMPLOYER',
        amountUsd: 300,
        createdAt: expect.any(String),
        invoiceNumber: expect.any(Number),
        job: { id: sandbox.ids.jobs.medical, title: expect.any(String) },
        milestone: { id: milestone.id, name: 'First labeling batch' },
      },
    ]);
    const events = await eventsSince(sandbox, cursor);
    expect(events).toEqual([
      expect.objectContaining({
        type: 'payment.pending',
        resourceId: invoiceId,
        jobId: sandbox.ids.jobs.medical,
        data: { invoiceId, milestoneId: milestone.id, contractId },
      }),
    ]);
    expect((await knob(sandbox, '/contracts/ctr_missing/payment-pending', {})).status).toBe(404);
    expect((await knob(sandbox, `/contracts/${contractId}/payment-pending`, { status: 'PAID' })).status).toBe(400);
  });

  it('budget moves OK → LOW → DEPLETED with one event per move, and GET /contracts/{id} agrees', async () => {
    const cursor = await tail(sandbox);
    expect((await knob(sandbox, `/contracts/${contractId}/budget`, { state: 'LOW' })).body).toEqual({ changed: true });
    let budget = (await call(sandbox, 'GET', `/contracts/${contractId}`)).body.contract.budget;
    expect(budget).toMatchObject({ state: 'LOW', consumedFraction: 0.82 });
    expect(budget.lastUsageAt).toEqual(expect.any(String));

    // The same state again is no move: no event.
    expect(
      (await knob(sandbox, `/contracts/${contractId}/budget`, { state: 'LOW', consumedFraction: 0.9 })).body,
    ).toEqual({ changed: false });
    await knob(sandbox, `/contracts/${contractId}/budget`, { state: 'DEPLETED' });
    budget = (await call(sandbox, 'GET', `/contracts/${contractId}`)).body.contract.budget;
    expect(budget).toMatchObject({ state: 'DEPLETED', consumedFraction: 1 });

    const events = await eventsSince(sandbox, cursor);
    expect(events.map((event: Json) => event.type)).toEqual([
      'contract.budget_state_changed',
      'contract.budget_state_changed',
    ]);
    expect(events[0].data).toEqual({
      contractId,
      previousState: 'OK',
      state: 'LOW',
      paymentType: expect.any(String),
      fundedVolume: expect.any(Number),
      consumedVolume: expect.any(Number),
      remainingVolume: expect.any(Number),
      consumedFraction: 0.82,
    });
    expect(events[1].data).toMatchObject({ previousState: 'LOW', state: 'DEPLETED', consumedFraction: 1 });

    expect((await knob(sandbox, `/contracts/${contractId}/budget`, { state: 'EMPTY' })).status).toBe(400);
    const badFraction = await knob(sandbox, `/contracts/${contractId}/budget`, { state: 'OK', consumedFraction: 2 });
    expect(badFraction.status).toBe(400);
  });

  it('the events need payments:read on /updates and reach webhooks subscribed to them', async () => {
    const received: Json[] = [];
    const server = createServer((req, res) => {
      let raw = '';
      req.on('data', (chunk) => {
        raw += chunk;
      });
      req.on('end', () => {
        received.push({ event: req.headers['x-opentrain-event'], body: JSON.parse(raw) });
        res.writeHead(200).end();
      });
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    sandbox.addWebhook(url, 'whsec_contracts', ['payment.pending', 'contract.budget_state_changed']);
    sandbox.addToken('ot_pat_proposals_only', { scopes: ['proposals:read'] });
    const cursor = await tail(sandbox);

    sandbox.paymentPending(contractId);
    sandbox.setBudgetState(contractId, 'LOW');
    const deadline = Date.now() + 3000;
    while (received.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(received.map((delivery) => delivery.event)).toEqual(['payment.pending', 'contract.budget_state_changed']);
    expect(received[1].body.data).toMatchObject({ contractId, state: 'LOW' });

    const hidden = await call(sandbox, 'GET', `/updates?cursor=${cursor}`, undefined, 'ot_pat_proposals_only');
    expect(hidden.body.events).toEqual([]);
  });
});
