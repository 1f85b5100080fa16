// Slack's per-method rate limits as named data, enforced with token buckets: a method (per workspace, or per
// channel for chat.postMessage) may spend `burst` calls at once and regains `perMinute` a minute; past that Slack
// answers HTTP 429 `ratelimited` with Retry-After in whole seconds. See docs/slack.md#rate-limits.

export interface RateLimit {
  /** Whose calls share one budget. */
  per: 'workspace' | 'channel';
  perMinute: number;
  /** Calls allowed at once before the steady rate applies. */
  burst: number;
}

// Slack's tiers: Tier 1 1+/min, Tier 3 50+/min, Tier 4 100+/min; chat.postMessage is "special":
// about one message per second per channel, with short bursts allowed.
const TIER_1: RateLimit = { per: 'workspace', perMinute: 1, burst: 5 };
const TIER_3: RateLimit = { per: 'workspace', perMinute: 50, burst: 10 };
const TIER_4: RateLimit = { per: 'workspace', perMinute: 100, burst: 20 };

export const SLACK_RATE_LIMITS: Readonly<Record<string, RateLimit>> = {
  'chat.postMessage': { per: 'channel', perMinute: 60, burst: 5 },
  'chat.update': TIER_3,
  'chat.delete': TIER_3,
  'chat.postEphemeral': TIER_4,
  'chat.getPermalink': TIER_4,
  'conversations.history': TIER_3,
  'conversations.replies': TIER_3,
  'conversations.info': TIER_3,
  'conversations.join': TIER_3,
  'users.info': TIER_4,
  'views.open': TIER_4,
  'views.push': TIER_4,
  'views.update': TIER_4,
  'views.publish': TIER_4,
  'auth.test': TIER_4,
  'apps.connections.open': TIER_1,
};

/**
 * How strict the stand-in is: Slack's limits ('slack', the default), none ('off'), or Slack's table scaled (`scale`
 * 10 allows ten times as many calls) with some methods replaced.
 */
export type RateLimitSetting = 'slack' | 'off' | { scale?: number; overrides?: Record<string, RateLimit | null> };

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export class RateLimiter {
  private table = new Map<string, RateLimit>();
  private readonly buckets = new Map<string, Bucket>();
  /** Calls refused so far, per method. */
  readonly refused = new Map<string, number>();

  constructor(
    setting: RateLimitSetting = 'slack',
    private readonly now: () => number = Date.now,
  ) {
    this.configure(setting);
  }

  configure(setting: RateLimitSetting): void {
    this.buckets.clear();
    this.table = new Map();
    if (setting === 'off') return;
    const scale = setting === 'slack' ? 1 : (setting.scale ?? 1);
    const overrides = setting === 'slack' ? {} : (setting.overrides ?? {});
    for (const [method, limit] of Object.entries(SLACK_RATE_LIMITS)) {
      this.table.set(method, { ...limit, perMinute: limit.perMinute * scale, burst: Math.ceil(limit.burst * scale) });
    }
    for (const [method, limit] of Object.entries(overrides)) {
      if (limit === null) this.table.delete(method);
      else this.table.set(method, limit);
    }
  }

  /** Spends one call; returns the seconds to wait (Retry-After) when the budget is spent, else undefined. */
  take(method: string, channel: string | undefined): number | undefined {
    const limit = this.table.get(method);
    if (limit === undefined) return undefined;
    const key = limit.per === 'channel' ? `${method} ${channel ?? ''}` : method;
    const now = this.now();
    const perMs = limit.perMinute / 60_000;
    const bucket = this.buckets.get(key) ?? { tokens: limit.burst, updatedAt: now };
    bucket.tokens = Math.min(limit.burst, bucket.tokens + (now - bucket.updatedAt) * perMs);
    bucket.updatedAt = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return undefined;
    }
    this.refused.set(method, (this.refused.get(method) ?? 0) + 1);
    return Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000));
  }
}
