// What the playground page shows, read from the Slack stand-in: the teammates you can act as, the channels, each
// channel's messages and threads, what only you can see (ephemerals, slash-command answers, response_url posts) and
// the modal you have open. Messages are rendered with the Block Kit renderer here, so the page only places HTML.

import type { SlackStandIn, StoredSlackMessage, StoredSlackView } from '../slack/standin.js';
import { tsToMicros } from '../slack/wire.js';
import { blocksHtml, type MentionNames, messageHtml, type RenderedView, viewHtml } from './blockkit-html.js';
import { escapeHtml } from './mrkdwn-html.js';

export interface Teammate {
  id: string;
  name: string;
  realName: string;
  reviewer: boolean;
}

/** Two reviewers and one teammate who is not (REVIEWER_IDS lists the first two), so permissions can be tried. */
export const TEAMMATES: readonly Teammate[] = [
  { id: 'U0ANA0001', name: 'ana', realName: 'Ana Lima', reviewer: true },
  { id: 'U0BEN0002', name: 'ben', realName: 'Ben Okafor', reviewer: true },
  { id: 'U0CLEO003', name: 'cleo', realName: 'Cleo Park', reviewer: false },
];

export const HIRING_CHANNEL = { id: 'C0HIRING', name: 'hiring' } as const;
export const DEMO_CHANNELS: readonly { id: string; name: string }[] = [
  HIRING_CHANNEL,
  { id: 'C0GENERAL', name: 'general' },
];

/** Something only one person sees that the stand-in doesn't keep: an ack's text or a response_url post. */
export interface Notice {
  ts: string;
  user: string;
  channel: string;
  thread_ts?: string;
  text?: string;
  blocks?: unknown[];
}

export interface ShownMessage {
  ts: string;
  threadTs?: string;
  author: string;
  isBot: boolean;
  /** Only you can see it (ephemeral, ack or response_url). */
  onlyYou: boolean;
  html: string;
  replyCount: number;
  edited: boolean;
}

export interface ShownModal extends RenderedView {
  id: string;
  hash: string;
  callbackId: string;
}

/** Your App Home tab as the bot last published it. */
export interface ShownHome {
  id: string;
  hash: string;
  html: string;
}

export interface WorkspaceSnapshot {
  me: Teammate;
  teammates: readonly Teammate[];
  channels: readonly { id: string; name: string }[];
  channel: { id: string; name: string };
  messages: ShownMessage[];
  thread: { parent: ShownMessage; replies: ShownMessage[] } | null;
  modal: ShownModal | null;
  /** Null until the bot published your Home tab (open it: the app gets app_home_opened). */
  home: ShownHome | null;
}

function byTs<T extends { ts: string }>(a: T, b: T): number {
  return (tsToMicros(a.ts) ?? 0) - (tsToMicros(b.ts) ?? 0);
}

export class Workspace {
  readonly notices: Notice[] = [];
  private readonly names: MentionNames;
  private lastNoticeMicros = 0;

  constructor(private readonly slack: SlackStandIn) {
    for (const mate of TEAMMATES) slack.addUser({ id: mate.id, name: mate.name, real_name: mate.realName });
    // The bot was invited to #hiring (its cards go there); #general is a public channel it never joined.
    for (const channel of DEMO_CHANNELS) {
      slack.addChannel(channel.id, channel.name, { botIsMember: channel.id === HIRING_CHANNEL.id });
    }
    this.names = {
      userName: (id) => slack.user(id).real_name,
      channelName: (id) => slack.channelName(id),
    };
  }

  teammate(userId: string): Teammate {
    return TEAMMATES.find((mate) => mate.id === userId) ?? TEAMMATES[0]!;
  }

  addNotice(notice: Omit<Notice, 'ts'>): void {
    this.lastNoticeMicros = Math.max(this.lastNoticeMicros + 1, Date.now() * 1000);
    const ts = `${Math.floor(this.lastNoticeMicros / 1e6)}.${String(this.lastNoticeMicros % 1e6).padStart(6, '0')}`;
    this.notices.push({ ...notice, ts });
  }

  /** Changes whenever anything the page shows may have changed; the page refetches when it does. */
  fingerprint(): string {
    let messages = 0;
    for (const channel of DEMO_CHANNELS) {
      for (const msg of this.slack.messages(channel.id)) messages += 1 + msg.updates;
    }
    let views = 0;
    for (const view of this.slack.views.values()) views += 1 + view.updates + (view.closed ? 1 : 0);
    return [messages, views, this.slack.ephemerals.length, this.slack.responses.length, this.notices.length].join(':');
  }

  /** The open modal of a person: the newest of their views not closed (a pushed view sits on top; Home tabs aren't). */
  openView(userId: string): StoredSlackView | undefined {
    return [...this.slack.views.values()]
      .reverse()
      .find((view) => view.userId === userId && !view.closed && view.view.type !== 'home');
  }

  snapshot(userId: string, channelId: string, threadTs: string | null): WorkspaceSnapshot {
    const me = this.teammate(userId);
    const channel = DEMO_CHANNELS.find((entry) => entry.id === channelId) ?? HIRING_CHANNEL;
    const stored = this.slack.messages(channel.id);
    const replyCounts = new Map<string, number>();
    for (const msg of stored) {
      if (msg.thread_ts !== undefined) replyCounts.set(msg.thread_ts, (replyCounts.get(msg.thread_ts) ?? 0) + 1);
    }
    const shown = [
      ...stored.map((msg) => this.showMessage(msg, replyCounts.get(msg.ts) ?? 0)),
      ...this.privateTo(me.id, channel.id),
    ].sort(byTs);
    const parent = threadTs === null ? undefined : shown.find((msg) => msg.ts === threadTs);
    const view = this.openView(me.id);
    const home = this.slack.homeView(me.id);
    return {
      me,
      teammates: TEAMMATES,
      channels: DEMO_CHANNELS,
      channel,
      messages: shown.filter((msg) => msg.threadTs === undefined),
      thread: parent === undefined ? null : { parent, replies: shown.filter((msg) => msg.threadTs === parent.ts) },
      modal:
        view === undefined
          ? null
          : {
              id: view.id,
              hash: view.hash,
              callbackId: typeof view.view.callback_id === 'string' ? view.view.callback_id : '',
              ...viewHtml(view.view, this.names),
            },
      home: home === undefined ? null : { id: home.id, hash: home.hash, html: this.drawBlocks(home.view.blocks) },
    };
  }

  /** One message that can't be drawn shows as a labelled box; the rest of the channel still shows. */
  private draw(message: { text?: string; blocks?: unknown }): string {
    try {
      return messageHtml(message, this.names);
    } catch (error) {
      const reason = escapeHtml(error instanceof Error ? error.message : String(error));
      return `<div class="bk-unknown">This message could not be drawn: <code>${reason}</code></div>`;
    }
  }

  private drawBlocks(blocks: unknown): string {
    try {
      return blocksHtml(blocks, this.names);
    } catch (error) {
      const reason = escapeHtml(error instanceof Error ? error.message : String(error));
      return `<div class="bk-unknown">This Home tab could not be drawn: <code>${reason}</code></div>`;
    }
  }

  private showMessage(msg: StoredSlackMessage, replyCount: number): ShownMessage {
    const isBot = msg.bot_id !== undefined;
    return {
      ts: msg.ts,
      ...(msg.thread_ts === undefined ? {} : { threadTs: msg.thread_ts }),
      author: isBot ? 'OpenTrain Hiring' : this.slack.user(msg.user ?? '').real_name,
      isBot,
      onlyYou: false,
      html: this.draw(msg),
      replyCount,
      edited: msg.edited === true,
    };
  }

  /** Ephemerals, acks and response_url posts for one person in one channel. */
  private privateTo(userId: string, channelId: string): ShownMessage[] {
    const own = [
      ...this.slack.ephemerals.filter((entry) => entry.user === userId && entry.channel === channelId),
      ...this.notices.filter((entry) => entry.user === userId && entry.channel === channelId),
    ];
    return own.map((entry) => ({
      ts: entry.ts,
      ...(entry.thread_ts === undefined ? {} : { threadTs: entry.thread_ts }),
      author: 'OpenTrain Hiring',
      isBot: true,
      onlyYou: true,
      html: this.draw(entry),
      replyCount: 0,
      edited: false,
    }));
  }
}
