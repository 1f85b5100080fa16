// 200 concurrent button clicks and slash commands against the app over HTTP while every OpenTrain call takes 2.5 s:
// how fast Slack gets its acknowledgement, and whether every action still completes correctly afterwards.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnBot } from '../src/sandbox/harness.js';
import { SlackRequestSender, type SlackWireRequest } from '../src/sandbox/slack/signed-requests.js';
import { startSlackStandIn } from '../src/sandbox/slack/standin.js';
import { knob, percentile, ROOT, row, startExternalServers } from './support.js';

const CONCURRENT = Number(process.env.BENCH_CONCURRENT ?? 200);
const OPENTRAIN_LATENCY_MS = 2500;

function text(node: unknown): string {
  return JSON.stringify(node ?? '');
}

const SIGNING_SECRET = 'bench-signing-secret';

export async function benchAck(): Promise<string[]> {
  const servers = await startExternalServers();
  // Rate limits off: the figures are the bot's acks and follow-up work, not Slack's limits.
  const slack = await startSlackStandIn({ port: 0, triggerTtlMs: 3000, rateLimits: 'off' });
  slack.addChannel('C0BENCH', 'bench');
  try {
    // The bot runs from its entry point in its own process: the load generator and the stand-in here don't share
    // its event loop, so the ack times are the bot's (plus loopback), as Slack would see them.
    const dataDir = await mkdtemp(join(tmpdir(), 'hiring-bench-ack-'));
    const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
    const bot = await spawnBot(
      {
        SLACK_BOT_TOKEN: 'xoxb-bench',
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: slack.url,
        OT_API_TOKEN: 'ot_pat_sandbox_owner',
        OT_API_BASE_URL: servers.sandboxUrl,
        HIRING_CHANNEL: 'C0BENCH',
        DATA_FILE: join(dataDir, 'hiring-bot.json'),
        SYNC_INTERVAL_SECONDS: '3600',
        LOG_LEVEL: 'error',
      },
      { nodeArgs: profile },
    );
    // The first run posts the backfilled cards, then its summary line; card ids ride in the card metadata.
    await slack.waitFor(
      () => slack.messages('C0BENCH').find((m) => /older unreviewed|posted below/.test(m.text ?? '')),
      30_000,
    );
    await slack.waitFor(() => slack.messages('C0BENCH').filter((m) => m.metadata).length >= 3, 30_000);
    const cards = slack
      .messages('C0BENCH')
      .filter((m) => m.metadata?.event_type === 'opentrain_proposal')
      .map((m) => ({ proposalId: String(m.metadata!.event_payload.proposal_id), ts: m.ts }));
    // Requests are built and signed here (trigger ids and response_urls come from the stand-in), then sent all at
    // once by bench/load.ts, so building them doesn't pace the burst.
    const wire: SlackWireRequest[] = [];
    const sender = new SlackRequestSender({
      appUrl: `http://127.0.0.1:${bot.port}/slack/events`,
      signingSecret: SIGNING_SECRET,
      standIn: slack,
      transport: async (request) => {
        wire.push(request);
        return { status: 0, text: '', contentType: '' };
      },
    });
    const jobTitle = (
      (await (
        await fetch(`${servers.sandboxUrl}/jobs/mine?limit=100`, {
          headers: { authorization: 'Bearer ot_pat_sandbox_owner' },
        })
      ).json()) as { jobs: { id: string; title: string }[] }
    ).jobs.find((job) => job.id === servers.ids.jobs.spanish)!.title;
    await knob(servers, '/latency', { ms: OPENTRAIN_LATENCY_MS });

    // What "completed correctly" means for each kind of request, checked against what reached Slack.
    const build = async (count: number, tag: string) => {
      wire.length = 0;
      const checks: (() => boolean)[] = [];
      for (let i = 0; i < count; i += 1) {
        const card = cards[i % cards.length]!;
        const userId = `U0${tag}${String(i).padStart(4, '0')}`;
        if (i % 4 < 2) {
          await sender.blockAction({
            actionId: i % 4 === 0 ? 'card_transcript' : 'card_profile',
            value: card.proposalId,
            userId,
            channelId: 'C0BENCH',
            messageTs: card.ts,
          });
          checks.push(() =>
            [...slack.views.values()].some(
              (v) => v.userId === userId && v.updates > 0 && !/Loading/.test(text(v.view)),
            ),
          );
        } else {
          const command =
            i % 4 === 2 ? `transcript ${servers.ids.proposals.spanishRecent}` : `proposals ${servers.ids.jobs.spanish}`;
          const expected = i % 4 === 2 ? 'Interviewer' : jobTitle;
          const { responseUrl } = await sender.command(command, { userId, channelId: 'C0BENCH' });
          const id = responseUrl?.split('/').pop();
          checks.push(() => slack.responses.some((r) => r.id === id && text(r.body).includes(expected)));
        }
      }
      return { requests: [...wire], checks };
    };
    const fire = (requests: SlackWireRequest[]) =>
      new Promise<{ status: number; ms: number }[]>((resolve, reject) => {
        const load = spawn(process.execPath, ['--import', 'tsx', 'bench/load.ts'], {
          cwd: ROOT,
          stdio: ['pipe', 'pipe', 'inherit'],
        });
        let out = '';
        load.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
        });
        load.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`load exited ${code}`))));
        load.stdin.end(JSON.stringify(requests));
      });
    const settle = async (answers: { status: number }[], checks: (() => boolean)[]) => {
      const done = (i: number) => answers[i]?.status === 200 && checks[i]!();
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline && !answers.every((_, i) => done(i))) await new Promise((r) => setTimeout(r, 100));
      return answers.filter((_, i) => done(i)).length;
    };

    // Warm-up: a running bot has its code paths compiled and its connections open; a cold first burst measures V8.
    const warmup = await build(40, 'WARM');
    await settle(await fire(warmup.requests), warmup.checks);

    const burst = await build(CONCURRENT, 'BENCH');
    const answers = await fire(burst.requests);
    // Every OpenTrain call now takes 2.5 s; wait for the follow-up work to finish.
    const completed = await settle(answers, burst.checks);
    const acks = answers.map((a) => a.ms).sort((a, b) => a - b);
    await knob(servers, '/latency', { ms: 0 });
    bot.child.kill('SIGTERM');
    await bot.exited;
    await rm(dataDir, { recursive: true, force: true });
    return [
      `${CONCURRENT} concurrent clicks and commands, OpenTrain slowed to ${OPENTRAIN_LATENCY_MS / 1000} s per call:`,
      row('time to Slack ack, p50', `${percentile(acks, 50).toFixed(1)} ms`, '—'),
      row('time to Slack ack, p99', `${percentile(acks, 99).toFixed(1)} ms`, '< 100 ms'),
      row('time to Slack ack, max', `${acks.at(-1)!.toFixed(1)} ms`, '< 3 s (Slack)'),
      row('completed correctly afterwards', `${((100 * completed) / CONCURRENT).toFixed(1)} %`, '100 %'),
    ];
  } finally {
    await Promise.allSettled([slack.close(), servers.stop()]);
  }
}
