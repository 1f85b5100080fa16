import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type BotProcess,
  HARNESS_CHANNEL,
  HARNESS_SIGNING_SECRET,
  harnessEnv,
  spawnBot,
  startHarness,
  startHarnessSlack,
} from '../../src/sandbox/harness.js';
import { type OpenTrainSandbox, startOpenTrainSandbox } from '../../src/sandbox/opentrain/index.js';
import { SlackRequestSender } from '../../src/sandbox/slack/signed-requests.js';
import type { SlackStandIn } from '../../src/sandbox/slack/standin.js';
import { decodeStore } from '../../src/store/index.js';
import { cardsIn } from '../helpers/slack-text.js';

describe('the bot as a real process: crash and shutdown', () => {
  let sandbox: OpenTrainSandbox | undefined;
  let slack: SlackStandIn | undefined;
  let bot: BotProcess | undefined;
  let dataDir: string | undefined;

  afterEach(async () => {
    bot?.child.kill('SIGKILL');
    await Promise.allSettled([sandbox?.close(), slack?.close()]);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  /** Sandbox, stand-in and `npm start` in a child process (so it can really be killed or signalled). */
  async function startBotProcess(prefix: string, extraEnv: Record<string, string>, stderr: 'inherit' | 'pipe') {
    sandbox = await startOpenTrainSandbox({ port: 0 });
    slack = await startHarnessSlack();
    dataDir = await mkdtemp(join(tmpdir(), prefix));
    const env = { ...harnessEnv(sandbox, slack, dataDir), LOG_LEVEL: 'error', ...extraEnv };
    bot = await spawnBot(env, { stderr });
    return { sandbox, slack, bot, env };
  }

  it('a process killed between posting a card and saving its ts does not post the card again on restart', async () => {
    const { sandbox, slack, bot, env } = await startBotProcess(
      'hiring-bot-crash-',
      { SYNC_INTERVAL_SECONDS: '1' },
      'pipe',
    );
    const withStderr = (error: unknown) => {
      throw new Error(`${String(error)}\nchild output:\n${bot.output()}`);
    };
    // Let the first run finish posting its backfill (paced one card a second, as in production).
    const ours = (jobId: string) => sandbox.state.jobs.get(jobId)?.organizationId === sandbox.ids.organizationId;
    const backfilled = [...sandbox.state.proposals.values()].filter(
      (p) =>
        ours(p.jobId) &&
        sandbox.state.jobs.get(p.jobId)?.status === 'OPEN' &&
        p.status === 'UNREVIEWED' &&
        Date.parse(p.createdAt) >= Date.now() - 24 * 3600_000,
    ).length;
    await slack.waitFor(() => cardsIn(slack.messages(HARNESS_CHANNEL)).length === backfilled, 20_000).catch(withStderr);

    // Now Slack carries out chat.postMessage at once but answers only after 30 s: the new card exists in the channel,
    // its ts never reaches the bot, which is killed in that window.
    slack.setAnswerDelay('chat.postMessage', 30_000);
    const { proposalId } = sandbox.addProposal(sandbox.ids.jobs.spanish);
    const firstCard = await slack
      .waitFor(
        () =>
          cardsIn(slack.messages(HARNESS_CHANNEL)).find((m) => m.metadata?.event_payload.proposal_id === proposalId),
        15_000,
      )
      .catch(withStderr);
    bot.child.kill('SIGKILL');
    await bot.exited;

    // On disk: the intent (written before posting), no ts.
    const saved = decodeStore(await readFile(env.DATA_FILE, 'utf8'));
    expect(saved.proposals[proposalId]?.card).toMatchObject({ state: 'intent', ts: null });

    // Restart in-process on the same data file: the open intent is found in channel history, not re-posted.
    slack.setAnswerDelay('chat.postMessage', 0);
    const h = await startHarness({ sandbox, slack, dataDir: dataDir! });
    try {
      await h.bot.ctx.sync.runOnce();
      await h.bot.idle();
      const cards = cardsIn(slack.messages(HARNESS_CHANNEL));
      const forProposal = cards.filter((m) => m.metadata?.event_payload.proposal_id === proposalId);
      expect(forProposal).toHaveLength(1);
      expect(h.bot.ctx.store.data.proposals[proposalId]?.card).toMatchObject({ state: 'posted', ts: firstCard.ts });
      // And every other backfilled proposal has exactly one card too.
      const ids = cards.map((m) => m.metadata?.event_payload.proposal_id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toHaveLength(backfilled + 1);
      const intents = Object.values(h.bot.ctx.store.data.proposals).filter((p) => p.card?.state === 'intent');
      expect(intents).toHaveLength(0);
    } finally {
      await h.bot.stop();
    }
  }, 60_000);

  it('SIGTERM right after a vote exits 0 with the vote on disk (the store is flushed, not left to its timer)', async () => {
    const { slack, bot, env } = await startBotProcess(
      'hiring-bot-sigterm-',
      { SYNC_INTERVAL_SECONDS: '3600' },
      'inherit',
    );
    const card = await slack.waitFor(() => cardsIn(slack.messages(HARNESS_CHANNEL))[0], 15_000);
    const proposalId = card.metadata?.event_payload.proposal_id as string;

    const sender = new SlackRequestSender({
      appUrl: `http://127.0.0.1:${bot.port}/slack/events`,
      signingSecret: HARNESS_SIGNING_SECRET,
      standIn: slack,
    });
    const click = await sender.blockAction({
      actionId: 'vote_up',
      value: proposalId,
      userId: 'U0SHUTDOWN',
      channelId: HARNESS_CHANNEL,
      messageTs: card.ts,
    });
    expect(click.status).toBe(200);
    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);

    const saved = decodeStore(await readFile(env.DATA_FILE, 'utf8'));
    expect(saved.proposals[proposalId]?.votes).toEqual({ U0SHUTDOWN: 'up' });
  }, 30_000);
});
