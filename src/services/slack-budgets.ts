// What the bot sends to Slack, in the order people are waiting for it, and the rate limits it stays under. Plain data
// read by the scheduler in slack-scheduler.ts; see docs/slack.md#web-api-limits and docs/decisions.md#scheduling.

/** Highest first. A lower class never takes a slot a waiting higher one could use. */
export const PRIORITIES = ['arrival', 'person', 'background'] as const;
export type Priority = (typeof PRIORITIES)[number];

/**
 * - arrival: new cards and candidate messages relayed into a card's thread;
 * - person: what someone caused: votes, invite notes, conversation state, thread posts, status changes;
 * - background: score/marker refreshes after other proposals arrived or the weights changed, and Home tabs re-published
 *   for people who opened them recently (docs/slack.md#app-home).
 */
export const PRIORITY_RANK: Record<Priority, number> = { arrival: 0, person: 1, background: 2 };

/** `publish`: views.publish (a person's Home tab). */
export type SlackCall = 'post' | 'update' | 'publish';

export interface Budget {
  /** The Slack method the budget is for (documentation; the scheduler keys on `SlackCall`). */
  method: 'chat.postMessage' | 'chat.update' | 'views.publish';
  /** Whose limit: one bucket per channel, or one for the whole workspace. */
  scope: 'channel' | 'workspace';
  /** Sustained rate. `Infinity` turns the budget off (tests). */
  perMinute: number;
  /** Calls that may go at once after a quiet spell. Any 60 s window holds at most `burst + perMinute` calls. */
  burst: number;
}

export type BudgetName = 'post' | 'update' | 'backgroundUpdate' | 'publish';

export interface SchedulingPolicy {
  budgets: Record<BudgetName, Budget>;
  /** The budgets a call of this kind and class draws one token from, all of them. */
  draws: Record<SlackCall, Record<Priority, readonly BudgetName[]>>;
  /** At most this many calls of a class in flight at once, workspace-wide (background trickles one by one). */
  maxInFlight: Record<Priority, number>;
  /** Tokens a class leaves in a budget it shares with the classes above it, so their next call needn't wait. */
  headroom: Record<Priority, Partial<Record<BudgetName, number>>>;
}

/**
 * Slack: chat.postMessage about 1 per second per channel; chat.update is Tier 3, about 50 per minute per workspace.
 * The bot's edits stay within 50 in any minute (45 a minute plus a burst of 5); background refreshes, the bulk of them,
 * stay well under it (~30 a minute) and leave 2 update tokens unused, so a click finds room at once. Updates never
 * wait behind posts (different limits). views.publish is Tier 4 (100+ per minute per workspace): Home tabs stay within
 * 90 in any minute (80 a minute plus a burst of 10) and never wait behind card edits.
 */
export const SLACK_POLICY: SchedulingPolicy = {
  budgets: {
    post: { method: 'chat.postMessage', scope: 'channel', perMinute: 60, burst: 1 },
    update: { method: 'chat.update', scope: 'workspace', perMinute: 45, burst: 5 },
    backgroundUpdate: { method: 'chat.update', scope: 'workspace', perMinute: 30, burst: 1 },
    publish: { method: 'views.publish', scope: 'workspace', perMinute: 80, burst: 10 },
  },
  draws: {
    post: { arrival: ['post'], person: ['post'], background: ['post'] },
    update: { arrival: ['update'], person: ['update'], background: ['update', 'backgroundUpdate'] },
    publish: { arrival: ['publish'], person: ['publish'], background: ['publish'] },
  },
  maxInFlight: { arrival: Number.POSITIVE_INFINITY, person: Number.POSITIVE_INFINITY, background: 1 },
  headroom: { arrival: {}, person: {}, background: { update: 2 } },
};

/** The same classes and order with every rate limit off (tests and benchmarks that measure something else). */
export function unlimitedPolicy(base: SchedulingPolicy = SLACK_POLICY): SchedulingPolicy {
  const off = (budget: Budget): Budget => ({ ...budget, perMinute: Number.POSITIVE_INFINITY });
  return {
    ...base,
    budgets: {
      post: off(base.budgets.post),
      update: off(base.budgets.update),
      backgroundUpdate: off(base.budgets.backgroundUpdate),
      publish: off(base.budgets.publish),
    },
  };
}
