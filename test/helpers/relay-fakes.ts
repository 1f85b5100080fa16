import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { codeForStatus, OpenTrainError } from '../../src/api/errors.js';
import type { ChatMessage, ConversationSummary } from '../../src/domain.js';
import type { Logger } from '../../src/logger.js';
import { ConversationLinker } from '../../src/services/relay/linker.js';
import { CardThread } from '../../src/services/relay/thread.js';
import type { SlackHistoryMessage, SlackMessageInput } from '../../src/services/slack-port.js';
import type { StoredProposal } from '../../src/store/schema.js';
import { Store } from '../../src/store/store.js';
import { makeStoredProposal } from './store-fixtures.js';

// Fakes for the relay's ports (tests/unit/relay-*.test.ts): OpenTrain's conversations in memory, a Slack thread that
// keeps what was posted (with its metadata), a scheduler that runs each call at once, a clock the test moves.

export const CHANNEL = 'C0HIRING01';

/** A proposal with a posted card and no conversation yet. */
export function proposalWithCard(index: number): StoredProposal {
  return { ...makeStoredProposal(index), conversation: null };
}

/** A real store on a temporary file, holding these proposals. */
export async function storeWith(proposals: StoredProposal[]): Promise<{ store: Store; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'relay-'));
  const store = await Store.open({ file: join(dir, 'hiring-bot.json'), flushDelayMs: 10 });
  store.change((data) => {
    for (const stored of proposals) data.proposals[stored.proposal.id] = stored;
  });
  await store.flush();
  return {
    store,
    cleanup: async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export function fakeClock(start: string) {
  let now = new Date(start).getTime();
  return {
    clock: () => new Date(now),
    advance: (ms: number) => {
      now += ms;
    },
  };
}

export function recordingLogger() {
  const lines: string[] = [];
  const log = (level: string) => (message: string) => {
    lines.push(`${level} ${message}`);
  };
  const logger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') } as Logger;
  return { logger, lines };
}

export function networkError(): OpenTrainError {
  return new OpenTrainError({ status: 0, code: 'NETWORK_ERROR', message: 'socket hang up', reachedServer: true });
}

export function timeoutError(): OpenTrainError {
  return new OpenTrainError({ status: 0, code: 'TIMEOUT', message: 'timed out', reachedServer: true });
}

export function refusal(status: number): OpenTrainError {
  return new OpenTrainError({ status, code: codeForStatus(status), message: `refused with ${status}` });
}

interface FakeConversation {
  id: string;
  proposalId: string | null;
  messages: ChatMessage[];
}

/** OpenTrain's conversations in memory; `sendBehaviour` decides what each POST /messages does. */
export class FakeOpenTrain {
  /** Every conversation by id. */
  readonly chats = new Map<string, FakeConversation>();
  readonly sent: { conversationId: string; content: string }[] = [];
  /** Per POST /messages, in order: store it and answer, store it and lose the answer, or refuse it. */
  sendBehaviour: ('ok' | { lose: OpenTrainError; stored: boolean } | { refuse: OpenTrainError })[] = [];
  listFailure: Error | null = null;
  startCalls = 0;
  messageReads = 0;
  #nextId = 1;

  constructor(private readonly clock: () => Date) {}

  open(proposalId: string | null, id = `conv_${this.#nextId++}`): string {
    this.chats.set(id, { id, proposalId, messages: [] });
    return id;
  }

  /** The candidate (or someone in the OpenTrain app) writes. */
  say(conversationId: string, content: string, opts: { fromViewer?: boolean; createdAt?: string } = {}): ChatMessage {
    const message: ChatMessage = {
      id: `msg_${this.#nextId++}`,
      conversationId,
      createdAt: opts.createdAt ?? this.clock().toISOString(),
      content,
      isFromViewer: opts.fromViewer ?? false,
      system: false,
      senderUserId: null,
    };
    this.#conversation(conversationId).messages.push(message);
    return message;
  }

  async startConversation(proposalId: string) {
    this.startCalls += 1;
    const existing = [...this.chats.values()].find((c) => c.proposalId === proposalId);
    const conversationId = existing?.id ?? this.open(proposalId);
    return { conversationId, proposalId, jobId: null, created: !existing };
  }

  async sendMessage(conversationId: string, content: string): Promise<ChatMessage> {
    const behaviour = this.sendBehaviour.shift() ?? 'ok';
    if (typeof behaviour === 'object' && 'refuse' in behaviour) throw behaviour.refuse;
    if (typeof behaviour === 'object' && !behaviour.stored) throw behaviour.lose;
    this.sent.push({ conversationId, content });
    const message = this.say(conversationId, content, { fromViewer: true });
    if (typeof behaviour === 'object') throw behaviour.lose;
    return message;
  }

  async listMessages(conversationId: string, opts: { limit?: number } = {}) {
    if (this.listFailure) throw this.listFailure;
    return { messages: this.#conversation(conversationId).messages.slice(-(opts.limit ?? 50)), nextCursor: null };
  }

  async *messages(conversationId: string, opts: { cursor?: string } = {}): AsyncIterable<ChatMessage> {
    this.messageReads += 1;
    const all = this.#conversation(conversationId).messages;
    const from = opts.cursor ? all.findIndex((m) => m.id === opts.cursor) : -1;
    if (opts.cursor && from === -1) throw refusal(400);
    yield* all.slice(from + 1);
  }

  async *conversations(opts: { unreadOnly?: boolean } = {}): AsyncIterable<ConversationSummary> {
    if (this.listFailure) throw this.listFailure;
    for (const c of this.chats.values()) {
      const unread = c.messages.filter((m) => !m.isFromViewer).length;
      if (opts.unreadOnly && unread === 0) continue;
      yield {
        id: c.id,
        bucket: null,
        jobId: null,
        proposalId: c.proposalId,
        updatedAt: c.messages.at(-1)?.createdAt ?? null,
        unreadCount: unread,
        needsReplyCount: unread,
      };
    }
  }

  #conversation(id: string): FakeConversation {
    const found = this.chats.get(id);
    if (!found) throw refusal(404);
    return found;
  }
}

/** Slack as the relay sees it: posts land in threads (metadata kept); `failNextPost` loses one post's answer. */
export class FakeSlackThreads {
  readonly posts: SlackMessageInput[] = [];
  /** The next post reaches Slack but its answer is lost (`landed`), or fails before reaching it. */
  failNextPost: { landed: boolean } | null = null;

  async postMessage(message: SlackMessageInput): Promise<{ ts: string }> {
    const failure = this.failNextPost;
    this.failNextPost = null;
    if (failure && !failure.landed) throw new Error('post failed');
    this.posts.push(message);
    if (failure) throw new Error('post answer lost');
    return { ts: `1772000000.${String(this.posts.length).padStart(6, '0')}` };
  }

  async threadReplies(channel: string, threadTs: string): Promise<SlackHistoryMessage[]> {
    return this.inThread(channel, threadTs).map((post, index) => ({
      ts: `1772000001.${String(index).padStart(6, '0')}`,
      threadTs,
      metadata: (post.metadata as SlackHistoryMessage['metadata']) ?? null,
    }));
  }

  inThread(channel: string, threadTs: string): SlackMessageInput[] {
    return this.posts.filter((post) => post.channel === channel && post.threadTs === threadTs);
  }
}

/** Runs each scheduled call at once (pacing is the scheduler's own test). */
export const immediateScheduler = {
  schedule: <T>(_job: unknown, call: () => Promise<T>): Promise<T> => call(),
};

/** Records which cards were asked to re-render. */
export function recordingCards() {
  const updates: string[] = [];
  return {
    cards: {
      requestUpdate: async (proposalId: string) => {
        updates.push(proposalId);
      },
    },
    updates,
  };
}

/**
 * Everything a relay part needs, over fakes: a real store holding `proposals`, a fake clock, OpenTrain and Slack
 * fakes, a recording logger and card service. `parts()` gives a fresh linker each call (a restarted process).
 */
export async function relayHarness(proposals: StoredProposal[], cleanups: (() => Promise<void>)[]) {
  const { store, cleanup } = await storeWith(proposals);
  cleanups.push(cleanup);
  const time = fakeClock('2026-03-02T12:00:00Z');
  const openTrain = new FakeOpenTrain(time.clock);
  const slack = new FakeSlackThreads();
  const { logger, lines } = recordingLogger();
  const { cards, updates } = recordingCards();
  const thread = new CardThread({ store, slack, scheduler: immediateScheduler, logger });
  const parts = () => ({
    client: openTrain,
    store,
    linker: new ConversationLinker({ store, clock: time.clock }),
    thread,
    cards,
    logger,
    clock: time.clock,
  });
  /** The texts posted in a proposal's card thread, oldest first. */
  const threadTexts = (proposalId: string) => {
    const card = store.data.proposals[proposalId]!.card!;
    return slack.inThread(card.channel, card.ts!).map((post) => post.text);
  };
  return { store, time, openTrain, slack, lines, updates, parts, threadTexts };
}
