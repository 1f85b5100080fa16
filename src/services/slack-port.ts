import type { ChatPostMessageArguments, ChatUpdateArguments, WebClient } from '@slack/web-api';
import type { HomeView } from '../blocks/limits.js';

// The narrow slice of Slack the services need. Services depend on this interface, never on Bolt, so they can be
// driven by a WebClient (production, tests against the stand-in) or anything else that speaks it.

export interface SlackMessageInput {
  channel: string;
  text: string;
  blocks?: unknown[];
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  threadTs?: string;
}

export interface SlackHistoryMessage {
  ts: string;
  threadTs: string | null;
  metadata: { event_type: string; event_payload: Record<string, unknown> } | null;
}

export interface SlackPort {
  postMessage(message: SlackMessageInput): Promise<{ ts: string }>;
  updateMessage(message: SlackMessageInput & { ts: string }): Promise<void>;
  postEphemeral(args: {
    channel: string;
    user: string;
    text: string;
    blocks?: unknown[];
    threadTs?: string;
  }): Promise<void>;
  /** Channel history newest first, from `oldestTs` on, including message metadata; at most `maxMessages`. */
  history(channel: string, opts: { oldestTs?: string; maxMessages: number }): Promise<SlackHistoryMessage[]>;
  permalink(channel: string, ts: string): Promise<string | null>;
  /** A thread's parent and replies, oldest first, including message metadata; at most `maxMessages`. */
  threadReplies(channel: string, threadTs: string, opts: { maxMessages: number }): Promise<SlackHistoryMessage[]>;
  /** Joins a public channel (conversations.join; already a member is fine). */
  joinChannel(channel: string): Promise<void>;
}

/** Home tabs (docs/slack.md#app-home), apart from SlackPort so the card and relay services' fakes stay as they are. */
export interface HomePublisher {
  /**
   * Publishes a person's Home tab (views.publish). With `hash`, Slack refuses (`hash_conflict`) when the tab changed
   * since that hash. Resolves with the new view's hash.
   */
  publishHome(userId: string, view: HomeView, hash?: string): Promise<{ hash: string | null }>;
}

export function webClientHomePublisher(client: WebClient): HomePublisher {
  return {
    async publishHome(userId, view, hash) {
      const result = await client.views.publish({ user_id: userId, view, ...(hash ? { hash } : {}) });
      return { hash: result.view?.hash ?? null };
    },
  };
}

/** Slack's error code (`not_in_channel`, `ratelimited`…) from a Web API error, else null. */
export function slackErrorCode(error: unknown): string | null {
  if (typeof error !== 'object' || error === null) return null;
  const data = (error as { data?: { error?: unknown } }).data;
  return typeof data?.error === 'string' ? data.error : null;
}

/** Slack's answer about a thread whose parent (a card) was deleted: there is nothing left to post under or read. */
export function isThreadGone(error: unknown): boolean {
  return slackErrorCode(error) === 'thread_not_found';
}

interface RawHistoryMessage {
  ts?: string;
  thread_ts?: string;
  metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
}

interface HistoryPage {
  messages?: unknown[];
  response_metadata?: { next_cursor?: string };
}

/** Follows `next_cursor` pages (history or replies) until `maxMessages`, keeping ts, thread and metadata. */
async function readPages(
  maxMessages: number,
  fetchPage: (limit: number, cursor: string | undefined) => Promise<HistoryPage>,
): Promise<SlackHistoryMessage[]> {
  const out: SlackHistoryMessage[] = [];
  let cursor: string | undefined;
  do {
    const page = await fetchPage(Math.min(200, maxMessages - out.length), cursor);
    for (const raw of (page.messages ?? []) as RawHistoryMessage[]) {
      if (!raw.ts) continue;
      const meta = raw.metadata;
      out.push({
        ts: raw.ts,
        threadTs: raw.thread_ts ?? null,
        metadata: meta?.event_type ? { event_type: meta.event_type, event_payload: meta.event_payload ?? {} } : null,
      });
    }
    cursor = page.response_metadata?.next_cursor || undefined;
  } while (cursor && out.length < maxMessages);
  return out;
}

export function webClientSlackPort(client: WebClient): SlackPort {
  return {
    async postMessage({ channel, text, blocks, metadata, threadTs }) {
      const result = await client.chat.postMessage({
        channel,
        text,
        ...(blocks ? { blocks } : {}),
        ...(metadata ? { metadata } : {}),
        ...(threadTs ? { thread_ts: threadTs } : {}),
        unfurl_links: false,
        unfurl_media: false,
      } as ChatPostMessageArguments);
      if (!result.ts) throw new Error('chat.postMessage returned no ts');
      return { ts: result.ts };
    },
    async updateMessage({ channel, ts, text, blocks, metadata }) {
      await client.chat.update({
        channel,
        ts,
        text,
        ...(blocks ? { blocks } : {}),
        ...(metadata ? { metadata } : {}),
      } as ChatUpdateArguments);
    },
    async postEphemeral({ channel, user, text, blocks, threadTs }) {
      await client.chat.postEphemeral({
        channel,
        user,
        text,
        ...(blocks ? { blocks: blocks as never } : {}),
        ...(threadTs ? { thread_ts: threadTs } : {}),
      });
    },
    history: (channel, { oldestTs, maxMessages }) =>
      readPages(maxMessages, (limit, cursor) =>
        client.conversations.history({
          channel,
          limit,
          include_all_metadata: true,
          ...(oldestTs ? { oldest: oldestTs } : {}),
          ...(cursor ? { cursor } : {}),
        }),
      ),
    threadReplies: (channel, threadTs, { maxMessages }) =>
      readPages(maxMessages, (limit, cursor) =>
        client.conversations.replies({
          channel,
          ts: threadTs,
          limit,
          include_all_metadata: true,
          ...(cursor ? { cursor } : {}),
        }),
      ),
    async joinChannel(channel) {
      await client.conversations.join({ channel });
    },
    async permalink(channel, ts) {
      try {
        const result = await client.chat.getPermalink({ channel, message_ts: ts });
        return result.permalink ?? null;
      } catch {
        return null;
      }
    },
  };
}
