import type { z } from 'zod';
import type {
  ChatMessage,
  Contract,
  ConversationSummary,
  FreelancerProfile,
  Job,
  PendingPayment,
  PlatformEvent,
  Proposal,
  Transcript,
} from '../domain.js';
import { HIRE_NOT_A_FIT_FLAG } from '../hiring.js';
import { type Logger, silentLogger } from '../logger.js';
import { setOwn } from '../records.js';
import { OpenTrainError } from './errors.js';
import { type HttpRequest, type HttpResponse, OpenTrainHttp, type OpenTrainHttpOptions } from './http.js';
import {
  sortChronologically,
  toChatMessage,
  toConversationSummary,
  toFreelancerProfile,
  toJob,
  toPlatformEvent,
  toProposal,
  toTranscript,
} from './normalize.js';
import { toContract, toPendingPayment } from './normalize-contracts.js';
import {
  type Approval,
  apiEventSchema,
  approvalResponseSchema,
  authMeSchema,
  capabilitiesSchema,
  contractResponseSchema,
  conversationStartSchema,
  conversationsPageSchema,
  freelancerResponseSchema,
  hireResponseSchema,
  interviewResponseSchema,
  inviteResponseSchema,
  jobsPageSchema,
  type LenientList,
  messagesPageSchema,
  pendingPaymentsSchema,
  proposalResponseSchema,
  proposalsPageSchema,
  sendMessageResponseSchema,
  summariseIssues,
  updatesPageSchema,
} from './schemas.js';

// Over ~300 lines on purpose: one short method per endpoint the bot uses, over the shared transport in http.ts.
// Typed OpenTrain endpoints the bot uses. Every response is validated (schemas.ts) and normalised
// (normalize.ts) before it leaves this class; list pages skip and log malformed items instead of failing.

export type OpenTrainClientOptions = OpenTrainHttpOptions;

export interface AuthIdentity {
  userId: string;
  fullName: string | null;
  scopes: string[];
  organizationId: string | null;
  /** Inferred: /auth/me has no claim flag, but only claimed accounts hold proposals:write or messages:write. */
  claimed: boolean;
}

export interface Capabilities {
  enabled: boolean;
  capabilities: Record<string, boolean>;
}

export interface ConversationStart {
  conversationId: string;
  proposalId: string;
  jobId: string | null;
  /** False when the conversation already existed (the call is get-or-create). */
  created: boolean;
}

export interface InviteResult {
  proposalId: string | null;
  jobId: string;
  freelancerId: string;
  /** True on a repeat invite (OpenTrain answers 200 instead of 201). */
  alreadyInvited: boolean;
  status: number;
}

export interface UpdatesPage {
  events: PlatformEvent[];
  /** Persist and pass back; echoes the sent cursor when the page is empty. */
  nextCursor: string;
  hasMore: boolean;
}

export interface HireMilestone {
  name?: string;
  description?: string;
  /** USD. */
  amount: number;
  /** `YYYY-MM-DD`. */
  dueDate?: string;
}

export interface JobsPage {
  jobs: Job[];
  nextCursor: string | null;
}

export interface ProposalsPage {
  proposals: Proposal[];
  nextCursor: string | null;
}

export interface ConversationsPage {
  conversations: ConversationSummary[];
  nextCursor: string | null;
}

export interface MessagesPage {
  /** Oldest → newest within the page. */
  messages: ChatMessage[];
  nextCursor: string | null;
}

export type ConversationFilter = 'all' | 'job' | 'proposal';
export type MessageDirection = 'older' | 'newer';

/** Feature flags per write endpoint, used to explain a 403 that names no reason or scope. */
export const ENDPOINT_FEATURES = {
  hiring: 'public_api_hiring',
  messagingWrites: 'public_api_messaging_writes',
} as const;

const DEFAULT_PAGE_LIMIT = 100;
const DEFAULT_UPDATES_LIMIT = 200;
const CLAIMED_SCOPES = ['proposals:write', 'messages:write'];

const segment = (value: string) => encodeURIComponent(value);

/** Parses one webhook delivery body (exactly one /updates event record; raw JSON text or already parsed). */
export function parseWebhookEvent(raw: unknown): PlatformEvent {
  let value = raw;
  if (typeof raw === 'string' || raw instanceof Uint8Array) {
    const text = typeof raw === 'string' ? raw : new TextDecoder().decode(raw);
    try {
      value = JSON.parse(text);
    } catch {
      throw new OpenTrainError({ status: 0, code: 'INVALID_RESPONSE', message: 'Webhook body is not JSON' });
    }
  }
  const parsed = apiEventSchema.safeParse(value);
  if (!parsed.success) {
    throw new OpenTrainError({
      status: 0,
      code: 'INVALID_RESPONSE',
      message: `Webhook body is not an OpenTrain event record: ${summariseIssues(parsed.error)}`,
    });
  }
  return toPlatformEvent(parsed.data);
}

export class OpenTrainClient {
  /** Origin of the OpenTrain app (profile paths are relative to it). */
  readonly appOrigin: string;
  private readonly http: OpenTrainHttp;
  private readonly logger: Logger;

  constructor(options: OpenTrainClientOptions) {
    this.http = new OpenTrainHttp(options);
    this.logger = options.logger ?? silentLogger;
    this.appOrigin = new URL(options.baseUrl).origin;
  }

  async authMe(): Promise<AuthIdentity> {
    const { data } = await this.call({ method: 'GET', path: '/auth/me' }, authMeSchema, 'GET /auth/me');
    const scopes = data.token?.scopes ?? [];
    const composedName = [data.actor.firstName, data.actor.lastName].filter(Boolean).join(' ');
    return {
      userId: data.actor.userId,
      fullName: data.actor.fullName ?? (composedName || null),
      scopes,
      organizationId: data.account?.organizationId ?? data.token?.ownerOrganizationId ?? null,
      claimed: scopes.some((scope) => CLAIMED_SCOPES.includes(scope)),
    };
  }

  async capabilities(): Promise<Capabilities> {
    const { data } = await this.call(
      { method: 'GET', path: '/job-drafts/capabilities' },
      capabilitiesSchema,
      'GET /job-drafts/capabilities',
    );
    const capabilities: Record<string, boolean> = {};
    for (const [key, value] of Object.entries(data.capabilities ?? {})) {
      if (typeof value === 'boolean') setOwn(capabilities, key, value);
    }
    return { enabled: data.enabled ?? false, capabilities };
  }

  async listMyJobs(opts: { status?: string; cursor?: string; limit?: number } = {}): Promise<JobsPage> {
    const endpoint = 'GET /jobs/mine';
    const { data, requestId } = await this.call(
      {
        method: 'GET',
        path: '/jobs/mine',
        query: { status: opts.status, cursor: opts.cursor, limit: opts.limit ?? DEFAULT_PAGE_LIMIT },
      },
      jobsPageSchema,
      endpoint,
    );
    this.reportSkipped(endpoint, 'job', data.jobs, requestId);
    return { jobs: data.jobs.items.map(toJob), nextCursor: data.nextCursor ?? null };
  }

  async *myJobs(opts: { status?: string } = {}): AsyncIterable<Job> {
    yield* paginate(
      (cursor) => this.listMyJobs({ ...opts, cursor }),
      (page) => page.jobs,
    );
  }

  async listProposals(
    jobId: string,
    opts: { status?: string; cursor?: string; limit?: number } = {},
  ): Promise<ProposalsPage> {
    const endpoint = 'GET /jobs/{id}/proposals';
    const { data, requestId } = await this.call(
      {
        method: 'GET',
        path: `/jobs/${segment(jobId)}/proposals`,
        query: { status: opts.status, cursor: opts.cursor, limit: opts.limit ?? DEFAULT_PAGE_LIMIT },
      },
      proposalsPageSchema,
      endpoint,
    );
    this.reportSkipped(endpoint, 'proposal', data.proposals, requestId);
    const proposals: Proposal[] = data.proposals.items.map((api) => toProposal({ ...api, jobId: api.jobId ?? jobId }));
    return { proposals, nextCursor: data.nextCursor ?? null };
  }

  /** Every proposal of a job, newest first, page by page; stop iterating to stop fetching. */
  async *proposals(jobId: string, opts: { status?: string; limit?: number } = {}): AsyncIterable<Proposal> {
    yield* paginate(
      (cursor) => this.listProposals(jobId, { ...opts, cursor }),
      (page) => page.proposals,
    );
  }

  async getProposal(proposalId: string): Promise<Proposal> {
    const { data } = await this.call(
      { method: 'GET', path: `/proposals/${segment(proposalId)}` },
      proposalResponseSchema,
      'GET /proposals/{id}',
    );
    return toProposal(data.proposal);
  }

  async getInterview(proposalId: string): Promise<Transcript> {
    const endpoint = 'GET /proposals/{id}/interview';
    const { data, requestId } = await this.call(
      { method: 'GET', path: `/proposals/${segment(proposalId)}/interview` },
      interviewResponseSchema,
      endpoint,
    );
    this.reportSkipped(endpoint, 'interview message', data.interview.messages, requestId);
    return toTranscript(data.interview, proposalId);
  }

  async startConversation(proposalId: string): Promise<ConversationStart> {
    const { data, status } = await this.call(
      {
        method: 'POST',
        path: `/proposals/${segment(proposalId)}/conversation`,
        feature: ENDPOINT_FEATURES.messagingWrites,
      },
      conversationStartSchema,
      'POST /proposals/{id}/conversation',
    );
    return {
      conversationId: data.conversationId,
      proposalId: data.proposalId ?? proposalId,
      jobId: data.jobId ?? null,
      created: data.created ?? status === 201,
    };
  }

  async listConversations(
    opts: { filter?: ConversationFilter; unreadOnly?: boolean; cursor?: string; limit?: number } = {},
  ): Promise<ConversationsPage> {
    const endpoint = 'GET /messages (list)';
    const { data, requestId } = await this.call(
      {
        method: 'GET',
        path: '/messages',
        query: {
          filter: opts.filter,
          unreadOnly: opts.unreadOnly,
          cursor: opts.cursor,
          limit: opts.limit ?? DEFAULT_PAGE_LIMIT,
        },
      },
      conversationsPageSchema,
      endpoint,
    );
    this.reportSkipped(endpoint, 'conversation', data.conversations, requestId);
    const conversations: ConversationSummary[] = data.conversations.items.map(toConversationSummary);
    return { conversations, nextCursor: data.nextCursor ?? null };
  }

  async *conversations(
    opts: { filter?: ConversationFilter; unreadOnly?: boolean; limit?: number } = {},
  ): AsyncIterable<ConversationSummary> {
    yield* paginate(
      (cursor) => this.listConversations({ ...opts, cursor }),
      (page) => page.conversations,
    );
  }

  /** One page of a conversation, sorted oldest → newest by createdAt (the API's page order is not relied on). */
  async listMessages(
    conversationId: string,
    opts: { cursor?: string; direction?: MessageDirection; limit?: number } = {},
  ): Promise<MessagesPage> {
    const endpoint = 'GET /messages (conversation)';
    const { data, requestId } = await this.call(
      {
        method: 'GET',
        path: '/messages',
        query: {
          conversationId,
          cursor: opts.cursor,
          direction: opts.direction,
          limit: opts.limit ?? DEFAULT_PAGE_LIMIT,
        },
      },
      messagesPageSchema,
      endpoint,
    );
    this.reportSkipped(endpoint, 'message', data.messages, requestId);
    const messages: ChatMessage[] = sortChronologically(
      data.messages.items.map((api) => toChatMessage(api, conversationId)),
      (message) => message.createdAt,
    );
    return { messages, nextCursor: data.nextCursor ?? null };
  }

  /**
   * Every message from `cursor` in `direction` (default `older`, the API's default), page by page; each page is
   * oldest → newest, so with `newer` the whole stream is chronological.
   */
  async *messages(
    conversationId: string,
    opts: { cursor?: string; direction?: MessageDirection; limit?: number } = {},
  ): AsyncIterable<ChatMessage> {
    yield* paginate(
      (cursor) => this.listMessages(conversationId, { ...opts, cursor }),
      (page) => page.messages,
      opts.cursor,
    );
  }

  /** POST /messages. Never retried once it may have reached OpenTrain: re-read the thread to find out. */
  async sendMessage(conversationId: string, content: string): Promise<ChatMessage> {
    const { data } = await this.call(
      {
        method: 'POST',
        path: '/messages',
        body: { conversationId, content },
        feature: ENDPOINT_FEATURES.messagingWrites,
      },
      sendMessageResponseSchema,
      'POST /messages',
    );
    return toChatMessage(data.message, conversationId);
  }

  async getFreelancer(idOrSlug: string): Promise<FreelancerProfile> {
    const { data } = await this.call(
      { method: 'GET', path: `/freelancers/${segment(idOrSlug)}` },
      freelancerResponseSchema,
      'GET /freelancers/{idOrSlug}',
    );
    return toFreelancerProfile(data.freelancer, this.appOrigin);
  }

  async inviteToJob(jobId: string, freelancerId: string): Promise<InviteResult> {
    const { data, status } = await this.call(
      {
        method: 'POST',
        path: `/jobs/${segment(jobId)}/invites`,
        body: { freelancerId },
        feature: ENDPOINT_FEATURES.hiring,
      },
      inviteResponseSchema,
      'POST /jobs/{id}/invites',
    );
    return {
      proposalId: data.proposalId ?? null,
      jobId: data.jobId ?? jobId,
      freelancerId: data.freelancerId ?? freelancerId,
      alreadyInvited: data.alreadyInvited ?? status === 200,
      status,
    };
  }

  async getUpdates(opts: { cursor?: string | null; limit?: number } = {}): Promise<UpdatesPage> {
    const endpoint = 'GET /updates';
    const { data, requestId } = await this.call(
      {
        method: 'GET',
        path: '/updates',
        query: { cursor: opts.cursor ?? undefined, limit: opts.limit ?? DEFAULT_UPDATES_LIMIT },
      },
      updatesPageSchema,
      endpoint,
    );
    this.reportSkipped(endpoint, 'event', data.events, requestId);
    const events = data.events.items.map(toPlatformEvent);
    return {
      events,
      nextCursor: data.nextCursor ?? events.at(-1)?.id ?? opts.cursor ?? '',
      hasMore: data.hasMore ?? false,
    };
  }

  /**
   * Requests a hire; nothing happens until a human confirms `approval.approvalUrl`. `confirmNotAFit` sends the flag
   * confirming a proposal marked Not a fit (its name is assumed: docs/opentrain.md#hiring).
   */
  async hire(
    proposalId: string,
    milestone: HireMilestone,
    opts: { confirmNotAFit?: boolean } = {},
  ): Promise<{ approval: Approval; message: string | null }> {
    const { data } = await this.call(
      {
        method: 'POST',
        path: `/proposals/${segment(proposalId)}/hire`,
        body: { milestone, ...(opts.confirmNotAFit ? { [HIRE_NOT_A_FIT_FLAG]: true } : {}) },
        feature: ENDPOINT_FEATURES.hiring,
      },
      hireResponseSchema,
      'POST /proposals/{id}/hire',
    );
    return { approval: data.approval, message: data.message ?? null };
  }

  async getApproval(approvalId: string): Promise<Approval> {
    const { data } = await this.call(
      { method: 'GET', path: `/approvals/${segment(approvalId)}` },
      approvalResponseSchema,
      'GET /approvals/{id}',
    );
    return data.approval;
  }

  /** A contract with its milestones and budget (`payments:read`). */
  async getContract(contractId: string): Promise<Contract> {
    const { data } = await this.call(
      { method: 'GET', path: `/contracts/${segment(contractId)}` },
      contractResponseSchema,
      'GET /contracts/{id}',
    );
    return toContract(data.contract);
  }

  /** Invoices waiting for the employer (`payments:read`); malformed items are skipped and logged. */
  async listPendingPayments(): Promise<PendingPayment[]> {
    const endpoint = 'GET /payments/pending';
    const { data, requestId } = await this.call(
      { method: 'GET', path: '/payments/pending' },
      pendingPaymentsSchema,
      endpoint,
    );
    this.reportSkipped(endpoint, 'payment', data.payments, requestId);
    return data.payments.items.map(toPendingPayment);
  }

  private async call<S extends z.ZodType>(
    req: HttpRequest,
    schema: S,
    endpoint: string,
  ): Promise<{ data: z.output<S>; status: number; requestId: string | null }> {
    const response = await this.http.request(req);
    return {
      data: this.parse(schema, response, req, endpoint),
      status: response.status,
      requestId: response.requestId,
    };
  }

  private parse<S extends z.ZodType>(schema: S, response: HttpResponse, req: HttpRequest, endpoint: string) {
    const parsed = schema.safeParse(response.data);
    if (parsed.success) return parsed.data as z.output<S>;
    const problem = summariseIssues(parsed.error);
    this.logger.warn('OpenTrain response did not match the expected shape', {
      endpoint,
      status: response.status,
      requestId: response.requestId,
      problem,
    });
    throw new OpenTrainError({
      status: response.status,
      code: 'INVALID_RESPONSE',
      message: `${endpoint} answered with an unexpected shape: ${problem}`,
      requestId: response.requestId,
      method: req.method,
      path: req.path,
    });
  }

  private reportSkipped(endpoint: string, what: string, list: LenientList<unknown>, requestId: string | null) {
    for (const skipped of list.skipped) {
      this.logger.warn(`OpenTrain: skipped a malformed ${what} in ${endpoint}`, {
        requestId,
        index: skipped.index,
        problem: skipped.problem,
      });
    }
  }
}

/** Walks cursor pages until `nextCursor` is null (or repeats, which would otherwise loop forever). */
async function* paginate<Page extends { nextCursor: string | null }, Item>(
  fetchPage: (cursor: string | undefined) => Promise<Page>,
  itemsOf: (page: Page) => Item[],
  startCursor?: string,
): AsyncGenerator<Item> {
  let cursor = startCursor;
  const seen = new Set<string>();
  while (true) {
    const page = await fetchPage(cursor);
    yield* itemsOf(page);
    const next = page.nextCursor;
    if (next === null || next === '' || seen.has(next)) return;
    seen.add(next);
    cursor = next;
  }
}
