import { cardKey, type HomeOverview, homeView } from '../blocks/home.js';
import type { HomeView } from '../blocks/limits.js';
import type { Logger } from '../logger.js';
import type { StoreView } from '../store/index.js';
import { CardLinks } from './card-links.js';
import { contentFingerprint } from './fingerprint.js';
import { buildHomeOverview } from './home-overview.js';
import type { WatchRules } from './jobs.js';
import type { Priority } from './slack-budgets.js';
import { type HomePublisher, type SlackPort, slackErrorCode } from './slack-port.js';
import {
  NOT_SENT,
  type SchedulerClock,
  SchedulerStoppedError,
  type SlackScheduler,
  systemClock,
} from './slack-scheduler.js';

// Each person's App Home tab (docs/slack.md#app-home): published when they open it, and kept fresh while they are
// likely to look at it again: after store changes, the tabs of people who opened theirs within the policy's window
// are re-rendered in the scheduler's background class and re-published only when their fingerprint changed. The
// re-renders come in rounds, at most one per `refreshEveryMs`: a burst of changes (a sync posting a thousand cards)
// costs one render per tab, not one per change. Slack's view hash guards each publish, so a tab that changed elsewhere
// since is never overwritten blindly. Free of Bolt. What a person's tab last showed lives in memory: after a restart
// their next visit publishes it again.

export interface HomeRefreshPolicy {
  /** Whose tab is kept fresh: people who opened it within this long. */
  recentForMs: number;
  /** At most this many people are tracked (the longest-idle are forgotten first). */
  maxTracked: number;
  /** Card permalinks remembered (they never change); beyond this the memory starts over. */
  maxCachedLinks: number;
  /** After a store change the tabs are re-rendered at once, then at most once per this long while changes go on. */
  refreshEveryMs: number;
  /**
   * Re-rendering stays under this share of the time: a round whose renders took R ms is followed by the next one no
   * sooner than R / share later (a large store with many recent openers refreshes less often).
   */
  maxRenderShare: number;
}

export const HOME_REFRESH_POLICY: HomeRefreshPolicy = {
  recentForMs: 24 * 60 * 60 * 1000,
  maxTracked: 1000,
  maxCachedLinks: 10_000,
  refreshEveryMs: 2000,
  maxRenderShare: 0.1,
};

export interface HomeServiceOptions {
  store: { readonly data: StoreView };
  slack: HomePublisher & Pick<SlackPort, 'permalink'>;
  scheduler: SlackScheduler;
  /** Whether this person may act (REVIEWER_IDS): others get the overview without the buttons that act. */
  canAct: (userId: string) => boolean;
  rules: WatchRules;
  logger: Logger;
  clock: () => Date;
  /** The timer that spaces refresh rounds (default: real time; tests pass the scheduler's fake clock). */
  timers?: SchedulerClock;
  policy?: HomeRefreshPolicy;
  /** The card permalinks the bot remembers (shared with the shortlists); by default a memory of its own. */
  links?: CardLinks;
}

/** What happened to a person's tab: published, left as it was (nothing changed), or not published (an error). */
export type HomeOutcome = 'published' | 'unchanged' | 'failed';

interface ShownHome {
  openedAt: number;
  /** Fingerprint of the view Slack last accepted for this person; null → publish on the next render. */
  fingerprint: string | null;
  /** Slack's hash of the tab as we last saw it (our publish's answer, or the app_home_opened event's view). */
  hash: string | null;
}

export class HomeService {
  private readonly shown = new Map<string, ShownHome>();
  private readonly links: CardLinks;
  private readonly policy: HomeRefreshPolicy;
  private readonly timers: SchedulerClock;
  /** The next refresh round, waiting for its time (changes meanwhile join it). */
  private roundTimer: unknown = null;
  /** No refresh round starts before this (timers' time). */
  private nextRoundAt = 0;
  private roundStartedAt = 0;
  /** Milliseconds spent rendering in the current round. */
  private roundRenderMs = 0;
  private stopped = false;
  /** Tabs rendered and published so far (the benchmarks read them). */
  renders = 0;
  publishes = 0;

  constructor(private readonly opts: HomeServiceOptions) {
    this.policy = opts.policy ?? HOME_REFRESH_POLICY;
    this.links = opts.links ?? new CardLinks(opts.slack, this.policy.maxCachedLinks);
    this.timers = opts.timers ?? systemClock;
  }

  /**
   * Someone opened their Home tab. `shownHash` is the hash of the view Slack shows them (the event's `view.hash`),
   * null when nothing was published yet. Publishes the overview unless it is what they already see.
   */
  opened(userId: string, shownHash: string | null): Promise<HomeOutcome> {
    const now = this.opts.clock().getTime();
    const known = this.shown.get(userId);
    // A tab Slack shows with another hash than ours was published elsewhere (another process): render it anew.
    const sameTab = known !== undefined && shownHash !== null && known.hash === shownHash;
    return this.visit(userId, { openedAt: now, fingerprint: sameTab ? known.fingerprint : null, hash: shownHash });
  }

  /**
   * The Refresh button, clicked in the tab whose hash is `shownHash`: publishes the overview now, even when we think
   * the tab already shows it (it may have been published elsewhere), guarded by the hash of the tab clicked in.
   */
  refresh(userId: string, shownHash: string | null): Promise<HomeOutcome> {
    return this.visit(userId, { openedAt: this.opts.clock().getTime(), fingerprint: null, hash: shownHash });
  }

  /** The person is looking at their tab now: they become the most recent opener, and their tab is published. */
  private visit(userId: string, shown: ShownHome): Promise<HomeOutcome> {
    this.shown.delete(userId);
    this.shown.set(userId, shown);
    this.forgetBeyondCap();
    return this.schedule(userId, 'person');
  }

  /**
   * The store changed: the tabs of recent openers are re-rendered (background) in the next refresh round — at once
   * after a quiet spell, else when the policy allows — and those that differ are published.
   */
  changed(): void {
    if (this.roundTimer !== null || this.stopped || this.shown.size === 0) return;
    const wait = Math.max(0, this.nextRoundAt - this.timers.now());
    this.roundTimer = this.timers.setTimer(() => this.startRound(), wait);
  }

  /** A refresh round waits for its time. */
  get roundWaiting(): boolean {
    return this.roundTimer !== null;
  }

  /** Starts a waiting refresh round now (idle(): tests and benchmarks wait for what changes would publish). */
  hurryRound(): void {
    if (this.roundTimer === null) return;
    this.timers.clearTimer(this.roundTimer);
    this.startRound();
  }

  /** No more refresh rounds (shutdown). */
  stop(): void {
    this.stopped = true;
    if (this.roundTimer !== null) this.timers.clearTimer(this.roundTimer);
    this.roundTimer = null;
  }

  private startRound(): void {
    this.roundTimer = null;
    const now = this.timers.now();
    this.roundStartedAt = now;
    this.roundRenderMs = 0;
    this.nextRoundAt = now + this.policy.refreshEveryMs;
    for (const userId of this.recentOpeners()) void this.schedule(userId, 'background');
  }

  /** People whose tab is kept fresh, longest-idle first; those past the window are forgotten. */
  recentOpeners(): string[] {
    const since = this.opts.clock().getTime() - this.policy.recentForMs;
    for (const [userId, shown] of this.shown) {
      if (shown.openedAt < since) this.shown.delete(userId);
    }
    return [...this.shown.keys()];
  }

  /** The overview this person would see now. */
  private overviewFor(userId: string): HomeOverview {
    return buildHomeOverview({
      data: this.opts.store.data,
      userId,
      canAct: this.opts.canAct(userId),
      rules: this.opts.rules,
    });
  }

  private schedule(userId: string, priority: Priority): Promise<HomeOutcome> {
    const key = `home:${userId}`;
    return this.opts.scheduler
      .schedule({ priority, channel: key, key, call: 'publish' }, () => this.publish(userId, priority))
      .then(
        (result) => (result === NOT_SENT ? 'unchanged' : (result as HomeOutcome)),
        (error: unknown) => {
          if (!(error instanceof SchedulerStoppedError)) this.opts.logger.warn(`could not publish a Home tab`, error);
          return 'failed' as const;
        },
      );
  }

  private async publish(userId: string, priority: Priority): Promise<HomeOutcome | typeof NOT_SENT> {
    // Forgotten meanwhile (their window passed): their tab is no longer kept fresh.
    if (!this.shown.has(userId)) return NOT_SENT;
    const { view, print } = await this.render(userId, priority);
    const shown = this.shown.get(userId);
    if (shown?.fingerprint === print) return NOT_SENT;
    try {
      const { hash } = await this.opts.slack.publishHome(userId, view, shown?.hash ?? undefined);
      this.publishes += 1;
      const current = this.shown.get(userId);
      if (current) {
        current.fingerprint = print;
        current.hash = hash;
      }
      return 'published';
    } catch (error) {
      if (slackErrorCode(error) !== 'hash_conflict') throw error;
      // The tab changed since the hash we hold (published elsewhere): not overwritten. The person's next visit brings
      // the current hash, and publishes then.
      const current = this.shown.get(userId);
      if (current) {
        current.fingerprint = null;
        current.hash = null;
      }
      this.opts.logger.info(
        'a Home tab changed elsewhere since we last saw it; it is published again on the next visit',
      );
      return 'failed';
    }
  }

  /** The person's tab and its fingerprint; background renders count towards the refresh round's time. */
  private async render(userId: string, priority: Priority): Promise<{ view: HomeView; print: string }> {
    this.renders += 1;
    let started = performance.now();
    const overview = this.overviewFor(userId);
    let spentMs = performance.now() - started;
    const cards = [
      ...overview.jobs.items.map((job) => job.next),
      ...[overview.awaitingReply, overview.unansweredFinalists, overview.pendingApprovals].flatMap((list) =>
        list.items.map((item) => item.card),
      ),
    ];
    const links = new Map<string, string>();
    for (const card of cards) {
      if (card === null || links.has(cardKey(card))) continue;
      // Unknown for now (the permalink call failed): the item shows without its button and gets it next render.
      const permalink = await this.links.of(card.channel, card.ts);
      if (permalink !== null) links.set(cardKey(card), permalink);
    }
    started = performance.now();
    const view = homeView(overview, links);
    const print = fingerprintOf(view);
    spentMs += performance.now() - started;
    if (priority === 'background') this.spentRendering(spentMs);
    return { view, print };
  }

  /** A refresh round's render time pushes the next round back so that rendering stays within its share. */
  private spentRendering(ms: number): void {
    this.roundRenderMs += ms;
    const byShare = this.roundStartedAt + this.roundRenderMs / this.policy.maxRenderShare;
    if (byShare <= this.nextRoundAt) return;
    this.nextRoundAt = byShare;
    if (this.roundTimer === null) return;
    // A round already waiting is moved back too.
    this.timers.clearTimer(this.roundTimer);
    this.roundTimer = this.timers.setTimer(() => this.startRound(), Math.max(0, byShare - this.timers.now()));
  }

  private forgetBeyondCap(): void {
    for (const userId of this.shown.keys()) {
      if (this.shown.size <= this.policy.maxTracked) break;
      this.shown.delete(userId);
    }
  }
}

/** What identifies a Home tab's content: the view as sent. */
export function fingerprintOf(view: HomeView): string {
  return contentFingerprint(view);
}
