// A real HTTP server that stands in for Slack: the Web API (the app's WebClient is pointed at it with SLACK_API_URL)
// and Socket Mode (socket-mode.ts), so tests, benchmarks and the playground observe exactly what reached "Slack":
// every call with its parsed arguments, the channel history it produced, the modals that are open and the
// response_url posts. It answers like Slack (shapes, error codes, 429 + Retry-After) and enforces what Slack enforces
// where the bot depends on it: channel membership (channels.ts), per-method rate limits (rate-limits.ts), Block Kit
// (block-rules.ts), single-use trigger_ids and Home tabs with their hashes (views.ts). `deliver` reaches the app in either mode.

import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ChannelDirectory, type ChannelSetup, type StandInChannel } from './channels.js';
import { MessageBoard, type RecordedEphemeral } from './messages.js';
import { RateLimiter, type RateLimitSetting } from './rate-limits.js';
import { type AppDelivery, type SlackHttpResult, SlackRequestSender } from './signed-requests.js';
import { SocketModeHub } from './socket-mode.js';
import type {
  AppEndpoint,
  RecordedCall,
  RecordedResponse,
  SlackFailure,
  SlackStandIn,
  SlackStandInOptions,
  SocketModeControls,
} from './standin-api.js';
import { ModalDesk } from './views.js';
import {
  type Args,
  isRecord,
  type MethodHandler,
  optionalString,
  parseArgs,
  readBody,
  requiredString,
  SlackApiError,
  sleep,
} from './web-api-args.js';
import {
  DEFAULT_SLACK_IDENTITY,
  defaultUserProfile,
  type SlackIdentity,
  type SlackUserProfile,
  type StoredSlackMessage,
  type StoredSlackView,
} from './wire.js';

export type { ChannelSetup, StandInChannel } from './channels.js';
export type { RecordedEphemeral } from './messages.js';
export { type RateLimit, type RateLimitSetting, SLACK_RATE_LIMITS } from './rate-limits.js';
export type * from './standin-api.js';
export type { SlackIdentity, SlackUserProfile, StoredSlackMessage, StoredSlackView } from './wire.js';

class SlackStandInServer implements SlackStandIn {
  readonly identity: SlackIdentity;
  readonly calls: RecordedCall[] = [];
  readonly responses: RecordedResponse[] = [];

  private readonly server: Server;
  private origin = '';
  private readonly botToken: string | undefined;
  private readonly board: MessageBoard;
  private readonly desk: ModalDesk;
  private readonly channels: ChannelDirectory;
  private readonly limiter: RateLimiter;
  private readonly users = new Map<string, SlackUserProfile>();
  private readonly responseUrlIds = new Set<string>();
  private readonly failures = new Map<string, SlackFailure[]>();
  private readonly latencies = new Map<string, number>();
  private readonly answerDelays = new Map<string, number>();
  private idCounter = 0;
  private readonly handlers: Record<string, MethodHandler>;
  private readonly appToken: string | undefined;
  private readonly hub: SocketModeHub;
  private appEndpoint: AppEndpoint | null = null;
  readonly deliver: SlackRequestSender;

  constructor(options: SlackStandInOptions) {
    this.identity = {
      teamId: options.teamId ?? DEFAULT_SLACK_IDENTITY.teamId,
      teamDomain: options.teamDomain ?? DEFAULT_SLACK_IDENTITY.teamDomain,
      botUserId: options.botUserId ?? DEFAULT_SLACK_IDENTITY.botUserId,
      botId: options.botId ?? DEFAULT_SLACK_IDENTITY.botId,
      appId: options.appId ?? DEFAULT_SLACK_IDENTITY.appId,
    };
    this.botToken = options.botToken;
    this.appToken = options.appToken;
    const scopes = options.botScopes === undefined ? undefined : new Set(options.botScopes);
    this.channels = new ChannelDirectory(this.identity, (scope) => scopes === undefined || scopes.has(scope));
    this.limiter = new RateLimiter(options.rateLimits ?? 'slack');
    this.board = new MessageBoard(this.identity, this.channels);
    this.desk = new ModalDesk(this.identity, options.triggerTtlMs ?? 3000);
    this.hub = new SocketModeHub({
      appId: this.identity.appId,
      ...(options.socketAckTimeoutMs === undefined ? {} : { ackTimeoutMs: options.socketAckTimeoutMs }),
      ...(options.eventRetryDelaysMs === undefined ? {} : { eventRetryDelaysMs: options.eventRetryDelaysMs }),
    });
    this.deliver = new SlackRequestSender({
      appUrl: () => this.endpoint().url,
      signingSecret: () => this.endpoint().signingSecret,
      standIn: this,
      route: (delivery) => this.routeOverSocket(delivery),
    });
    this.users.set(this.identity.botUserId, {
      id: this.identity.botUserId,
      name: 'hiring-bot',
      real_name: 'Hiring Bot',
      is_bot: true,
    });
    this.handlers = {
      'apps.connections.open': () => ({ url: this.hub.issueUrl(this.origin) }),
      'auth.test': () => this.authTest(),
      'chat.postMessage': (args) => this.board.post(args),
      'chat.update': (args) => this.board.update(args),
      'chat.delete': (args) => this.board.remove(args),
      'chat.postEphemeral': (args) => this.board.postEphemeral(args),
      'chat.getPermalink': (args) => this.board.permalink(args),
      'conversations.history': (args) => this.channels.history(args, (msg, meta) => this.board.wire(msg, meta)),
      'conversations.replies': (args) => this.channels.replies(args, (msg, meta) => this.board.wire(msg, meta)),
      'conversations.info': (args) => this.channels.info(args),
      'conversations.join': (args) => this.channels.join(args),
      'users.info': (args) => this.userInfo(args),
      'views.open': (args) => this.desk.open(args, 'views.open'),
      'views.push': (args) => this.desk.open(args, 'views.push'),
      'views.update': (args) => this.desk.update(args),
      'views.publish': (args) => this.desk.publish(args),
    };
    this.server = createServer((req, res) => {
      this.route(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`stand-in error: ${error instanceof Error ? error.message : String(error)}`);
      });
    });
    this.server.on('upgrade', (req, socket, head) => {
      if (!this.hub.handleUpgrade(req, socket, head)) socket.destroy();
    });
  }

  get views(): Map<string, StoredSlackView> {
    return this.desk.views;
  }

  homeView(userId: string): StoredSlackView | undefined {
    return this.desk.home(userId);
  }

  get ephemerals(): RecordedEphemeral[] {
    return this.board.ephemerals;
  }

  thread(channel: string, threadTs: string): StoredSlackMessage[] {
    return this.board.thread(channel, threadTs);
  }

  addMessage(channel: string, msg: Partial<StoredSlackMessage>): StoredSlackMessage {
    return this.board.seed(channel, msg);
  }

  showView(view: Record<string, unknown>, where: { replace: string } | { pushOn: StoredSlackView }): StoredSlackView {
    return this.desk.show(view, where);
  }

  makeTriggerId(userId?: string): string {
    return this.desk.makeTriggerId(userId);
  }

  get socket(): SocketModeControls {
    return this.hub;
  }

  setAppEndpoint(endpoint: AppEndpoint | null): void {
    this.appEndpoint = endpoint;
  }

  private endpoint(): AppEndpoint {
    if (this.appEndpoint === null) {
      throw new Error('Slack stand-in: the app has no Socket Mode connection and no HTTP endpoint (setAppEndpoint)');
    }
    return this.appEndpoint;
  }

  // Socket Mode whenever the app holds a connection, or has no HTTP endpoint (Slack then waits for it to reconnect).
  private routeOverSocket(delivery: AppDelivery): Promise<SlackHttpResult> | undefined {
    if (this.hub.connected === 0 && (this.appEndpoint !== null || this.hub.connects === 0)) return undefined;
    return this.hub.deliver(delivery.type, delivery.payload).then((outcome) => {
      const payload = outcome.acked ? outcome.payload : undefined;
      const answer = payload !== undefined && Object.keys(payload).length > 0 ? payload : null;
      return {
        status: outcome.acked ? 200 : 408,
        text: answer === null ? '' : JSON.stringify(answer),
        json: answer,
        answer,
        via: 'socket' as const,
      };
    });
  }

  get url(): string {
    return `${this.origin}/api/`;
  }

  async listen(port: number, host: string): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const address = this.server.address() as AddressInfo;
    const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
    this.origin = `http://${urlHost}:${address.port}`;
  }

  async close(): Promise<void> {
    this.hub.close();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      // fetch keeps connections alive; without this close() would wait for them to idle out.
      this.server.closeAllConnections();
    });
  }

  // ---- recording and inspection ---------------------------------------------------------------------------------

  callsTo(method: string): Record<string, unknown>[] {
    return this.calls.filter((call) => call.method === method).map((call) => call.args);
  }

  clearCalls(): void {
    this.calls.length = 0;
  }

  messages(channel: string): StoredSlackMessage[] {
    return [...this.channels.messages(channel)];
  }

  findMessage(channel: string, ts: string): StoredSlackMessage | undefined {
    return this.channels.find(channel, ts);
  }

  addUser(user: Partial<SlackUserProfile> & { id: string }): SlackUserProfile {
    const profile = { ...defaultUserProfile(user.id), ...user };
    this.users.set(user.id, profile);
    return profile;
  }

  user(userId: string): SlackUserProfile {
    return this.users.get(userId) ?? defaultUserProfile(userId);
  }

  addChannel(channelId: string, name?: string, setup?: ChannelSetup): StandInChannel {
    return this.channels.add(channelId, name, setup);
  }

  channel(channelId: string): StandInChannel | undefined {
    return this.channels.get(channelId);
  }

  setBotMembership(channelId: string, member: boolean): void {
    const channel = this.channels.get(channelId);
    if (channel === undefined) throw new Error(`Slack stand-in: no channel ${channelId} (addChannel first)`);
    channel.botIsMember = member;
  }

  channelName(channelId: string): string {
    return this.channels.name(channelId);
  }

  setRateLimits(setting: RateLimitSetting): void {
    this.limiter.configure(setting);
  }

  get rateLimited(): ReadonlyMap<string, number> {
    return this.limiter.refused;
  }

  makeResponseUrl(): string {
    const id = `${++this.idCounter}${randomBytes(6).toString('hex')}`;
    this.responseUrlIds.add(id);
    return `${this.origin}/response/${id}`;
  }

  failNext(method: string, failure: SlackFailure, count = 1): void {
    const queue = this.failures.get(method) ?? [];
    for (let i = 0; i < count; i += 1) queue.push(failure);
    this.failures.set(method, queue);
  }

  setLatency(method: string, ms: number): void {
    if (ms > 0) this.latencies.set(method, ms);
    else this.latencies.delete(method);
  }

  setAnswerDelay(method: string, ms: number): void {
    if (ms > 0) this.answerDelays.set(method, ms);
    else this.answerDelays.delete(method);
  }

  async waitFor<T>(probe: () => T | undefined | null | false, timeoutMs = 2000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let lastProbeError: unknown;
    for (;;) {
      try {
        const value = probe();
        if (value) return value;
      } catch (error) {
        lastProbeError = error;
      }
      if (Date.now() >= deadline) break;
      await sleep(10);
    }
    const recent = this.calls
      .slice(-10)
      .map((call) => (call.ok === false ? `${call.method} (${call.error})` : call.method))
      .join(', ');
    const probeNote =
      lastProbeError === undefined
        ? ''
        : `; last probe error: ${lastProbeError instanceof Error ? lastProbeError.message : String(lastProbeError)}`;
    throw new Error(
      `Slack stand-in: condition not met within ${timeoutMs} ms${probeNote}; last Web API calls: ${recent || 'none'}`,
    );
  }

  // ---- HTTP -----------------------------------------------------------------------------------------------------

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestUrl = new URL(req.url ?? '/', 'http://stand-in');
    const rawBody = await readBody(req);
    const contentType = String(req.headers['content-type'] ?? '');
    if (requestUrl.pathname.startsWith('/api/')) {
      await this.answerApiCall(requestUrl.pathname.slice('/api/'.length), req, res, contentType, rawBody, requestUrl);
      return;
    }
    if (requestUrl.pathname.startsWith('/response/') && req.method === 'POST') {
      await this.answerResponseUrl(requestUrl.pathname.slice('/response/'.length), res, contentType, rawBody);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  }

  private async answerApiCall(
    method: string,
    req: IncomingMessage,
    res: ServerResponse,
    contentType: string,
    rawBody: string,
    requestUrl: URL,
  ): Promise<void> {
    const call: RecordedCall = { method, args: {}, at: Date.now() };
    this.calls.push(call);
    let status = 200;
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
    let body: Record<string, unknown>;
    try {
      const args = parseArgs(contentType, rawBody, requestUrl.searchParams);
      const bodyToken = optionalString(args, 'token');
      delete args.token; // tokens stay out of recordings
      call.args = args;
      const latency = this.latencies.get(method) ?? this.latencies.get('*') ?? 0;
      if (latency > 0) await sleep(latency);
      const handler = this.handlers[method];
      if (handler === undefined) throw new SlackApiError('unknown_method');
      this.checkAuth(method, req.headers.authorization, bodyToken);
      const retryAfter = this.limiter.take(method, optionalString(args, 'channel'));
      if (retryAfter !== undefined) {
        status = 429;
        headers['retry-after'] = String(retryAfter);
        throw new SlackApiError('ratelimited');
      }
      const failure = this.takeFailure(method);
      if (failure !== undefined) {
        status = failure.status ?? 200;
        if (failure.retryAfterSeconds !== undefined) headers['retry-after'] = String(failure.retryAfterSeconds);
        throw new SlackApiError(failure.error);
      }
      body = { ok: true, ...handler(args) };
    } catch (error) {
      if (error instanceof SlackApiError) body = { ok: false, error: error.code, ...error.extra };
      else {
        // A stand-in bug: answer like a Slack outage, but keep the cause visible in the recording and the body.
        status = 500;
        body = { ok: false, error: 'internal_error', detail: error instanceof Error ? error.message : String(error) };
      }
    }
    call.ok = body.ok === true;
    if (!call.ok) call.error = String(body.error);
    const answerDelay = this.answerDelays.get(method) ?? this.answerDelays.get('*') ?? 0;
    if (answerDelay > 0) await sleep(answerDelay);
    res.writeHead(status, headers);
    res.end(JSON.stringify(body));
  }

  private async answerResponseUrl(
    id: string,
    res: ServerResponse,
    contentType: string,
    rawBody: string,
  ): Promise<void> {
    if (!this.responseUrlIds.has(id)) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('invalid_response_url');
      return;
    }
    const latency = this.latencies.get('response_url') ?? 0;
    if (latency > 0) await sleep(latency);
    const failure = this.takeFailure('response_url');
    if (failure !== undefined) {
      res.writeHead(failure.status ?? 404, { 'content-type': 'text/plain' });
      res.end(failure.error);
      return;
    }
    let body: Record<string, unknown>;
    try {
      const parsed: unknown = contentType.startsWith('application/x-www-form-urlencoded')
        ? JSON.parse(new URLSearchParams(rawBody).get('payload') ?? '{}')
        : JSON.parse(rawBody);
      body = isRecord(parsed) ? parsed : { value: parsed };
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end('invalid_payload');
      return;
    }
    this.responses.push({ id, body, at: Date.now() });
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok');
  }

  // App-level tokens open Socket Mode connections and nothing else; bot tokens do everything else.
  private checkAuth(method: string, authorization: string | undefined, bodyToken: string | undefined): void {
    const bearer = authorization?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim();
    const token = bearer ?? bodyToken;
    if (token === undefined || token === '') throw new SlackApiError('not_authed');
    const wantsAppToken = method === 'apps.connections.open';
    if (token.startsWith('xapp-') !== wantsAppToken) {
      if (token.startsWith('xapp-') || token.startsWith('xox')) throw new SlackApiError('not_allowed_token_type');
      throw new SlackApiError('invalid_auth');
    }
    const accepted = wantsAppToken ? this.appToken : this.botToken;
    if (accepted !== undefined && token !== accepted) throw new SlackApiError('invalid_auth');
  }

  private takeFailure(method: string): SlackFailure | undefined {
    for (const key of [method, '*']) {
      if (key === '*' && method === 'response_url') continue;
      const queue = this.failures.get(key);
      const failure = queue?.shift();
      if (failure !== undefined) return failure;
    }
    return undefined;
  }

  // ---- state helpers --------------------------------------------------------------------------------------------

  // ---- Web API methods ------------------------------------------------------------------------------------------

  private authTest(): Record<string, unknown> {
    return {
      url: `https://${this.identity.teamDomain}.slack.com/`,
      team: 'Example Workspace',
      user: this.user(this.identity.botUserId).name,
      team_id: this.identity.teamId,
      user_id: this.identity.botUserId,
      bot_id: this.identity.botId,
      is_enterprise_install: false,
    };
  }

  private userInfo(args: Args): Record<string, unknown> {
    const userId = requiredString(args, 'user', 'user_not_found');
    if (!/^[UW]/.test(userId)) throw new SlackApiError('user_not_found');
    const profile = this.user(userId);
    return {
      user: {
        id: profile.id,
        team_id: this.identity.teamId,
        name: profile.name,
        deleted: false,
        real_name: profile.real_name,
        tz: profile.tz ?? 'Europe/London',
        is_admin: false,
        is_owner: false,
        is_bot: profile.is_bot === true,
        is_app_user: false,
        updated: 1_700_000_000,
        profile: {
          real_name: profile.real_name,
          real_name_normalized: profile.real_name,
          display_name: profile.name,
          display_name_normalized: profile.name,
          team: this.identity.teamId,
        },
      },
    };
  }
}

export async function startSlackStandIn(options: SlackStandInOptions = {}): Promise<SlackStandIn> {
  const standIn = new SlackStandInServer(options);
  await standIn.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  return standIn;
}
