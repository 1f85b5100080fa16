// The real OpenTrain client against the sandbox over HTTP: every endpoint the bot uses, pagination through the async
// iterators, the documented error paths as OpenTrainError, and the retry/timeout policy.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  OpenTrainClient,
  type OpenTrainClientOptions,
  OpenTrainError,
  type RequestAttemptInfo,
} from '../../src/api/index.js';
import { type OpenTrainSandbox, SANDBOX_TOKENS, startOpenTrainSandbox } from '../../src/sandbox/opentrain/index.js';

const started: OpenTrainSandbox[] = [];

async function freshSandbox(): Promise<OpenTrainSandbox> {
  const sandbox = await startOpenTrainSandbox();
  started.push(sandbox);
  return sandbox;
}

interface TestClient {
  client: OpenTrainClient;
  attempts: RequestAttemptInfo[];
  sleeps: number[];
}

/** A client whose retry waits are recorded instead of slept, so backoff and Retry-After are observable and fast. */
function clientFor(sandbox: OpenTrainSandbox, options: Partial<OpenTrainClientOptions> = {}): TestClient {
  const attempts: RequestAttemptInfo[] = [];
  const sleeps: number[] = [];
  const client = new OpenTrainClient({
    baseUrl: sandbox.url,
    token: SANDBOX_TOKENS.owner,
    onRequest: (info) => attempts.push(info),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...options,
  });
  return { client, attempts, sleeps };
}

async function failure(promise: Promise<unknown>): Promise<OpenTrainError> {
  const error = await promise.then(
    () => null,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(OpenTrainError);
  const apiError = error as OpenTrainError;
  expect(apiError.userMessage.length).toBeGreaterThan(0);
  return apiError;
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

let sandbox: OpenTrainSandbox;
let owner: OpenTrainClient;
let unclaimed: OpenTrainClient;

beforeAll(async () => {
  sandbox = await freshSandbox();
  owner = clientFor(sandbox).client;
  unclaimed = clientFor(sandbox, { token: SANDBOX_TOKENS.unclaimed }).client;
});

afterAll(async () => {
  await Promise.all(started.map((instance) => instance.close()));
});

describe('identity and capabilities', () => {
  it('reads /auth/me and infers the claim state from the scopes', async () => {
    expect(await owner.authMe()).toMatchObject({
      userId: sandbox.ids.users.owner,
      fullName: 'Mira Chen',
      organizationId: sandbox.ids.organizationId,
      claimed: true,
    });
    const agent = await unclaimed.authMe();
    expect(agent.claimed).toBe(false);
    expect(agent.scopes).not.toContain('messages:write');
  });

  it('reads capabilities and sees a feature switched off', async () => {
    const own = await freshSandbox();
    const { client } = clientFor(own);
    expect(await client.capabilities()).toMatchObject({ enabled: true, capabilities: { hiring: true } });
    own.setFeature('public_api_messaging_writes', false);
    expect((await client.capabilities()).capabilities.messagingWrites).toBe(false);
  });

  it('surfaces 401 for a bad token without retrying', async () => {
    const { client, attempts } = clientFor(sandbox, { token: 'ot_pat_revoked' });
    const error = await failure(client.authMe());
    expect(error).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
    expect(error.requestId).toMatch(/^req_/);
    expect(attempts).toHaveLength(1);
  });
});

describe('jobs and proposals', () => {
  it('lists jobs through the iterator and rejects unknown statuses', async () => {
    const jobs = await collect(owner.myJobs());
    expect(jobs.map((job) => job.id).sort()).toEqual(Object.values(sandbox.ids.jobs).sort());
    const spanish = jobs.find((job) => job.id === sandbox.ids.jobs.spanish)!;
    expect(spanish).toMatchObject({ status: 'OPEN', published: true, proposalCounts: { total: 8 } });
    const open = await collect(owner.myJobs({ status: 'OPEN' }));
    expect(open.map((job) => job.id).sort()).toEqual([sandbox.ids.jobs.spanish, sandbox.ids.jobs.medical].sort());
    const error = await failure(owner.listMyJobs({ status: 'LIVE' }));
    expect(error.status).toBe(400);
    expect(error.supportedStatuses).toContain('PENDING_APPROVAL');
  });

  it('pages proposals with small pages and normalises both payload variants', async () => {
    const { client, attempts } = clientFor(sandbox);
    const pagedIds = (await collect(client.proposals(sandbox.ids.jobs.medical, { limit: 2 }))).map((p) => p.id);
    expect(attempts.length).toBe(3);
    const whole = await owner.listProposals(sandbox.ids.jobs.medical);
    expect(whole.nextCursor).toBeNull();
    expect(pagedIds).toEqual(whole.proposals.map((proposal) => proposal.id));

    const byId = new Map(whole.proposals.map((proposal) => [proposal.id, proposal]));
    expect(byId.get(sandbox.ids.proposals.guide)).toMatchObject({
      interviewScore: 86,
      matchScore: 87,
      bid: { amountUsd: 42, unit: 'PER_HOUR', labelerHourlyRateUsd: 55 },
      candidate: { displayName: 'Alex R.', talentType: 'individual', countryCode: null },
      status: { raw: 'SHORTLISTED', label: 'Shortlisted' },
    });
    expect(byId.get(sandbox.ids.proposals.medicalTop)).toMatchObject({
      interviewScore: 94,
      matchScore: 93,
      candidate: { countryCode: 'PL', talentType: 'individual' },
    });
    expect(byId.get(sandbox.ids.proposals.oddUnit)!.bid.unit).toBe('PER_IMAGE');
    const agency = await owner.getProposal(sandbox.ids.proposals.agency);
    expect(agency.candidate.talentType).toBe('agency');
    expect(agency.candidate.displayName).toBe('LinguaLabel Partners');
  });

  it('filters proposals by a forgiving status and explains an invalid one', async () => {
    const notAFit = await collect(owner.proposals(sandbox.ids.jobs.spanish, { status: 'not a fit' }));
    expect(notAFit.map((proposal) => proposal.id)).toEqual([sandbox.ids.proposals.transcriptUnavailable]);
    const error = await failure(owner.listProposals(sandbox.ids.jobs.spanish, { status: 'ghosted' }));
    expect(error.status).toBe(400);
    expect(error.supportedStatuses).toEqual([
      'UNREVIEWED',
      'SHORTLISTED',
      'MAYBE',
      'HIRED',
      'DECLINED',
      'NOT_A_FIT',
      'RESUME_SENT',
    ]);
  });

  it('reads proposal details with interview and verification blocks', async () => {
    const reference = await owner.getProposal(sandbox.ids.proposals.withConversation);
    expect(reference).toMatchObject({
      jobId: sandbox.ids.jobs.spanish,
      interviewScore: 86,
      matchScore: 91,
      bid: { amountUsd: 0.06, unit: 'PER_LABEL', labelerHourlyRateUsd: null },
      aiInterview: { score: 86, transcriptAvailable: true },
      verification: { identityVerified: true, location: { status: 'PASSED', method: 'GPS' } },
    });
    const guide = await owner.getProposal(sandbox.ids.proposals.guide);
    expect(guide.aiInterview).toBeNull();
    expect(guide.verification).toBeNull();
    const fixed = await owner.getProposal(sandbox.ids.proposals.fixedBid);
    expect(fixed.bid.unit).toBe('FIXED');
    const noInterview = await owner.getProposal(sandbox.ids.proposals.noInterview);
    expect(noInterview).toMatchObject({ aiInterview: null, interviewScore: null });
  });

  it('reads transcripts and reports a missing interview as 404', async () => {
    const transcript = await owner.getInterview(sandbox.ids.proposals.longTranscript);
    expect(transcript.proposalId).toBe(sandbox.ids.proposals.longTranscript);
    expect(transcript.turns.length).toBeGreaterThanOrEqual(40);
    expect(transcript.turns.some((turn) => turn.content.length > 1000)).toBe(true);
    expect(transcript.turns[0]!.role).toBe('interviewer');
    const error = await failure(owner.getInterview(sandbox.ids.proposals.noInterview));
    expect(error).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    expect(error.details.proposalId).toBe(sandbox.ids.proposals.noInterview);
  });

  it('refuses another account’s job and proposal with 403 and unknown ids with 404', async () => {
    expect((await failure(owner.listProposals(sandbox.ids.otherAccount.jobId))).status).toBe(403);
    expect((await failure(owner.getProposal(sandbox.ids.otherAccount.proposalId))).status).toBe(403);
    expect((await failure(owner.getProposal('prop_missing'))).status).toBe(404);
  });
});

describe('freelancer profiles', () => {
  it('reads profiles by id and slug, agencies included, and hides the hidden one', async () => {
    const byId = await owner.getFreelancer(sandbox.ids.freelancers.withConversation);
    const bySlug = await owner.getFreelancer('maria-g');
    expect(byId).toEqual(bySlug);
    expect(byId).toMatchObject({
      displayName: 'Maria G.',
      // The client takes the app origin from its base URL, so sandbox profile links point at the sandbox host.
      profileUrl: `${new URL(sandbox.url).origin}/profile/maria-g`,
      talentType: 'individual',
      agency: null,
    });
    expect(byId.languages).toContainEqual({ language: 'Spanish', proficiency: 'NATIVE' });
    const agency = await owner.getFreelancer(sandbox.ids.freelancers.agency);
    expect(agency).toMatchObject({ talentType: 'agency', agency: { name: 'LinguaLabel Partners', headcount: 18 } });
    const error = await failure(owner.getFreelancer(sandbox.ids.freelancers.hidden));
    expect(error).toMatchObject({ status: 404, resource: 'freelancers' });
  });
});

describe('conversations and messages', () => {
  it('starts conversations idempotently and explains the 409', async () => {
    const own = await freshSandbox();
    const { client } = clientFor(own);
    const first = await client.startConversation(own.ids.proposals.spanishRecent);
    const again = await client.startConversation(own.ids.proposals.spanishRecent);
    expect(first).toMatchObject({
      proposalId: own.ids.proposals.spanishRecent,
      jobId: own.ids.jobs.spanish,
      created: true,
    });
    expect(again).toEqual({ ...first, created: false });
    const error = await failure(client.startConversation(own.ids.proposals.notReadyForMessaging));
    expect(error).toMatchObject({ status: 409, reason: 'proposal_not_ready_for_messaging' });
  });

  it('lists conversations page by page with their counts', async () => {
    const { client, attempts } = clientFor(sandbox);
    const all = await collect(client.conversations({ limit: 1 }));
    expect(attempts).toHaveLength(2);
    expect(all.map((conversation) => conversation.id)).toEqual([
      sandbox.ids.conversations.existing,
      sandbox.ids.conversations.postHire,
    ]);
    expect(all[0]).toMatchObject({
      bucket: 'proposal',
      proposalId: sandbox.ids.proposals.withConversation,
      unreadCount: 1,
      needsReplyCount: 1,
    });
    const jobThreads = await owner.listConversations({ filter: 'job' });
    expect(jobThreads.conversations.map((conversation) => conversation.id)).toEqual([
      sandbox.ids.conversations.postHire,
    ]);
    const unread = await owner.listConversations({ unreadOnly: true });
    expect(unread.conversations.map((conversation) => conversation.id)).toEqual([sandbox.ids.conversations.existing]);
  });

  it('reads a thread backwards and tails it forwards, oldest first', async () => {
    const conversationId = sandbox.ids.conversations.existing;
    const everything = await collect(owner.messages(conversationId, { limit: 1 }));
    expect(everything).toHaveLength(4);
    const whole = await owner.listMessages(conversationId);
    expect(whole.messages.map((message) => message.isFromViewer)).toEqual([true, false, true, false]);
    expect(new Set(everything.map((message) => message.id))).toEqual(new Set(whole.messages.map((m) => m.id)));
    const first = whole.messages[0]!;
    const tail = await collect(owner.messages(conversationId, { direction: 'newer', cursor: first.id, limit: 2 }));
    expect(tail.map((message) => message.id)).toEqual(whole.messages.slice(1).map((message) => message.id));
    const caughtUp = await owner.listMessages(conversationId, { direction: 'newer', cursor: whole.messages[3]!.id });
    expect(caughtUp).toEqual({ messages: [], nextCursor: null });
    expect((await failure(owner.listMessages(sandbox.ids.otherAccount.conversationId))).status).toBe(404);
  });

  it('sends messages, sees the candidate’s reply in the ledger, and explains refusals', async () => {
    const own = await freshSandbox();
    const { client, attempts } = clientFor(own);
    const { conversationId } = await client.startConversation(own.ids.proposals.guideRecent);
    const cursor = (await client.getUpdates({ limit: 200 })).nextCursor;
    const sent = await client.sendMessage(conversationId, 'Hi Priya — could you take a 200-image pilot batch?');
    expect(sent).toMatchObject({ conversationId, isFromViewer: true, system: false });
    const { messageId } = own.addCandidateMessage(conversationId, 'Yes, happy to start tomorrow.');
    const updates = await client.getUpdates({ cursor });
    expect(updates.events).toEqual([
      expect.objectContaining({ type: 'message.received', resourceId: messageId, data: { conversationId, messageId } }),
    ]);
    const reply = await client.listMessages(conversationId, { direction: 'newer', cursor: sent.id });
    expect(reply.messages).toEqual([expect.objectContaining({ id: messageId, isFromViewer: false })]);

    const blocked = await failure(client.sendMessage(conversationId, 'Email me: priya@example.com'));
    expect(blocked).toMatchObject({ status: 403, reason: 'message_policy_blocked', policy: 'contact_details' });
    const empty = await failure(client.sendMessage(conversationId, ''));
    expect(empty.status).toBe(400);
    expect(empty.issues).toHaveLength(1);

    own.injectFaults({ status: 429, count: 1, method: 'POST', match: /\/messages/, retryAfterSeconds: 30 });
    attempts.length = 0;
    const limited = await failure(client.sendMessage(conversationId, 'Any update?'));
    expect(limited).toMatchObject({ status: 429, code: 'RATE_LIMITED', retryAfterSeconds: 30 });
    expect(attempts).toHaveLength(1);

    own.setConversationReadOnly(conversationId, true);
    expect(await failure(client.sendMessage(conversationId, 'Still there?'))).toMatchObject({
      status: 409,
      reason: 'read_only_conversation',
    });
  });
});

describe('invites, hiring and approvals', () => {
  it('invites idempotently and maps every 409 reason', async () => {
    const own = await freshSandbox();
    const { client } = clientFor(own);
    const first = await client.inviteToJob(own.ids.jobs.medical, own.ids.freelancers.invitable);
    const again = await client.inviteToJob(own.ids.jobs.medical, own.ids.freelancers.invitable);
    expect(first).toMatchObject({ status: 201, alreadyInvited: false, jobId: own.ids.jobs.medical });
    expect(again).toMatchObject({ status: 200, alreadyInvited: true, proposalId: first.proposalId });
    const reasonFor = async (jobId: string, freelancerId: string) =>
      (await failure(client.inviteToJob(jobId, freelancerId))).reason;
    expect(await reasonFor(own.ids.jobs.draft, own.ids.freelancers.invitable)).toBe('job_not_published');
    expect(await reasonFor(own.ids.jobs.medical, own.ids.users.owner)).toBe('not_a_freelancer');
    expect(await reasonFor(own.ids.jobs.medical, own.ids.freelancers.unavailable)).toBe('freelancer_unavailable');
    expect((await failure(client.inviteToJob('job_missing', own.ids.freelancers.invitable))).status).toBe(404);
  });

  it('asks an unclaimed account to be claimed, with the claim URL', async () => {
    const error = await failure(unclaimed.inviteToJob(sandbox.ids.jobs.medical, sandbox.ids.freelancers.invitable));
    expect(error).toMatchObject({
      status: 403,
      code: 'FORBIDDEN',
      reason: 'account_claim_required',
      claimUrl: 'https://app.opentrain.ai/claim',
    });
    expect(error.userMessage).toContain('https://app.opentrain.ai/claim');
    const send = await failure(unclaimed.sendMessage(sandbox.ids.conversations.existing, 'Hello'));
    expect(send.reason).toBe('account_claim_required');
  });

  it('names missing scopes and disabled features', async () => {
    const own = await freshSandbox();
    own.addToken('ot_pat_jobs_reader', { scopes: ['jobs:read'] });
    const { client: narrow } = clientFor(own, { token: 'ot_pat_jobs_reader' });
    const scope = await failure(narrow.listProposals(own.ids.jobs.spanish));
    expect(scope).toMatchObject({ status: 403, requiredScopes: ['proposals:read'], grantedScopes: ['jobs:read'] });
    expect((await failure(narrow.getUpdates())).requiredScopes).toEqual([
      'proposals:read',
      'messages:read',
      'payments:read',
    ]);
    own.setFeature('public_api_hiring', false);
    const feature = await failure(
      clientFor(own).client.inviteToJob(own.ids.jobs.medical, own.ids.freelancers.invitable),
    );
    expect(feature).toMatchObject({ status: 403, featureKey: 'public_api_hiring' });
  });

  it('requests a hire and reads the approval back', async () => {
    const own = await freshSandbox();
    const { client } = clientFor(own);
    const milestone = { name: 'Pilot batch', description: 'First 500 images', amount: 250, dueDate: '2026-07-01' };
    const { approval, message } = await client.hire(own.ids.proposals.medicalTop, milestone);
    expect(approval).toMatchObject({
      type: 'proposal_hire',
      status: 'pending',
      proposalId: own.ids.proposals.medicalTop,
    });
    expect(message).toEqual(expect.any(String));
    expect((await client.hire(own.ids.proposals.medicalTop, milestone)).approval.id).toBe(approval.id);
    expect(await client.getApproval(approval.id)).toMatchObject({ id: approval.id, status: 'pending' });
    own.resolveApproval(approval.id, 'confirmed');
    expect(await client.getApproval(approval.id)).toMatchObject({ status: 'confirmed' });
    const missing = await failure(client.getApproval('appr_missing'));
    expect(missing).toMatchObject({ status: 404, resource: 'approvals' });
  });

  it('explains every hire refusal in words, and sends the Not-a-fit flag only when asked', async () => {
    const own = await freshSandbox();
    const { client } = clientFor(own);
    const milestone = { name: 'Pilot', amount: 100 };
    const notAFit = await failure(client.hire(own.ids.proposals.transcriptUnavailable, milestone));
    expect(notAFit.reason).toBe('not_a_fit_confirmation_required');
    expect(notAFit.userMessage).toBe(
      'This proposal is marked Not a fit on OpenTrain; confirm that you want to hire them anyway.',
    );
    const confirmed = await client.hire(own.ids.proposals.transcriptUnavailable, milestone, { confirmNotAFit: true });
    expect(confirmed.approval.status).toBe('pending');
    const hired = await failure(client.hire(own.ids.proposals.hired, milestone));
    expect(hired.userMessage).toContain('already hired');
    own.setBilling({ paymentMethod: false });
    const billing = await failure(client.hire(own.ids.proposals.medicalTop, milestone));
    expect(billing.userMessage).toBe(
      'OpenTrain needs a payment method or enough credits before hiring; a human can add one at https://app.opentrain.ai/settings/billing.',
    );
    const claim = await failure(unclaimed.hire(sandbox.ids.proposals.medicalTop, milestone));
    expect(claim.userMessage).toContain(
      'before the bot can hire AI trainers. Claim it at https://app.opentrain.ai/claim',
    );
  });
});

describe('the /updates ledger', () => {
  it('drains the ledger page by page and echoes the cursor once caught up', async () => {
    const own = await freshSandbox();
    const { client } = clientFor(own);
    const seen: string[] = [];
    let cursor: string | null = null;
    for (;;) {
      const page = await client.getUpdates({ cursor, limit: 5 });
      seen.push(...page.events.map((event) => event.id));
      cursor = page.nextCursor;
      if (!page.hasMore) break;
    }
    expect(seen.map(Number)).toEqual([...seen.map(Number)].sort((a, b) => a - b));
    expect(seen.length).toBeGreaterThan(15);
    expect(await client.getUpdates({ cursor })).toEqual({ events: [], nextCursor: cursor, hasMore: false });

    const { proposalId } = own.addProposal(own.ids.jobs.medical, { variant: 'guide', interviewScore: 70 });
    own.setProposalStatus(proposalId, 'DECLINED');
    const fresh = await client.getUpdates({ cursor });
    expect(fresh.events.map((event) => [event.type, event.resourceId])).toEqual([
      ['proposal.received', proposalId],
      ['proposal.status_changed', proposalId],
    ]);
    expect(fresh.events[1]!.data).toEqual({ proposalId, status: 'DECLINED' });
    expect((await client.getProposal(proposalId)).interviewScore).toBe(70);
  });
});

describe('retries and timeouts', () => {
  it('waits out a 429 on a read and then succeeds', async () => {
    const own = await freshSandbox();
    const { client, attempts, sleeps } = clientFor(own);
    own.injectFaults({ status: 429, count: 1, match: /\/jobs\/mine/, retryAfterSeconds: 2 });
    const page = await client.listMyJobs();
    expect(page.jobs.length).toBe(4);
    expect(attempts.map((attempt) => attempt.attempt)).toEqual([1, 2]);
    expect(sleeps).toEqual([2000]);
  });

  it('retries 503 on reads with backoff and gives up after the last attempt', async () => {
    const own = await freshSandbox();
    const { client, attempts, sleeps } = clientFor(own, { retry: { attempts: 3, baseDelayMs: 10 } });
    own.injectFaults({ status: 503, count: 2, match: /\/auth\/me/ });
    expect((await client.authMe()).fullName).toBe('Mira Chen');
    expect(attempts).toHaveLength(3);
    expect(sleeps).toEqual([10, 20]);

    attempts.length = 0;
    own.injectFaults({ status: 503, count: 3, match: /\/auth\/me/ });
    const error = await failure(client.authMe());
    expect(error).toMatchObject({ status: 503, code: 'INTERNAL_ERROR' });
    expect(attempts).toHaveLength(3);
  });

  it('never retries a write that reached the server', async () => {
    const own = await freshSandbox();
    const { client, attempts } = clientFor(own);
    own.injectFaults({ status: 503, count: 1, method: 'POST' });
    const error = await failure(client.sendMessage(own.ids.conversations.existing, 'Hello'));
    expect(error.status).toBe(503);
    expect(attempts).toHaveLength(1);
    expect(own.state.messages.filter((m) => m.conversationId === own.ids.conversations.existing)).toHaveLength(4);
  });

  it('retries a read whose connection was dropped', async () => {
    const own = await freshSandbox();
    const { client, attempts } = clientFor(own);
    own.injectFaults({ status: 0, count: 1, dropConnection: true, match: /\/freelancers\// });
    expect((await client.getFreelancer('maria-g')).displayName).toBe('Maria G.');
    expect(attempts).toHaveLength(2);
  });

  it('times out a slow answer without retrying it', async () => {
    const own = await freshSandbox();
    const { client, attempts } = clientFor(own, { timeoutMs: 100 });
    own.setLatency(400, /\/updates/);
    const error = await failure(client.getUpdates());
    expect(error).toMatchObject({ status: 0, code: 'TIMEOUT' });
    expect(attempts).toHaveLength(1);
    own.setLatency(0);
    expect((await client.getUpdates({ limit: 1 })).events).toHaveLength(1);
  });
});
