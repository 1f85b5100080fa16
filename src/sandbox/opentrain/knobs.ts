// Sandbox controls over HTTP for demos and scripts (`/__sandbox/...`, no auth). They call the same methods tests use.

import { APPROVAL_OUTCOMES, isApprovalOutcome } from '../../hiring.js';
import { SANDBOX_TOKENS } from './auth.js';
import { badRequest } from './errors.js';
import { type Reply, Router } from './router.js';
import type { OpenTrainSandbox } from './server.js';
import type { ProposalInit } from './types.js';

export interface KnobContext {
  body: Record<string, unknown>;
}

export const KNOB_ENDPOINTS = [
  'GET    /__sandbox                                      ids, tokens and this list',
  'POST   /__sandbox/proposals                            {jobId, count?, variant?, interviewScore?, matchScore?, bid?, candidate?, withInterview?, transcriptTurns?, createdAt?}',
  'POST   /__sandbox/proposals/:id/status                 {status}',
  'POST   /__sandbox/proposals/:id/malformed              {malformed?}  GET /proposals/{id} answers a malformed body',
  'POST   /__sandbox/conversations/:id/candidate-messages {content}',
  'POST   /__sandbox/conversations/:id/read-only          {readOnly}',
  'POST   /__sandbox/faults                               {status, count, match?, method?, retryAfterSeconds?, reason?, dropConnection?, dropResponse?}',
  'DELETE /__sandbox/faults                               clear faults and latency',
  'POST   /__sandbox/latency                              {ms, match?}',
  'POST   /__sandbox/features                             {key, enabled}',
  'POST   /__sandbox/message-policy                       {pattern: string|null, flags?, policy?}',
  'POST   /__sandbox/webhooks                             {url, secret, eventTypes?}',
  'POST   /__sandbox/approvals/:id/resolve                {status: confirmed|declined|expired}',
  'POST   /__sandbox/billing                              {paymentMethod, creditsUsd?}  what a hire may be funded from',
  'POST   /__sandbox/contracts/:id/payment-pending        {amountUsd?, status?: PENDING_PAYOUT|PENDING_FUNDING}  emits payment.pending',
  'POST   /__sandbox/contracts/:id/budget                 {state: OK|LOW|DEPLETED, consumedFraction?}  emits contract.budget_state_changed',
  'GET    /__sandbox/requests  DELETE /__sandbox/requests',
  'GET    /__sandbox/deliveries',
];

const ok = (body: unknown, status = 200): Reply => ({ status, body });

function string(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (typeof value !== 'string' || value === '') throw badRequest(`${field} must be a non-empty string`, { field });
  return value;
}

function optionalRegExp(body: Record<string, unknown>, field: string): RegExp | undefined {
  const value = body[field];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw badRequest(`${field} must be a regular expression string`, { field });
  try {
    return new RegExp(value);
  } catch {
    throw badRequest(`${field} is not a valid regular expression`, { field });
  }
}

function number(body: Record<string, unknown>, field: string): number {
  const value = body[field];
  if (typeof value !== 'number' || !Number.isFinite(value)) throw badRequest(`${field} must be a number`, { field });
  return value;
}

function proposalInit(body: Record<string, unknown>): ProposalInit {
  const { jobId: _jobId, count: _count, createdAt, ...rest } = body;
  const init = rest as ProposalInit;
  if (typeof createdAt === 'string') {
    const parsed = new Date(createdAt);
    if (Number.isNaN(parsed.getTime())) throw badRequest('createdAt must be an ISO date', { field: 'createdAt' });
    init.createdAt = parsed;
  }
  return init;
}

export function createKnobRouter(sandbox: OpenTrainSandbox): Router<KnobContext> {
  const router = new Router<KnobContext>();

  router.add('GET', '/', () =>
    ok({ apiBaseUrl: sandbox.url, tokens: SANDBOX_TOKENS, ids: sandbox.ids, knobs: KNOB_ENDPOINTS }),
  );

  router.add('POST', '/proposals', ({ body }) => {
    const jobId = string(body, 'jobId');
    const init = proposalInit(body);
    if (body.count !== undefined) {
      const count = number(body, 'count');
      if (!Number.isInteger(count) || count < 1)
        throw badRequest('count must be a positive integer', { field: 'count' });
      return ok({ proposalIds: sandbox.addProposals(jobId, count, init) }, 201);
    }
    return ok(sandbox.addProposal(jobId, init), 201);
  });

  router.add('POST', '/proposals/:id/status', ({ body }, { id }) => {
    sandbox.setProposalStatus(id!, string(body, 'status'));
    return ok({ ok: true });
  });

  router.add('POST', '/proposals/:id/malformed', ({ body }, { id }) => {
    sandbox.setProposalDetailMalformed(id!, body.malformed !== false);
    return ok({ ok: true });
  });

  router.add('POST', '/conversations/:id/candidate-messages', ({ body }, { id }) =>
    ok(sandbox.addCandidateMessage(id!, string(body, 'content')), 201),
  );

  router.add('POST', '/conversations/:id/read-only', ({ body }, { id }) => {
    sandbox.setConversationReadOnly(id!, body.readOnly !== false);
    return ok({ ok: true });
  });

  router.add('POST', '/faults', ({ body }) => {
    const status = number(body, 'status');
    const count = body.count === undefined ? 1 : number(body, 'count');
    sandbox.injectFaults({
      status,
      count,
      match: optionalRegExp(body, 'match'),
      method: typeof body.method === 'string' ? body.method : undefined,
      retryAfterSeconds: typeof body.retryAfterSeconds === 'number' ? body.retryAfterSeconds : undefined,
      reason: typeof body.reason === 'string' ? body.reason : undefined,
      dropConnection: body.dropConnection === true,
      dropResponse: body.dropResponse === true,
    });
    return ok({ ok: true });
  });

  router.add('DELETE', '/faults', () => {
    sandbox.clearFaults();
    return ok({ ok: true });
  });

  router.add('POST', '/latency', ({ body }) => {
    sandbox.setLatency(number(body, 'ms'), optionalRegExp(body, 'match'));
    return ok({ ok: true });
  });

  router.add('POST', '/features', ({ body }) => {
    sandbox.setFeature(string(body, 'key'), body.enabled !== false);
    return ok({ ok: true });
  });

  router.add('POST', '/message-policy', ({ body }) => {
    const pattern = body.pattern;
    if (pattern !== null && typeof pattern !== 'string') throw badRequest('pattern must be a string or null');
    const flags = typeof body.flags === 'string' ? body.flags : 'i';
    sandbox.blockMessagesMatching(
      pattern === null ? null : new RegExp(pattern, flags),
      typeof body.policy === 'string' ? body.policy : undefined,
    );
    return ok({ ok: true });
  });

  router.add('POST', '/webhooks', ({ body }) => {
    const eventTypes = Array.isArray(body.eventTypes) ? body.eventTypes.map(String) : undefined;
    return ok(sandbox.addWebhook(string(body, 'url'), string(body, 'secret'), eventTypes), 201);
  });

  router.add('POST', '/approvals/:id/resolve', ({ body }, { id }) => {
    const status = string(body, 'status');
    if (!isApprovalOutcome(status)) {
      throw badRequest(`status must be one of ${APPROVAL_OUTCOMES.join(', ')}`, { field: 'status' });
    }
    sandbox.resolveApproval(id!, status);
    return ok({ ok: true });
  });

  router.add('POST', '/billing', ({ body }) => {
    if (typeof body.paymentMethod !== 'boolean')
      throw badRequest('paymentMethod must be a boolean', { field: 'paymentMethod' });
    sandbox.setBilling({
      paymentMethod: body.paymentMethod,
      ...(body.creditsUsd === undefined ? {} : { creditsUsd: number(body, 'creditsUsd') }),
    });
    return ok({ ok: true });
  });

  router.add('POST', '/contracts/:id/payment-pending', ({ body }, { id }) => {
    const amountUsd = body.amountUsd === undefined ? undefined : number(body, 'amountUsd');
    const status = body.status === undefined ? undefined : string(body, 'status');
    return ok(
      sandbox.paymentPending(id!, {
        ...(amountUsd === undefined ? {} : { amountUsd }),
        ...(status === undefined ? {} : { status }),
      }),
      201,
    );
  });

  router.add('POST', '/contracts/:id/budget', ({ body }, { id }) => {
    const fraction = body.consumedFraction === undefined ? undefined : number(body, 'consumedFraction');
    return ok(sandbox.setBudgetState(id!, string(body, 'state'), fraction));
  });

  router.add('GET', '/requests', () => ok({ requests: sandbox.requests }));
  router.add('DELETE', '/requests', () => {
    sandbox.clearRequests();
    return ok({ ok: true });
  });
  router.add('GET', '/deliveries', () => ok({ deliveries: sandbox.deliveries }));

  return router;
}
