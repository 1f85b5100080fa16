// The Slack stand-in's public face: its options and what tests, benchmarks and the playground may ask of it.

import type { ChannelSetup, StandInChannel } from './channels.js';
import type { RecordedEphemeral } from './messages.js';
import type { RateLimitSetting } from './rate-limits.js';
import type { SlackRequestSender } from './signed-requests.js';
import type { DisconnectReason, SocketAck, SocketEnvelope } from './socket-mode.js';
import type { SlackIdentity, SlackUserProfile, StoredSlackMessage, StoredSlackView } from './wire.js';

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
  readonly envelopes: readonly SocketEnvelope[];
  readonly acks: readonly SocketAck[];
  /** Sends `{type: 'disconnect', reason}`: the app closes the socket and opens a new one. */
  disconnect(reason?: DisconnectReason): void;
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
  /** Modals and published Home tabs, by view id. */
  readonly views: Map<string, StoredSlackView>;
  /** The Home tab views.publish last published for this user (what they see when they open the app's Home). */
  homeView(userId: string): StoredSlackView | undefined;
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
