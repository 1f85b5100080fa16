// 200 concurrent button clicks and slash commands against the app over HTTP while every OpenTrain call takes 2.5 s:
// how fast Slack gets its acknowledgement, and whether every action still completes correctly afterwards.
import { LogLevel } from '@slack/bolt';
import { createApp } from '../src/app.js';
import { createLogger } from '../src/logger.js';
import { SlackRequestSender } from '../src/sandbox/slack/signed-requests.js';
import { startSlackStandIn } from '../src/sandbox/slack/standin.js';
import { benchConfig, knob, percentile, row, startExternalServers } from './support.js';

const CONCURRENT = 200;
const OPENTRAIN_LATENCY_MS = 2500;

function text(node: unknown): string {
  return JSON.stringify(node ?? '');
}

export async function benchAck(): Promise<string[]> {
  const servers = await startExternalServers();
  const slack = await startSlackStandIn({ port: 0, triggerTtlMs: 3000 });
  try {
    const config = await benchConfig({ sandboxUrl: servers.sandboxUrl, slackUrl: slack.url });
    const bot = await createApp(config, {
      logger: createLogger(LogLevel.ERROR, () => {}),
      postIntervalMs: 0,
      autoSync: false,
    });
    await bot.start();
    await bot.ctx.sync.runOnce();
    await bot.idle();
    const cards = Object.values(bot.ctx.store.data.proposals).filter((p) => p.card?.ts);
    if (cards.length === 0) throw new Error('no cards were posted by the first sync');
    const sender = new SlackRequestSender({
      appUrl: `http://127.0.0.1:${bot.port}/slack/events`,
      signingSecret: config.slack.signingSecret!,
      standIn: slack,
    });
    await knob(servers, '/latency', { ms: OPENTRAIN_LATENCY_MS });

    type Outcome = { ackMs: number; done: () => boolean };
    const jobTitle = bot.ctx.store.data.jobs[servers.ids.jobs.spanish]?.title ?? '';
    const actions = Array.from({ length: CONCURRENT }, (_, i) => async (): Promise<Outcome> => {
      const stored = cards[i % cards.length]!;
      const userId = `U0BENCH${String(i).padStart(4, '0')}`;
      const started = performance.now();
      switch (i % 4) {
        case 0:
        case 1: {
          const actionId = i % 4 === 0 ? 'card_transcript' : 'card_profile';
          const result = await sender.blockAction({
            actionId,
            value: stored.proposal.id,
            userId,
            channelId: stored.card!.channel,
            messageTs: stored.card!.ts!,
          });
          const ackMs = performance.now() - started;
          return {
            ackMs,
            done: () =>
              result.status === 200 &&
              [...slack.views.values()].some(
                (v) => v.userId === userId && v.updates > 0 && !/Loading/.test(text(v.view)),
              ),
          };
        }
        case 2: {
          const result = await sender.command(`transcript ${servers.ids.proposals.spanishRecent}`, {
            userId,
            channelId: 'C0BENCH',
          });
          const ackMs = performance.now() - started;
          const id = result.responseUrl?.split('/').pop();
          return {
            ackMs,
            done: () =>
              result.status === 200 && slack.responses.some((r) => r.id === id && /Interviewer/.test(text(r.body))),
          };
        }
        default: {
          const result = await sender.command(`proposals ${servers.ids.jobs.spanish}`, {
            userId,
            channelId: 'C0BENCH',
          });
          const ackMs = performance.now() - started;
          const id = result.responseUrl?.split('/').pop();
          return {
            ackMs,
            done: () =>
              result.status === 200 && slack.responses.some((r) => r.id === id && text(r.body).includes(jobTitle)),
          };
        }
      }
    });

    const outcomes = await Promise.all(actions.map((run) => run()));
    // Every OpenTrain call now takes 2.5 s; wait for the follow-up work to finish.
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && !outcomes.every((o) => o.done())) await new Promise((r) => setTimeout(r, 100));
    await bot.idle();
    const completed = outcomes.filter((o) => o.done()).length;
    const acks = outcomes.map((o) => o.ackMs).sort((a, b) => a - b);
    await knob(servers, '/latency', { ms: 0 });
    await bot.stop();
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
