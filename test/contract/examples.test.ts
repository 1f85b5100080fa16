import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import type { z } from 'zod';
import { OpenTrainClient, parseWebhookEvent } from '../../src/api/client.js';
import {
  toChatMessage,
  toConversationSummary,
  toFreelancerProfile,
  toJob,
  toPlatformEvent,
  toProposal,
  toTranscript,
} from '../../src/api/normalize.js';
import {
  apiEventSchema,
  approvalResponseSchema,
  authMeSchema,
  capabilitiesSchema,
  conversationStartSchema,
  conversationsPageSchema,
  errorEnvelopeSchema,
  freelancerResponseSchema,
  hireResponseSchema,
  interviewResponseSchema,
  inviteResponseSchema,
  jobsPageSchema,
  messagesPageSchema,
  proposalResponseSchema,
  proposalsPageSchema,
  sendMessageResponseSchema,
  updatesPageSchema,
} from '../../src/api/schemas.js';

// Every example body from the OpenTrain docs (docs/opentrain-examples) is either parsed
// through the schema the bot uses for it, or listed as not called by the bot. A new example file that is in
// neither list fails the suite, so coverage can't silently drift.

const EXAMPLES_DIR = new URL('../../docs/opentrain-examples/', import.meta.url);

function load(relativePath: string): unknown {
  return JSON.parse(readFileSync(new URL(relativePath, EXAMPLES_DIR), 'utf8'));
}

function exampleFiles(): string[] {
  const files: string[] = [];
  for (const folder of ['', 'derived/', 'assumed/']) {
    for (const entry of readdirSync(fileURLToPath(new URL(folder, EXAMPLES_DIR)), { withFileTypes: true })) {
      if (entry.isFile() && entry.name.endsWith('.json')) files.push(`${folder}${entry.name}`);
    }
  }
  return files.sort();
}

const APP_ORIGIN = new URL('https://app.opentrain.ai/api/public/v1').origin;

interface Parsed {
  schema: z.ZodType;
  /** Extra assertions on the parsed (and, where relevant, normalised) value. */
  check?: (parsed: never) => void;
}

const check = <S extends z.ZodType>(schema: S, assertions?: (parsed: z.output<S>) => void): Parsed =>
  ({ schema, check: assertions as Parsed['check'] }) as Parsed;

const PARSED_BY_BOT: Record<string, Parsed> = {
  'auth-me.json': check(authMeSchema, (me) => {
    expect(me.actor.userId).toBe('<USER_ID>');
    expect(me.token?.scopes).toContain('proposals:read');
  }),
  'job-drafts-capabilities.json': check(capabilitiesSchema, (caps) => {
    expect(caps.enabled).toBe(true);
    expect(caps.capabilities?.hiring).toBe(true);
  }),
  'jobs-mine.json': check(jobsPageSchema, (page) => {
    expect(page.jobs.skipped).toEqual([]);
    const job = toJob(page.jobs.items[0]!);
    expect(job).toMatchObject({ status: 'OPEN', published: true, proposalCounts: { total: 12, unreviewed: 5 } });
    expect(page.nextCursor).toBeNull();
  }),
  'proposals-list.json': check(proposalsPageSchema, (page) => {
    expect(page.proposals.skipped).toEqual([]);
    const proposal = toProposal(page.proposals.items[0]!);
    expect(proposal).toMatchObject({
      interviewScore: 86,
      matchScore: 91,
      bid: { amountUsd: 0.06, unit: 'PER_LABEL', labelerHourlyRateUsd: null },
      candidate: { displayName: 'Maria G.', talentType: 'individual', countryCode: 'ES' },
      status: { raw: 'UNREVIEWED', label: 'Unreviewed' },
      aiInterview: null,
    });
  }),
  'proposal-get.json': check(proposalResponseSchema, (body) => {
    const proposal = toProposal(body.proposal);
    expect(proposal.interviewScore).toBe(86);
    expect(proposal.matchScore).toBe(91);
    expect(proposal.aiInterview).toMatchObject({ score: 86, transcriptAvailable: true });
    expect(proposal.verification).toEqual({ identityVerified: true, location: { status: 'PASSED', method: 'GPS' } });
  }),
  'guide-evaluate-candidates-proposal-get.json': check(proposalResponseSchema, (body) => {
    const proposal = toProposal(body.proposal);
    expect(proposal.interviewScore).toBe(86);
    expect(proposal.matchScore).toBe(87);
    expect(proposal.bid.unit).toBe('PER_HOUR');
    expect(proposal.candidate).toMatchObject({ displayName: 'Alex R.', talentType: 'individual', countryCode: null });
    expect(proposal.createdAt).toBe('...');
  }),
  'proposal-interview.json': check(interviewResponseSchema, (body) => {
    const transcript = toTranscript(body.interview);
    expect(transcript.score).toBe(86);
    expect(transcript.turns.map((turn) => turn.role)).toEqual(['interviewer', 'candidate']);
  }),
  'conversation-start.json': check(conversationStartSchema, (body) => {
    expect(body).toMatchObject({ conversationId: '<CONVERSATION_ID>', created: true });
  }),
  'messages-list-conversations.json': check(conversationsPageSchema, (page) => {
    expect(toConversationSummary(page.conversations.items[0]!)).toMatchObject({
      bucket: 'proposal',
      jobId: null,
      proposalId: '<PROPOSAL_ID>',
      unreadCount: 1,
      needsReplyCount: 1,
    });
  }),
  'messages-send.json': check(sendMessageResponseSchema, (body) => {
    expect(toChatMessage(body.message)).toMatchObject({ isFromViewer: true, system: false });
  }),
  'assumed/messages-list-message-mode.json': check(messagesPageSchema, (page) => {
    expect(page.messages.items).toHaveLength(1);
    expect(toChatMessage(page.messages.items[0]!).isFromViewer).toBe(false);
  }),
  'freelancer-get.json': check(freelancerResponseSchema, (body) => {
    const profile = toFreelancerProfile(body.freelancer, APP_ORIGIN);
    expect(profile.profileUrl).toBe('https://app.opentrain.ai/profile/maria-g');
    expect(profile.displayName).toBe('Maria G.');
    expect(profile.talentType).toBe('individual');
    expect(profile.languages).toHaveLength(2);
    expect(profile.labelExperience[0]?.title).toBe('Spanish tweet sentiment corpus');
    expect(profile.stats.averageRating).toBe(4.9);
  }),
  'invite-201.json': check(inviteResponseSchema, (body) => {
    expect(body.alreadyInvited).toBe(false);
  }),
  'updates.json': check(updatesPageSchema, (page) => {
    expect(page.events.items.map(toPlatformEvent).map((event) => event.type)).toEqual([
      'proposal.received',
      'approval.confirmed',
    ]);
    expect(page.nextCursor).toBe('1043');
    expect(page.hasMore).toBe(false);
  }),
  'hire-202.json': check(hireResponseSchema, (body) => {
    expect(body.approval).toMatchObject({ type: 'proposal_hire', status: 'pending', resolvedAt: null });
  }),
  // The concept page's generic 202 body has the same shape as a hire response; its "..." values are plain strings.
  'approval-concept-202-milestone-fund.json': check(hireResponseSchema, (body) => {
    expect(body.approval.status).toBe('pending');
  }),
  'approval-get.json': check(approvalResponseSchema, (body) => {
    expect(body.approval).toMatchObject({
      status: 'confirmed',
      proposalId: null,
      result: { invoiceId: '<INVOICE_ID>' },
    });
  }),
  'error-envelope-overview.json': check(errorEnvelopeSchema),
  'error-403-account-claim-required.json': check(errorEnvelopeSchema, (body) => {
    expect(body.details?.reason).toBe('account_claim_required');
  }),
  'assumed/error-400-invalid-proposal-status.json': check(errorEnvelopeSchema),
  'assumed/error-400-send-invalid-fields.json': check(errorEnvelopeSchema),
  'assumed/error-403-claim-required-messaging.json': check(errorEnvelopeSchema),
  'assumed/error-403-employer-first-message-required.json': check(errorEnvelopeSchema),
  'assumed/error-403-message-policy-blocked.json': check(errorEnvelopeSchema),
  'assumed/error-403-missing-scope.json': check(errorEnvelopeSchema),
  'assumed/error-404-freelancer.json': check(errorEnvelopeSchema),
  'assumed/error-404-interview.json': check(errorEnvelopeSchema),
  'assumed/error-409-invite-job-not-published.json': check(errorEnvelopeSchema),
  'assumed/error-409-proposal-not-ready-for-messaging.json': check(errorEnvelopeSchema),
  'assumed/error-409-send-read-only-conversation.json': check(errorEnvelopeSchema),
  'assumed/error-429-messaging-rate-limited.json': check(errorEnvelopeSchema),
  'derived/webhook-event-proposal-received.json': check(apiEventSchema),
  'derived/webhook-event-approval-confirmed.json': check(apiEventSchema),
  'assumed/webhook-event-message-received.json': check(apiEventSchema),
  'assumed/webhook-event-proposal-status-changed.json': check(apiEventSchema),
};

/** Example files for endpoints (or request bodies) the bot never reads, with why. */
const NOT_CALLED_BY_BOT: Record<string, string> = {
  'agent-identity-claim-200.json': 'agent auth',
  'agent-identity-claim-request.json': 'agent auth request body',
  'agent-identity-register-200.json': 'agent auth',
  'agent-identity-register-request.json': 'agent auth request body',
  'agent-oauth-revoke-200.json': 'agent auth',
  'agent-oauth-token-200.json': 'agent auth',
  'approval-concept-contract-end-202.json': 'contract end; concept body with a "..." key and no approval id',
  'approval-concept-contract-end-direct-200.json': 'contract end',
  'contract-end-200.json': 'contracts',
  'contract-get.json': 'contracts',
  'contracts-list.json': 'contracts',
  'credits-balance.json': 'credits',
  'credits-ledger.json': 'credits',
  'credits-top-up-create-201.json': 'credits',
  'credits-top-up-create-request.json': 'credits request body',
  'credits-top-up-get.json': 'credits',
  'guide-post-a-job-draft-request.json': 'job drafts request body',
  'hire-request.json': 'request body (compared below with what hire() sends)',
  'invite-request.json': 'request body (compared below with what inviteToJob() sends)',
  'job-drafts-create-request.json': 'job drafts request body',
  'job-drafts-update-request.json': 'job drafts request body',
  'job-drafts-update.json': 'job drafts',
  'job-get.json': 'public job get (tokenless)',
  'jobs-changes.json': 'public job changes feed (tokenless)',
  'jobs-facets.json': 'public job facets (tokenless)',
  'jobs-publish.json': 'job publishing',
  'jobs-search.json': 'public job search (tokenless)',
  'jobs-update-request.json': 'job update request body',
  'jobs-update.json': 'job update',
  'assumed/jobs-close.json': 'job close',
  'messages-send-request.json': 'request body (compared below with what sendMessage() sends)',
  'milestone-approve-202.json': 'milestones',
  'milestone-create-201.json': 'milestones',
  'milestone-create-request.json': 'milestones request body',
  'milestone-fund-202.json': 'milestones',
  'payments-pending.json': 'payments',
  'team-get.json': 'team',
  'team-invite-request.json': 'team request body',
  'team-invite.json': 'team',
  'tokens-create-201.json': 'tokens',
  'tokens-create-request.json': 'tokens request body',
  'tokens-list.json': 'tokens',
  'tokens-revoke.json': 'tokens',
  'webhooks-create-request.json': 'webhooks CRUD request body',
  'webhooks-create.json': 'webhooks CRUD',
  'webhooks-delete.json': 'webhooks CRUD',
  'webhooks-get.json': 'webhooks CRUD',
  'webhooks-list.json': 'webhooks CRUD',
  'assumed/webhook-signature-test-vector.json': "signature vector, used by the webhook verifier's own tests",
};

describe('OpenTrain example bodies', () => {
  const files = exampleFiles();

  it('finds the examples beside the repo', () => {
    expect(files.length).toBeGreaterThan(50);
  });

  it('maps every example file to a schema or to NOT_CALLED_BY_BOT, exactly once', () => {
    const unmapped = files.filter((file) => !(file in PARSED_BY_BOT) && !(file in NOT_CALLED_BY_BOT));
    const both = files.filter((file) => file in PARSED_BY_BOT && file in NOT_CALLED_BY_BOT);
    const stale = [...Object.keys(PARSED_BY_BOT), ...Object.keys(NOT_CALLED_BY_BOT)].filter(
      (file) => !files.includes(file),
    );
    expect({ unmapped, both, stale }).toEqual({ unmapped: [], both: [], stale: [] });
  });

  it.each(Object.entries(PARSED_BY_BOT))('%s parses', (file, { schema, check: assertions }) => {
    const result = schema.safeParse(load(file));
    if (!result.success) throw new Error(`${file}: ${result.error.message}`);
    assertions?.(result.data as never);
  });

  it('parses every webhook event example through parseWebhookEvent, as raw text too', () => {
    for (const file of Object.keys(PARSED_BY_BOT).filter((name) => name.includes('webhook-event-'))) {
      const body = load(file) as { id: string; type: string };
      const event = parseWebhookEvent(body);
      expect(event).toMatchObject({ id: body.id, type: body.type });
      expect(parseWebhookEvent(JSON.stringify(body))).toEqual(event);
    }
    const vector = load('assumed/webhook-signature-test-vector.json') as { rawBody: string };
    expect(parseWebhookEvent(vector.rawBody)).toMatchObject({ id: '1042', type: 'proposal.received' });
  });

  it('the bot sends the documented request bodies for hire, invite and send', async () => {
    const sent: { url: string; method: string; body: unknown }[] = [];
    const replies = [
      { status: 202, body: load('hire-202.json') },
      { status: 201, body: load('invite-201.json') },
      { status: 201, body: load('messages-send.json') },
    ];
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      sent.push({ url, method: init.method ?? 'GET', body: JSON.parse(String(init.body)) });
      const reply = replies.shift()!;
      return new Response(JSON.stringify(reply.body), { status: reply.status });
    });
    try {
      const client = new OpenTrainClient({ baseUrl: 'https://app.opentrain.ai/api/public/v1', token: 'ot_pat_x' });
      const hireBody = load('hire-request.json') as { milestone: { amount: number; name: string } };
      await client.hire('<PROPOSAL_ID>', hireBody.milestone);
      const inviteBody = load('invite-request.json') as { freelancerId: string };
      await client.inviteToJob('<JOB_ID>', inviteBody.freelancerId);
      const sendBody = load('messages-send-request.json') as { conversationId: string; content: string };
      await client.sendMessage(sendBody.conversationId, sendBody.content);
      expect(sent).toEqual([
        {
          url: 'https://app.opentrain.ai/api/public/v1/proposals/%3CPROPOSAL_ID%3E/hire',
          method: 'POST',
          body: hireBody,
        },
        { url: 'https://app.opentrain.ai/api/public/v1/jobs/%3CJOB_ID%3E/invites', method: 'POST', body: inviteBody },
        { url: 'https://app.opentrain.ai/api/public/v1/messages', method: 'POST', body: sendBody },
      ]);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
