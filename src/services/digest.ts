import cron, { type ScheduledTask } from 'node-cron';
import { isSplitVote, voteSummary } from '../blocks/card.js';
import { type DigestApproval, type DigestJob, digestMessage } from '../blocks/digest.js';
import { candidateName, parseDate } from '../blocks/format.js';
import { CLOSED_PROPOSAL_STATUSES } from '../domain.js';
import { errorText } from '../error-text.js';
import type { Logger } from '../logger.js';
import type { Store, JobView as StoredJob, ProposalView as StoredProposal } from '../store/index.js';
import { guarded } from './background.js';
import type { CardService } from './cards.js';
import { expiringSoon, pastExpiry } from './hire/terms.js';
import { channelFor, type WatchRules, watchedJobs } from './jobs.js';
import type { SlackPort } from './slack-port.js';

// The daily digest (docs/architecture.md#digest): one message per watched channel summing up each job — new proposals
// in the last 24 h, unreviewed count, the top 3 by composite score, conversations awaiting our reply, split votes and
// hires waiting for approval (those expiring within a day flagged).
// Scheduled with node-cron; `/hiring digest` posts one channel's digest on demand. Free of Bolt.

const DAY_MS = 24 * 60 * 60 * 1000;
/** A scheduled run this soon after the previous one is skipped (a restart, a second process, a clock jump). */
export const MIN_RUN_SPACING_MS = 60_000;
const TOP_COUNT = 3;

export interface DigestServiceOptions {
  store: Store;
  slack: SlackPort;
  cards: CardService;
  logger: Logger;
  clock: () => Date;
  rules: WatchRules;
  /** IANA zone the digest's dates are shown in (DIGEST_TIMEZONE); also the zone the cron expression runs in. */
  timeZone: string;
}

export type ScheduledRunResult =
  | { outcome: 'skipped'; reason: 'ran-recently' | 'already-running'; lastRunAt: string | null }
  | { outcome: 'ran'; posted: string[]; quiet: string[]; failed: string[] };

export type ChannelDigestResult =
  | { outcome: 'posted'; ts: string; jobCount: number }
  /** No watched job sends its cards to this channel. */
  | { outcome: 'no-jobs' }
  /** The channel's jobs have nothing to report. */
  | { outcome: 'nothing'; jobTitles: string[] };

interface JobReport {
  job: DigestJob;
  /** Something happened in the last 24 h: a new proposal or a candidate's message. */
  hasNews: boolean;
  /** Anything at all worth a line: news, unreviewed proposals, replies owed or split votes. */
  hasContent: boolean;
}

export class DigestService {
  private task: ScheduledTask | null = null;
  private running: Promise<ScheduledRunResult> | null = null;

  constructor(private readonly opts: DigestServiceOptions) {}

  /**
   * Schedule the daily run. node-cron 4 never replays runs missed while the process was down or asleep (it only
   * reports them as `execution:missed`), so a restart after a long outage posts nothing until the next slot.
   */
  start(cronExpr: string): void {
    this.stop();
    const { logger } = this.opts;
    this.task = cron.schedule(
      cronExpr,
      guarded(logger, 'scheduled digest', () => this.runScheduled()),
      {
        timezone: this.opts.timeZone,
        name: 'hiring-digest',
        noOverlap: true,
        suppressMissedWarning: true,
        logger: {
          info: (message) => logger.debug(`node-cron: ${message}`),
          warn: (message) => logger.warn(`node-cron: ${message}`),
          error: (message, error) => logger.error('node-cron:', message, error ?? ''),
          debug: (message) => logger.debug('node-cron:', message),
        },
      },
    );
    this.task.on('execution:missed', (context) => {
      logger.info(`digest slot ${context.date.toISOString()} was missed; not replaying it`);
    });
    logger.debug(`digest scheduled at "${cronExpr}" (${this.opts.timeZone})`);
  }

  stop(): void {
    const task = this.task;
    this.task = null;
    if (!task) return;
    // destroy() also removes the task from node-cron's registry; it may return a promise.
    void Promise.resolve(task.destroy()).catch((error: unknown) => {
      this.opts.logger.warn('stopping the digest schedule failed', error);
    });
  }

  /** What the cron task runs: one digest per watched channel with news, unless a run happened moments ago. */
  runScheduled(): Promise<ScheduledRunResult> {
    if (this.running) {
      return Promise.resolve({ outcome: 'skipped', reason: 'already-running', lastRunAt: this.lastRunAt() });
    }
    const run = this.runAllChannels().finally(() => {
      this.running = null;
    });
    this.running = run;
    return run;
  }

  /** `/hiring digest`: the digest of the jobs whose cards go to `channel`, posted there now. */
  async postToChannel(channel: string): Promise<ChannelDigestResult> {
    const jobs = this.jobsByChannel().get(channel) ?? [];
    if (jobs.length === 0) return { outcome: 'no-jobs' };
    const now = this.opts.clock();
    const reports = await this.reportsFor(jobs, now);
    const shown = reports.filter((report) => report.hasContent);
    if (shown.length === 0) return { outcome: 'nothing', jobTitles: jobs.map((job) => job.title) };
    const ts = await this.post(channel, shown, now);
    return { outcome: 'posted', ts, jobCount: shown.length };
  }

  private lastRunAt(): string | null {
    return this.opts.store.data.digest.lastRunAt;
  }

  private async runAllChannels(): Promise<ScheduledRunResult> {
    const { store, logger } = this.opts;
    const now = this.opts.clock();
    const last = parseDate(this.lastRunAt());
    // Either direction: a clock set back shouldn't leave the digest muted until it catches up.
    if (last && Math.abs(now.getTime() - last.getTime()) < MIN_RUN_SPACING_MS) {
      logger.info(`digest skipped: the previous run was at ${last.toISOString()}`);
      return { outcome: 'skipped', reason: 'ran-recently', lastRunAt: last.toISOString() };
    }
    // Recorded before posting: a crash halfway must not lead to a second round of posts on restart.
    store.health.digestRan(now.toISOString());
    await store.flush();

    const posted: string[] = [];
    const quiet: string[] = [];
    const failed: string[] = [];
    for (const [channel, jobs] of this.jobsByChannel()) {
      try {
        const reports = await this.reportsFor(jobs, now);
        if (!reports.some((report) => report.hasNews)) {
          quiet.push(channel);
          continue;
        }
        await this.post(
          channel,
          reports.filter((report) => report.hasContent),
          now,
        );
        posted.push(channel);
      } catch (error) {
        // One channel failing (bot removed, archived) doesn't cost the others their digest.
        failed.push(channel);
        logger.warn(`posting the digest to ${channel} failed`, errorText(error));
      }
    }
    logger.info(
      `digest: posted to ${posted.length} channel(s), ${quiet.length} without news skipped, ${failed.length} failed`,
    );
    return { outcome: 'ran', posted, quiet, failed };
  }

  private async post(channel: string, reports: JobReport[], now: Date): Promise<string> {
    const message = digestMessage({
      generatedAt: now,
      timeZone: this.opts.timeZone,
      jobs: reports.map((report) => report.job),
    });
    const { ts } = await this.opts.slack.postMessage({ channel, ...message });
    return ts;
  }

  /** Watched jobs grouped by the channel their cards (and so their digest) go to. */
  private jobsByChannel(): Map<string, StoredJob[]> {
    const byChannel = new Map<string, StoredJob[]>();
    for (const job of watchedJobs(this.opts.store, this.opts.rules)) {
      const channel = channelFor(job, this.opts.rules);
      if (!channel) continue;
      const list = byChannel.get(channel) ?? [];
      list.push(job);
      byChannel.set(channel, list);
    }
    return byChannel;
  }

  /** One report per job, busiest first. */
  private async reportsFor(jobs: StoredJob[], now: Date): Promise<JobReport[]> {
    const byJob = new Map<string, StoredProposal[]>();
    for (const stored of Object.values(this.opts.store.data.proposals)) {
      const list = byJob.get(stored.proposal.jobId);
      if (list) list.push(stored);
      else byJob.set(stored.proposal.jobId, [stored]);
    }
    const reports = await Promise.all(jobs.map((job) => this.reportFor(job, byJob.get(job.id) ?? [], now)));
    return reports.sort((a, b) => b.job.newCount - a.job.newCount || a.job.title.localeCompare(b.job.title));
  }

  private async reportFor(job: StoredJob, proposals: StoredProposal[], now: Date): Promise<JobReport> {
    const since = now.getTime() - DAY_MS;
    const isRecent = (iso: string | null | undefined) => {
      const date = parseDate(iso);
      return date !== null && date.getTime() > since;
    };
    const byId = new Map(proposals.map((stored) => [stored.proposal.id, stored]));

    const newCount = proposals.filter((stored) => isRecent(stored.proposal.createdAt)).length;
    const unreviewedCount = proposals.filter((stored) => statusOf(stored) === 'UNREVIEWED').length;

    // The ranking the cards show (same weights, same ties), best first; only candidates still in the running.
    const ranked = [...this.opts.cards.ranksFor(job.id).values()].sort((a, b) => a.rank - b.rank);
    const topEntries = ranked
      .map((rank) => ({ rank, stored: byId.get(rank.proposalId) }))
      .filter(
        (entry): entry is { rank: typeof entry.rank; stored: StoredProposal } =>
          entry.stored !== undefined &&
          entry.rank.score !== null &&
          !CLOSED_PROPOSAL_STATUSES.has(statusOf(entry.stored)),
      )
      .slice(0, TOP_COUNT);

    const awaiting = proposals.filter((stored) => stored.conversation?.awaitingReply);
    const split = proposals.filter((stored) => isSplitVote(stored.votes));
    const inboundRecently = proposals.some((stored) => isRecent(stored.conversation?.lastInboundAt));
    const waiting = proposals
      .filter((stored) => stored.hire?.status === 'pending' && !pastExpiry(stored.hire, now))
      .sort((a, b) => (a.hire?.expiresAt ?? '').localeCompare(b.hire?.expiresAt ?? ''));

    const [top, awaitingReply, splitVotes, approvals] = await Promise.all([
      Promise.all(
        topEntries.map(async ({ rank, stored }) => ({
          proposalId: stored.proposal.id,
          name: candidateName(stored.proposal.candidate),
          score: rank.score,
          partial: rank.partial,
          permalink: await this.cardLink(stored),
        })),
      ),
      Promise.all(
        awaiting.map(async (stored) => ({
          name: candidateName(stored.proposal.candidate),
          // Awaiting our reply means at least one message, even when OpenTrain shows it as read.
          needsReply: Math.max(1, stored.conversation?.unread ?? 0),
          permalink: await this.cardLink(stored),
        })),
      ),
      Promise.all(
        split.map(async (stored) => {
          const tally = voteSummary(stored.votes);
          return {
            name: candidateName(stored.proposal.candidate),
            up: tally.up,
            down: tally.down,
            maybe: tally.maybe,
            permalink: await this.cardLink(stored),
          };
        }),
      ),
      Promise.all(
        waiting.map(
          async (stored): Promise<DigestApproval> => ({
            name: candidateName(stored.proposal.candidate),
            permalink: await this.cardLink(stored),
            approvalUrl: stored.hire?.approvalUrl ?? null,
            expiresAt: stored.hire?.expiresAt ?? null,
            requestedBy: stored.hire?.requestedBy ?? null,
            expiringSoon: stored.hire ? expiringSoon(stored.hire, now) : false,
          }),
        ),
      ),
    ]);

    const digestJob: DigestJob = {
      jobId: job.id,
      title: job.title,
      newCount,
      unreviewedCount,
      top,
      awaitingReply,
      splitVotes,
      approvals,
    };
    // A hire about to lapse needs someone today: news, like a new proposal.
    const hasNews = newCount > 0 || inboundRecently || approvals.some((entry) => entry.expiringSoon);
    return {
      job: digestJob,
      hasNews,
      hasContent:
        hasNews || unreviewedCount > 0 || awaitingReply.length > 0 || splitVotes.length > 0 || approvals.length > 0,
    };
  }

  private async cardLink(stored: StoredProposal): Promise<string | null> {
    const card = stored.card;
    if (card?.state !== 'posted' || !card.ts) return null;
    return this.opts.slack.permalink(card.channel, card.ts);
  }
}

function statusOf(stored: StoredProposal): string {
  return stored.proposal.status.raw.trim().toUpperCase();
}
