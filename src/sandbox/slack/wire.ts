// Shapes shared by the Slack stand-in (what the Web API returns) and the signed-request sender (what Slack POSTs
// to the app), so a message or modal looks the same whichever way it travels.

export interface SlackIdentity {
  teamId: string;
  teamDomain: string;
  botUserId: string;
  botId: string;
  appId: string;
}

export const DEFAULT_SLACK_IDENTITY: SlackIdentity = {
  teamId: 'T0HIRING01',
  teamDomain: 'example',
  botUserId: 'U0HIRINGBOT',
  botId: 'B0HIRINGBOT',
  appId: 'A0HIRINGAPP',
};

export interface StoredSlackMessage {
  channel: string;
  ts: string;
  text?: string;
  blocks?: unknown[];
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  /** Set on thread replies only (the parent's ts); a parent's own thread_ts is derived when it has replies. */
  thread_ts?: string;
  user?: string;
  bot_id?: string;
  edited?: boolean;
  updates: number;
}

export interface StoredSlackView {
  id: string;
  view: Record<string, unknown>;
  hash: string;
  updates: number;
  userId?: string;
  externalId?: string;
  rootViewId?: string;
  previousViewId?: string;
  /** Set by SlackRequestSender when the app answered a view_submission in a way that closes the modal. */
  closed?: boolean;
  /** The last `response_action: 'errors'` answer: block_id → message shown under that block. */
  errors?: Record<string, string>;
}

export interface SlackUserProfile {
  id: string;
  name: string;
  real_name: string;
  is_bot?: boolean;
  tz?: string;
}

/** Slack timestamps ("1700000000.000100") as integer microseconds; numbers keep full precision up to year 2255. */
export function tsToMicros(ts: string): number | undefined {
  const match = /^(\d{1,10})(?:\.(\d{0,6}))?$/.exec(ts.trim());
  if (!match) return undefined;
  return Number(match[1]) * 1_000_000 + Number((match[2] ?? '').padEnd(6, '0'));
}

export function microsToTs(micros: number): string {
  return `${Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, '0')}`;
}

export function compareTs(a: string, b: string): number {
  return (tsToMicros(a) ?? 0) - (tsToMicros(b) ?? 0);
}

export function defaultUserProfile(userId: string): SlackUserProfile {
  return { id: userId, name: userId.toLowerCase(), real_name: `User ${userId}` };
}

export function defaultChannelName(channelId: string): string {
  return `channel-${channelId.toLowerCase()}`;
}

export interface WireMessageOptions {
  includeMetadata: boolean;
  /** For a thread parent: its replies, so reply_count / latest_reply can be derived. */
  replies?: StoredSlackMessage[];
  /** For a thread reply: who posted the parent. */
  parentUserId?: string;
  editedTs?: string;
}

/** A stored message as Slack's Web API and interaction payloads render it. */
export function toWireMessage(
  msg: StoredSlackMessage,
  identity: SlackIdentity,
  options: WireMessageOptions,
): Record<string, unknown> {
  const wire: Record<string, unknown> = { type: 'message', ts: msg.ts, text: msg.text ?? '' };
  if (msg.user !== undefined) wire.user = msg.user;
  if (msg.bot_id !== undefined) {
    wire.bot_id = msg.bot_id;
    if (msg.bot_id === identity.botId) wire.app_id = identity.appId;
  }
  wire.team = identity.teamId;
  if (msg.blocks !== undefined) wire.blocks = msg.blocks;
  if (msg.thread_ts !== undefined) {
    wire.thread_ts = msg.thread_ts;
    if (options.parentUserId !== undefined) wire.parent_user_id = options.parentUserId;
  }
  const replies = options.replies ?? [];
  if (msg.thread_ts === undefined && replies.length > 0) {
    const replyUsers = [...new Set(replies.map((reply) => reply.user).filter((u): u is string => u !== undefined))];
    wire.thread_ts = msg.ts;
    wire.reply_count = replies.length;
    wire.reply_users = replyUsers;
    wire.reply_users_count = replyUsers.length;
    wire.latest_reply = replies[replies.length - 1]?.ts;
    wire.is_locked = false;
    wire.subscribed = false;
  }
  if (msg.edited) wire.edited = { user: msg.user ?? identity.botUserId, ts: options.editedTs ?? msg.ts };
  if (options.includeMetadata && msg.metadata !== undefined) wire.metadata = msg.metadata;
  return wire;
}

/** A stored modal as views.* responses and view interaction payloads render it. */
export function toViewOutput(entry: StoredSlackView, identity: SlackIdentity): Record<string, unknown> {
  const view = entry.view;
  return {
    id: entry.id,
    team_id: identity.teamId,
    type: view.type ?? 'modal',
    blocks: Array.isArray(view.blocks) ? view.blocks : [],
    private_metadata: typeof view.private_metadata === 'string' ? view.private_metadata : '',
    callback_id: typeof view.callback_id === 'string' ? view.callback_id : '',
    state: { values: {} },
    hash: entry.hash,
    title: view.title ?? null,
    clear_on_close: view.clear_on_close === true,
    notify_on_close: view.notify_on_close === true,
    close: view.close ?? null,
    submit: view.submit ?? null,
    previous_view_id: entry.previousViewId ?? null,
    root_view_id: entry.rootViewId ?? entry.id,
    app_id: identity.appId,
    external_id: entry.externalId ?? '',
    app_installed_team_id: identity.teamId,
    bot_id: identity.botId,
  };
}
