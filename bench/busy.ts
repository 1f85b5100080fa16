// A busy job: 200 cards in one channel, 20 new proposals arriving one at a time through the webhook doorbell while
// people vote on older cards. How long a person waits for what they did or for the new card, how many chat.update
// calls each arrival costs, and whether the bot stays within Slack's chat.update budget. The bot runs as `npm start`
// (real Slack limits); the sandbox runs in its own process, the Slack stand-in here, where the calls are observed.
// `busy-hiring` is the same with the hiring loop watching: 3 posted shortlists of the job (a third of the votes go to
// their finalists) and 5 people who opened their App Home tab, all kept up to date from store changes meanwhile.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogLevel } from '@slack/bolt';
import { createApp } from '../src/app.js';
import { SHORTLIST_EVENT_TYPE } from '../src/blocks/ids.js';
import { parseConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { spawnBot } from '../src/sandbox/harness.js';
import { SlackRequestSender } from '../src/sandbox/slack/signed-requests.js';
import { type RecordedCall, startSlackStandIn } from '../src/sandbox/slack/standin.js';
import { knob, percentile, row, startExternalServers } from './support.js';

const CARDS = 200;
const ARRIVALS = Number(process.env.BENCH_ARRIVALS ?? 20);
/** Pause between one new card appearing and the next proposal arriving. */
const ARRIVAL_GAP_MS = 2000;
/** These arrivals are strong candidates: they enter the job's top 3 and push a card out of it. */
const STRONG = new Set([4, 9, 14, 19]);
/** How long the stress phase (a new lowest bid: every card's price fit moves) is watched. */
const STRESS_MS = process.env.BENCH_STRESS === '0' ? 0 : 60_000;
/** A vote on a random older card about this often (±50 %) while proposals arrive: a busy team, ~20 a minute. */
const VOTE_EVERY_MS = 3000;
const CHANNEL = 'C0BENCH';
const SIGNING_SECRET = 'bench-signing-secret';
const WEBHOOK_SECRET = `whsec_${'b'.repeat(48)}`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Deterministic choices, so runs are comparable. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

function proposalIdOf(call: RecordedCall): string | undefined {
  const metadata = call.args.metadata as { event_payload?: { proposal_id?: unknown } } | undefined;
  const id = metadata?.event_payload?.proposal_id;
  return typeof id === 'string' ? id : undefined;
}

function maxInWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end += 1) {
    while (sorted[end]! - sorted[start]! >= windowMs) start += 1;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** The hiring loop watching (busy-hiring): shortlists posted of the job (their top N) and Home tabs opened. */
const HIRING = { shortlistTops: [3, 5, 8], homeOpeners: 5, finalistVoteShare: 1 / 3 };

/** CPU seconds a process has used so far (Linux /proc; null elsewhere). */
async function cpuSecondsOf(pid: number | undefined): Promise<number | null> {
  if (pid === undefined) return null;
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime, fields 14 and 15 of stat (11 and 12 after the command name), in clock ticks (100 a second).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

export function benchBusyHiring(): Promise<string[]> {
  return benchBusy({ hiring: true });
}

export async function benchBusy({ hiring = false }: { hiring?: boolean } = {}): Promise<string[]> {
  const servers = await startExternalServers();
  const slack = await startSlackStandIn({ port: 0 });
  slack.addChannel(CHANNEL, 'hiring');
  const dataDir = await mkdtemp(join(tmpdir(), 'hiring-bench-busy-'));
  const jobId = servers.ids.jobs.spanish;
  const env = {
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.url,
    OT_API_TOKEN: 'ot_pat_sandbox_owner',
    OT_API_BASE_URL: servers.sandboxUrl,
    HIRING_CHANNEL: CHANNEL,
    OT_JOB_IDS: jobId,
    OT_WEBHOOK_SECRET: WEBHOOK_SECRET,
    DATA_FILE: join(dataDir, 'hiring-bot.json'),
    SYNC_INTERVAL_SECONDS: '3600',
    LOG_LEVEL: 'error',
  };
  try {
    // Set-up, not measured: the job's 200 cards posted by a bot in this process with the rate limits off (in the bot
    // and in the stand-in).
    slack.setRateLimits('off');
    await knob(servers, '/proposals', { jobId, count: CARDS });
    const parsed = parseConfig(env);
    if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
    const setup = await createApp(
      { ...parsed.config, port: 0 },
      { logger: createLogger(LogLevel.ERROR, () => {}), postIntervalMs: 0, autoSync: false },
    );
    await setup.start();
    await setup.ctx.sync.runOnce();
    await setup.idle();
    await setup.stop();
    const cards = slack
      .messages(CHANNEL)
      .filter((m) => m.metadata?.event_type === 'opentrain_proposal')
      .map((m) => ({ proposalId: String(m.metadata!.event_payload.proposal_id), ts: m.ts }));
    if (cards.length < CARDS) throw new Error(`set-up posted ${cards.length} cards, expected ${CARDS}`);

    // The bot as `npm start` runs it, the webhook doorbell on; the stand-in enforces Slack's limits from here on.
    slack.setRateLimits('slack');
    const bot = await spawnBot(env);
    try {
      const healthz = `http://127.0.0.1:${bot.port}/healthz`;
      for (
        let i = 0;
        i < 200 &&
        !(await fetch(healthz).then(
          (r) => r.ok,
          () => false,
        ));
        i += 1
      )
        await sleep(100);
      await knob(servers, '/webhooks', {
        url: `http://127.0.0.1:${bot.port}/opentrain/webhook`,
        secret: WEBHOOK_SECRET,
        eventTypes: ['proposal.received', 'proposal.status_changed', 'message.received'],
      });
      const sender = new SlackRequestSender({
        appUrl: `http://127.0.0.1:${bot.port}/slack/events`,
        signingSecret: SIGNING_SECRET,
        standIn: slack,
      });
      const random = seeded(42);

      const arrive = async (init: Record<string, unknown> = {}) => {
        const sentAt = Date.now();
        const { proposalId } = (await knob(servers, '/proposals', { jobId, ...init })) as { proposalId: string };
        const post = await slack.waitFor(
          () => slack.calls.find((c) => c.method === 'chat.postMessage' && c.ok && proposalIdOf(c) === proposalId),
          600_000,
        );
        // The card as posted says whether it entered the job's top 3.
        const top3 = JSON.stringify(post.args.blocks).includes('top 3 in this job');
        return { proposalId, ms: post.at - sentAt, postedAt: post.at, top3 };
      };

      // The hiring loop watching: shortlists posted in the job's channel, Home tabs opened (set-up, not measured).
      const finalists: { proposalId: string; ts: string }[] = [];
      if (hiring) {
        for (const top of HIRING.shortlistTops) {
          const before = slack.calls.length;
          await sender.command(`shortlist ${jobId} top ${top}`, { userId: 'U0LEAD', channelId: CHANNEL });
          const post = await slack.waitFor(
            () =>
              slack.calls
                .slice(before)
                .find(
                  (c) =>
                    c.method === 'chat.postMessage' &&
                    c.ok &&
                    (c.args.metadata as { event_type?: string } | undefined)?.event_type === SHORTLIST_EVENT_TYPE,
                ),
            30_000,
          );
          const shown = JSON.stringify(post.args.blocks);
          for (const card of cards) {
            if (shown.includes(card.proposalId) && !finalists.some((f) => f.proposalId === card.proposalId))
              finalists.push(card);
          }
        }
        if (finalists.length === 0) throw new Error('the shortlists name no finalist with a card');
        for (let i = 0; i < HIRING.homeOpeners; i += 1) {
          const userId = `U0HOME${String(i).padStart(4, '0')}`;
          await sender.appHomeOpened(userId);
          await slack.waitFor(() => slack.calls.find((c) => c.method === 'views.publish' && c.args.user_id === userId));
        }
      }

      // Warm-up arrival (code paths compiled, connections open), then a quiet moment.
      await arrive();
      await sleep(3000);
      const measuredFrom = Date.now();
      const cpuFrom = await cpuSecondsOf(bot.child.pid);

      const votes: { ts: string; userId: string; sentAt: number }[] = [];
      let voting = true;
      const vote = async () => {
        for (let n = votes.length; voting; n += 1) {
          const toFinalist = hiring && random() < HIRING.finalistVoteShare;
          const pool = toFinalist ? finalists : cards;
          const card = pool[Math.floor(random() * pool.length)]!;
          const userId = `U0VOTE${String(n).padStart(4, '0')}`;
          const sentAt = Date.now();
          await sender.blockAction({
            actionId: 'vote_up',
            value: card.proposalId,
            userId,
            channelId: CHANNEL,
            messageTs: card.ts,
          });
          votes.push({ ts: card.ts, userId, sentAt });
          await sleep(VOTE_EVERY_MS * (0.5 + random()));
        }
      };
      let voter = vote();

      const arrivals: Awaited<ReturnType<typeof arrive>>[] = [];
      for (let i = 0; i < ARRIVALS; i += 1) {
        const strong = { interviewScore: 97 + (i % 3), matchScore: 97, bid: { amountUsd: 0.041, unit: 'PER_LABEL' } };
        arrivals.push(await arrive(STRONG.has(i) ? strong : {}));
        await sleep(ARRIVAL_GAP_MS);
      }
      voting = false;
      await voter;
      // Let the background refreshes drain: done when no chat.update came for 5 s (at most 3 minutes).
      const drainDeadline = Date.now() + 180_000;
      for (;;) {
        const last = slack.calls.findLast((c) => c.method === 'chat.update')?.at ?? 0;
        if (Date.now() - last > 5000 || Date.now() > drainDeadline) break;
        await sleep(500);
      }

      const measuredUntil = Date.now();
      const cpuUntil = await cpuSecondsOf(bot.child.pid);

      // Stress: one proposal with a new lowest bid moves every card's price fit, so ~200 scores change at once.
      const stressVotesFrom = votes.length;
      let stress: Awaited<ReturnType<typeof arrive>> | null = null;
      if (STRESS_MS > 0) {
        voting = true;
        voter = vote();
        stress = await arrive({ bid: { amountUsd: 0.001, unit: 'PER_LABEL' } });
        await sleep(STRESS_MS);
        voting = false;
        await voter;
      }

      const allUpdates = slack.calls.filter((c) => c.method === 'chat.update' && c.at >= measuredFrom);
      // A vote's update: the first edit of its card, after the click, that shows the voter.
      const voteUpdates = new Set<RecordedCall>();
      const voteMsOf = new Map<number, number>();
      votes.forEach((vote, index) => {
        const shown = allUpdates.find(
          (c) =>
            c.ok &&
            c.args.ts === vote.ts &&
            c.at >= vote.sentAt &&
            !voteUpdates.has(c) &&
            JSON.stringify(c.args.blocks).includes(vote.userId),
        );
        if (!shown) return;
        voteUpdates.add(shown);
        voteMsOf.set(index, shown.at - vote.sentAt);
      });
      const updates = allUpdates.filter((c) => c.at < measuredUntil);
      const voteMs = [...voteMsOf].filter(([i]) => i < stressVotesFrom).map(([, ms]) => ms);
      const stressVoteMs = [...voteMsOf].filter(([i]) => i >= stressVotesFrom).map(([, ms]) => ms);
      const refreshes = updates.filter((c) => !voteUpdates.has(c));
      const stressUpdates = allUpdates.filter((c) => stress !== null && c.at >= stress.postedAt);
      const perArrival = arrivals.map((arrival, i) => {
        const until = arrivals[i + 1]?.postedAt ?? Number.POSITIVE_INFINITY;
        return refreshes.filter((c) => c.at >= arrival.postedAt && c.at < until).length;
      });
      const limited = slack.calls.filter((c) => c.at >= measuredFrom && c.error === 'ratelimited').length;
      const cardMs = arrivals.map((a) => a.ms).sort((a, b) => a - b);
      voteMs.sort((a, b) => a - b);
      stressVoteMs.sort((a, b) => a - b);
      const mean = refreshes.length / arrivals.length;
      const lines = [
        `Busy job: ${CARDS} cards in one channel, ${ARRIVALS} proposals arriving one at a time (webhook doorbell), ` +
          `${stressVotesFrom} votes on older cards meanwhile, ${arrivals.filter((a) => a.top3).length} of the arrivals entering the top 3:`,
        row('webhook → new card in Slack, p50', seconds(percentile(cardMs, 50)), '—'),
        row('webhook → new card in Slack, p95', seconds(percentile(cardMs, 95)), '≤ 2 s'),
        row('vote → card shows it, p50', seconds(percentile(voteMs, 50)), '—'),
        row('vote → card shows it, p95', seconds(percentile(voteMs, 95)), '≤ 1.5 s'),
        row('votes shown on their card', `${voteMs.length} / ${stressVotesFrom}`, 'all'),
        row('chat.update per arrival (not votes), mean', mean.toFixed(2), '≤ 5'),
        row('chat.update per arrival (not votes), max', String(Math.max(...perArrival)), '—'),
        row(
          'peak chat.update in any minute (all)',
          String(
            maxInWindow(
              updates.map((c) => c.at),
              60_000,
            ),
          ),
          '≤ 50 (Tier 3)',
        ),
        row('Slack answers "ratelimited" (whole run)', String(limited), '0'),
        row(
          'bot CPU while proposals arrive',
          cpuFrom === null || cpuUntil === null
            ? 'n/a'
            : `${(cpuUntil - cpuFrom).toFixed(1)} s in ${((measuredUntil - measuredFrom) / 1000).toFixed(0)} s`,
          '—',
        ),
      ];
      if (hiring) {
        const inWindow = (method: string) =>
          slack.calls.filter((c) => c.method === method && c.at >= measuredFrom && c.at < measuredUntil);
        const shortlistTs = new Set(
          slack
            .messages(CHANNEL)
            .filter((m) => m.metadata?.event_type === SHORTLIST_EVENT_TYPE)
            .map((m) => m.ts),
        );
        const publishes = inWindow('views.publish');
        lines.push(
          `With the hiring loop watching: ${HIRING.shortlistTops.length} posted shortlists (${finalists.length} finalists, ` +
            `a third of the votes on them), ${HIRING.homeOpeners} recent App Home openers:`,
          row(
            'shortlist edits while proposals arrive',
            String(inWindow('chat.update').filter((c) => shortlistTs.has(String(c.args.ts))).length),
            '—',
          ),
          row(
            'views.publish: total / peak in any minute',
            `${publishes.length} / ${maxInWindow(
              publishes.map((c) => c.at),
              60_000,
            )}`,
            '≤ 90 a minute (budget)',
          ),
          row('chat.getPermalink calls', String(inWindow('chat.getPermalink').length), '—'),
        );
      }
      if (!stress) return lines;
      return [
        ...lines,
        `Then one proposal with a new lowest bid (every card's score moves), watched for ${STRESS_MS / 1000} s:`,
        row('webhook → its card in Slack', seconds(stress.ms), '≤ 2 s'),
        row('chat.update in that minute (all)', String(stressUpdates.length), '≤ 50 (Tier 3)'),
        row(
          'votes meanwhile: shown, p95',
          `${stressVoteMs.length} / ${votes.length - stressVotesFrom}, ${seconds(percentile(stressVoteMs, 95))}`,
          '≤ 1.5 s',
        ),
      ];
    } finally {
      bot.child.kill('SIGTERM');
      await bot.exited;
    }
  } finally {
    await Promise.allSettled([slack.close(), servers.stop()]);
    await rm(dataDir, { recursive: true, force: true });
  }
}
