import { silentLogger } from '../../src/logger.js';
import { CardService } from '../../src/services/cards.js';
import { ChannelAccess } from '../../src/services/channel-access.js';
import { SLACK_POLICY } from '../../src/services/slack-budgets.js';
import type { SlackHistoryMessage, SlackMessageInput, SlackPort } from '../../src/services/slack-port.js';
import { SlackScheduler } from '../../src/services/slack-scheduler.js';
import type { Store } from '../../src/store/store.js';
import { FakeClock } from './fake-clock.js';

// The card service's ports faked for unit tests of it and of what renders through it (tests/unit/cards.test.ts,
// tests/unit/shortlist-service.test.ts): a Slack that records what reached it and answers like Slack, and the real
// card service and scheduler (Slack's limits) on a clock the test moves.

/** An error shaped like the Web API client's platform error. */
export function slackRefusal(code: string): Error {
  return Object.assign(new Error(`An API error occurred: ${code}`), { data: { ok: false, error: code } });
}

export interface FakeSlackOptions {
  /** Permalinks Slack gives (default: none, as when chat.getPermalink fails). */
  permalinks?: boolean;
}

/**
 * Slack as the bot sees it: posts get increasing ts; `refusals.post`/`update` make the next calls fail with Slack's
 * answer, `refusals.lose` loses a post's answer after it landed; `holdUpdateAnswers()` keeps edits waiting until
 * released.
 */
export function fakeSlack(options: FakeSlackOptions = {}) {
  const posts: SlackMessageInput[] = [];
  const updates: (SlackMessageInput & { ts: string })[] = [];
  const calls: string[] = [];
  const history = new Map<string, SlackHistoryMessage[]>();
  const refusals: { post: string | null; update: string | null; lose: boolean } = {
    post: null,
    update: null,
    lose: false,
  };
  let permalinkCalls = 0;
  let answersHeld: Promise<void> = Promise.resolve();
  /** Slack takes its time to answer edits until `release()` (the request is on its way meanwhile). */
  const holdUpdateAnswers = () => {
    let release = () => {};
    answersHeld = new Promise((resolve) => {
      release = resolve;
    });
    return () => release();
  };
  const port: SlackPort = {
    postMessage: async (message) => {
      calls.push(`post ${message.channel}`);
      if (refusals.post) throw slackRefusal(refusals.post);
      posts.push(message);
      if (refusals.lose) throw new Error('socket hang up');
      return { ts: `1772452800.${String(posts.length).padStart(6, '0')}` };
    },
    updateMessage: async (message) => {
      calls.push(`update ${message.ts}`);
      await answersHeld;
      if (refusals.update) throw slackRefusal(refusals.update);
      updates.push(message);
    },
    postEphemeral: async () => {},
    joinChannel: async () => {},
    history: async (channel) => {
      calls.push(`history ${channel}`);
      return history.get(channel) ?? [];
    },
    threadReplies: async () => [],
    permalink: async (channel, ts) => {
      permalinkCalls += 1;
      return options.permalinks ? `https://example.slack.com/archives/${channel}/p${ts.replace('.', '')}` : null;
    },
  };
  return { port, posts, updates, calls, history, refusals, holdUpdateAnswers, permalinkCalls: () => permalinkCalls };
}

export type FakeSlack = ReturnType<typeof fakeSlack>;

/**
 * The real card service over `store` and the fake Slack, ranking by interview score alone, with its scheduler on a
 * fake clock; `drain()` lets a minute of scheduler time pass (everything queued runs within Slack's limits).
 */
export function cardServiceOver(store: Store, slack: FakeSlack, now: Date) {
  const clock = new FakeClock();
  const scheduler = new SlackScheduler(SLACK_POLICY, clock);
  const access = new ChannelAccess({ slack: slack.port, logger: silentLogger });
  const cards = new CardService({
    slack: slack.port,
    store,
    scheduler,
    access,
    logger: silentLogger,
    clock: () => now,
    weightsFor: () => ({ interview: 1, match: 0, price: 0 }),
  });
  return { clock, scheduler, access, cards, drain: () => clock.advance(60_000) };
}
