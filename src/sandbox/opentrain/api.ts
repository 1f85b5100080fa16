// The /api/public/v1 endpoints (docs/opentrain.md#endpoints). Each handler applies its gates in the documented order
// scope → feature → claim → ownership → state, then renders records through present.ts.

import { normaliseProposalStatus, PROPOSAL_STATUSES } from '../../domain.js';
import { HIRE_CONFLICT_REASONS, HIRE_NOT_A_FIT_FLAG, hireFees } from '../../hiring.js';
import { type AccessRule, authorize, type Caller, canRead } from './auth.js';
import { addContractRoutes } from './contract-routes.js';
import { badRequest, conflict, forbidden, invalidBody, notFound, type ValidationIssue } from './errors.js';
import { EVENT_SCOPES, EVENT_TYPES, publicEvent } from './ledger.js';
import {
  conversationUpdatedAt,
  presentApproval,
  presentConversationSummary,
  presentFreelancer,
  presentInterview,
  presentJob,
  presentMessage,
  presentProposalDetail,
  presentProposalSummary,
  presentWebhook,
  unreadCount,
} from './present.js';
import { type Reply, Router } from './router.js';
import type { ConversationRecord, JobRecord, ProposalRecord, WebhookRecord } from './types.js';
import { newWebhookSecret } from './webhooks.js';
import { APP_ORIGIN, type SandboxWorld } from './world.js';

export interface ApiContext {
  caller: Caller;
  query: URLSearchParams;
  body: unknown;
}

/** Content policy for POST /messages; the default blocks email addresses. */
export interface MessagePolicy {
  pattern: RegExp | null;
  policy: string;
}

const JOB_STATUSES = ['DRAFT', 'OPEN', 'ONGOING', 'COMPLETED', 'ARCHIVED', 'PENDING_APPROVAL'];
const MAX_WEBHOOKS = 10;
const MAX_MESSAGE_LENGTH = 10_000;
const MESSAGING: AccessRule = {
  scopes: ['messages:write'],
  feature: 'public_api_messaging_writes',
  claimAction: 'send messages',
};
const WEBHOOKS: AccessRule = { scopes: ['webhooks:manage'], feature: 'public_api_webhooks' };

const ok = (body: unknown, status = 200): Reply => ({ status, body });
/** Where a human adds a card (409 `payment_method_required`'s `details.billingUrl`). */
export const BILLING_URL = `${APP_ORIGIN}/settings/billing`;

// ---- query parsing -------------------------------------------------------------------------------------------------

interface LimitRule {
  fallback: number;
  max: number;
  /** Above `max`: clamp (proposals, jobs; [assumed]) or reject (messages, updates). */
  clamp: boolean;
}

function parseLimit(query: URLSearchParams, rule: LimitRule): number {
  const raw = query.get('limit');
  if (raw === null || raw === '') return rule.fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || (!rule.clamp && value > rule.max)) {
    throw badRequest(`limit must be an integer between 1 and ${rule.max}`, { field: 'limit' });
  }
  return Math.min(value, rule.max);
}

function parseChoice(query: URLSearchParams, field: string, choices: string[], fallback: string): string {
  const raw = query.get(field);
  if (raw === null || raw === '') return fallback;
  if (!choices.includes(raw)) throw badRequest(`${field} must be one of ${choices.join(', ')}`, { field });
  return raw;
}

function parseBoolean(query: URLSearchParams, field: string): boolean {
  const raw = query.get(field);
  if (raw === null || raw === '' || raw === 'false' || raw === '0') return false;
  if (raw === 'true' || raw === '1') return true;
  throw badRequest(`${field} must be true or false`, { field });
}

const invalidCursor = () => badRequest('Invalid cursor', { field: 'cursor' });

/** A page of `items` (already in output order) after the item whose id is `cursor`. */
function pageAfter<T extends { id: string }>(items: T[], cursor: string | null, limit: number) {
  let start = 0;
  if (cursor !== null) {
    const index = items.findIndex((item) => item.id === cursor);
    if (index < 0) throw invalidCursor();
    start = index + 1;
  }
  const page = items.slice(start, start + limit);
  const nextCursor = start + limit < items.length ? (page.at(-1)?.id ?? null) : null;
  return { page, nextCursor };
}

// ---- body validation (zod-like issues) ---------------------------------------------------------------------------

function asObject(body: unknown): Record<string, unknown> {
  return body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

function requiredString(
  body: Record<string, unknown>,
  field: string,
  issues: ValidationIssue[],
  bounds: { min?: number; max?: number } = {},
): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) {
    issues.push({
      code: 'invalid_type',
      expected: 'string',
      received: String(value),
      path: [field],
      message: 'Required',
    });
    return undefined;
  }
  if (typeof value !== 'string') {
    issues.push({
      code: 'invalid_type',
      expected: 'string',
      received: typeof value,
      path: [field],
      message: `Expected string, received ${typeof value}`,
    });
    return undefined;
  }
  const min = bounds.min ?? 1;
  if (value.trim().length < min) {
    issues.push({
      code: 'too_small',
      minimum: min,
      type: 'string',
      inclusive: true,
      path: [field],
      message: `String must contain at least ${min} character(s)`,
    });
    return undefined;
  }
  if (bounds.max !== undefined && value.length > bounds.max) {
    issues.push({
      code: 'too_big',
      maximum: bounds.max,
      type: 'string',
      inclusive: true,
      path: [field],
      message: `String must contain at most ${bounds.max} character(s)`,
    });
    return undefined;
  }
  return value;
}

// ---- the routes --------------------------------------------------------------------------------------------------

export function createApiRouter(world: SandboxWorld, policy: MessagePolicy): Router<ApiContext> {
  const { state } = world;

  const userOf = (caller: Caller) => state.users.get(caller.token.userId)!;

  /** Your job, or 403 when it is another account's, 404 when it does not exist. */
  function ownJob(caller: Caller, jobId: string): JobRecord {
    const job = state.jobs.get(jobId);
    if (!job) throw notFound('Job not found', { resource: 'jobs', jobId });
    if (job.organizationId !== caller.account.organizationId) {
      throw forbidden('This job belongs to another account.', { jobId });
    }
    return job;
  }

  function ownProposal(caller: Caller, proposalId: string): { proposal: ProposalRecord; job: JobRecord } {
    const proposal = state.proposals.get(proposalId);
    if (!proposal) throw notFound('Proposal not found', { resource: 'proposals', proposalId });
    const job = state.jobs.get(proposal.jobId)!;
    if (job.organizationId !== caller.account.organizationId) {
      throw forbidden('This proposal belongs to another account’s job.', { proposalId });
    }
    return { proposal, job };
  }

  /** A conversation the caller takes part in; anything else is 404, like the freelancers' "404 not 403" habit. */
  function participantConversation(caller: Caller, conversationId: string): ConversationRecord {
    const conversation = state.conversations.get(conversationId);
    if (!conversation || conversation.employerUserId !== caller.token.userId) {
      throw notFound('Conversation not found', { resource: 'conversations', conversationId });
    }
    return conversation;
  }

  function ownWebhook(caller: Caller, webhookId: string): WebhookRecord {
    const webhook = state.webhooks.get(webhookId);
    if (!webhook || webhook.organizationId !== caller.account.organizationId) {
      throw notFound('Webhook not found', { resource: 'webhooks', webhookId });
    }
    return webhook;
  }

  const router = new Router<ApiContext>();

  router.add('GET', '/auth/me', ({ caller }) => {
    const user = userOf(caller);
    return ok({
      actor: {
        userId: user.id,
        email: user.email,
        firstName: user.firstName,
        lastName: user.lastName,
        fullName: `${user.firstName} ${user.lastName}`,
        userType: user.userType,
      },
      token: {
        id: caller.token.id,
        label: caller.token.label,
        scopes: [...caller.token.scopes],
        ownerOrganizationId: caller.token.organizationId,
      },
      account: {
        kind: 'employer_organization',
        organizationId: caller.account.organizationId,
        ownerUserId: caller.account.ownerUserId,
        memberRole: 'OWNER',
      },
    });
  });

  router.add('GET', '/job-drafts/capabilities', ({ caller }) => {
    const on = (key: string) => caller.account.features.has(key);
    return ok({
      featureKey: 'public_api_job_drafting',
      namespace: 'job-drafts',
      rolloutMode: 'ALL',
      actorIsAdmin: false,
      capabilities: {
        draftImport: on('public_api_job_drafting'),
        draftCreate: on('public_api_job_drafting'),
        draftUpdate: on('public_api_job_drafting'),
        draftUrlRead: on('public_api_job_drafting'),
        publish: on('public_api_job_publishing'),
        hiring: on('public_api_hiring'),
        messagingWrites: on('public_api_messaging_writes'),
        team: on('public_api_team'),
        paymentsWrite: on('public_api_payments_write'),
        credits: on('public_api_credits'),
        webhooks: on('public_api_webhooks'),
      },
      draft: {
        importFormats: ['text', 'opentrain_canonical', 'schema_org_job_posting', 'indeed_xml', 'hr_xml'],
        updateKeys: ['jobTitle', 'jobDescription', 'dataType', 'paymentType', 'pricePerHour', 'pricePerLabel'],
        enums: {
          paymentType: ['PAY_PER_LABEL', 'PAY_PER_HOUR', 'FIXED_PRICE'],
          experienceLevel: ['EXPERT', 'ENTRY_LEVEL', 'INTERMEDIATE', 'ANY_EXPERIENCE_LEVEL'],
          dataVolumeUnit: [
            'HOURS_OF_RECORDING_AUDIO_VIDEO',
            'NUMBER_OF_FILES',
            'NUMBER_OF_WORDS',
            'UNKNOWN_NOT_SPECIFIED',
          ],
        },
      },
      authBootstrap: 'token',
      enabled: on('public_api_job_drafting'),
    });
  });

  router.add('GET', '/jobs/mine', ({ caller, query }) => {
    authorize(caller, { scopes: ['jobs:read'] });
    const rawStatus = query.get('status');
    const status = rawStatus ? rawStatus.trim().toUpperCase() : null;
    if (status !== null && !JOB_STATUSES.includes(status)) {
      throw badRequest('Invalid status', { supportedStatuses: JOB_STATUSES });
    }
    const limit = parseLimit(query, { fallback: 25, max: 100, clamp: true });
    const jobs = [...state.jobs.values()]
      .filter((job) => job.organizationId === caller.account.organizationId && (!status || job.status === status))
      .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || b.id.localeCompare(a.id));
    const { page, nextCursor } = pageAfter(jobs, query.get('cursor') || null, limit);
    return ok({ jobs: page.map((job) => presentJob(job, world.proposalsOf(job.id))), nextCursor });
  });

  router.add('GET', '/jobs/:id/proposals', ({ caller, query }, { id }) => {
    authorize(caller, { scopes: ['proposals:read'] });
    const rawStatus = query.get('status');
    const status = rawStatus ? normaliseProposalStatus(rawStatus) : null;
    if (status !== null && !(PROPOSAL_STATUSES as readonly string[]).includes(status)) {
      throw badRequest('Invalid status', { supportedStatuses: [...PROPOSAL_STATUSES] });
    }
    const limit = parseLimit(query, { fallback: 25, max: 100, clamp: true });
    const job = ownJob(caller, id!);
    const all = world.proposalsOf(job.id);
    // Newest first: walk the oldest-first list backwards from just before the cursor.
    let index = all.length - 1;
    const cursor = query.get('cursor');
    if (cursor) {
      const after = state.proposals.get(cursor);
      const position = after && after.jobId === job.id ? world.proposalIndex(after) : -1;
      if (position < 0) throw invalidCursor();
      index = position - 1;
    }
    const page: ProposalRecord[] = [];
    for (; index >= 0 && page.length < limit; index -= 1) {
      const proposal = all[index]!;
      if (!status || proposal.status === status) page.push(proposal);
    }
    let hasMore = false;
    for (; index >= 0 && !hasMore; index -= 1) hasMore = !status || all[index]!.status === status;
    return ok({
      proposals: page.map((proposal) =>
        presentProposalSummary(proposal, job, state.freelancers.get(proposal.freelancerId)!),
      ),
      nextCursor: hasMore ? (page.at(-1)?.id ?? null) : null,
    });
  });

  router.add('GET', '/proposals/:id', ({ caller }, { id }) => {
    authorize(caller, { scopes: ['proposals:read'] });
    const { proposal, job } = ownProposal(caller, id!);
    // The detail-malformed knob: a 200 whose proposal lacks what every documented variant has (a poison proposal).
    if (proposal.detailMalformed) return ok({ proposal: { id: proposal.id, status: 42, bid: 'n/a' } });
    return ok({ proposal: presentProposalDetail(proposal, job, state.freelancers.get(proposal.freelancerId)!) });
  });

  router.add('GET', '/proposals/:id/interview', ({ caller }, { id }) => {
    authorize(caller, { scopes: ['proposals:read'] });
    const { proposal } = ownProposal(caller, id!);
    if (!proposal.interview) throw notFound('No AI interview recorded for this proposal', { proposalId: proposal.id });
    return ok({ interview: presentInterview(proposal) });
  });

  router.add('POST', '/proposals/:id/conversation', ({ caller }, { id }) => {
    authorize(caller, { ...MESSAGING, claimAction: 'start conversations with candidates' });
    const { proposal, job } = ownProposal(caller, id!);
    const { conversation, created } = world.startConversation(proposal);
    return ok({ ok: true, conversationId: conversation.id, proposalId: proposal.id, jobId: job.id, created });
  });

  router.add('GET', '/messages', ({ caller, query }) => {
    authorize(caller, { scopes: ['messages:read'] });
    const userId = caller.token.userId;
    const conversationId = query.get('conversationId');
    const limit = parseLimit(query, { fallback: 20, max: 100, clamp: false });
    if (!conversationId) {
      const filter = parseChoice(query, 'filter', ['all', 'job', 'proposal'], 'all');
      const unreadOnly = parseBoolean(query, 'unreadOnly');
      const conversations = [...state.conversations.values()]
        .filter(
          (conversation) =>
            conversation.employerUserId === userId &&
            (filter === 'all' || conversation.bucket === filter) &&
            (!unreadOnly || unreadCount(conversation, userId) > 0),
        )
        .map((conversation) => ({ id: conversation.id, conversation, updatedAt: conversationUpdatedAt(conversation) }))
        .sort((a, b) => Date.parse(b.updatedAt) - Date.parse(a.updatedAt) || b.id.localeCompare(a.id));
      const { page, nextCursor } = pageAfter(conversations, query.get('cursor') || null, limit);
      return ok({
        conversations: page.map((entry) => presentConversationSummary(entry.conversation, userId)),
        nextCursor,
      });
    }
    const direction = parseChoice(query, 'direction', ['older', 'newer'], 'older');
    const conversation = participantConversation(caller, conversationId);
    const { messages } = conversation;
    const cursor = query.get('cursor');
    let cursorIndex: number | null = null;
    if (cursor) {
      const position = world.messagePosition(cursor);
      if (!position || position.conversation !== conversation) throw invalidCursor();
      cursorIndex = position.index;
    }
    let page: typeof messages;
    let nextCursor: string | null;
    if (direction === 'newer') {
      // Tailing: strictly after the cursor, oldest → newest; null once caught up.
      const start = cursorIndex === null ? 0 : cursorIndex + 1;
      page = messages.slice(start, start + limit);
      nextCursor = start + limit < messages.length ? (page.at(-1)?.id ?? null) : null;
    } else {
      // Paging back: the `limit` messages just before the cursor, still oldest → newest within the page.
      const end = cursorIndex === null ? messages.length : cursorIndex;
      const start = Math.max(0, end - limit);
      page = messages.slice(start, end);
      nextCursor = start > 0 ? (page[0]?.id ?? null) : null;
    }
    return ok({ messages: page.map((message) => presentMessage(message, conversation, userId)), nextCursor });
  });

  router.add('POST', '/messages', ({ caller, body }) => {
    authorize(caller, MESSAGING);
    const input = asObject(body);
    const issues: ValidationIssue[] = [];
    const conversationId = requiredString(input, 'conversationId', issues);
    const content = requiredString(input, 'content', issues, { max: MAX_MESSAGE_LENGTH });
    if (issues.length > 0 || conversationId === undefined || content === undefined) throw invalidBody(issues);
    const conversation = state.conversations.get(conversationId);
    if (!conversation) throw notFound('Conversation not found', { resource: 'conversations', conversationId });
    if (conversation.employerUserId !== caller.token.userId) {
      throw forbidden('You are not a participant in this conversation.', { reason: 'not_a_participant' });
    }
    if (conversation.readOnly)
      throw conflict('Send blocked: this conversation is read-only.', 'read_only_conversation');
    if (policy.pattern) {
      policy.pattern.lastIndex = 0;
      if (policy.pattern.test(content)) {
        throw forbidden('Message blocked by content policy', {
          reason: 'message_policy_blocked',
          policy: policy.policy,
        });
      }
    }
    const message = world.sendEmployerMessage(conversation, content);
    return ok({ ok: true, message: presentMessage(message, conversation, caller.token.userId) }, 201);
  });

  router.add('GET', '/freelancers/:idOrSlug', ({ caller }, { idOrSlug }) => {
    authorize(caller, { scopes: ['proposals:read'] });
    const freelancer = world.freelancerByIdOrSlug(idOrSlug!);
    if (!freelancer || freelancer.hidden) {
      throw notFound('Freelancer not found', { resource: 'freelancers', idOrSlug });
    }
    return ok({ freelancer: presentFreelancer(freelancer) });
  });

  router.add('POST', '/jobs/:id/invites', ({ caller, body }, { id }) => {
    authorize(caller, { scopes: ['proposals:write'], feature: 'public_api_hiring', claimAction: 'invite AI trainers' });
    const issues: ValidationIssue[] = [];
    const freelancerId = requiredString(asObject(body), 'freelancerId', issues);
    if (freelancerId === undefined) throw invalidBody(issues);
    const job = state.jobs.get(id!);
    if (!job || job.organizationId !== caller.account.organizationId) {
      throw notFound('Job not found', { resource: 'jobs', jobId: id });
    }
    const freelancer = state.freelancers.get(freelancerId);
    const isEmployer = state.users.has(freelancerId);
    if ((!freelancer || freelancer.hidden) && !isEmployer) {
      throw notFound('User not found', { resource: 'users', freelancerId });
    }
    if (!job.published) throw conflict('Invite not possible: the job is not published.', 'job_not_published');
    if (!freelancer) throw conflict('Invite not possible: this user is not a freelancer.', 'not_a_freelancer');
    if (freelancer.unavailable) {
      throw conflict('Invite not possible: the freelancer is not available.', 'freelancer_unavailable');
    }
    const { proposalId, created } = world.invite(job, freelancer.id, caller.token.userId);
    return ok(
      { ok: true, proposalId, jobId: job.id, freelancerId: freelancer.id, alreadyInvited: !created },
      created ? 201 : 200,
    );
  });

  router.add('POST', '/proposals/:id/hire', ({ caller, body }, { id }) => {
    authorize(caller, { scopes: ['proposals:write'], feature: 'public_api_hiring', claimAction: 'hire AI trainers' });
    const milestone = asObject(asObject(body).milestone);
    const issues: ValidationIssue[] = [];
    if (typeof milestone.amount !== 'number' || !(milestone.amount > 0)) {
      issues.push({ code: 'invalid_type', path: ['milestone', 'amount'], message: 'amount must be a positive number' });
    }
    const named = [milestone.name, milestone.description].some((v) => typeof v === 'string' && v.trim() !== '');
    if (!named) {
      issues.push({ code: 'custom', path: ['milestone'], message: 'milestone needs a name or a description' });
    }
    if (milestone.dueDate !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(String(milestone.dueDate))) {
      issues.push({ code: 'invalid_string', path: ['milestone', 'dueDate'], message: 'dueDate must be YYYY-MM-DD' });
    }
    if (issues.length > 0) throw invalidBody(issues);
    const { proposal } = ownProposal(caller, id!);
    if (proposal.status === 'HIRED')
      throw conflict('This proposal is already hired.', HIRE_CONFLICT_REASONS.alreadyHired);
    // The flag's name was cut off in OpenTrain's docs: `confirmNotAFit` is assumed (docs/opentrain.md#hiring).
    if (proposal.status === 'NOT_A_FIT' && asObject(body)[HIRE_NOT_A_FIT_FLAG] !== true) {
      throw conflict(
        `This proposal is marked Not a fit; send ${HIRE_NOT_A_FIT_FLAG}: true to hire it anyway.`,
        HIRE_CONFLICT_REASONS.notAFit,
      );
    }
    const billing = caller.account.billing;
    // In cents, so $119.95 of credits funds exactly a $100 milestone.
    const totalCents = Math.round(hireFees(milestone.amount as number).totalUsd * 100);
    if (billing && !billing.paymentMethod && Math.round(billing.creditsUsd * 100) < totalCents) {
      throw conflict('Add a payment method or buy credits before hiring.', 'payment_method_required', {
        billingUrl: BILLING_URL,
      });
    }
    const terms = {
      name: milestone.name,
      description: milestone.description,
      amount: milestone.amount,
      dueDate: milestone.dueDate,
    };
    const { approval } = world.requestHire(proposal, terms);
    return ok(
      {
        approval: presentApproval(approval),
        message:
          'Hire request recorded. A signed-in human must confirm this approval in the OpenTrain app before the freelancer is hired and any money moves.',
      },
      202,
    );
  });

  router.add('GET', '/approvals/:id', ({ caller }, { id }) => {
    authorize(caller, { scopes: ['payments:read'] });
    const approval = state.approvals.get(id!);
    if (!approval || approval.organizationId !== caller.account.organizationId) {
      throw notFound('Approval not found', { resource: 'approvals', approvalId: id });
    }
    world.expireIfDue(approval);
    return ok({ approval: presentApproval(approval) });
  });

  router.add('GET', '/updates', ({ caller, query }) => {
    authorize(caller, { anyScope: ['proposals:read', 'messages:read', 'payments:read'] });
    const limit = parseLimit(query, { fallback: 50, max: 200, clamp: false });
    const cursor = query.get('cursor') || null;
    if (cursor !== null && !/^\d+$/.test(cursor)) throw invalidCursor();
    const { events, nextCursor, hasMore } = world.ledger.page(caller.account.organizationId, cursor, limit, (event) =>
      canRead(caller.token, EVENT_SCOPES[event.type] ?? 'payments:read'),
    );
    return ok({ events: events.map(publicEvent), nextCursor, hasMore });
  });

  router.add('POST', '/webhooks', ({ caller, body }) => {
    authorize(caller, WEBHOOKS);
    const input = asObject(body);
    const issues: ValidationIssue[] = [];
    const url = requiredString(input, 'url', issues, { max: 2048 });
    if (url !== undefined && !isAllowedWebhookUrl(url)) {
      issues.push({
        code: 'invalid_string',
        path: ['url'],
        message: 'url must be absolute https (http only for localhost)',
      });
    }
    const eventTypes = Array.isArray(input.eventTypes) ? [...new Set(input.eventTypes)] : [];
    if (eventTypes.length === 0) {
      issues.push({
        code: 'too_small',
        minimum: 1,
        type: 'array',
        path: ['eventTypes'],
        message: 'eventTypes must not be empty',
      });
    }
    eventTypes.forEach((type, index) => {
      if (typeof type !== 'string' || !EVENT_TYPES.includes(type)) {
        issues.push({
          code: 'invalid_enum_value',
          options: EVENT_TYPES,
          path: ['eventTypes', index],
          message: `Unknown event type ${String(type)}`,
        });
      }
    });
    if (issues.length > 0 || url === undefined) throw invalidBody(issues);
    const types = eventTypes as string[];
    const requiredScopes = [...new Set(types.map((type) => EVENT_SCOPES[type]!))];
    if (!requiredScopes.every((scope) => canRead(caller.token, scope))) {
      throw forbidden('This token cannot read every subscribed event type.', {
        requiredScopes,
        grantedScopes: [...caller.token.scopes],
      });
    }
    const { organizationId } = caller.account;
    if (
      [...state.webhooks.values()].filter((webhook) => webhook.organizationId === organizationId).length >= MAX_WEBHOOKS
    ) {
      throw conflict(`An account can have at most ${MAX_WEBHOOKS} webhook subscriptions.`, 'webhook_limit_reached');
    }
    const webhook = addWebhook(world, organizationId, url, newWebhookSecret(), types);
    return ok(
      {
        webhook: presentWebhook(webhook),
        secret: webhook.secret,
        message:
          'Store the secret now — it is only returned once. Use it to verify the X-OpenTrain-Signature header on deliveries.',
      },
      201,
    );
  });

  router.add('GET', '/webhooks', ({ caller }) => {
    authorize(caller, WEBHOOKS);
    const webhooks = [...state.webhooks.values()]
      .filter((webhook) => webhook.organizationId === caller.account.organizationId)
      .reverse();
    return ok({ webhooks: webhooks.map(presentWebhook) });
  });

  router.add('GET', '/webhooks/:id', ({ caller }, { id }) => {
    authorize(caller, WEBHOOKS);
    return ok({ webhook: presentWebhook(ownWebhook(caller, id!)) });
  });

  router.add('DELETE', '/webhooks/:id', ({ caller }, { id }) => {
    authorize(caller, WEBHOOKS);
    const webhook = ownWebhook(caller, id!);
    state.webhooks.delete(webhook.id);
    return ok({ webhook: presentWebhook(webhook), deleted: true });
  });

  addContractRoutes(router, world.contracts, state);
  return router;
}

function isAllowedWebhookUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

export function addWebhook(
  world: SandboxWorld,
  organizationId: string,
  url: string,
  secret: string,
  eventTypes: string[],
): WebhookRecord {
  const webhook: WebhookRecord = {
    id: world.newId('wh'),
    organizationId,
    url,
    eventTypes: [...new Set(eventTypes)],
    status: 'ACTIVE',
    createdAt: world.now().toISOString(),
    disabledAt: null,
    disabledReason: null,
    secret,
    consecutiveFailedDeliveries: 0,
  };
  world.state.webhooks.set(webhook.id, webhook);
  return webhook;
}
