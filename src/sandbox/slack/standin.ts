// A real HTTP server that stands in for Slack's Web API. The app's WebClient is pointed at it (SLACK_API_URL /
// clientOptions.slackApiUrl), so tests, benchmarks and demos observe exactly what reached "Slack": every call with
// its parsed arguments, the channel history it produced, the modals that are open and the response_url posts.
// It answers like Slack (shapes, error codes, 429 + Retry-After) and validates what Slack validates, so a Block Kit
// or trigger_id bug fails here the way it would fail in a workspace.

import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BLOCK_LIMITS, findBlockProblems, findViewProblems } from './block-rules.js';
import { ChannelDirectory, type ChannelSetup, type StandInChannel } from './channels.js';
import { RateLimiter, type RateLimitSetting } from './rate-limits.js';
import { type AppDelivery, type SlackHttpResult, SlackRequestSender } from './signed-requests.js';
import { SocketModeHub } from './socket-mode.js';
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
  withoutUndefined,
} from './web-api-args.js';
import {
  compareTs,
  DEFAULT_SLACK_IDENTITY,
  defaultUserProfile,
  microsToTs,
  type SlackIdentity,
  type SlackUserProfile,
  type StoredSlackMessage,
  type StoredSlackView,
  toViewOutput,
  toWireMessage,
  tsToMicros,
} from './wire.js';

export type { ChannelSetup, StandInChannel } from './channels.js';
export { type RateLimit, type RateLimitSetting, SLACK_RATE_LIMITS } from './rate-limits.js';
export type { SlackIdentity, SlackUserProfile, StoredSlackMessage, StoredSlackView } from './wire.js';

export interface SlackStandInOptions {
  port?: number;
  host?: string;
  teamId?: string;
  teamDomain?: string;
  botUserId?: string;
  botId?: string;
  appId?: string;
  /** The accepted bearer token; any other token gets invalid_auth. Unset → any token is accepted. */
  botToken?: string;
  /** How long a trigger_id from makeTriggerId() stays usable (Slack: 3 s). */
  triggerTtlMs?: number;
  /** The accepted app-level token (`xapp-…`) for apps.connections.open. Unset → any `xapp-` token. */
  appToken?: string;
  /** Socket Mode: how long the app has to ack an envelope (Slack: 3 s). */
  socketAckTimeoutMs?: number;
  /** Socket Mode: delays before each redelivery of an un-acked event (Slack: 0, 1 min, 5 min). */
  eventRetryDelaysMs?: readonly number[];
  /** Per-method rate limits: Slack's (default), 'off', or scaled / overridden (src/sandbox/slack/rate-limits.ts). */
  rateLimits?: RateLimitSetting;
  /** The bot token's scopes (e.g. the manifest's); a method needing another answers missing_scope. Unset → all. */
  botScopes?: readonly string[];
}

/** Where the app takes signed HTTP requests (HTTP mode). */
export interface AppEndpoint {
  url: string;
  signingSecret: string;
}

/** What tests and the playground see of Socket Mode. */
export interface SocketModeControls {
  /** Open sockets right now. */
  readonly connected: number;
  /** Successful apps.connections.open calls (a reconnect makes one more). */
  readonly opened: number;
  readonly envelopes: readonly import('./socket-mode.js').SocketEnvelope[];
  readonly acks: readonly import('./socket-mode.js').SocketAck[];
  /** Sends `{type: 'disconnect', reason}`: the app closes the socket and opens a new one. */
  disconnect(reason?: import('./socket-mode.js').DisconnectReason): void;
  /** Loses every socket without a close handshake. */
  drop(): void;
  waitForConnection(count?: number, timeoutMs?: number): Promise<void>;
}

export interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
  at: number;
  /** Filled in once the stand-in has answered. */
  ok?: boolean;
  error?: string;
}

export interface SlackFailure {
  error: string;
  status?: number;
  retryAfterSeconds?: number;
}

export interface RecordedEphemeral {
  channel: string;
  user: string;
  text?: string;
  blocks?: unknown[];
  thread_ts?: string;
  ts: string;
}

export interface RecordedResponse {
  id: string;
  body: Record<string, unknown>;
  at: number;
}

export interface SlackStandIn {
  /** Web API base URL ending with '/', e.g. http://127.0.0.1:PORT/api/ */
  readonly url: string;
  readonly identity: SlackIdentity;
  close(): Promise<void>;
  /**
   * Delivers what a person does to the app, the way Slack would: over the app's Socket Mode connection when it has
   * one, else as a signed HTTP request to the endpoint given to setAppEndpoint(). Each method answers with what the
   * app acked (`json`: the HTTP body or the ack payload; `via`: 'http' | 'socket').
   */
  readonly deliver: SlackRequestSender;
  /** The app's HTTP endpoint for deliver(); null when it runs in Socket Mode only. */
  setAppEndpoint(endpoint: AppEndpoint | null): void;
  readonly socket: SocketModeControls;
  /** Every Web API call, in arrival order (failed ones too), with JSON-string fields parsed back to objects. */
  readonly calls: RecordedCall[];
  callsTo(method: string): Record<string, unknown>[];
  clearCalls(): void;
  /** Top-level and thread messages of a channel, in post order. */
  messages(channel: string): StoredSlackMessage[];
  /** A thread's parent and replies, oldest first. */
  thread(channel: string, threadTs: string): StoredSlackMessage[];
  findMessage(channel: string, ts: string): StoredSlackMessage | undefined;
  /** Seeds history. A message with `user` and no `bot_id` is a person's; otherwise it is the bot's. */
  addMessage(channel: string, msg: Partial<StoredSlackMessage>): StoredSlackMessage;
  addUser(user: Partial<SlackUserProfile> & { id: string }): SlackUserProfile;
  user(userId: string): SlackUserProfile;
  /**
   * Declares a channel (calls to undeclared ones answer channel_not_found); again → changes it. Defaults: public
   * (private for G… ids), not archived, the bot a member.
   */
  addChannel(channelId: string, name?: string, setup?: ChannelSetup): StandInChannel;
  channel(channelId: string): StandInChannel | undefined;
  /** Someone `/invite`s the bot (true) or removes it (false). */
  setBotMembership(channelId: string, member: boolean): void;
  channelName(channelId: string): string;
  /** Changes the rate limits from now on ('off', 'slack', or scaled). */
  setRateLimits(setting: RateLimitSetting): void;
  /** Calls answered 429 so far, per method. */
  readonly rateLimited: ReadonlyMap<string, number>;
  readonly views: Map<string, StoredSlackView>;
  readonly ephemerals: RecordedEphemeral[];
  /** Bodies POSTed to response_urls made by makeResponseUrl(). */
  readonly responses: RecordedResponse[];
  makeResponseUrl(): string;
  /**
   * Shows a view the app answered a submission with (response_action 'update' replaces `replace`, 'push' stacks on
   * `pushOn`); an invalid view throws, as Slack would refuse it.
   */
  showView(view: Record<string, unknown>, where: { replace: string } | { pushOn: StoredSlackView }): StoredSlackView;
  /** A trigger_id usable once within triggerTtlMs; `userId` is remembered on the views it opens. */
  makeTriggerId(userId?: string): string;
  /** The next `count` calls to `method` fail ('*' = any method; 'response_url' = response_url POSTs). */
  failNext(method: string, failure: SlackFailure, count?: number): void;
  /** Polls every ~10 ms until `probe` returns something truthy. */
  waitFor<T>(probe: () => T | undefined | null | false, timeoutMs?: number): Promise<T>;
  /** Delays answers to `method` ('*' = every method); 0 removes the delay. */
  setLatency(method: string, ms: number): void;
  /**
   * Carries out `method` at once but holds its answer back for `ms` ('*' = every method; 0 removes it): the effect
   * (a posted message) exists while the caller still waits, which is how tests kill an app between the two.
   */
  setAnswerDelay(method: string, ms: number): void;
}

class SlackStandInServer implements SlackStandIn {
  readonly identity: SlackIdentity;
  readonly calls: RecordedCall[] = [];
  readonly views = new Map<string, StoredSlackView>();
  readonly ephemerals: RecordedEphemeral[] = [];
  readonly responses: RecordedResponse[] = [];

  private readonly server: Server;
  private origin = '';
  private readonly botToken: string | undefined;
  private readonly triggerTtlMs: number;
  private readonly channels: ChannelDirectory;
  private readonly limiter: RateLimiter;
  private readonly users = new Map<string, SlackUserProfile>();
  private readonly editTimes = new WeakMap<StoredSlackMessage, string>();
  private readonly triggers = new Map<string, { expiresAt: number; used: boolean; userId?: string }>();
  private readonly responseUrlIds = new Set<string>();
  private readonly failures = new Map<string, SlackFailure[]>();
  private readonly latencies = new Map<string, number>();
  private readonly answerDelays = new Map<string, number>();
  private lastTsMicros = 0;
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
    this.triggerTtlMs = options.triggerTtlMs ?? 3000;
    this.appToken = options.appToken;
    const scopes = options.botScopes === undefined ? undefined : new Set(options.botScopes);
    this.channels = new ChannelDirectory(this.identity, (scope) => scopes === undefined || scopes.has(scope));
    this.limiter = new RateLimiter(options.rateLimits ?? 'slack');
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
      'chat.postMessage': (args) => this.postMessage(args),
      'chat.update': (args) => this.updateMessage(args),
      'chat.delete': (args) => this.deleteMessage(args),
      'chat.postEphemeral': (args) => this.postEphemeral(args),
      'chat.getPermalink': (args) => this.getPermalink(args),
      'conversations.history': (args) => this.channels.history(args, (msg, meta) => this.wire(msg, meta)),
      'conversations.replies': (args) => this.channels.replies(args, (msg, meta) => this.wire(msg, meta)),
      'conversations.info': (args) => this.channels.info(args),
      'conversations.join': (args) => this.channels.join(args),
      'users.info': (args) => this.userInfo(args),
      'views.open': (args) => this.openView(args, 'views.open'),
      'views.push': (args) => this.openView(args, 'views.push'),
      'views.update': (args) => this.updateView(args),
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

  thread(channel: string, threadTs: string): StoredSlackMessage[] {
    return this.messages(channel)
      .filter((msg) => msg.ts === threadTs || msg.thread_ts === threadTs)
      .sort((a, b) => compareTs(a.ts, b.ts));
  }

  findMessage(channel: string, ts: string): StoredSlackMessage | undefined {
    return this.channels.find(channel, ts);
  }

  addMessage(channel: string, msg: Partial<StoredSlackMessage>): StoredSlackMessage {
    let ts = msg.ts;
    if (ts === undefined) ts = this.nextTs();
    else {
      const micros = tsToMicros(ts);
      if (micros === undefined) throw new Error(`addMessage: "${ts}" is not a Slack ts like 1700000000.000100`);
      if (this.findMessage(channel, ts)) throw new Error(`addMessage: ${channel} already has a message at ${ts}`);
      // Later posts must still sort after seeded ones.
      this.lastTsMicros = Math.max(this.lastTsMicros, micros);
    }
    const fromPerson = msg.user !== undefined && msg.user !== this.identity.botUserId && msg.bot_id === undefined;
    const stored = withoutUndefined<StoredSlackMessage>({
      ...msg,
      channel,
      ts,
      user: msg.user ?? this.identity.botUserId,
      bot_id: fromPerson ? undefined : (msg.bot_id ?? this.identity.botId),
      updates: msg.updates ?? 0,
    });
    this.store(stored);
    return stored;
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

  showView(view: Record<string, unknown>, where: { replace: string } | { pushOn: StoredSlackView }): StoredSlackView {
    try {
      this.viewArg({ view }, ['modal']);
    } catch (error) {
      const detail = error instanceof SlackApiError ? `${error.code} ${JSON.stringify(error.extra)}` : String(error);
      throw new Error(`Slack stand-in: the app answered with a view Slack would refuse: ${detail}`);
    }
    if ('replace' in where) {
      const entry = this.views.get(where.replace);
      if (entry === undefined) throw new Error(`Slack stand-in: no view ${where.replace} to update`);
      entry.view = view;
      entry.hash = this.newHash();
      entry.updates += 1;
      delete entry.errors;
      return entry;
    }
    const parent = where.pushOn;
    const id = this.nextId('V');
    const entry = withoutUndefined<StoredSlackView>({
      id,
      view,
      hash: this.newHash(),
      updates: 0,
      userId: parent.userId,
      rootViewId: parent.rootViewId ?? parent.id,
      previousViewId: parent.id,
    });
    this.views.set(id, entry);
    return entry;
  }

  makeTriggerId(userId?: string): string {
    // Slack's trigger_ids look like "13345224609.738474920.8088930838d88f008e0".
    const id = `${Math.floor(Date.now() / 1000)}.${++this.idCounter}.${randomBytes(10).toString('hex')}`;
    this.triggers.set(id, {
      expiresAt: Date.now() + this.triggerTtlMs,
      used: false,
      ...(userId === undefined ? {} : { userId }),
    });
    return id;
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

  private nextTs(): string {
    this.lastTsMicros = Math.max(this.lastTsMicros + 1, Date.now() * 1000);
    return microsToTs(this.lastTsMicros);
  }

  private nextId(prefix: string): string {
    return `${prefix}${(++this.idCounter).toString(36).toUpperCase().padStart(10, '0')}`;
  }

  private store(msg: StoredSlackMessage): void {
    const channel = this.channels.get(msg.channel);
    if (channel === undefined) throw new Error(`Slack stand-in: no channel ${msg.channel} (addChannel first)`);
    channel.messages.push(msg);
  }

  private repliesTo(channel: string, parentTs: string): StoredSlackMessage[] {
    return this.messages(channel)
      .filter((msg) => msg.thread_ts === parentTs && msg.ts !== parentTs)
      .sort((a, b) => compareTs(a.ts, b.ts));
  }

  private wire(msg: StoredSlackMessage, includeMetadata: boolean): Record<string, unknown> {
    const parent = msg.thread_ts === undefined ? undefined : this.findMessage(msg.channel, msg.thread_ts);
    return toWireMessage(msg, this.identity, {
      includeMetadata,
      ...(msg.thread_ts === undefined ? { replies: this.repliesTo(msg.channel, msg.ts) } : {}),
      ...(parent?.user === undefined ? {} : { parentUserId: parent.user }),
      ...(this.editTimes.has(msg) ? { editedTs: this.editTimes.get(msg) } : {}),
    });
  }

  private blocksArg(args: Args, surface: 'message' | 'modal'): unknown[] | undefined {
    const blocks = args.blocks;
    if (blocks === undefined || blocks === null || blocks === '') return undefined;
    if (!Array.isArray(blocks)) throw new SlackApiError('invalid_blocks_format');
    this.assertValidBlocks(blocks, surface, '/blocks');
    return blocks;
  }

  private assertValidBlocks(blocks: unknown[], surface: 'message' | 'modal', pointer: string): void {
    const problems = findBlockProblems(blocks, surface, pointer);
    if (problems.length > 0) {
      throw new SlackApiError('invalid_blocks', { errors: problems, response_metadata: { messages: problems } });
    }
  }

  private metadataArg(args: Args): StoredSlackMessage['metadata'] | null | undefined {
    const metadata = args.metadata;
    if (metadata === undefined || metadata === null || metadata === '') return undefined;
    // chat.update: an empty object removes the metadata.
    if (isRecord(metadata) && Object.keys(metadata).length === 0) return null;
    if (
      !isRecord(metadata) ||
      typeof metadata.event_type !== 'string' ||
      !/^[A-Za-z0-9_]{1,255}$/.test(metadata.event_type) ||
      !isRecord(metadata.event_payload)
    ) {
      throw new SlackApiError('invalid_metadata_format');
    }
    return { event_type: metadata.event_type, event_payload: metadata.event_payload };
  }

  private textArg(args: Args): string | undefined {
    const text = optionalString(args, 'text');
    if (text !== undefined && text.length > BLOCK_LIMITS.messageText) throw new SlackApiError('msg_too_long');
    return text;
  }

  private hasContent(text: string | undefined, blocks: unknown[] | undefined, args: Args): boolean {
    const attachments = args.attachments;
    return (
      (text !== undefined && text.trim() !== '') ||
      (blocks !== undefined && blocks.length > 0) ||
      (Array.isArray(attachments) && attachments.length > 0)
    );
  }

  private messageArg(args: Args, tsKey: string): StoredSlackMessage {
    const channel = requiredString(args, 'channel', 'channel_not_found');
    const ts = requiredString(args, tsKey, 'message_not_found');
    const msg = this.findMessage(channel, ts);
    if (msg === undefined) throw new SlackApiError('message_not_found');
    return msg;
  }

  private viewArg(args: Args, allowedTypes: readonly string[]): Record<string, unknown> {
    const view = args.view;
    if (!isRecord(view)) throw new SlackApiError('invalid_arguments', { response_metadata: { messages: [] } });
    const problems = findViewProblems(view, allowedTypes);
    if (problems.length > 0)
      throw new SlackApiError('invalid_arguments', { response_metadata: { messages: problems } });
    if (view.blocks !== undefined) {
      if (!Array.isArray(view.blocks)) throw new SlackApiError('invalid_blocks_format');
      this.assertValidBlocks(view.blocks, 'modal', '/view/blocks');
    }
    return view;
  }

  private newHash(): string {
    return `${Math.floor(Date.now() / 1000)}.${randomBytes(4).toString('hex')}`;
  }

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

  private postMessage(args: Args): Record<string, unknown> {
    const channel = this.channels.forPosting(requiredString(args, 'channel', 'channel_not_found')).id;
    const text = this.textArg(args);
    const blocks = this.blocksArg(args, 'message');
    const metadata = this.metadataArg(args) ?? undefined;
    if (!this.hasContent(text, blocks, args)) throw new SlackApiError('no_text');
    let threadTs = optionalString(args, 'thread_ts');
    if (threadTs !== undefined && threadTs !== '') {
      // Stricter than Slack (which may start an orphan thread): a reply to nothing is almost always a bug.
      const parent = this.findMessage(channel, threadTs);
      if (parent === undefined) throw new SlackApiError('thread_not_found');
      threadTs = parent.thread_ts ?? parent.ts;
    } else threadTs = undefined;
    const msg = withoutUndefined<StoredSlackMessage>({
      channel,
      ts: this.nextTs(),
      text,
      blocks,
      metadata,
      thread_ts: threadTs,
      user: this.identity.botUserId,
      bot_id: this.identity.botId,
      updates: 0,
    });
    this.store(msg);
    return { channel, ts: msg.ts, message: this.wire(msg, true) };
  }

  private updateMessage(args: Args): Record<string, unknown> {
    this.channels.forPosting(requiredString(args, 'channel', 'channel_not_found'));
    const msg = this.messageArg(args, 'ts');
    if (msg.bot_id !== this.identity.botId) throw new SlackApiError('cant_update_message');
    const text = this.textArg(args);
    const blocks = this.blocksArg(args, 'message');
    const metadata = this.metadataArg(args);
    if (text === undefined && blocks === undefined && metadata === undefined && args.attachments === undefined) {
      throw new SlackApiError('no_text');
    }
    // Like Slack: fields left out keep their previous value; an empty array / object removes them.
    const nextText = text ?? msg.text;
    const nextBlocks = blocks === undefined ? msg.blocks : blocks.length > 0 ? blocks : undefined;
    const nextMetadata = metadata === null ? undefined : (metadata ?? msg.metadata);
    if (!this.hasContent(nextText, nextBlocks, args)) throw new SlackApiError('no_text');
    msg.text = nextText;
    msg.blocks = nextBlocks;
    msg.metadata = nextMetadata;
    withoutUndefined(msg);
    msg.edited = true;
    msg.updates += 1;
    this.editTimes.set(msg, this.nextTs());
    return { channel: msg.channel, ts: msg.ts, text: msg.text ?? '', message: this.wire(msg, true) };
  }

  private deleteMessage(args: Args): Record<string, unknown> {
    const msg = this.messageArg(args, 'ts');
    if (msg.bot_id !== this.identity.botId) throw new SlackApiError('cant_delete_message');
    const list = this.channels.messages(msg.channel);
    list.splice(list.indexOf(msg), 1);
    return { channel: msg.channel, ts: msg.ts };
  }

  private postEphemeral(args: Args): Record<string, unknown> {
    const channel = this.channels.forPosting(requiredString(args, 'channel', 'channel_not_found')).id;
    const user = requiredString(args, 'user', 'user_not_in_channel');
    const text = this.textArg(args);
    const blocks = this.blocksArg(args, 'message');
    if (!this.hasContent(text, blocks, args)) throw new SlackApiError('no_text');
    const threadTs = optionalString(args, 'thread_ts');
    const ts = this.nextTs();
    this.ephemerals.push(
      withoutUndefined<RecordedEphemeral>({
        channel,
        user,
        text,
        blocks,
        thread_ts: threadTs === '' ? undefined : threadTs,
        ts,
      }),
    );
    return { message_ts: ts };
  }

  private getPermalink(args: Args): Record<string, unknown> {
    const msg = this.messageArg(args, 'message_ts');
    const base = `https://${this.identity.teamDomain}.slack.com/archives/${msg.channel}/p${msg.ts.replace('.', '')}`;
    const permalink = msg.thread_ts === undefined ? base : `${base}?thread_ts=${msg.thread_ts}&cid=${msg.channel}`;
    return { channel: msg.channel, permalink };
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

  private openView(args: Args, method: 'views.open' | 'views.push'): Record<string, unknown> {
    const triggerId = optionalString(args, 'trigger_id') ?? '';
    const trigger = this.triggers.get(triggerId);
    // Slack: a trigger_id opens one view within 3 s of the interaction.
    if (trigger === undefined) throw new SlackApiError('invalid_trigger_id');
    if (trigger.used || trigger.expiresAt < Date.now()) throw new SlackApiError('expired_trigger_id');
    const view = this.viewArg(args, ['modal']);
    const externalId = typeof view.external_id === 'string' && view.external_id !== '' ? view.external_id : undefined;
    if (externalId !== undefined && [...this.views.values()].some((entry) => entry.externalId === externalId)) {
      throw new SlackApiError('duplicate_external_id');
    }
    trigger.used = true;
    const id = this.nextId('V');
    const entry = withoutUndefined<StoredSlackView>({
      id,
      view,
      hash: this.newHash(),
      updates: 0,
      userId: trigger.userId,
      externalId,
      rootViewId: method === 'views.open' ? id : undefined,
    });
    this.views.set(id, entry);
    return { view: toViewOutput(entry, this.identity) };
  }

  private updateView(args: Args): Record<string, unknown> {
    const viewId = optionalString(args, 'view_id');
    const externalId = optionalString(args, 'external_id');
    const entry =
      viewId !== undefined && viewId !== ''
        ? this.views.get(viewId)
        : [...this.views.values()].find((candidate) => externalId !== undefined && candidate.externalId === externalId);
    if (entry === undefined) throw new SlackApiError('not_found');
    const hash = optionalString(args, 'hash');
    if (hash !== undefined && hash !== '' && hash !== entry.hash) throw new SlackApiError('hash_conflict');
    const view = this.viewArg(args, ['modal']);
    entry.view = view;
    if (typeof view.external_id === 'string' && view.external_id !== '') entry.externalId = view.external_id;
    entry.hash = this.newHash();
    entry.updates += 1;
    return { view: toViewOutput(entry, this.identity) };
  }
}

export async function startSlackStandIn(options: SlackStandInOptions = {}): Promise<SlackStandIn> {
  const standIn = new SlackStandInServer(options);
  await standIn.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  return standIn;
}
