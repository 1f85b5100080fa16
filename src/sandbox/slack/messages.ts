// chat.* as Slack runs it: posts (threads, metadata, Block Kit validated), edits that keep what they leave out,
// deletes, ephemerals and permalinks, all subject to the channel rules in channels.ts; plus the wire shape of a
// stored message (replies, edited) that history and interaction payloads share.

import { BLOCK_LIMITS } from './block-rules.js';
import type { ChannelDirectory } from './channels.js';
import {
  type Args,
  assertValidBlocks,
  isRecord,
  optionalString,
  requiredString,
  SlackApiError,
  withoutUndefined,
} from './web-api-args.js';
import {
  compareTs,
  microsToTs,
  type SlackIdentity,
  type StoredSlackMessage,
  toWireMessage,
  tsToMicros,
} from './wire.js';

export interface RecordedEphemeral {
  channel: string;
  user: string;
  text?: string;
  blocks?: unknown[];
  thread_ts?: string;
  ts: string;
}

export class MessageBoard {
  readonly ephemerals: RecordedEphemeral[] = [];
  private readonly editTimes = new WeakMap<StoredSlackMessage, string>();
  private lastTsMicros = 0;

  constructor(
    private readonly identity: SlackIdentity,
    private readonly channels: ChannelDirectory,
  ) {}

  seed(channel: string, msg: Partial<StoredSlackMessage>): StoredSlackMessage {
    let ts = msg.ts;
    if (ts === undefined) ts = this.nextTs();
    else {
      const micros = tsToMicros(ts);
      if (micros === undefined) throw new Error(`addMessage: "${ts}" is not a Slack ts like 1700000000.000100`);
      if (this.channels.find(channel, ts)) throw new Error(`addMessage: ${channel} already has a message at ${ts}`);
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

  thread(channel: string, threadTs: string): StoredSlackMessage[] {
    return this.channels
      .messages(channel)
      .filter((msg) => msg.ts === threadTs || msg.thread_ts === threadTs)
      .sort((a, b) => compareTs(a.ts, b.ts));
  }

  nextTs(): string {
    this.lastTsMicros = Math.max(this.lastTsMicros + 1, Date.now() * 1000);
    return microsToTs(this.lastTsMicros);
  }

  private store(msg: StoredSlackMessage): void {
    const channel = this.channels.get(msg.channel);
    if (channel === undefined) throw new Error(`Slack stand-in: no channel ${msg.channel} (addChannel first)`);
    channel.messages.push(msg);
  }

  private repliesTo(channel: string, parentTs: string): StoredSlackMessage[] {
    return this.channels
      .messages(channel)
      .filter((msg) => msg.thread_ts === parentTs && msg.ts !== parentTs)
      .sort((a, b) => compareTs(a.ts, b.ts));
  }

  wire(msg: StoredSlackMessage, includeMetadata: boolean): Record<string, unknown> {
    const parent = msg.thread_ts === undefined ? undefined : this.channels.find(msg.channel, msg.thread_ts);
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
    assertValidBlocks(blocks, surface, '/blocks');
    return blocks;
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
    const msg = this.channels.find(channel, ts);
    if (msg === undefined) throw new SlackApiError('message_not_found');
    return msg;
  }

  post(args: Args): Record<string, unknown> {
    const channel = this.channels.forPosting(requiredString(args, 'channel', 'channel_not_found')).id;
    const text = this.textArg(args);
    const blocks = this.blocksArg(args, 'message');
    const metadata = this.metadataArg(args) ?? undefined;
    if (!this.hasContent(text, blocks, args)) throw new SlackApiError('no_text');
    let threadTs = optionalString(args, 'thread_ts');
    if (threadTs !== undefined && threadTs !== '') {
      // Stricter than Slack (which may start an orphan thread): a reply to nothing is almost always a bug.
      const parent = this.channels.find(channel, threadTs);
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

  update(args: Args): Record<string, unknown> {
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

  remove(args: Args): Record<string, unknown> {
    const msg = this.messageArg(args, 'ts');
    if (msg.bot_id !== this.identity.botId) throw new SlackApiError('cant_delete_message');
    const list = this.channels.messages(msg.channel);
    list.splice(list.indexOf(msg), 1);
    return { channel: msg.channel, ts: msg.ts };
  }

  postEphemeral(args: Args): Record<string, unknown> {
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

  permalink(args: Args): Record<string, unknown> {
    const msg = this.messageArg(args, 'message_ts');
    const base = `https://${this.identity.teamDomain}.slack.com/archives/${msg.channel}/p${msg.ts.replace('.', '')}`;
    const permalink = msg.thread_ts === undefined ? base : `${base}?thread_ts=${msg.thread_ts}&cid=${msg.channel}`;
    return { channel: msg.channel, permalink };
  }
}
