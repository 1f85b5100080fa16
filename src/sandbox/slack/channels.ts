// Channels as Slack enforces them for a bot: public or private, archived or not, the bot a member or not. A bot
// reads history only where it is a member (`not_in_channel`); with chat:write.public it may post to a public
// channel it never joined but not to a private one; it joins public channels only (conversations.join, needing
// channels:join). Unknown ids are `channel_not_found`. See docs/slack.md#channels-and-membership.

import {
  type Args,
  decodeCursor,
  encodeCursor,
  flag,
  optionalString,
  pageLimit,
  requiredString,
  SlackApiError,
} from './web-api-args.js';
import { compareTs, defaultChannelName, type SlackIdentity, type StoredSlackMessage, tsToMicros } from './wire.js';

export interface ChannelSetup {
  /** Default: ids starting with G are private, others public. */
  isPrivate?: boolean;
  /** Default true: most tests want a bot that was invited. */
  botIsMember?: boolean;
  archived?: boolean;
}

export interface StandInChannel {
  id: string;
  name: string;
  isPrivate: boolean;
  archived: boolean;
  botIsMember: boolean;
  /** Top-level and thread messages, in post order. */
  messages: StoredSlackMessage[];
}

type Wire = (msg: StoredSlackMessage, includeMetadata: boolean) => Record<string, unknown>;

// Direct messages: a user id (U…/W…) or an IM (D…) is always reachable, the way chat.postMessage opens an IM.
const DIRECT = /^[UWD]/;

export class ChannelDirectory {
  private readonly channels = new Map<string, StandInChannel>();

  constructor(
    private readonly identity: SlackIdentity,
    /** Whether the bot token holds a scope; every scope when the stand-in was not told the bot's scopes. */
    private readonly hasScope: (scope: string) => boolean,
  ) {}

  add(id: string, name: string | undefined, setup: ChannelSetup = {}): StandInChannel {
    const existing = this.channels.get(id);
    const channel: StandInChannel = {
      id,
      name: name ?? existing?.name ?? defaultChannelName(id),
      isPrivate: setup.isPrivate ?? existing?.isPrivate ?? id.startsWith('G'),
      archived: setup.archived ?? existing?.archived ?? false,
      botIsMember: setup.botIsMember ?? existing?.botIsMember ?? true,
      messages: existing?.messages ?? [],
    };
    this.channels.set(id, channel);
    return channel;
  }

  get(id: string): StandInChannel | undefined {
    return this.channels.get(id) ?? (DIRECT.test(id) ? this.add(id, id, { isPrivate: true }) : undefined);
  }

  name(id: string): string {
    return this.channels.get(id)?.name ?? defaultChannelName(id);
  }

  messages(id: string): StoredSlackMessage[] {
    return this.channels.get(id)?.messages ?? [];
  }

  find(id: string, ts: string): StoredSlackMessage | undefined {
    return this.channels.get(id)?.messages.find((msg) => msg.ts === ts);
  }

  /** A private channel the bot is not in is invisible to it. */
  visible(id: string): StandInChannel {
    const channel = this.get(id);
    if (channel === undefined || (channel.isPrivate && !channel.botIsMember && !DIRECT.test(id))) {
      throw new SlackApiError('channel_not_found');
    }
    return channel;
  }

  /** conversations.history / replies: members only. */
  forReading(id: string): StandInChannel {
    const channel = this.get(id);
    if (channel === undefined) throw new SlackApiError('channel_not_found');
    if (!channel.botIsMember) throw new SlackApiError('not_in_channel');
    this.requireScope(channel.isPrivate ? 'groups:history' : 'channels:history');
    return channel;
  }

  /** chat.postMessage / chat.update: members, or anyone with chat:write.public in a public channel. */
  forPosting(id: string): StandInChannel {
    const channel = this.get(id);
    if (channel === undefined) throw new SlackApiError('channel_not_found');
    if (channel.archived) throw new SlackApiError('is_archived');
    if (channel.botIsMember) return channel;
    if (channel.isPrivate || !this.hasScope('chat:write.public')) throw new SlackApiError('not_in_channel');
    return channel;
  }

  // ---- conversations.* ------------------------------------------------------------------------------------------

  history(args: Args, wire: Wire): Record<string, unknown> {
    const channel = this.forReading(requiredString(args, 'channel', 'channel_not_found'));
    const includeMetadata = flag(args, 'include_all_metadata');
    const inclusive = flag(args, 'inclusive');
    const oldest = tsToMicros(optionalString(args, 'oldest') ?? '0') ?? 0;
    const latestArg = optionalString(args, 'latest');
    const latest =
      latestArg === undefined || latestArg === '' ? Number.POSITIVE_INFINITY : (tsToMicros(latestArg) ?? 0);
    const cursor = optionalString(args, 'cursor');
    const startAt = cursor === undefined || cursor === '' ? Number.POSITIVE_INFINITY : decodeCursor(cursor);
    const candidates = channel.messages
      .filter((msg) => msg.thread_ts === undefined)
      .filter((msg) => {
        const micros = tsToMicros(msg.ts) ?? 0;
        const afterOldest = inclusive ? micros >= oldest : micros > oldest;
        const beforeLatest = inclusive ? micros <= latest : micros < latest;
        return afterOldest && beforeLatest && micros <= startAt;
      })
      .sort((a, b) => compareTs(b.ts, a.ts));
    const limit = pageLimit(args);
    const page = candidates.slice(0, limit);
    const next = candidates[limit];
    return {
      messages: page.map((msg) => wire(msg, includeMetadata)),
      has_more: next !== undefined,
      pin_count: 0,
      channel_actions_ts: null,
      channel_actions_count: 0,
      response_metadata: { next_cursor: next === undefined ? '' : encodeCursor(next.ts) },
    };
  }

  replies(args: Args, wire: Wire): Record<string, unknown> {
    const channel = this.forReading(requiredString(args, 'channel', 'channel_not_found'));
    const ts = requiredString(args, 'ts', 'thread_not_found');
    const msg = channel.messages.find((m) => m.ts === ts);
    if (msg === undefined) throw new SlackApiError('thread_not_found');
    const includeMetadata = flag(args, 'include_all_metadata');
    const cursor = optionalString(args, 'cursor');
    const startAt = cursor === undefined || cursor === '' ? 0 : decodeCursor(cursor);
    const rootTs = msg.thread_ts ?? msg.ts;
    const candidates = channel.messages
      .filter((m) => m.ts === rootTs || m.thread_ts === rootTs)
      .sort((a, b) => compareTs(a.ts, b.ts))
      .filter((m) => (tsToMicros(m.ts) ?? 0) >= startAt);
    const limit = pageLimit(args);
    const page = candidates.slice(0, limit);
    const next = candidates[limit];
    return {
      messages: page.map((m) => wire(m, includeMetadata)),
      has_more: next !== undefined,
      response_metadata: { next_cursor: next === undefined ? '' : encodeCursor(next.ts) },
    };
  }

  info(args: Args): Record<string, unknown> {
    const id = requiredString(args, 'channel', 'channel_not_found');
    if (!/^[CGD]/.test(id)) throw new SlackApiError('channel_not_found');
    return { channel: this.wireChannel(this.visible(id)) };
  }

  /** Public channels only; joining one the bot is in answers with already_in_channel as a warning. */
  join(args: Args): Record<string, unknown> {
    const id = requiredString(args, 'channel', 'channel_not_found');
    const channel = this.visible(id);
    this.requireScope('channels:join');
    if (channel.isPrivate || DIRECT.test(id)) throw new SlackApiError('method_not_supported_for_channel_type');
    if (channel.archived) throw new SlackApiError('is_archived');
    const already = channel.botIsMember;
    channel.botIsMember = true;
    return {
      channel: this.wireChannel(channel),
      ...(already ? { warning: 'already_in_channel', response_metadata: { warnings: ['already_in_channel'] } } : {}),
    };
  }

  private requireScope(scope: string): void {
    if (!this.hasScope(scope)) throw new SlackApiError('missing_scope', { needed: scope, provided: '' });
  }

  private wireChannel(channel: StandInChannel): Record<string, unknown> {
    const isIm = channel.id.startsWith('D');
    return {
      id: channel.id,
      name: channel.name,
      name_normalized: channel.name,
      is_channel: !isIm && !channel.isPrivate,
      is_group: false,
      is_im: isIm,
      is_private: channel.isPrivate,
      is_archived: channel.archived,
      is_general: false,
      is_member: channel.botIsMember,
      created: 1_700_000_000,
      creator: 'U0CREATOR01',
      context_team_id: this.identity.teamId,
      topic: { value: '', creator: '', last_set: 0 },
      purpose: { value: '', creator: '', last_set: 0 },
    };
  }
}
