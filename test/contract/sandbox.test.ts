// The OpenTrain sandbox over real HTTP: seeded data shapes, the documented gates and errors, cursors, the ledger,
// signed webhook deliveries with retries, and fault injection.

import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type OpenTrainSandbox,
  type OpenTrainSandboxOptions,
  SANDBOX_TOKENS,
  signWebhookPayload,
  startOpenTrainSandbox,
} from '../../src/sandbox/opentrain/index.js';

// biome-ignore lint/suspicious/noExplicitAny: JSON bodies are inspected loosely in assertions.
type Json = any;

interface Answer {
  status: number;
  headers: Headers;
  body: Json;
}

const started: OpenTrainSandbox[] = [];

async function sandboxFor(options: OpenTrainSandboxOptions = {}): Promise<OpenTrainSandbox> {
  const sandbox = await startOpenTrainSandbox({ webhookRetryDelaysMs: [20, 20, 20, 20], ...options });
  started.push(sandbox);
  return sandbox;
}

async function call(
  sandbox: OpenTrainSandbox,
  method: string,
  path: string,
  options: { token?: string | null; body?: unknown; rawBody?: string } = {},
): Promise<Answer> {
  const token = options.token === undefined ? SANDBOX_TOKENS.owner : options.token;
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  const response = await fetch(`${sandbox.url}${path}`, { method, headers, body });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

const get = (sandbox: OpenTrainSandbox, path: string, token?: string | null) => call(sandbox, 'GET', path, { token });
const post = (sandbox: OpenTrainSandbox, path: string, body?: unknown, token?: string | null) =>
  call(sandbox, 'POST', path, { body, token });

function expectEnvelope(answer: Answer, status: number, code: string): Json {
  expect(answer.status).toBe(status);
  expect(answer.body).toMatchObject({ code });
  expect(typeof answer.body.error).toBe('string');
  expect(answer.body.requestId).toMatch(/^req_/);
  expect(answer.headers.get('x-request-id')).toBe(answer.body.requestId);
  return answer.body.details;
}

async function waitFor<T>(probe: () => T | undefined | false, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const CONTACT_DETAILS = /[\w.+-]+@[\w-]+\.[\w.]+|\+?\d[\d\s().-]{7,}\d|https?:\/\/|www\.|whatsapp|telegram|skype/i;

// Key sets of the documented examples (opentrain-examples/*.json), in their order.
const REFERENCE_SUMMARY_KEYS = [
  'id',
  'jobId',
  'jobTitle',
  'createdAt',
  'updatedAt',
  'status',
  'bid',
  'candidate',
  'metrics',
];
const REFERENCE_CANDIDATE_KEYS = [
  'id',
  'profileSlug',
  'displayName',
  'firstName',
  'lastNameInitial',
  'profileTitle',
  'profilePhotoUrl',
  'countryCode',
  'country',
  'talentType',
  'highestEarningsUsd',
  'reviewCount',
];
const GUIDE_KEYS = ['id', 'jobId', 'jobTitle', 'status', 'bid', 'candidate', 'metrics', 'createdAt', 'updatedAt'];
const FREELANCER_KEYS = [
  'id',
  'profileSlug',
  'profilePath',
  'displayName',
  'firstName',
  'lastNameInitial',
  'talentType',
  'title',
  'bio',
  'city',
  'countryCode',
  'country',
  'profilePhotoUrl',
  'hourlyRateUsd',
  'availability',
  'expertiseLevel',
  'englishLevel',
  'memberSince',
  'identityVerified',
  'skills',
  'languages',
  'stats',
  'agency',
  'labelExperience',
  'workExperience',
  'education',
  'reviews',
];
const MESSAGE_KEYS = [
  'id',
  'createdAt',
  'updatedAt',
  'conversationId',
  'jobId',
  'senderUserId',
  'isFromViewer',
  'content',
  'messageType',
  'system',
  'hasUnreadFlag',
  'attachmentCount',
  'hasAudio',
  'editedAt',
  'reactionCount',
];
const PRE_CLAIM_SCOPES = ['jobs:read', 'jobs:write', 'proposals:read', 'messages:read', 'payments:read', 'team:read'];

let sandbox: OpenTrainSandbox;

beforeAll(async () => {
  sandbox = await sandboxFor();
});

afterAll(async () => {
  await Promise.all(started.map((instance) => instance.close()));
});

describe('authentication and the error envelope', () => {
  it('answers 401 UNAUTHORIZED for a missing or unknown bearer, with a fresh request id each time', async () => {
    const missing = await get(sandbox, '/jobs/mine', null);
    const unknown = await get(sandbox, '/jobs/mine', 'ot_pat_nope');
    expectEnvelope(missing, 401, 'UNAUTHORIZED');
    expectEnvelope(unknown, 401, 'UNAUTHORIZED');
    expect(missing.body.requestId).not.toBe(unknown.body.requestId);
  });

  it('answers 404 NOT_FOUND for an unknown route', async () => {
    expectEnvelope(await get(sandbox, '/no/such/route'), 404, 'NOT_FOUND');
  });

  it('sends an x-request-id on successes too', async () => {
    const answer = await get(sandbox, '/auth/me');
    expect(answer.headers.get('x-request-id')).toMatch(/^req_/);
  });

  it('describes the owner token and the unclaimed token on /auth/me', async () => {
    const owner = await get(sandbox, '/auth/me');
    expect(owner.status).toBe(200);
    expect(owner.body.actor).toMatchObject({
      fullName: 'Mira Chen',
      userType: 'EMPLOYER',
      userId: sandbox.ids.users.owner,
    });
    expect(owner.body.token.scopes).toEqual(expect.arrayContaining(['payments:write', 'webhooks:manage']));
    expect(owner.body.account).toMatchObject({
      kind: 'employer_organization',
      organizationId: sandbox.ids.organizationId,
      memberRole: 'OWNER',
    });
    const unclaimed = await get(sandbox, '/auth/me', SANDBOX_TOKENS.unclaimed);
    expect(unclaimed.body.token.scopes).toEqual(PRE_CLAIM_SCOPES);
    expect(unclaimed.body.account.organizationId).toBe(sandbox.ids.organizationId);
  });

  it('reports capabilities from the account features', async () => {
    const own = await sandboxFor();
    const before = await get(own, '/job-drafts/capabilities');
    expect(Object.values(before.body.capabilities).every((value) => value === true)).toBe(true);
    own.setFeature('public_api_hiring', false);
    const after = await get(own, '/job-drafts/capabilities');
    expect(after.body.capabilities.hiring).toBe(false);
    expect(after.body.capabilities.messagingWrites).toBe(true);
  });

  it('names required and granted scopes when a scope is missing', async () => {
    const details = expectEnvelope(
      await post(
        sandbox,
        '/webhooks',
        { url: 'https://example.com/h', eventTypes: ['proposal.received'] },
        SANDBOX_TOKENS.unclaimed,
      ),
      403,
      'FORBIDDEN',
    );
    expect(details).toEqual({ requiredScopes: ['webhooks:manage'], grantedScopes: PRE_CLAIM_SCOPES });
  });

  it('answers account_claim_required with the claim URL for claim-gated writes of the unclaimed token', async () => {
    const cases = [
      post(
        sandbox,
        `/jobs/${sandbox.ids.jobs.medical}/invites`,
        { freelancerId: sandbox.ids.freelancers.invitable },
        SANDBOX_TOKENS.unclaimed,
      ),
      post(
        sandbox,
        '/messages',
        { conversationId: sandbox.ids.conversations.existing, content: 'Hi' },
        SANDBOX_TOKENS.unclaimed,
      ),
      post(
        sandbox,
        `/proposals/${sandbox.ids.proposals.spanishRecent}/conversation`,
        undefined,
        SANDBOX_TOKENS.unclaimed,
      ),
      post(
        sandbox,
        `/proposals/${sandbox.ids.proposals.spanishRecent}/hire`,
        { milestone: { name: 'Batch', amount: 100 } },
        SANDBOX_TOKENS.unclaimed,
      ),
    ];
    for (const answer of await Promise.all(cases)) {
      const details = expectEnvelope(answer, 403, 'FORBIDDEN');
      expect(details).toMatchObject({ reason: 'account_claim_required', claimUrl: 'https://app.opentrain.ai/claim' });
      expect(typeof details.action).toBe('string');
    }
    expect(sandbox.state.invites).toHaveLength(0);
  });

  it('checks the feature before the claim and names the feature key', async () => {
    const own = await sandboxFor();
    own.setFeature('public_api_hiring', false);
    for (const token of [SANDBOX_TOKENS.owner, SANDBOX_TOKENS.unclaimed]) {
      const answer = await post(
        own,
        `/jobs/${own.ids.jobs.medical}/invites`,
        { freelancerId: own.ids.freelancers.invitable },
        token,
      );
      expect(expectEnvelope(answer, 403, 'FORBIDDEN')).toEqual({ featureKey: 'public_api_hiring' });
    }
  });

  it('lets :write imply :read and refuses /updates without any readable scope', async () => {
    const own = await sandboxFor();
    own.addToken('ot_pat_writer', { scopes: ['proposals:write'] });
    own.addToken('ot_pat_jobs_only', { scopes: ['jobs:read'] });
    expect((await get(own, `/proposals/${own.ids.proposals.agency}`, 'ot_pat_writer')).status).toBe(200);
    const details = expectEnvelope(await get(own, '/updates', 'ot_pat_jobs_only'), 403, 'FORBIDDEN');
    expect(details.requiredScopes).toEqual(['proposals:read', 'messages:read', 'payments:read']);
  });

  it('answers 400 for a malformed JSON body', async () => {
    const answer = await call(sandbox, 'POST', '/messages', { rawBody: '{nope' });
    expect(expectEnvelope(answer, 400, 'BAD_REQUEST').issues).toHaveLength(1);
  });
});

describe('GET /jobs/mine', () => {
  it('lists every job of the account newest first, drafts included, with live proposal counts', async () => {
    const own = await sandboxFor();
    const { body } = await get(own, '/jobs/mine');
    expect(body.nextCursor).toBeNull();
    const ids = body.jobs.map((job: Json) => job.id);
    expect(ids).toEqual(expect.arrayContaining(Object.values(own.ids.jobs)));
    expect(ids).not.toContain(own.ids.otherAccount.jobId);
    const created = body.jobs.map((job: Json) => Date.parse(job.createdAt));
    expect(created).toEqual([...created].sort((a, b) => b - a));
    const draft = body.jobs.find((job: Json) => job.id === own.ids.jobs.draft);
    expect(draft).toMatchObject({ status: 'DRAFT', published: false, acceptingApplicants: false });
    const spanish = body.jobs.find((job: Json) => job.id === own.ids.jobs.spanish);
    expect(Object.keys(spanish)).toEqual([
      'id',
      'title',
      'status',
      'published',
      'acceptingApplicants',
      'createdAt',
      'updatedAt',
      'jobUrl',
      'proposalCounts',
    ]);
    own.addProposal(own.ids.jobs.spanish);
    own.setProposalStatus(own.ids.proposals.spanishRecent, 'SHORTLISTED');
    const after = (await get(own, '/jobs/mine')).body.jobs.find((job: Json) => job.id === own.ids.jobs.spanish);
    expect(after.proposalCounts).toEqual({
      total: spanish.proposalCounts.total + 1,
      unreviewed: spanish.proposalCounts.unreviewed,
    });
  });

  it('filters by status and rejects unknown statuses and bad limits', async () => {
    const open = await get(sandbox, '/jobs/mine?status=OPEN');
    expect(open.body.jobs.map((job: Json) => job.status)).toEqual(['OPEN', 'OPEN']);
    const bad = expectEnvelope(await get(sandbox, '/jobs/mine?status=LIVE'), 400, 'BAD_REQUEST');
    expect(bad.supportedStatuses).toEqual(['DRAFT', 'OPEN', 'ONGOING', 'COMPLETED', 'ARCHIVED', 'PENDING_APPROVAL']);
    expect(expectEnvelope(await get(sandbox, '/jobs/mine?limit=0'), 400, 'BAD_REQUEST')).toEqual({ field: 'limit' });
  });

  it('pages with cursors', async () => {
    const all = (await get(sandbox, '/jobs/mine')).body.jobs.map((job: Json) => job.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Answer = await get(sandbox, `/jobs/mine?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.body.jobs.map((job: Json) => job.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all);
  });
});

describe('GET /jobs/{id}/proposals', () => {
  it('seeds at least twelve proposals on the open jobs, in both payload variants, newest first', async () => {
    const spanish = (await get(sandbox, `/jobs/${sandbox.ids.jobs.spanish}/proposals?limit=100`)).body.proposals;
    const medical = (await get(sandbox, `/jobs/${sandbox.ids.jobs.medical}/proposals?limit=100`)).body.proposals;
    const all = [...spanish, ...medical];
    expect(all.length).toBeGreaterThanOrEqual(12);
    const created = spanish.map((proposal: Json) => Date.parse(proposal.createdAt));
    expect(created).toEqual([...created].sort((a, b) => b - a));
    const reference = all.find((proposal: Json) => proposal.id === sandbox.ids.proposals.withConversation);
    expect(Object.keys(reference)).toEqual(REFERENCE_SUMMARY_KEYS);
    expect(Object.keys(reference.candidate)).toEqual(REFERENCE_CANDIDATE_KEYS);
    const guide = all.find((proposal: Json) => proposal.id === sandbox.ids.proposals.guide);
    expect(Object.keys(guide)).toEqual(GUIDE_KEYS);

    const now = Date.now();
    const ages = all.map((proposal: Json) => now - Date.parse(proposal.createdAt));
    expect(ages.filter((age) => age < 24 * 3_600_000).length).toBeGreaterThanOrEqual(3);
    expect(ages.filter((age) => age > 48 * 3_600_000).length).toBeGreaterThanOrEqual(3);
    expect(all.filter((proposal: Json) => proposal.status.raw === 'UNREVIEWED').length).toBeGreaterThanOrEqual(4);
    const units = new Set(all.map((proposal: Json) => proposal.bid.unit));
    expect([...units]).toEqual(expect.arrayContaining(['PER_LABEL', 'PER_HOUR', 'per_hour', 'FIXED', 'PER_IMAGE']));
  });

  it('filters by status case-insensitively with spaces or hyphens', async () => {
    for (const status of ['not a fit', 'Not-A-Fit', 'NOT_A_FIT']) {
      const { body } = await get(
        sandbox,
        `/jobs/${sandbox.ids.jobs.spanish}/proposals?status=${encodeURIComponent(status)}`,
      );
      expect(body.proposals.map((proposal: Json) => proposal.id)).toEqual([
        sandbox.ids.proposals.transcriptUnavailable,
      ]);
    }
    const details = expectEnvelope(
      await get(sandbox, `/jobs/${sandbox.ids.jobs.spanish}/proposals?status=ghosted`),
      400,
      'BAD_REQUEST',
    );
    expect(details.supportedStatuses).toEqual([
      'UNREVIEWED',
      'SHORTLISTED',
      'MAYBE',
      'HIRED',
      'DECLINED',
      'NOT_A_FIT',
      'RESUME_SENT',
    ]);
  });

  it('pages with proposal-id cursors, with and without a status filter', async () => {
    for (const filter of ['', '&status=UNREVIEWED']) {
      const all = (await get(sandbox, `/jobs/${sandbox.ids.jobs.spanish}/proposals?limit=100${filter}`)).body.proposals;
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Answer = await get(
          sandbox,
          `/jobs/${sandbox.ids.jobs.spanish}/proposals?limit=3${filter}${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(page.body.proposals.length).toBeLessThanOrEqual(3);
        seen.push(...page.body.proposals.map((proposal: Json) => proposal.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual(all.map((proposal: Json) => proposal.id));
    }
  });

  it('refuses other accounts’ jobs, unknown jobs, bad limits and bad cursors', async () => {
    expectEnvelope(await get(sandbox, `/jobs/${sandbox.ids.otherAccount.jobId}/proposals`), 403, 'FORBIDDEN');
    expectEnvelope(await get(sandbox, '/jobs/job_missing/proposals'), 404, 'NOT_FOUND');
    const limit = expectEnvelope(
      await get(sandbox, `/jobs/${sandbox.ids.jobs.spanish}/proposals?limit=0`),
      400,
      'BAD_REQUEST',
    );
    expect(limit).toEqual({ field: 'limit' });
    const cursor = expectEnvelope(
      await get(sandbox, `/jobs/${sandbox.ids.jobs.spanish}/proposals?cursor=${sandbox.ids.proposals.guide}`),
      400,
      'BAD_REQUEST',
    );
    expect(cursor).toEqual({ field: 'cursor' });
  });

  it('clamps limits above 100', async () => {
    const own = await sandboxFor();
    own.addProposals(own.ids.jobs.medical, 120);
    const { body } = await get(own, `/jobs/${own.ids.jobs.medical}/proposals?limit=500`);
    expect(body.proposals).toHaveLength(100);
    expect(body.nextCursor).toBe(body.proposals[99].id);
  });
});

describe('GET /proposals/{id} and its interview', () => {
  it('renders reference proposals with every detail block', async () => {
    const { body } = await get(sandbox, `/proposals/${sandbox.ids.proposals.withConversation}`);
    expect(Object.keys(body.proposal)).toEqual([
      ...REFERENCE_SUMMARY_KEYS,
      'aiInterview',
      'verification',
      'openLabel',
      'contract',
    ]);
    expect(body.proposal).toMatchObject({
      status: { raw: 'SHORTLISTED', label: 'Shortlisted' },
      bid: { amountUsd: 0.06, unit: 'PER_LABEL', labelerHourlyRateUsd: null },
      candidate: { displayName: 'Maria G.', lastNameInitial: 'G', countryCode: 'ES', talentType: 'FREELANCER' },
      metrics: { interviewScore: 86, matchScore: 0.91 },
      aiInterview: { score: 86, transcriptAvailable: true },
      verification: { location: { status: 'PASSED', method: 'GPS' }, identity: { verified: true } },
      openLabel: null,
      contract: null,
    });
  });

  it('renders guide proposals like the evaluate-candidates guide', async () => {
    const { body } = await get(sandbox, `/proposals/${sandbox.ids.proposals.guide}`);
    expect(Object.keys(body.proposal)).toEqual(GUIDE_KEYS);
    expect(body.proposal).toMatchObject({
      bid: { amountUsd: 42, unit: 'per_hour', labelerHourlyRateUsd: 55 },
      candidate: { displayName: 'Alex R.', lastNameInitial: 'R.', country: 'USA', talentType: 'Individual' },
      metrics: { interviewScore: 8.6, matchScore: 87 },
    });
    expect(body.proposal.candidate).not.toHaveProperty('countryCode');
  });

  it('renders the agency, the fixed bid, the hired proposal and the proposal without an interview', async () => {
    const agency = (await get(sandbox, `/proposals/${sandbox.ids.proposals.agency}`)).body.proposal;
    expect(agency.candidate).toMatchObject({
      talentType: 'AGENCY',
      lastNameInitial: null,
      displayName: 'LinguaLabel Partners',
    });
    const fixed = (await get(sandbox, `/proposals/${sandbox.ids.proposals.fixedBid}`)).body.proposal;
    expect(fixed.bid).toEqual({ amountUsd: 450, unit: 'FIXED', labelerHourlyRateUsd: null });
    const hired = (await get(sandbox, `/proposals/${sandbox.ids.proposals.hired}`)).body.proposal;
    expect(hired.contract).toMatchObject({ id: expect.any(String), status: expect.any(String) });
    const none = (await get(sandbox, `/proposals/${sandbox.ids.proposals.noInterview}`)).body.proposal;
    expect(none.aiInterview).toBeNull();
    expect(none.metrics.interviewScore).toBeNull();
    const details = expectEnvelope(
      await get(sandbox, `/proposals/${sandbox.ids.proposals.noInterview}/interview`),
      404,
      'NOT_FOUND',
    );
    expect(details).toEqual({ proposalId: sandbox.ids.proposals.noInterview });
  });

  it('marks the unavailable transcript and serves the long one in order', async () => {
    const unavailable = (await get(sandbox, `/proposals/${sandbox.ids.proposals.transcriptUnavailable}`)).body.proposal;
    expect(unavailable.aiInterview.transcriptAvailable).toBe(false);
    const { body } = await get(sandbox, `/proposals/${sandbox.ids.proposals.longTranscript}/interview`);
    expect(Object.keys(body.interview)).toEqual(['proposalId', 'interviewId', 'score', 'summary', 'messages']);
    const turns = body.interview.messages;
    expect(turns.length).toBeGreaterThanOrEqual(40);
    expect(turns.filter((turn: Json) => turn.content.length > 1000).length).toBeGreaterThanOrEqual(2);
    expect(turns[0].role).toBe('interviewer');
    expect(new Set(turns.map((turn: Json) => turn.role))).toEqual(new Set(['interviewer', 'candidate']));
    const sent = turns.map((turn: Json) => Date.parse(turn.sentAt));
    expect(sent).toEqual([...sent].sort((a, b) => a - b));
  });

  it('never puts contact details in a transcript', async () => {
    for (const proposalId of Object.values(sandbox.ids.proposals)) {
      const answer = await get(sandbox, `/proposals/${proposalId}/interview`);
      if (answer.status === 404) continue;
      for (const turn of answer.body.interview.messages) expect(turn.content).not.toMatch(CONTACT_DETAILS);
    }
  });

  it('refuses other accounts’ proposals with 403 and unknown ones with 404', async () => {
    expectEnvelope(await get(sandbox, `/proposals/${sandbox.ids.otherAccount.proposalId}`), 403, 'FORBIDDEN');
    expectEnvelope(await get(sandbox, `/proposals/${sandbox.ids.otherAccount.proposalId}/interview`), 403, 'FORBIDDEN');
    expectEnvelope(await get(sandbox, '/proposals/prop_missing'), 404, 'NOT_FOUND');
  });
});

describe('GET /freelancers/{idOrSlug}', () => {
  it('finds a profile by id and by slug', async () => {
    const byId = await get(sandbox, `/freelancers/${sandbox.ids.freelancers.withConversation}`);
    const bySlug = await get(sandbox, '/freelancers/maria-g');
    expect(byId.body).toEqual(bySlug.body);
    expect(Object.keys(byId.body.freelancer)).toEqual(FREELANCER_KEYS);
    expect(byId.body.freelancer).toMatchObject({
      displayName: 'Maria G.',
      lastNameInitial: 'G',
      talentType: 'Individual',
      profilePath: '/profile/maria-g',
      agency: null,
    });
  });

  it('shows agencies with their agency block', async () => {
    const { body } = await get(sandbox, `/freelancers/${sandbox.ids.freelancers.agency}`);
    expect(body.freelancer).toMatchObject({ talentType: 'Agency', lastNameInitial: null });
    expect(body.freelancer.agency).toMatchObject({ name: 'LinguaLabel Partners', headcount: 18 });
  });

  it('has a profile for every seeded candidate and hides the hidden one', async () => {
    const { hidden, ...visible } = sandbox.ids.freelancers;
    for (const id of Object.values(visible)) expect((await get(sandbox, `/freelancers/${id}`)).status).toBe(200);
    const details = expectEnvelope(await get(sandbox, `/freelancers/${hidden}`), 404, 'NOT_FOUND');
    expect(details).toEqual({ resource: 'freelancers', idOrSlug: hidden });
  });
});

describe('conversations and messages', () => {
  it('gets or creates a proposal conversation idempotently', async () => {
    const own = await sandboxFor();
    const path = `/proposals/${own.ids.proposals.spanishRecent}/conversation`;
    const first = await post(own, path);
    const second = await post(own, path);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      ok: true,
      proposalId: own.ids.proposals.spanishRecent,
      jobId: own.ids.jobs.spanish,
      created: true,
    });
    expect(second.body).toEqual({ ...first.body, created: false });
    const existing = await post(own, `/proposals/${own.ids.proposals.withConversation}/conversation`);
    expect(existing.body).toMatchObject({ conversationId: own.ids.conversations.existing, created: false });
  });

  it('refuses conversations that are not ready, other accounts’ proposals and unknown proposals', async () => {
    const notReady = await post(sandbox, `/proposals/${sandbox.ids.proposals.notReadyForMessaging}/conversation`);
    expect(expectEnvelope(notReady, 409, 'CONFLICT')).toEqual({ reason: 'proposal_not_ready_for_messaging' });
    expectEnvelope(
      await post(sandbox, `/proposals/${sandbox.ids.otherAccount.proposalId}/conversation`),
      403,
      'FORBIDDEN',
    );
    expectEnvelope(await post(sandbox, '/proposals/prop_missing/conversation'), 404, 'NOT_FOUND');
  });

  it('lists our conversations with unread and needs-reply counts and filters them', async () => {
    const all = (await get(sandbox, '/messages')).body;
    expect(all.nextCursor).toBeNull();
    expect(all.conversations.map((conversation: Json) => conversation.id)).toEqual([
      sandbox.ids.conversations.existing,
      sandbox.ids.conversations.postHire,
    ]);
    expect(all.conversations[0]).toMatchObject({
      type: 'DIRECT_MESSAGE',
      bucket: 'proposal',
      jobId: null,
      proposalId: sandbox.ids.proposals.withConversation,
      channelName: null,
      lastMessage: { isFromViewer: false },
      unreadCount: 1,
      needsReplyCount: 1,
    });
    expect(all.conversations[1]).toMatchObject({ bucket: 'job', jobId: sandbox.ids.jobs.archived, needsReplyCount: 0 });
    const jobs = (await get(sandbox, '/messages?filter=job')).body.conversations;
    expect(jobs.map((conversation: Json) => conversation.id)).toEqual([sandbox.ids.conversations.postHire]);
    const unread = (await get(sandbox, '/messages?unreadOnly=1')).body.conversations;
    expect(unread.map((conversation: Json) => conversation.id)).toEqual([sandbox.ids.conversations.existing]);
    const firstPage = (await get(sandbox, '/messages?limit=1')).body;
    expect(firstPage.nextCursor).toBe(sandbox.ids.conversations.existing);
    const secondPage = (await get(sandbox, `/messages?limit=1&cursor=${firstPage.nextCursor}`)).body;
    expect(secondPage.conversations[0].id).toBe(sandbox.ids.conversations.postHire);
    expect(expectEnvelope(await get(sandbox, '/messages?filter=team'), 400, 'BAD_REQUEST')).toEqual({
      field: 'filter',
    });
  });

  it('pages a thread back in time and tails it forward', async () => {
    const conversationId = sandbox.ids.conversations.existing;
    const whole = (await get(sandbox, `/messages?conversationId=${conversationId}`)).body;
    expect(whole.nextCursor).toBeNull();
    expect(whole.messages).toHaveLength(4);
    expect(Object.keys(whole.messages[0])).toEqual(MESSAGE_KEYS);
    expect(whole.messages.map((message: Json) => message.isFromViewer)).toEqual([true, false, true, false]);
    const ids = whole.messages.map((message: Json) => message.id);

    const latest = (await get(sandbox, `/messages?conversationId=${conversationId}&limit=2`)).body;
    expect(latest.messages.map((message: Json) => message.id)).toEqual(ids.slice(2));
    expect(latest.nextCursor).toBe(ids[2]);
    const older = (await get(sandbox, `/messages?conversationId=${conversationId}&limit=2&cursor=${latest.nextCursor}`))
      .body;
    expect(older.messages.map((message: Json) => message.id)).toEqual(ids.slice(0, 2));
    expect(older.nextCursor).toBeNull();

    const newer = (
      await get(sandbox, `/messages?conversationId=${conversationId}&direction=newer&cursor=${ids[0]}&limit=2`)
    ).body;
    expect(newer.messages.map((message: Json) => message.id)).toEqual(ids.slice(1, 3));
    expect(newer.nextCursor).toBe(ids[2]);
    const caughtUp = (await get(sandbox, `/messages?conversationId=${conversationId}&direction=newer&cursor=${ids[3]}`))
      .body;
    expect(caughtUp).toEqual({ messages: [], nextCursor: null });
  });

  it('hides unknown conversations and conversations we are not in behind 404', async () => {
    expectEnvelope(await get(sandbox, '/messages?conversationId=conv_missing'), 404, 'NOT_FOUND');
    expectEnvelope(
      await get(sandbox, `/messages?conversationId=${sandbox.ids.otherAccount.conversationId}`),
      404,
      'NOT_FOUND',
    );
    const limit = await get(sandbox, `/messages?conversationId=${sandbox.ids.conversations.existing}&limit=101`);
    expect(expectEnvelope(limit, 400, 'BAD_REQUEST')).toEqual({ field: 'limit' });
    const direction = await get(sandbox, `/messages?conversationId=${sandbox.ids.conversations.existing}&direction=up`);
    expect(expectEnvelope(direction, 400, 'BAD_REQUEST')).toEqual({ field: 'direction' });
  });

  it('enforces employer-first, relays candidate replies to the ledger and keeps our own sends out of it', async () => {
    const own = await sandboxFor();
    const { body: started } = await post(own, `/proposals/${own.ids.proposals.medicalTop}/conversation`);
    const { conversationId } = started;
    expect(() => own.addCandidateMessage(conversationId, 'Hello?')).toThrow(/employer/i);
    const tail = (await get(own, '/updates?limit=200')).body.nextCursor;

    const sent = await post(own, '/messages', { conversationId, content: 'Hi Tomasz — could you start next week?' });
    expect(sent.status).toBe(201);
    expect(sent.body.ok).toBe(true);
    expect(Object.keys(sent.body.message)).toEqual(MESSAGE_KEYS);
    expect(sent.body.message).toMatchObject({ conversationId, isFromViewer: true, senderUserId: own.ids.users.owner });
    expect((await get(own, `/updates?cursor=${tail}`)).body.events).toEqual([]);

    const { messageId } = own.addCandidateMessage(conversationId, 'Yes, Monday works for me.');
    const events = (await get(own, `/updates?cursor=${tail}`)).body.events;
    expect(events).toEqual([
      expect.objectContaining({ type: 'message.received', resourceId: messageId, data: { conversationId, messageId } }),
    ]);
    const summary = (await get(own, '/messages?filter=proposal')).body.conversations.find(
      (conversation: Json) => conversation.id === conversationId,
    );
    expect(summary).toMatchObject({ unreadCount: 1, needsReplyCount: 1, lastMessage: { id: messageId } });
    await post(own, '/messages', { conversationId, content: 'Great, see you then.' });
    const answered = (await get(own, '/messages?filter=proposal')).body.conversations.find(
      (conversation: Json) => conversation.id === conversationId,
    );
    expect(answered).toMatchObject({ unreadCount: 0, needsReplyCount: 0 });
    expect(own.state.messages.filter((message) => message.conversationId === conversationId)).toHaveLength(3);
  });

  it('validates sends and applies membership, read-only and content-policy rules', async () => {
    const own = await sandboxFor();
    const conversationId = own.ids.conversations.existing;
    const empty = expectEnvelope(await post(own, '/messages', { conversationId, content: '' }), 400, 'BAD_REQUEST');
    expect(empty.issues[0]).toMatchObject({ code: 'too_small', path: ['content'] });
    const long = expectEnvelope(
      await post(own, '/messages', { conversationId, content: 'x'.repeat(10_001) }),
      400,
      'BAD_REQUEST',
    );
    expect(long.issues[0]).toMatchObject({ code: 'too_big', path: ['content'] });
    expect((await post(own, '/messages', { conversationId, content: 'x'.repeat(10_000) })).status).toBe(201);
    const missing = expectEnvelope(await post(own, '/messages', { content: 'Hi' }), 400, 'BAD_REQUEST');
    expect(missing.issues[0].path).toEqual(['conversationId']);
    expectEnvelope(await post(own, '/messages', { conversationId: 'conv_missing', content: 'Hi' }), 404, 'NOT_FOUND');
    expectEnvelope(
      await post(own, '/messages', { conversationId: own.ids.otherAccount.conversationId, content: 'Hi' }),
      403,
      'FORBIDDEN',
    );

    const policy = await post(own, '/messages', { conversationId, content: 'Write to me at maria@example.com' });
    expect(expectEnvelope(policy, 403, 'FORBIDDEN')).toEqual({
      reason: 'message_policy_blocked',
      policy: 'contact_details',
    });
    own.blockMessagesMatching(/telegram/i, 'off_platform');
    const custom = await post(own, '/messages', { conversationId, content: 'ping me on Telegram' });
    expect(expectEnvelope(custom, 403, 'FORBIDDEN').policy).toBe('off_platform');

    own.setConversationReadOnly(conversationId, true);
    const readOnly = await post(own, '/messages', { conversationId, content: 'Still there?' });
    expect(expectEnvelope(readOnly, 409, 'CONFLICT')).toEqual({ reason: 'read_only_conversation' });
  });
});

describe('POST /jobs/{id}/invites', () => {
  it('invites once (201) and answers repeats with 200 alreadyInvited', async () => {
    const own = await sandboxFor();
    const path = `/jobs/${own.ids.jobs.medical}/invites`;
    const first = await post(own, path, { freelancerId: own.ids.freelancers.invitable });
    const second = await post(own, path, { freelancerId: own.ids.freelancers.invitable });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      ok: true,
      jobId: own.ids.jobs.medical,
      freelancerId: own.ids.freelancers.invitable,
      alreadyInvited: false,
    });
    expect(second.status).toBe(200);
    expect(second.body).toEqual({ ...first.body, alreadyInvited: true });
    expect(own.state.invites).toEqual([
      expect.objectContaining({ jobId: own.ids.jobs.medical, freelancerId: own.ids.freelancers.invitable }),
    ]);
  });

  it('answers the documented 409 reasons, 404s and 400', async () => {
    const reason = async (jobId: string, freelancerId: string) =>
      expectEnvelope(await post(sandbox, `/jobs/${jobId}/invites`, { freelancerId }), 409, 'CONFLICT').reason;
    expect(await reason(sandbox.ids.jobs.draft, sandbox.ids.freelancers.invitable)).toBe('job_not_published');
    expect(await reason(sandbox.ids.jobs.medical, sandbox.ids.users.otherEmployer)).toBe('not_a_freelancer');
    expect(await reason(sandbox.ids.jobs.medical, sandbox.ids.freelancers.unavailable)).toBe('freelancer_unavailable');
    const invitable = { freelancerId: sandbox.ids.freelancers.invitable };
    expectEnvelope(await post(sandbox, '/jobs/job_missing/invites', invitable), 404, 'NOT_FOUND');
    expectEnvelope(await post(sandbox, `/jobs/${sandbox.ids.otherAccount.jobId}/invites`, invitable), 404, 'NOT_FOUND');
    expectEnvelope(
      await post(sandbox, `/jobs/${sandbox.ids.jobs.medical}/invites`, { freelancerId: 'usr_missing' }),
      404,
      'NOT_FOUND',
    );
    const details = expectEnvelope(
      await post(sandbox, `/jobs/${sandbox.ids.jobs.medical}/invites`, {}),
      400,
      'BAD_REQUEST',
    );
    expect(details.issues).toEqual([expect.objectContaining({ code: 'invalid_type', path: ['freelancerId'] })]);
  });
});

describe('hiring approvals', () => {
  it('returns one pending approval per terms and resolves it into ledger events', async () => {
    const own = await sandboxFor();
    const path = `/proposals/${own.ids.proposals.medicalTop}/hire`;
    const terms = { milestone: { name: 'First batch', amount: 300, dueDate: '2026-07-01' } };
    const first = await post(own, path, terms);
    const again = await post(own, path, terms);
    expect(first.status).toBe(202);
    expect(first.body.approval).toMatchObject({
      type: 'proposal_hire',
      status: 'pending',
      proposalId: own.ids.proposals.medicalTop,
      jobId: own.ids.jobs.medical,
      result: null,
    });
    expect(typeof first.body.message).toBe('string');
    expect(again.body.approval.id).toBe(first.body.approval.id);
    const changed = await post(own, path, { milestone: { name: 'First batch', amount: 400 } });
    expect(changed.body.approval.id).not.toBe(first.body.approval.id);
    const approvalId = changed.body.approval.id;
    expect((await get(own, `/approvals/${approvalId}`)).body.approval.status).toBe('pending');
    expect(expectEnvelope(await get(own, '/approvals/appr_missing'), 404, 'NOT_FOUND')).toEqual({
      resource: 'approvals',
      approvalId: 'appr_missing',
    });
    const invalid = await post(own, path, { milestone: { amount: 0 } });
    expect(expectEnvelope(invalid, 400, 'BAD_REQUEST').issues.length).toBeGreaterThan(0);

    const tail = (await get(own, '/updates?limit=200')).body.nextCursor;
    own.resolveApproval(approvalId, 'confirmed');
    const approval = (await get(own, `/approvals/${approvalId}`)).body.approval;
    expect(approval).toMatchObject({ status: 'confirmed', result: { hired: true } });
    const types = (await get(own, `/updates?cursor=${tail}`)).body.events.map((event: Json) => event.type);
    expect(types).toEqual(['proposal.status_changed', 'contract.created', 'approval.confirmed']);
  });

  it('expires pending approvals after 72 hours', async () => {
    let clock = Date.parse('2026-06-12T10:00:00.000Z');
    const own = await sandboxFor({ now: () => new Date(clock) });
    const { body } = await post(own, `/proposals/${own.ids.proposals.agency}/hire`, {
      milestone: { description: 'Label the first 5,000 posts', amount: 300 },
    });
    expect(body.approval.expiresAt).toBe('2026-06-15T10:00:00.000Z');
    clock += 73 * 3_600_000;
    const expired = (await get(own, `/approvals/${body.approval.id}`)).body.approval;
    expect(expired.status).toBe('expired');
    const last = (await get(own, '/updates?limit=200')).body.events.at(-1);
    expect(last).toMatchObject({
      type: 'approval.confirmed',
      data: { approvalId: body.approval.id, status: 'expired' },
    });
  });
});

describe('hire gates, as strict as the docs (docs/opentrain.md#hiring)', () => {
  const milestone = { milestone: { name: 'First batch', amount: 100 } };

  it('answers 403 in the documented envelope for a missing scope, the feature off and an unclaimed account', async () => {
    const own = await sandboxFor();
    const path = `/proposals/${own.ids.proposals.medicalTop}/hire`;
    own.addToken('ot_pat_read_only', { scopes: ['proposals:read', 'payments:read'] });
    expect(expectEnvelope(await post(own, path, milestone, 'ot_pat_read_only'), 403, 'FORBIDDEN')).toMatchObject({
      requiredScopes: ['proposals:write'],
      grantedScopes: ['proposals:read', 'payments:read'],
    });
    expect(expectEnvelope(await post(own, path, milestone, SANDBOX_TOKENS.unclaimed), 403, 'FORBIDDEN')).toEqual({
      reason: 'account_claim_required',
      action: 'hire AI trainers',
      claimUrl: 'https://app.opentrain.ai/claim',
    });
    own.setFeature('public_api_hiring', false);
    expect(expectEnvelope(await post(own, path, milestone), 403, 'FORBIDDEN')).toEqual({
      featureKey: 'public_api_hiring',
    });
    expect(own.state.approvals.size).toBe(0);
  });

  it('answers 409 payment_method_required with billingUrl unless a payment method or enough credits fund it', async () => {
    const own = await sandboxFor();
    const path = `/proposals/${own.ids.proposals.medicalTop}/hire`;
    own.setBilling({ paymentMethod: false, creditsUsd: 119.94 });
    // $100 + 10 % + $9.95 = $119.95: one cent short.
    expect(expectEnvelope(await post(own, path, milestone), 409, 'CONFLICT')).toEqual({
      reason: 'payment_method_required',
      billingUrl: 'https://app.opentrain.ai/settings/billing',
    });
    own.setBilling({ paymentMethod: false, creditsUsd: 119.95 });
    expect((await post(own, path, milestone)).status).toBe(202);
  });

  it('answers 409 for an already hired proposal, and for a Not-a-fit one without the confirmation flag', async () => {
    const own = await sandboxFor();
    expect(
      expectEnvelope(await post(own, `/proposals/${own.ids.proposals.hired}/hire`, milestone), 409, 'CONFLICT'),
    ).toEqual({ reason: 'proposal_already_hired' });
    const notAFit = `/proposals/${own.ids.proposals.transcriptUnavailable}/hire`;
    expect(expectEnvelope(await post(own, notAFit, milestone), 409, 'CONFLICT')).toEqual({
      reason: 'not_a_fit_confirmation_required',
    });
    expect((await post(own, notAFit, { ...milestone, confirmNotAFit: 'yes' })).status).toBe(409);
    const confirmed = await post(own, notAFit, { ...milestone, confirmNotAFit: true });
    expect(confirmed.status).toBe(202);
    expect(confirmed.body.approval.status).toBe('pending');
  });

  it('sets billing through the knob', async () => {
    const own = await sandboxFor();
    const answer = await fetch(`${own.knobUrl}/billing`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ paymentMethod: false }),
    });
    expect(answer.status).toBe(200);
    const refused = await post(own, `/proposals/${own.ids.proposals.medicalTop}/hire`, milestone);
    expect(refused.body.details.reason).toBe('payment_method_required');
    const bad = await fetch(`${own.knobUrl}/billing`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ paymentMethod: 'no' }),
    });
    expect(bad.status).toBe(400);
  });
});

describe('GET /updates', () => {
  it('serves the seeded history oldest first with increasing numeric-string ids, only for this account', async () => {
    const { body } = await get(sandbox, '/updates?limit=200');
    expect(body.hasMore).toBe(false);
    const ids = body.events.map((event: Json) => Number(event.id));
    expect(body.events.every((event: Json) => /^\d+$/.test(event.id))).toBe(true);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
    expect(body.nextCursor).toBe(body.events.at(-1).id);
    const received = body.events.filter((event: Json) => event.type === 'proposal.received');
    expect(received.map((event: Json) => event.resourceId).sort()).toEqual(Object.values(sandbox.ids.proposals).sort());
    expect(body.events.some((event: Json) => event.type === 'proposal.status_changed')).toBe(true);
    expect(body.events.some((event: Json) => event.type === 'message.received')).toBe(true);
    expect(body.events.some((event: Json) => event.jobId === sandbox.ids.otherAccount.jobId)).toBe(false);
    expect(Object.keys(body.events[0])).toEqual([
      'id',
      'type',
      'apiVersion',
      'createdAt',
      'resourceId',
      'jobId',
      'data',
    ]);
  });

  it('pages with cursors, reports hasMore and echoes the cursor on an empty page', async () => {
    const all = (await get(sandbox, '/updates?limit=200')).body.events.map((event: Json) => event.id);
    const seen: string[] = [];
    let cursor = '';
    for (;;) {
      const page: Answer = await get(sandbox, `/updates?limit=4${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.body.events.map((event: Json) => event.id));
      cursor = page.body.nextCursor;
      if (!page.body.hasMore) break;
    }
    expect(seen).toEqual(all);
    const empty = (await get(sandbox, `/updates?cursor=${cursor}`)).body;
    expect(empty).toEqual({ events: [], nextCursor: cursor, hasMore: false });
  });

  it('rejects bad limits and cursors with details.field', async () => {
    for (const limit of ['0', '201', 'ten']) {
      expect(expectEnvelope(await get(sandbox, `/updates?limit=${limit}`), 400, 'BAD_REQUEST')).toEqual({
        field: 'limit',
      });
    }
    expect(expectEnvelope(await get(sandbox, '/updates?cursor=abc'), 400, 'BAD_REQUEST')).toEqual({ field: 'cursor' });
  });

  it('records new proposals and status changes and drops event types the token cannot read', async () => {
    const own = await sandboxFor();
    own.addToken('ot_pat_messages_only', { scopes: ['messages:read'] });
    const tail = (await get(own, '/updates?limit=200')).body.nextCursor;
    const { proposalId } = own.addProposal(own.ids.jobs.spanish);
    own.setProposalStatus(proposalId, 'shortlisted');
    const events = (await get(own, `/updates?cursor=${tail}`)).body.events;
    expect(events).toEqual([
      expect.objectContaining({
        type: 'proposal.received',
        resourceId: proposalId,
        jobId: own.ids.jobs.spanish,
        data: { proposalId, jobId: own.ids.jobs.spanish },
      }),
      expect.objectContaining({ type: 'proposal.status_changed', data: { proposalId, status: 'SHORTLISTED' } }),
    ]);
    const messagesOnly = (await get(own, '/updates?limit=200', 'ot_pat_messages_only')).body.events;
    expect(messagesOnly.length).toBeGreaterThan(0);
    expect(messagesOnly.every((event: Json) => event.type === 'message.received')).toBe(true);
  });

  it('keeps up with a thousand new proposals read 200 at a time', async () => {
    const own = await sandboxFor({ seed: false });
    expect((await get(own, '/updates')).body).toEqual({ events: [], nextCursor: '0', hasMore: false });
    const added = own.addProposals(own.ids.jobs.spanish, 1000);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Answer = await get(own, `/updates?limit=200${cursor ? `&cursor=${cursor}` : ''}`);
      pages += 1;
      seen.push(...page.body.events.map((event: Json) => event.resourceId));
      cursor = page.body.hasMore ? page.body.nextCursor : null;
    } while (cursor);
    expect(pages).toBe(5);
    expect(seen).toEqual(added);
    const detail = await get(own, `/proposals/${added[999]}`);
    expect(detail.body.proposal.id).toBe(added[999]);
  });
});

// ---- webhooks -------------------------------------------------------------------------------------------------------

interface ReceivedDelivery {
  headers: IncomingHttpHeaders;
  rawBody: string;
}

/** A local webhook endpoint answering with the queued statuses (then 200). */
async function startReceiver(
  statuses: number[] = [],
): Promise<{ url: string; received: ReceivedDelivery[]; server: Server }> {
  const received: ReceivedDelivery[] = [];
  const queue = [...statuses];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, rawBody: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(queue.shift() ?? 200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receivers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/opentrain`, received, server };
}

const receivers: Server[] = [];
afterAll(async () => {
  await Promise.all(receivers.map((server) => new Promise((resolve) => server.close(resolve))));
});

describe('webhooks', () => {
  it('signs like the documented test vector', () => {
    // opentrain-examples/assumed/webhook-signature-test-vector.json
    const rawBody =
      '{"id":"1042","type":"proposal.received","apiVersion":"v1","createdAt":"2026-06-12T10:00:00.000Z","resourceId":"<PROPOSAL_ID>","jobId":"<JOB_ID>","data":{"proposalId":"<PROPOSAL_ID>","jobId":"<JOB_ID>"}}';
    expect(signWebhookPayload('whsec_test_secret', 1781258400, rawBody)).toBe(
      't=1781258400,v1=ea95022de4faa59ae4404b9384e610e58769684c78d93ce311cdd82c96dcbe58',
    );
  });

  it('manages subscriptions over the API: secret once, list newest first, get, delete, cap of ten', async () => {
    const own = await sandboxFor();
    const created = await post(own, '/webhooks', {
      url: 'https://example.com/hooks/opentrain',
      eventTypes: ['proposal.received', 'message.received', 'proposal.received'],
    });
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^whsec_/);
    expect(created.body.webhook).toMatchObject({
      url: 'https://example.com/hooks/opentrain',
      eventTypes: ['proposal.received', 'message.received'],
      status: 'ACTIVE',
      disabledAt: null,
      disabledReason: null,
    });
    const { id } = created.body.webhook;
    const second = await post(own, '/webhooks', { url: 'http://localhost:9/hook', eventTypes: ['approval.confirmed'] });
    const list = (await get(own, '/webhooks')).body.webhooks;
    expect(list.map((webhook: Json) => webhook.id)).toEqual([second.body.webhook.id, id]);
    expect(JSON.stringify(list)).not.toContain('whsec_');
    expect((await get(own, `/webhooks/${id}`)).body.webhook.id).toBe(id);
    const deleted = await call(own, 'DELETE', `/webhooks/${id}`);
    expect(deleted.body).toMatchObject({ deleted: true, webhook: { id } });
    expect(expectEnvelope(await get(own, `/webhooks/${id}`), 404, 'NOT_FOUND')).toEqual({
      resource: 'webhooks',
      webhookId: id,
    });

    const invalid = await post(own, '/webhooks', { url: 'http://example.com/hook', eventTypes: ['proposal.exploded'] });
    expect(expectEnvelope(invalid, 400, 'BAD_REQUEST').issues).toHaveLength(2);
    for (let index = 0; index < 9; index += 1) {
      expect(
        (await post(own, '/webhooks', { url: `https://example.com/${index}`, eventTypes: ['payment.pending'] })).status,
      ).toBe(201);
    }
    const capped = await post(own, '/webhooks', { url: 'https://example.com/11', eventTypes: ['payment.pending'] });
    expect(expectEnvelope(capped, 409, 'CONFLICT').reason).toBe('webhook_limit_reached');
  });

  it('delivers signed event records to matching subscriptions', async () => {
    const own = await sandboxFor();
    const receiver = await startReceiver();
    const other = await startReceiver();
    const secret = 'whsec_contract_test';
    own.addWebhook(receiver.url, secret, ['proposal.received']);
    own.addWebhook(other.url, 'whsec_other', ['message.received']);
    const { proposalId } = own.addProposal(own.ids.jobs.spanish);

    const [delivery] = await waitFor(() => receiver.received.length > 0 && receiver.received);
    const { headers, rawBody } = delivery!;
    expect(headers['content-type']).toBe('application/json');
    expect(headers['user-agent']).toBe('OpenTrain-Webhooks/1.0');
    expect(headers['x-opentrain-event']).toBe('proposal.received');
    expect(headers['x-opentrain-delivery']).toEqual(expect.any(String));
    const signature = String(headers['x-opentrain-signature']);
    const parts = Object.fromEntries(signature.split(',').map((part) => part.split('=') as [string, string]));
    const expected = createHmac('sha256', secret).update(`${parts.t}.${rawBody}`).digest('hex');
    expect(parts.v1).toBe(expected);
    expect(Math.abs(Date.now() / 1000 - Number(parts.t))).toBeLessThan(300);

    const event = JSON.parse(rawBody);
    expect(event).toMatchObject({ type: 'proposal.received', resourceId: proposalId, data: { proposalId } });
    const ledger = (await get(own, '/updates?limit=200')).body.events;
    expect(ledger.at(-1)).toEqual(event);
    expect(rawBody).toBe(JSON.stringify(event));
    expect(other.received).toHaveLength(0);
  });

  it('retries failed deliveries with the same delivery id, up to five attempts', async () => {
    const own = await sandboxFor();
    const flaky = await startReceiver([500, 503]);
    const dead = await startReceiver([500, 500, 500, 500, 500]);
    own.addWebhook(flaky.url, 'whsec_flaky', ['proposal.status_changed']);
    own.addWebhook(dead.url, 'whsec_dead', ['proposal.status_changed']);
    own.setProposalStatus(own.ids.proposals.spanishRecent, 'SHORTLISTED');

    await waitFor(() => flaky.received.length === 3 && dead.received.length === 5);
    const flakyIds = new Set(flaky.received.map((delivery) => delivery.headers['x-opentrain-delivery']));
    expect(flakyIds.size).toBe(1);
    expect(new Set(dead.received.map((delivery) => delivery.headers['x-opentrain-delivery'])).size).toBe(1);
    expect(flakyIds.has(dead.received[0]!.headers['x-opentrain-delivery'])).toBe(false);
    const rows = await waitFor(() => own.deliveries.length === 8 && own.deliveries);
    const flakyRows = rows.filter((row) => row.url === flaky.url);
    expect(flakyRows.map((row) => [row.attempt, row.status])).toEqual([
      [1, 500],
      [2, 503],
      [3, 200],
    ]);
    expect(rows.filter((row) => row.url === dead.url).map((row) => row.attempt)).toEqual([1, 2, 3, 4, 5]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(dead.received).toHaveLength(5);
  });
});

describe('faults, latency and the request log', () => {
  it('fails the next matching requests with 5xx envelopes, then recovers', async () => {
    const own = await sandboxFor();
    own.injectFaults({ status: 503, count: 2, match: /\/jobs\/mine/ });
    expect((await get(own, '/auth/me')).status).toBe(200);
    expectEnvelope(await get(own, '/jobs/mine'), 503, 'INTERNAL_ERROR');
    expectEnvelope(await get(own, '/jobs/mine'), 503, 'INTERNAL_ERROR');
    expect((await get(own, '/jobs/mine')).status).toBe(200);
  });

  it('sends Retry-After and details.retryAfterSeconds on 429, and reasons on injected 403s', async () => {
    const own = await sandboxFor();
    own.injectFaults({ status: 429, count: 1, method: 'POST', match: /\/messages/, retryAfterSeconds: 7 });
    expect((await get(own, '/messages')).status).toBe(200);
    const limited = await post(own, '/messages', { conversationId: own.ids.conversations.existing, content: 'Hi' });
    expect(expectEnvelope(limited, 429, 'RATE_LIMITED')).toEqual({ retryAfterSeconds: 7 });
    expect(limited.headers.get('retry-after')).toBe('7');
    own.injectFaults({ status: 403, count: 1, reason: 'teams_not_enabled' });
    expect(expectEnvelope(await get(own, '/auth/me'), 403, 'FORBIDDEN')).toEqual({ reason: 'teams_not_enabled' });
    own.injectFaults({ status: 500, count: 5 });
    own.clearFaults();
    expect((await get(own, '/auth/me')).status).toBe(200);
  });

  it('delays matching requests and drops connections on request', async () => {
    const own = await sandboxFor();
    own.setLatency(150, /\/updates/);
    let started = Date.now();
    await get(own, '/auth/me');
    expect(Date.now() - started).toBeLessThan(150);
    started = Date.now();
    await get(own, '/updates');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    own.setLatency(0);
    own.injectFaults({ status: 0, count: 1, dropConnection: true });
    await expect(
      fetch(`${own.url}/auth/me`, { headers: { authorization: `Bearer ${SANDBOX_TOKENS.owner}` } }),
    ).rejects.toThrow();
    expect((await get(own, '/auth/me')).status).toBe(200);
    expect(own.requests.at(-2)).toMatchObject({ path: '/auth/me', status: null });
  });

  it('records every API request', async () => {
    const own = await sandboxFor();
    await get(own, '/jobs/mine?limit=2');
    await post(own, '/messages', { conversationId: own.ids.conversations.existing, content: 'Hello again' });
    await get(own, '/jobs/mine', null);
    expect(own.requests).toEqual([
      expect.objectContaining({
        method: 'GET',
        path: '/jobs/mine',
        query: { limit: '2' },
        status: 200,
        token: SANDBOX_TOKENS.owner,
      }),
      expect.objectContaining({
        method: 'POST',
        path: '/messages',
        body: { conversationId: own.ids.conversations.existing, content: 'Hello again' },
        status: 201,
      }),
      expect.objectContaining({ path: '/jobs/mine', status: 401, token: null }),
    ]);
    expect(own.requests[0]!.at).toBeInstanceOf(Date);
    own.clearRequests();
    expect(own.requests).toHaveLength(0);
  });
});

describe('knobs over HTTP', () => {
  async function knob(own: OpenTrainSandbox, method: string, path: string, body?: unknown): Promise<Answer> {
    const response = await fetch(`${own.knobUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, headers: response.headers, body: await response.json() };
  }

  it('lists ids and tokens, adds proposals, changes statuses and injects faults', async () => {
    const own = await sandboxFor();
    const index = await knob(own, 'GET', '');
    expect(index.body).toMatchObject({ apiBaseUrl: own.url, tokens: SANDBOX_TOKENS, ids: { jobs: own.ids.jobs } });
    const added = await knob(own, 'POST', '/proposals', {
      jobId: own.ids.jobs.medical,
      variant: 'guide',
      interviewScore: 91,
      candidate: { firstName: 'Noor', lastNameInitial: 'A' },
    });
    expect(added.status).toBe(201);
    const detail = (await get(own, `/proposals/${added.body.proposalId}`)).body.proposal;
    expect(detail).toMatchObject({
      candidate: { displayName: 'Noor A.', lastNameInitial: 'A.' },
      metrics: { interviewScore: 9.1 },
    });
    const bulk = await knob(own, 'POST', '/proposals', { jobId: own.ids.jobs.medical, count: 3 });
    expect(bulk.body.proposalIds).toHaveLength(3);
    expect((await knob(own, 'POST', `/proposals/${added.body.proposalId}/status`, { status: 'DECLINED' })).status).toBe(
      200,
    );
    expect(own.state.proposals.get(added.body.proposalId)!.status).toBe('DECLINED');

    const conversationId = (await post(own, `/proposals/${own.ids.proposals.guideRecent}/conversation`)).body
      .conversationId;
    const early = await knob(own, 'POST', `/conversations/${conversationId}/candidate-messages`, { content: 'Hi' });
    expect(early.status).toBe(409);
    expect(early.body.details).toEqual({ reason: 'employer_first_message_required' });
    const reply = await knob(own, 'POST', `/conversations/${own.ids.conversations.existing}/candidate-messages`, {
      content: 'Following up on my question.',
    });
    expect(reply.body.messageId).toEqual(expect.any(String));

    await knob(own, 'POST', '/faults', { status: 502, count: 1, match: 'auth/me' });
    expectEnvelope(await get(own, '/auth/me'), 502, 'INTERNAL_ERROR');
    expect((await knob(own, 'POST', '/faults', { status: 'x' })).status).toBe(400);
    expect((await knob(own, 'GET', '/nothing')).status).toBe(404);
  });
});
