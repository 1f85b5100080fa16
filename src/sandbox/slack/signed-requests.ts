// Sends the app what Slack itself sends: signed slash commands, interactivity payloads and Events API envelopes,
// shaped like real payloads. With a stand-in, trigger_ids and response_urls are real (they work against it) and
// buttons are looked up on the stored message or modal, so a click carries the element's real block_id and value.

import { createHmac, randomBytes } from 'node:crypto';
import type { SlackStandIn } from './standin.js';
import {
  DEFAULT_SLACK_IDENTITY,
  defaultChannelName,
  defaultUserProfile,
  type SlackIdentity,
  type SlackUserProfile,
  type StoredSlackView,
  toViewOutput,
  toWireMessage,
} from './wire.js';

export interface SlackRequestSenderOptions {
  /** e.g. http://127.0.0.1:3000/slack/events; a function when the app's address changes (restarts). */
  appUrl: string | (() => string);
  signingSecret: string | (() => string);
  /** Source of working response_urls and trigger_ids, and of the messages / modals that actions come from. */
  standIn?: SlackStandIn;
  teamId?: string;
  /** Clock in ms, for the X-Slack-Request-Timestamp header. */
  now?: () => number;
  /** How requests travel (default: fetch). */
  transport?: SlackTransport;
  /**
   * Another way to the app (Socket Mode): given what would be delivered, returns the app's answer, or undefined to
   * send the signed HTTP request instead.
   */
  route?: (delivery: AppDelivery) => Promise<SlackHttpResult> | undefined;
}

/** One delivery to the app in Socket Mode terms: the envelope type and its payload (the HTTP body, parsed). */
export interface AppDelivery {
  type: 'events_api' | 'interactive' | 'slash_commands';
  payload: Record<string, unknown>;
}

/** One signed HTTP request as Slack would send it. */
export interface SlackWireRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** Sends a request and returns the app's answer; the default uses fetch. Benchmarks swap in their own. */
export type SlackTransport = (
  request: SlackWireRequest,
) => Promise<{ status: number; text: string; contentType: string }>;

async function fetchTransport(
  request: SlackWireRequest,
): Promise<{ status: number; text: string; contentType: string }> {
  const response = await fetch(request.url, {
    method: 'POST',
    headers: request.headers,
    body: request.body,
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  return {
    status: response.status,
    text: await response.text(),
    contentType: response.headers.get('content-type') ?? '',
  };
}

export interface SlackHttpResult {
  /** HTTP status; over Socket Mode 200 when the app acked in time, 408 when it did not. */
  status: number;
  text: string;
  /** The parsed body when the app answered with JSON, else null. */
  json: unknown;
  /**
   * What the app answered, as Slack reads it: the JSON body or Socket Mode ack payload, `{ text }` for a plain-text
   * body, null for an empty answer. The same in both modes.
   */
  answer: Record<string, unknown> | null;
  /** How it reached the app (set when the sender has a route). */
  via?: 'http' | 'socket';
  responseUrl?: string;
  triggerId?: string;
}

/** 'stale' / 'future': validly signed, but dated 6 minutes in the past / future (outside Slack's 5-minute window). */
export type SlackSignatureMode = 'valid' | 'bad' | 'stale' | 'future' | 'missing';

export interface BlockActionOptions {
  actionId: string;
  value?: string;
  selectedOption?: string;
  userId: string;
  channelId?: string;
  messageTs?: string;
  threadTs?: string;
  blockId?: string;
  view?: { id: string; callbackId?: string; privateMetadata?: string };
  container?: 'message' | 'view';
  /** In a modal: its inputs' state at the click (block_id → action_id → value), as `view.state.values` carries it. */
  values?: Record<string, Record<string, unknown>>;
}

export interface ViewSubmissionOptions {
  callbackId: string;
  userId: string;
  /** Defaults to the newest open stand-in modal with this callback_id. */
  viewId?: string;
  privateMetadata?: string;
  /** block_id → action_id → { type, value | selected_option | … } */
  values: Record<string, Record<string, unknown>>;
}

export interface MessageShortcutOptions {
  callbackId: string;
  userId: string;
  channelId: string;
  message: { ts: string; thread_ts?: string; text: string; user?: string; bot_id?: string };
}

export interface EventDeliveryOptions {
  /** Sets X-Slack-Retry-Num / X-Slack-Retry-Reason, as Slack does when it redelivers an event. */
  retryNum?: number;
  retryReason?: string;
}

/** Slack's request signature: 'v0=' + hex HMAC-SHA256 of `v0:${timestamp}:${body}`. */
export function signSlackRequest(signingSecret: string, timestampSeconds: number, body: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestampSeconds}:${body}`).digest('hex')}`;
}

// Bolt only parses interactivity and commands when the content-type is exactly this string.
const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';
const JSON_CONTENT_TYPE = 'application/json';
// Slack's deprecated verification token; Bolt ignores it but real payloads carry one.
const VERIFICATION_TOKEN = 'sandboxVerificationToken';
const STALE_BY_SECONDS = 6 * 60; // Bolt rejects timestamps older than 5 minutes
const FUTURE_BY_SECONDS = 6 * 60; // the app refuses timestamps more than 5 minutes ahead too
const REQUEST_TIMEOUT_MS = 15_000;

interface LocatedElement {
  blockId: string;
  element: Record<string, unknown>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function elementsOf(block: Record<string, unknown>): unknown[] {
  if (Array.isArray(block.elements)) return block.elements;
  if (block.accessory !== undefined) return [block.accessory];
  if (block.element !== undefined) return [block.element];
  return [];
}

/** Finds the interactive element a click came from; `value` disambiguates elements sharing an action_id. */
function locateElement(
  blocks: unknown,
  actionId: string,
  value?: string,
  blockId?: string,
): LocatedElement | undefined {
  if (!Array.isArray(blocks)) return undefined;
  const matches: LocatedElement[] = [];
  for (const block of blocks) {
    if (!isRecord(block)) continue;
    if (blockId !== undefined && block.block_id !== blockId) continue;
    for (const element of elementsOf(block)) {
      if (isRecord(element) && element.action_id === actionId) {
        matches.push({ blockId: typeof block.block_id === 'string' ? block.block_id : '', element });
      }
    }
  }
  return matches.find((match) => value !== undefined && match.element.value === value) ?? matches[0];
}

function plainText(text: string): Record<string, unknown> {
  return { type: 'plain_text', text, emoji: true };
}

export class SlackRequestSender {
  private readonly identity: SlackIdentity;
  private readonly now: () => number;
  private sequence = 0;
  /** The last request sent, exactly as it went out: `replay()` sends it again (a captured request, replayed). */
  lastRequest: SlackWireRequest | null = null;

  constructor(private readonly options: SlackRequestSenderOptions) {
    const base = options.standIn?.identity ?? DEFAULT_SLACK_IDENTITY;
    this.identity = { ...base, ...(options.teamId === undefined ? {} : { teamId: options.teamId }) };
    this.now = options.now ?? Date.now;
  }

  /** A slash command, form-encoded like Slack's. */
  async command(text: string, o: { userId: string; channelId: string; command?: string }): Promise<SlackHttpResult> {
    const user = this.user(o.userId);
    const responseUrl = this.responseUrl('commands');
    const triggerId = this.triggerId(o.userId);
    const fields = {
      token: VERIFICATION_TOKEN,
      team_id: this.identity.teamId,
      team_domain: this.identity.teamDomain,
      channel_id: o.channelId,
      channel_name: this.channelName(o.channelId),
      user_id: o.userId,
      user_name: user.name,
      command: o.command ?? '/hiring',
      text,
      api_app_id: this.identity.appId,
      is_enterprise_install: 'false',
      response_url: responseUrl,
      trigger_id: triggerId,
    };
    const result = await this.dispatch({ type: 'slash_commands', payload: fields }, () =>
      this.post(new URLSearchParams(fields).toString(), FORM_CONTENT_TYPE, 'valid'),
    );
    this.showCommandAnswer(result, o.channelId, o.userId);
    return { ...result, responseUrl, triggerId };
  }

  /** A click (button or select) on a message — the stand-in's stored message when it has it — or inside a modal. */
  async blockAction(o: BlockActionOptions): Promise<SlackHttpResult> {
    const container = o.container ?? (o.view === undefined ? 'message' : 'view');
    const triggerId = this.triggerId(o.userId);
    const payload: Record<string, unknown> = {
      type: 'block_actions',
      user: this.userPayload(o.userId),
      api_app_id: this.identity.appId,
      token: VERIFICATION_TOKEN,
      trigger_id: triggerId,
      team: this.teamPayload(),
      enterprise: null,
      is_enterprise_install: false,
    };
    let blocks: unknown;
    let responseUrl: string | undefined;
    if (container === 'message') {
      if (o.channelId === undefined || o.messageTs === undefined) {
        throw new Error('blockAction from a message needs channelId and messageTs');
      }
      const stored = this.options.standIn?.findMessage(o.channelId, o.messageTs);
      const threadTs = o.threadTs ?? stored?.thread_ts;
      // Metadata is left out: interaction payloads are not a documented way to read it back.
      const message =
        stored === undefined
          ? { type: 'message', ts: o.messageTs, text: '', ...(threadTs === undefined ? {} : { thread_ts: threadTs }) }
          : toWireMessage(stored, this.identity, { includeMetadata: false });
      blocks = stored?.blocks;
      responseUrl = this.responseUrl('actions');
      payload.container = {
        type: 'message',
        message_ts: o.messageTs,
        channel_id: o.channelId,
        is_ephemeral: false,
        ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
      };
      payload.channel = this.channelPayload(o.channelId);
      payload.message = message;
      payload.state = { values: {} };
      payload.response_url = responseUrl;
    } else {
      if (o.view === undefined) throw new Error('blockAction from a view needs view');
      const view = this.viewPayload(o.view.id, o.view.callbackId, o.view.privateMetadata);
      if (o.values !== undefined) view.state = { values: o.values };
      blocks = view.blocks;
      payload.container = { type: 'view', view_id: o.view.id };
      payload.view = view;
      if (o.channelId !== undefined) payload.channel = this.channelPayload(o.channelId);
    }
    payload.actions = [this.actionPayload(o, locateElement(blocks, o.actionId, o.value, o.blockId))];
    const result = await this.postPayload(payload);
    return { ...result, triggerId, ...(responseUrl === undefined ? {} : { responseUrl }) };
  }

  /** A modal submission. When the app's answer closes the modal, the stand-in's view is marked closed. */
  async viewSubmission(o: ViewSubmissionOptions): Promise<SlackHttpResult> {
    const stored = this.findView(o.viewId, o.callbackId);
    if (stored !== undefined && stored.view.callback_id !== undefined && stored.view.callback_id !== o.callbackId) {
      throw new Error(`viewSubmission: view ${stored.id} has callback_id "${String(stored.view.callback_id)}"`);
    }
    const viewId = o.viewId ?? stored?.id ?? `V${randomBytes(5).toString('hex').toUpperCase()}`;
    const view = this.viewPayload(viewId, o.callbackId, o.privateMetadata);
    view.state = { values: o.values };
    const triggerId = this.triggerId(o.userId);
    const payload = {
      type: 'view_submission',
      team: this.teamPayload(),
      user: this.userPayload(o.userId),
      api_app_id: this.identity.appId,
      token: VERIFICATION_TOKEN,
      trigger_id: triggerId,
      view,
      response_urls: [],
      is_enterprise_install: false,
      enterprise: null,
    };
    const result = await this.postPayload(payload);
    if (stored !== undefined && result.status === 200) this.applyViewAnswer(stored, result.answer);
    return { ...result, triggerId };
  }

  /** A message shortcut (message_action) invoked on a message. */
  async messageShortcut(o: MessageShortcutOptions): Promise<SlackHttpResult> {
    const triggerId = this.triggerId(o.userId);
    const responseUrl = this.responseUrl('actions');
    const stored = this.options.standIn?.findMessage(o.channelId, o.message.ts);
    const storedWire = stored === undefined ? {} : toWireMessage(stored, this.identity, { includeMetadata: false });
    const payload = {
      type: 'message_action',
      token: VERIFICATION_TOKEN,
      action_ts: this.actionTs(),
      team: this.teamPayload(),
      user: this.userPayload(o.userId),
      channel: this.channelPayload(o.channelId),
      is_enterprise_install: false,
      enterprise: null,
      callback_id: o.callbackId,
      trigger_id: triggerId,
      response_url: responseUrl,
      message_ts: o.message.ts,
      message: { ...storedWire, type: 'message', ...o.message },
    };
    const result = await this.postPayload(payload);
    return { ...result, triggerId, responseUrl };
  }

  /** An Events API event inside its event_callback envelope (JSON body). */
  async event(event: Record<string, unknown>, delivery: EventDeliveryOptions = {}): Promise<SlackHttpResult> {
    this.sequence += 1;
    const eventTs = typeof event.event_ts === 'string' ? event.event_ts : (event.ts ?? this.actionTs());
    const envelope = {
      token: VERIFICATION_TOKEN,
      team_id: this.identity.teamId,
      context_team_id: this.identity.teamId,
      context_enterprise_id: null,
      api_app_id: this.identity.appId,
      event: { ...event, event_ts: eventTs },
      type: 'event_callback',
      event_id: `Ev${String(this.sequence).padStart(9, '0')}${randomBytes(2).toString('hex').toUpperCase()}`,
      event_time: Math.floor(this.now() / 1000),
      authorizations: [
        {
          enterprise_id: null,
          team_id: this.identity.teamId,
          user_id: this.identity.botUserId,
          is_bot: true,
          is_enterprise_install: false,
        },
      ],
      is_ext_shared_channel: false,
      event_context: `4-${randomBytes(12).toString('base64url')}`,
    };
    const headers: Record<string, string> = {};
    if (delivery.retryNum !== undefined) headers['x-slack-retry-num'] = String(delivery.retryNum);
    if (delivery.retryReason !== undefined) headers['x-slack-retry-reason'] = delivery.retryReason;
    // Over Socket Mode a redelivery's retry number travels in the envelope, which the hub numbers itself.
    return this.dispatch({ type: 'events_api', payload: envelope }, () =>
      this.post(JSON.stringify(envelope), JSON_CONTENT_TYPE, 'valid', headers),
    );
  }

  /**
   * Someone opens the app's Home (the Home tab unless `tab: 'messages'`): an `app_home_opened` event carrying the
   * Home tab's current view (with its hash) once one was published, as Slack sends it. See docs/slack.md#app-home.
   */
  async appHomeOpened(userId: string, o: { tab?: 'home' | 'messages' } & EventDeliveryOptions = {}) {
    const tab = o.tab ?? 'home';
    const published = tab === 'home' ? this.options.standIn?.homeView(userId) : undefined;
    const { tab: _tab, ...delivery } = o;
    return this.event(
      {
        type: 'app_home_opened',
        user: userId,
        // The app's DM with this person (Slack's id for it; the stand-in derives one per user).
        channel: `D${userId.slice(1)}`,
        tab,
        ...(published === undefined ? {} : { view: toViewOutput(published, this.identity) }),
        event_ts: this.actionTs(),
      },
      delivery,
    );
  }

  /** Any body, signed (or deliberately mis-signed) as told. */
  async raw(body: string, o: { contentType: string; signature?: SlackSignatureMode }): Promise<SlackHttpResult> {
    return this.post(body, o.contentType, o.signature ?? 'valid');
  }

  /**
   * Any interactivity payload (also a malformed one), form-encoded and signed like Slack's; over the Socket Mode
   * route when there is one and the payload is an object (a redelivery is this with a payload already sent).
   */
  async interaction(payload: unknown, o: { signature?: SlackSignatureMode } = {}): Promise<SlackHttpResult> {
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    const overHttp = () => this.post(body, FORM_CONTENT_TYPE, o.signature ?? 'valid');
    if (!isRecord(payload) || o.signature !== undefined) return overHttp();
    return this.dispatch({ type: 'interactive', payload }, overHttp);
  }

  /** Sends a request again byte for byte (same timestamp, same signature), as someone who captured it would. */
  async replay(request: SlackWireRequest | null = this.lastRequest): Promise<SlackHttpResult> {
    if (request === null) throw new Error('replay: nothing was sent yet');
    return this.send(request);
  }

  // ---- what Slack does with the app's answer (an HTTP body or a Socket Mode ack payload alike) -------------------

  /** A command's answer with text or blocks is shown to the person who ran it (ephemeral unless in_channel). */
  private showCommandAnswer(result: SlackHttpResult, channel: string, user: string): void {
    const standIn = this.options.standIn;
    if (standIn === undefined || result.status !== 200) return;
    const answer = result.answer;
    if (answer === null || (answer.text === undefined && answer.blocks === undefined)) return;
    const text = typeof answer.text === 'string' ? answer.text : undefined;
    const blocks = Array.isArray(answer.blocks) ? answer.blocks : undefined;
    if (answer.response_type === 'in_channel') {
      standIn.addMessage(channel, { user, text, blocks });
      return;
    }
    standIn.ephemerals.push({
      channel,
      user,
      ...(text === undefined ? {} : { text }),
      ...(blocks === undefined ? {} : { blocks }),
      ts: `${(this.now() / 1000).toFixed(6)}`,
    });
  }

  /**
   * Slack closes the modal on an empty answer or "clear" (the whole stack); "update" replaces it, "push" stacks a new
   * one, "errors" keeps it open with the messages under the named blocks.
   */
  private applyViewAnswer(stored: StoredSlackView, answer: Record<string, unknown> | null): void {
    const action = answer?.response_action;
    if (action === undefined || action === 'clear') {
      const root = stored.rootViewId ?? stored.id;
      for (const view of this.options.standIn?.views.values() ?? []) {
        if (view === stored || (action === 'clear' && (view.rootViewId ?? view.id) === root)) view.closed = true;
      }
    } else if (action === 'errors' && isRecord(answer?.errors)) {
      stored.errors = answer.errors as Record<string, string>;
    } else if ((action === 'update' || action === 'push') && isRecord(answer?.view)) {
      this.options.standIn?.showView(answer.view, action === 'update' ? { replace: stored.id } : { pushOn: stored });
    }
  }

  // ---- payload parts --------------------------------------------------------------------------------------------

  private user(userId: string): SlackUserProfile {
    return this.options.standIn?.user(userId) ?? defaultUserProfile(userId);
  }

  private channelName(channelId: string): string {
    return this.options.standIn?.channelName(channelId) ?? defaultChannelName(channelId);
  }

  private userPayload(userId: string): Record<string, unknown> {
    const user = this.user(userId);
    return { id: userId, username: user.name, name: user.name, team_id: this.identity.teamId };
  }

  private teamPayload(): Record<string, unknown> {
    return { id: this.identity.teamId, domain: this.identity.teamDomain };
  }

  private channelPayload(channelId: string): Record<string, unknown> {
    return { id: channelId, name: this.channelName(channelId) };
  }

  private triggerId(userId: string): string {
    return (
      this.options.standIn?.makeTriggerId(userId) ??
      `${Math.floor(this.now() / 1000)}.${this.sequence++}.${randomBytes(10).toString('hex')}`
    );
  }

  private responseUrl(kind: 'commands' | 'actions'): string {
    return (
      this.options.standIn?.makeResponseUrl() ??
      `https://hooks.slack.com/${kind}/${this.identity.teamId}/${Date.now()}/${randomBytes(12).toString('hex')}`
    );
  }

  private actionTs(): string {
    const micros = this.now() * 1000 + (this.sequence++ % 1000);
    return `${Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, '0')}`;
  }

  private findView(viewId: string | undefined, callbackId: string): StoredSlackView | undefined {
    const views = this.options.standIn?.views;
    if (views === undefined) return undefined;
    if (viewId !== undefined) return views.get(viewId);
    return [...views.values()].reverse().find((entry) => !entry.closed && entry.view.callback_id === callbackId);
  }

  private viewPayload(viewId: string, callbackId?: string, privateMetadata?: string): Record<string, unknown> {
    const stored = this.options.standIn?.views.get(viewId);
    const view: Record<string, unknown> =
      stored === undefined
        ? {
            id: viewId,
            team_id: this.identity.teamId,
            type: 'modal',
            blocks: [],
            private_metadata: '',
            callback_id: '',
            state: { values: {} },
            hash: `${Math.floor(this.now() / 1000)}.${randomBytes(4).toString('hex')}`,
            title: plainText('Modal'),
            clear_on_close: false,
            notify_on_close: false,
            close: null,
            submit: null,
            previous_view_id: null,
            root_view_id: viewId,
            app_id: this.identity.appId,
            external_id: '',
            app_installed_team_id: this.identity.teamId,
            bot_id: this.identity.botId,
          }
        : toViewOutput(stored, this.identity);
    if (callbackId !== undefined) view.callback_id = callbackId;
    if (privateMetadata !== undefined) view.private_metadata = privateMetadata;
    return view;
  }

  private actionPayload(o: BlockActionOptions, located: LocatedElement | undefined): Record<string, unknown> {
    const element = located?.element ?? {};
    const type =
      typeof element.type === 'string' ? element.type : o.selectedOption === undefined ? 'button' : 'static_select';
    const action: Record<string, unknown> = {
      type,
      action_id: o.actionId,
      // Slack generates a block_id when the builder gave none.
      block_id: o.blockId ?? (located?.blockId || randomBytes(3).toString('base64url')),
      action_ts: this.actionTs(),
    };
    if (o.selectedOption !== undefined || type.endsWith('select')) {
      const wanted = o.selectedOption ?? o.value;
      const options = Array.isArray(element.options) ? element.options.filter(isRecord) : [];
      const option = options.find((candidate) => candidate.value === wanted);
      action.selected_option = option ?? { text: plainText(wanted ?? ''), value: wanted ?? '' };
      if (isRecord(element.placeholder)) action.placeholder = element.placeholder;
      return action;
    }
    action.text = isRecord(element.text) ? element.text : plainText(o.actionId);
    const value = o.value ?? (typeof element.value === 'string' ? element.value : undefined);
    if (value !== undefined) action.value = value;
    if (typeof element.style === 'string') action.style = element.style;
    return action;
  }

  // ---- HTTP -----------------------------------------------------------------------------------------------------

  private postPayload(payload: Record<string, unknown>): Promise<SlackHttpResult> {
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    return this.dispatch({ type: 'interactive', payload }, () => this.post(body, FORM_CONTENT_TYPE, 'valid'));
  }

  private async dispatch(delivery: AppDelivery, overHttp: () => Promise<SlackHttpResult>): Promise<SlackHttpResult> {
    if (this.options.route === undefined) return overHttp();
    const routed = this.options.route(delivery);
    return routed ?? { ...(await overHttp()), via: 'http' };
  }

  private async post(
    body: string,
    contentType: string,
    signature: SlackSignatureMode,
    extraHeaders: Record<string, string> = {},
  ): Promise<SlackHttpResult> {
    let timestamp = Math.floor(this.now() / 1000);
    if (signature === 'stale') timestamp -= STALE_BY_SECONDS;
    if (signature === 'future') timestamp += FUTURE_BY_SECONDS;
    const headers: Record<string, string> = {
      'content-type': contentType,
      'x-slack-request-timestamp': String(timestamp),
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      ...extraHeaders,
    };
    if (signature !== 'missing') {
      const { signingSecret } = this.options;
      const validSecret = typeof signingSecret === 'string' ? signingSecret : signingSecret();
      const secret = signature === 'bad' ? `${validSecret}-not-it` : validSecret;
      headers['x-slack-signature'] = signSlackRequest(secret, timestamp, body);
    }
    const url = typeof this.options.appUrl === 'string' ? this.options.appUrl : this.options.appUrl();
    return this.send({ url, headers, body });
  }

  private async send(request: SlackWireRequest): Promise<SlackHttpResult> {
    this.lastRequest = request;
    const transport = this.options.transport ?? fetchTransport;
    const { status, text, contentType: answerType } = await transport(request);
    let json: unknown = null;
    if (answerType.includes('json')) {
      try {
        json = JSON.parse(text);
      } catch {
        json = null;
      }
    }
    const answer = isRecord(json) ? json : json === null && text.trim() !== '' ? { text } : null;
    return { status, text, json, answer };
  }
}
