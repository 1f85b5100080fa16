import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApprovalOutcome } from '../../hiring.js';
import { type ApiContext, addWebhook, createApiRouter, type MessagePolicy } from './api.js';
import { ApiError, badRequest, errorEnvelope, newRequestId, notFound } from './errors.js';
import { FaultInjector } from './faults.js';
import { createKnobRouter, type KnobContext } from './knobs.js';
import { EVENT_TYPES } from './ledger.js';
import type { Reply, Router } from './router.js';
import { type SeedIds, seedSandbox } from './seed.js';
import type { FaultSpec, ProposalInit, SandboxDelivery, SandboxRequest, SandboxState, TokenRecord } from './types.js';
import { DEFAULT_WEBHOOK_RETRY_DELAYS_MS, WebhookDispatcher } from './webhooks.js';
import { SandboxWorld } from './world.js';

export const API_PREFIX = '/api/public/v1';
export const KNOB_PREFIX = '/__sandbox';
const MAX_BODY_BYTES = 2 * 1024 * 1024;
const DEFAULT_MESSAGE_POLICY: MessagePolicy = {
  pattern: /[A-Z0-9._%+-]+@[A-Z0-9.-]+\.[A-Z]{2,}/i,
  policy: 'contact_details',
};

export interface OpenTrainSandboxOptions {
  /** 0 = ephemeral (default). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default true; false = organisations, tokens and jobs only (see seedSandbox). */
  seed?: boolean;
  now?: () => Date;
  /** Delays before attempts 2–5; default 1, 5, 30, 120 minutes. Tests pass tiny values. */
  webhookRetryDelaysMs?: number[];
}

export interface OpenTrainSandbox {
  /** The API base URL, e.g. `http://127.0.0.1:4010/api/public/v1`. */
  readonly url: string;
  /** The knob base URL, e.g. `http://127.0.0.1:4010/__sandbox`. */
  readonly knobUrl: string;
  readonly port: number;
  close(): Promise<void>;
  readonly ids: SeedIds;
  /** Every API request, in the order answered (knob requests are not recorded). */
  readonly requests: SandboxRequest[];
  clearRequests(): void;
  /** A new application from a new candidate; emits `proposal.received`. */
  addProposal(jobId: string, init?: ProposalInit): { proposalId: string; freelancerId: string };
  /** Many at once (benchmarks); returns the proposal ids in creation order. */
  addProposals(jobId: string, count: number, init?: ProposalInit): string[];
  /** Emits `proposal.status_changed` with the raw status (known statuses normalised, unknown kept as given). */
  setProposalStatus(proposalId: string, raw: string): void;
  /** GET /proposals/{id} of this proposal answers with a malformed body (true) or normally again (false). */
  setProposalDetailMalformed(proposalId: string, malformed: boolean): void;
  /** The candidate replies; throws (409 employer_first_message_required) before the employer has written. */
  addCandidateMessage(conversationId: string, content: string): { messageId: string };
  /** Delays every API request whose URL matches (all when omitted); 0 clears. */
  setLatency(ms: number, match?: RegExp): void;
  /** The next `count` matching API requests fail with the documented envelope (or a dropped connection). */
  injectFaults(fault: FaultSpec): void;
  /** Clears injected faults and latency. */
  clearFaults(): void;
  setFeature(key: string, enabled: boolean): void;
  setConversationReadOnly(conversationId: string, readOnly: boolean): void;
  /** Content policy for POST /messages; null disables it. Default: email addresses, policy `contact_details`. */
  blockMessagesMatching(pattern: RegExp | null, policy?: string): void;
  /** Registers a subscription directly (POST /webhooks works too). Default: every event type. */
  addWebhook(url: string, secret: string, eventTypes?: string[]): { webhookId: string };
  /** One row per delivery attempt. */
  readonly deliveries: SandboxDelivery[];
  /** The account's payment method and credits (hire needs one or the other; default: a payment method). */
  setBilling(billing: { paymentMethod: boolean; creditsUsd?: number }): void;
  /** What the human does in the app: resolves a pending approval and emits the matching events. */
  resolveApproval(approvalId: string, status: ApprovalOutcome): void;
  /** A pending `milestone_fund` approval for the contract (another approval type; `proposalId` null unless given). */
  requestMilestoneFunding(contractId: string, options?: { proposalId?: string | null }): { approvalId: string };
  /** An invoice of the contract now waits for the employer: emits `payment.pending`. */
  paymentPending(contractId: string, options?: { amountUsd?: number; status?: string }): { invoiceId: string };
  /** The contract's budget moves to OK / LOW / DEPLETED: emits `contract.budget_state_changed` when it changed. */
  setBudgetState(contractId: string, state: string, consumedFraction?: number): { changed: boolean };
  /** Adds a bearer token for the owner organisation (e.g. a narrower scope set). */
  addToken(token: string, init: { scopes: string[]; claimed?: boolean; label?: string }): void;
  readonly state: SandboxState;
}

/** Starts the OpenTrain sandbox; resolves once it listens. */
export async function startOpenTrainSandbox(options: OpenTrainSandboxOptions = {}): Promise<OpenTrainSandbox> {
  const sandbox = new OpenTrainSandboxServer(options);
  await sandbox.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  return sandbox;
}

class OpenTrainSandboxServer implements OpenTrainSandbox {
  readonly requests: SandboxRequest[] = [];
  readonly ids: SeedIds;
  private readonly world: SandboxWorld;
  private readonly dispatcher: WebhookDispatcher;
  private readonly faults = new FaultInjector();
  private readonly policy: MessagePolicy = { ...DEFAULT_MESSAGE_POLICY };
  private readonly apiRouter: Router<ApiContext>;
  private readonly knobRouter: Router<KnobContext>;
  private readonly server: Server;
  private address = { host: '127.0.0.1', port: 0 };

  constructor(options: OpenTrainSandboxOptions) {
    const now = options.now ?? (() => new Date());
    let dispatcher: WebhookDispatcher | null = null;
    this.world = new SandboxWorld(now, (event) => dispatcher?.dispatch(event));
    dispatcher = new WebhookDispatcher(
      this.world.state.webhooks,
      now,
      options.webhookRetryDelaysMs ?? DEFAULT_WEBHOOK_RETRY_DELAYS_MS,
    );
    this.dispatcher = dispatcher;
    this.ids = seedSandbox(this.world, { full: options.seed ?? true });
    this.apiRouter = createApiRouter(this.world, this.policy);
    this.knobRouter = createKnobRouter(this);
    this.server = createServer((req, res) => {
      void this.handle(req, res);
    });
  }

  get state(): SandboxState {
    return this.world.state;
  }

  get deliveries(): SandboxDelivery[] {
    return this.dispatcher.deliveries;
  }

  get port(): number {
    return this.address.port;
  }

  get url(): string {
    return `${this.origin}${API_PREFIX}`;
  }

  get knobUrl(): string {
    return `${this.origin}${KNOB_PREFIX}`;
  }

  private get origin(): string {
    const host = this.address.host.includes(':') ? `[${this.address.host}]` : this.address.host;
    return `http://${host}:${this.address.port}`;
  }

  listen(port: number, host: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        this.address = { host, port: (this.server.address() as AddressInfo).port };
        resolve();
      });
    });
  }

  async close(): Promise<void> {
    this.dispatcher.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  clearRequests(): void {
    this.requests.length = 0;
  }

  addProposal(jobId: string, init: ProposalInit = {}): { proposalId: string; freelancerId: string } {
    const proposal = this.world.createProposal(jobId, init);
    return { proposalId: proposal.id, freelancerId: proposal.freelancerId };
  }

  addProposals(jobId: string, count: number, init: ProposalInit = {}): string[] {
    const ids: string[] = [];
    for (let index = 0; index < count; index += 1) ids.push(this.world.createProposal(jobId, init).id);
    return ids;
  }

  setProposalStatus(proposalId: string, raw: string): void {
    this.world.setProposalStatus(proposalId, raw);
  }

  setProposalDetailMalformed(proposalId: string, malformed: boolean): void {
    const proposal = this.world.state.proposals.get(proposalId);
    if (!proposal) throw notFound('Proposal not found', { proposalId });
    proposal.detailMalformed = malformed;
  }

  addCandidateMessage(conversationId: string, content: string): { messageId: string } {
    return { messageId: this.world.addCandidateMessage(conversationId, content).id };
  }

  setLatency(ms: number, match?: RegExp): void {
    this.faults.setLatency(ms, match);
  }

  injectFaults(fault: FaultSpec): void {
    this.faults.inject(fault);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  setFeature(key: string, enabled: boolean): void {
    const { features } = this.world.account(this.ids.organizationId);
    if (enabled) features.add(key);
    else features.delete(key);
  }

  setConversationReadOnly(conversationId: string, readOnly: boolean): void {
    const conversation = this.world.state.conversations.get(conversationId);
    if (!conversation) throw notFound('Conversation not found', { conversationId });
    conversation.readOnly = readOnly;
  }

  blockMessagesMatching(pattern: RegExp | null, policy = 'contact_details'): void {
    this.policy.pattern = pattern;
    this.policy.policy = policy;
  }

  addWebhook(url: string, secret: string, eventTypes?: string[]): { webhookId: string } {
    const types = eventTypes ?? EVENT_TYPES;
    return { webhookId: addWebhook(this.world, this.ids.organizationId, url, secret, types).id };
  }

  resolveApproval(approvalId: string, status: ApprovalOutcome): void {
    this.world.resolveApproval(approvalId, status);
  }

  requestMilestoneFunding(contractId: string, options?: { proposalId?: string | null }): { approvalId: string } {
    return { approvalId: this.world.requestMilestoneFunding(contractId, options).id };
  }

  setBilling(billing: { paymentMethod: boolean; creditsUsd?: number }): void {
    this.world.account(this.ids.organizationId).billing = {
      paymentMethod: billing.paymentMethod,
      creditsUsd: billing.creditsUsd ?? 0,
    };
  }

  paymentPending(contractId: string, options: { amountUsd?: number; status?: string } = {}): { invoiceId: string } {
    return { invoiceId: this.world.contracts.paymentPending(contractId, options).invoice.id };
  }

  setBudgetState(contractId: string, state: string, consumedFraction?: number): { changed: boolean } {
    return this.world.contracts.setBudget(contractId, state, consumedFraction);
  }

  addToken(token: string, init: { scopes: string[]; claimed?: boolean; label?: string }): void {
    const record: TokenRecord = {
      token,
      id: this.world.newId('tok'),
      label: init.label ?? 'sandbox-extra',
      userId: this.ids.users.owner,
      organizationId: this.ids.organizationId,
      scopes: [...init.scopes],
      claimed: init.claimed ?? true,
    };
    this.world.state.tokens.set(token, record);
  }

  // ---- HTTP --------------------------------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = newRequestId();
    const rawUrl = req.url ?? '/';
    const url = new URL(rawUrl, 'http://sandbox.invalid');
    const method = (req.method ?? 'GET').toUpperCase();
    try {
      const rawBody = await readBody(req);
      const parsed = parseJson(rawBody);
      if (url.pathname === KNOB_PREFIX || url.pathname.startsWith(`${KNOB_PREFIX}/`)) {
        const reply = await this.handleKnob(method, url.pathname.slice(KNOB_PREFIX.length) || '/', parsed);
        send(res, reply, requestId);
        return;
      }
      if (url.pathname !== API_PREFIX && !url.pathname.startsWith(`${API_PREFIX}/`)) {
        send(res, errorReply(notFound('Not found', { path: url.pathname }), requestId), requestId);
        return;
      }
      await this.handleApi(req, res, { method, url, rawUrl, parsed, requestId });
    } catch (error) {
      send(res, errorReply(error, requestId), requestId);
    }
  }

  private async handleApi(
    req: IncomingMessage,
    res: ServerResponse,
    input: { method: string; url: URL; rawUrl: string; parsed: ParsedBody; requestId: string },
  ): Promise<void> {
    const { method, url, rawUrl, parsed, requestId } = input;
    const path = url.pathname.slice(API_PREFIX.length) || '/';
    const token = bearerToken(req.headers.authorization);
    const entry: SandboxRequest = {
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      body: parsed.value,
      status: null,
      token,
      at: this.world.now(),
    };
    const latency = this.faults.latencyFor(rawUrl);
    if (latency > 0) await sleep(latency);
    const fault = this.faults.take(method, rawUrl);
    if (fault?.kind === 'drop') {
      this.requests.push(entry);
      req.socket.destroy();
      return;
    }
    let reply: Reply;
    try {
      if (fault?.kind === 'error') throw fault.error;
      const route = this.apiRouter.match(method, path);
      if (!route) throw notFound(`No route for ${method} ${path}`, { method, path });
      const tokenRecord = token ? this.world.state.tokens.get(token) : undefined;
      if (!tokenRecord) throw new ApiError(401, 'Invalid or missing API token');
      if (parsed.invalid) {
        throw badRequest('Invalid JSON body', {
          issues: [{ code: 'invalid_json', path: [], message: 'Request body is not valid JSON' }],
        });
      }
      const caller = { token: tokenRecord, account: this.world.account(tokenRecord.organizationId) };
      reply = await route.handler({ caller, query: url.searchParams, body: parsed.value }, route.params);
    } catch (error) {
      reply = errorReply(error, requestId);
    }
    entry.status = reply.status;
    this.requests.push(entry);
    if (fault?.kind === 'drop-response') {
      req.socket.destroy();
      return;
    }
    send(res, reply, requestId);
  }

  private async handleKnob(method: string, path: string, parsed: ParsedBody): Promise<Reply> {
    if (parsed.invalid) throw badRequest('Invalid JSON body');
    const route = this.knobRouter.match(method, path);
    if (!route) throw notFound(`No sandbox knob for ${method} ${path}`, { method, path });
    const body =
      parsed.value && typeof parsed.value === 'object' && !Array.isArray(parsed.value)
        ? (parsed.value as Record<string, unknown>)
        : {};
    return route.handler({ body }, route.params);
  }
}

interface ParsedBody {
  value: unknown;
  invalid: boolean;
}

function parseJson(raw: string): ParsedBody {
  if (raw.trim() === '') return { value: undefined, invalid: false };
  try {
    return { value: JSON.parse(raw), invalid: false };
  } catch {
    return { value: raw, invalid: true };
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(badRequest('Request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function bearerToken(header: string | undefined): string | null {
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return match ? match[1]! : null;
}

function errorReply(error: unknown, requestId: string): Reply {
  const apiError =
    error instanceof ApiError
      ? error
      : new ApiError(500, error instanceof Error ? `Sandbox failure: ${error.message}` : 'Sandbox failure');
  return { status: apiError.status, body: errorEnvelope(apiError, requestId), headers: apiError.headers };
}

function send(res: ServerResponse, reply: Reply, requestId: string): void {
  if (res.destroyed || res.headersSent) return;
  const body = reply.body === undefined ? '' : JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'x-request-id': requestId,
    ...reply.headers,
  });
  res.end(body);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => {
    // Unref'd: a pending delayed request must not keep a finished test process alive.
    setTimeout(resolve, ms).unref();
  });
}
