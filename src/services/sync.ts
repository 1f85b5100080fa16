import { describeError, errorLogFields, OpenTrainError } from '../api/index.js';
import { runGuarded } from './background.js';
import type { CardRecovery } from './card-recovery.js';
import { refreshJobs } from './jobs.js';
import { performSyncPlan, type SyncCoordinatorPorts } from './sync-coordinator.js';
import { emptySyncPlan, type SyncCounts, type SyncPlan, SyncPlanner, type SyncPlannerOptions } from './sync-plan.js';

export { backfillSummary } from './sync-plan.js';

/** The planner's options (OpenTrain, store, clock, rules, …) and the coordinator's ports (cards, relay, announce). */
export interface SyncOptions extends Omit<SyncPlannerOptions, 'channelHasCards'>, SyncCoordinatorPorts {
  store: SyncPlannerOptions['store'];
  retentionDays: number;
  jobsRefreshMs?: number;
  /** Looks for cards in channel history when the store may not know them all (damaged store, first run). */
  recovery?: CardRecovery;
}

export type SyncCycleResult = SyncCounts;

const PRUNE_EVERY_MS = 60 * 60 * 1000;

/**
 * Keeps the store in step with OpenTrain on a timer and at the webhook's doorbell. A cycle reads OpenTrain into a plan
 * (SyncPlanner, which leaves the store as it was) and hands it to the coordinator (performSyncPlan), which commits it
 * in one store write and only then announces, relays and posts cards.
 */
export class SyncService {
  private running: Promise<SyncCycleResult | null> | null = null;
  private followUp: Promise<SyncCycleResult | null> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private lastJobsRefresh = 0;
  private lastPrune = 0;
  cycles = 0;
  /** Whether the last OpenTrain call of a cycle succeeded (for /hiring status). */
  reachable: boolean | null = null;

  constructor(private readonly opts: SyncOptions) {}

  start(intervalSeconds: number): void {
    this.stopped = false;
    // Guarded: a cycle that throws is logged and the next one still gets scheduled.
    const tick = async () => {
      await runGuarded(this.opts.logger, { label: 'sync timer' }, () => this.runOnce());
      if (!this.stopped) this.timer = setTimeout(tick, intervalSeconds * 1000);
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** The webhook doorbell: poll now (a cycle already running is followed by exactly one more). */
  trigger(): void {
    void runGuarded(this.opts.logger, { label: 'sync doorbell' }, () => this.runOnce());
  }

  /**
   * Runs one cycle. While a cycle runs, every further call shares ONE follow-up cycle (so a doorbell during a cycle
   * is never lost, and a burst of doorbells costs one extra cycle, not one each).
   */
  runOnce(): Promise<SyncCycleResult | null> {
    if (!this.running) {
      this.running = this.cycle().finally(() => {
        this.running = null;
      });
      return this.running;
    }
    this.followUp ??= this.running.then(() => {
      this.followUp = null;
      return this.stopped ? null : this.runOnce();
    });
    return this.followUp;
  }

  /** Plans a cycle; what was planned before a failure is committed too (the cursor only moves on success). */
  async plan(): Promise<SyncPlan> {
    const { store, logger } = this.opts;
    this.cycles += 1;
    const firstRun = store.data.backfilledAt === null;
    const plan = emptySyncPlan(store.data.health.mode ?? 'ledger', firstRun);
    const recovery = this.opts.recovery;
    const planner = new SyncPlanner(
      { ...this.opts, ...(recovery ? { channelHasCards: (channel) => recovery.channelHasCards(channel) } : {}) },
      plan,
      () => this.refreshJobs(),
    );
    try {
      // Cards the store may have lost are looked up in channel history before this cycle posts anything.
      await recovery?.run();
      if (firstRun || Date.now() - this.lastJobsRefresh >= (this.opts.jobsRefreshMs ?? 10 * 60 * 1000)) {
        await this.refreshJobs();
      }
      await planner.run();
      plan.pruneBefore = this.pruneCutoff();
      this.reachable = true;
      plan.health = { mode: plan.counts.mode };
    } catch (error) {
      this.reachable = !(error instanceof OpenTrainError && (error.status === 0 || error.status >= 500));
      const message = describeError(error);
      logger.error(`sync failed: ${message}`, errorLogFields(error));
      plan.ledger = null;
      plan.health = { error: message };
    }
    return plan;
  }

  private async cycle(): Promise<SyncCycleResult | null> {
    const plan = await this.plan();
    await performSyncPlan(plan, this.opts);
    return plan.counts;
  }

  private async refreshJobs(): Promise<boolean> {
    await refreshJobs(this.opts.client, this.opts.store, this.opts.rules);
    this.lastJobsRefresh = Date.now();
    return true;
  }

  /** RETENTION_DAYS: once an hour, proposals whose cards (or, without a card, whose creation) are older go. */
  private pruneCutoff(): number | null {
    const now = this.opts.clock().getTime();
    if (now - this.lastPrune < PRUNE_EVERY_MS) return null;
    this.lastPrune = now;
    return now - this.opts.retentionDays * 86_400_000;
  }
}
