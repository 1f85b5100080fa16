import { afterEach, describe, expect, it } from 'vitest';
import { HARNESS_CHANNEL, type Harness, type HarnessOptions, startHarness } from '../../src/sandbox/harness.js';
import { startOpenTrainSandbox } from '../../src/sandbox/opentrain/index.js';
import type { StoredSlackMessage } from '../../src/sandbox/slack/standin.js';
import { cardFor, cardsIn, visibleText } from '../helpers/slack-text.js';

// The daily digest end to end: OpenTrain sandbox → sync → cards in the Slack stand-in → digest posted by the real app.
// Time is fixed (app and sandbox share one clock) so "the last 24 h" and the header date are exact.

const NOW = new Date('2026-11-23T12:30:00Z'); // Monday 12:30 UTC = Tuesday 01:30 in Auckland (NZDT, UTC+13)
const HOUR = 3600_000;
const MEDICAL_CHANNEL = 'C0MEDICAL';
const REVIEWER = 'U0REVIEWER';

/** The harness the running test started; closed after each test. */
let harness: Harness | undefined;

interface World {
  h: Harness;
  setNow(date: Date): void;
  ids: Record<'ana' | 'bruno' | 'chen' | 'dara' | 'emil' | 'olga', string>;
}

async function startWorld(env: HarnessOptions['env'] = {}): Promise<World> {
  let now = NOW;
  const clock = () => now;
  const sandbox = await startOpenTrainSandbox({ port: 0, seed: false, now: clock, webhookRetryDelaysMs: [50] });
  const h = await startHarness({ sandbox, env, deps: { clock } });
  harness = h;
  return { h, setNow: (date) => (now = date), ids: await seedProposals(h) };
}

/**
 * Spanish job (cards in HARNESS_CHANNEL): five candidates, four of them new in the last 24 h. Medical job (cards in
 * MEDICAL_CHANNEL): one candidate from two days ago, so that channel has nothing new.
 */
async function seedProposals(h: Harness): Promise<World['ids']> {
  const { spanish, medical } = h.sandbox.ids.jobs;
  // Public channels; the bot was never invited to the medical one (it joins when a job is routed there).
  h.slack.addChannel(MEDICAL_CHANNEL, 'medical', { botIsMember: false });
  h.slack.addChannel('C0RANDOM', 'random');
  await h.bot.ctx.sync.runOnce();
  const watch = await h.sender.command(`watch ${medical} <#${MEDICAL_CHANNEL}|medical>`, {
    userId: REVIEWER,
    channelId: HARNESS_CHANNEL,
  });
  expect(watch.status).toBe(200);
  await h.bot.idle();
  expect(h.bot.ctx.store.data.jobs[medical]?.channelId).toBe(MEDICAL_CHANNEL);

  const add = (jobId: string, name: string, hoursAgo: number, interview: number, match: number) => {
    const [first, initial] = name.split(' ') as [string, string];
    return h.sandbox.addProposal(jobId, {
      createdAt: new Date(NOW.getTime() - hoursAgo * HOUR),
      interviewScore: interview,
      matchScore: match,
      bid: { amountUsd: 0.05, unit: 'PER_LABEL' },
      candidate: { displayName: name, firstName: first, lastNameInitial: initial.replace('.', '') },
    }).proposalId;
  };
  // Same bids, so price fit is 100 for all: Ana 94.5 · Bruno 85.5 · Chen 71 · Emil 60 · Dara 55.
  const ids = {
    emil: add(spanish, 'Emil E.', 30, 50, 50),
    dara: add(spanish, 'Dara D.', 20, 40, 50),
    chen: add(spanish, 'Chen C.', 10, 60, 70),
    bruno: add(spanish, 'Bruno B.', 5, 80, 85),
    ana: add(spanish, 'Ana A.', 2, 95, 90),
    olga: add(medical, 'Olga O.', 48, 90, 90),
  };
  h.sandbox.setProposalStatus(ids.emil, 'SHORTLISTED');
  await h.bot.ctx.sync.runOnce();
  await h.bot.idle();
  for (const id of Object.values(ids)) {
    const channel = id === ids.olga ? MEDICAL_CHANNEL : HARNESS_CHANNEL;
    expect(cardFor(h.slack.messages(channel), id), `card for ${id}`).toBeDefined();
  }

  // The team splits on Bruno: one 👍, one 👎 (real button clicks on his card).
  const brunoCard = cardFor(h.slack.messages(HARNESS_CHANNEL), ids.bruno)!;
  for (const [userId, actionId] of [
    ['U0ANNA', 'vote_up'],
    ['U0BOB', 'vote_down'],
  ] as const) {
    const click = await h.sender.blockAction({
      actionId,
      value: ids.bruno,
      userId,
      channelId: HARNESS_CHANNEL,
      messageTs: brunoCard.ts,
    });
    expect(click.status).toBe(200);
  }
  await h.bot.idle();

  // Chen wrote back twice and we haven't answered: the state the conversation relay keeps for her card.
  h.bot.ctx.store.change((data) => {
    data.proposals[ids.chen]!.conversation = {
      id: 'conv_chen',
      openedBy: REVIEWER,
      openedAt: new Date(NOW.getTime() - 8 * HOUR).toISOString(),
      relayedIds: ['msg_1', 'msg_2'],
      lastSeenMessageId: 'msg_2',
      unread: 2,
      awaitingReply: true,
      lastInboundAt: new Date(NOW.getTime() - 3 * HOUR).toISOString(),
    };
  });
  return ids;
}

function digestsIn(h: Harness, channel: string): StoredSlackMessage[] {
  return h.slack.messages(channel).filter((m) => /Daily hiring digest/.test(m.text ?? ''));
}

function permalinkOf(h: Harness, proposalId: string): string {
  const card = cardFor(h.slack.messages(HARNESS_CHANNEL), proposalId)!;
  return `https://${h.slack.identity.teamDomain}.slack.com/archives/${HARNESS_CHANNEL}/p${card.ts.replace('.', '')}`;
}

describe('daily digest (end to end)', () => {
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('the scheduled run posts the ranking, counts and card links per watched channel and skips a quiet one', async () => {
    const { h, ids } = await startWorld();

    const result = await h.bot.ctx.digest.runScheduled();
    await h.bot.idle();
    expect(result).toEqual({ outcome: 'ran', posted: [HARNESS_CHANNEL], quiet: [MEDICAL_CHANNEL], failed: [] });

    const [digest, ...more] = digestsIn(h, HARNESS_CHANNEL);
    expect(more).toHaveLength(0);
    expect(digestsIn(h, MEDICAL_CHANNEL)).toHaveLength(0);
    const text = visibleText(digest);
    expect(text).toContain('Daily hiring digest — Monday 23 November 2026');
    expect(text).toContain('Spanish Sentiment Labeling');
    expect(text).not.toContain('Medical Image Annotation');
    expect(text).toContain('4 new proposals in the last 24 h · 4 unreviewed');

    const top = text.slice(text.indexOf('*Top candidates*'));
    const line = (rank: number, id: string, name: string, score: number) =>
      `${rank}. <${permalinkOf(h, id)}|${name}> — ${score}/100`;
    expect(top).toContain(line(1, ids.ana, 'Ana A.', 95)); // 94.5 shown rounded
    expect(top).toContain(line(2, ids.bruno, 'Bruno B.', 86)); // 85.5
    expect(top).toContain(line(3, ids.chen, 'Chen C.', 71));
    expect(top.indexOf('Ana A.')).toBeLessThan(top.indexOf('Bruno B.'));
    expect(top.indexOf('Bruno B.')).toBeLessThan(top.indexOf('Chen C.'));
    expect(top).not.toMatch(/4\. /);

    expect(text).toContain(`*Awaiting our reply*\n• <${permalinkOf(h, ids.chen)}|Chen C.> — 2 messages to answer`);
    expect(text).toContain(`*Split votes*\n• <${permalinkOf(h, ids.bruno)}|Bruno B.> — 👍 1 · 👎 1 · 🤔 0`);
    // The permalinks came from Slack itself.
    expect(h.slack.callsTo('chat.getPermalink').length).toBeGreaterThanOrEqual(5);
  });

  it('does not post twice when the schedule fires again within a minute, and skips every channel once nothing is new', async () => {
    const { h, setNow } = await startWorld();
    await h.bot.ctx.digest.runScheduled();
    expect(await h.bot.ctx.digest.runScheduled()).toMatchObject({ outcome: 'skipped', reason: 'ran-recently' });
    await h.bot.idle();
    expect(digestsIn(h, HARNESS_CHANNEL)).toHaveLength(1);

    // The next morning: every proposal is now older than 24 h and Chen's message too.
    setNow(new Date(NOW.getTime() + 24 * HOUR));
    const nextDay = await h.bot.ctx.digest.runScheduled();
    await h.bot.idle();
    expect(nextDay).toMatchObject({ outcome: 'ran', posted: [], failed: [] });
    expect(nextDay.outcome === 'ran' && [...nextDay.quiet].sort()).toEqual([HARNESS_CHANNEL, MEDICAL_CHANNEL].sort());
    expect(digestsIn(h, HARNESS_CHANNEL)).toHaveLength(1);
    expect(digestsIn(h, MEDICAL_CHANNEL)).toHaveLength(0);
  });

  it('fires from the real cron schedule (every second), once', async () => {
    const { h } = await startWorld();
    // DIGEST_CRON takes five fields (the configuration refuses a seconds field); the service runs any node-cron
    // expression, so the test reschedules it for every second to see the real scheduler fire.
    h.bot.ctx.digest.start('* * * * * *');
    const started = Date.now();
    const digest = await h.slack.waitFor(() => digestsIn(h, HARNESS_CHANNEL)[0], 2500);
    expect(Date.now() - started).toBeLessThan(2500);
    expect(visibleText(digest)).toContain('1. <');
    expect(visibleText(digest)).toContain('|Ana A.> — 95/100');

    // Later seconds of the schedule hit the one-minute guard: still exactly one digest.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(digestsIn(h, HARNESS_CHANNEL)).toHaveLength(1);
    expect(h.bot.ctx.store.data.digest.lastRunAt).toBe(NOW.toISOString());
  });

  it('formats the date in DIGEST_TIMEZONE', async () => {
    const { h } = await startWorld({ DIGEST_TIMEZONE: 'Pacific/Auckland' });
    await h.bot.ctx.digest.runScheduled();
    await h.bot.idle();
    const text = visibleText(digestsIn(h, HARNESS_CHANNEL)[0]);
    // 12:30 UTC on Monday is already 01:30 on Tuesday in Auckland.
    expect(text).toContain('Daily hiring digest — Tuesday 24 November 2026');
    expect(text).not.toContain('Monday');
  });

  it('/hiring digest posts to the current channel now, covering the jobs whose cards go there', async () => {
    const { h } = await startWorld();

    // The medical channel has nothing new, but its candidate is still unreviewed: asked for, it is reported.
    const asked = await h.sender.command('digest', { userId: 'U0INTERN', channelId: MEDICAL_CHANNEL });
    expect(asked.status).toBe(200);
    await h.bot.idle();
    const [medicalDigest] = digestsIn(h, MEDICAL_CHANNEL);
    const medicalText = visibleText(medicalDigest);
    expect(medicalText).toContain('Medical Image Annotation');
    expect(medicalText).toContain('0 new proposals in the last 24 h · 1 unreviewed');
    expect(medicalText).toContain('|Olga O.> — 92/100'); // only bid of its job: 45 + 27 + 20
    expect(medicalText).not.toContain('Spanish Sentiment');
    expect(digestsIn(h, HARNESS_CHANNEL)).toHaveLength(0);
    // On demand doesn't count as the scheduled run.
    expect(h.bot.ctx.store.data.digest.lastRunAt).toBeNull();

    // A channel no watched job posts to gets an explanation, only for the person who asked.
    const elsewhere = await h.sender.command('digest', { userId: 'U0INTERN', channelId: 'C0RANDOM' });
    await h.bot.idle();
    const reply = await h.slack.waitFor(
      () => h.slack.responses.find((r) => r.id === elsewhere.responseUrl?.split('/').pop())?.body,
      4000,
    );
    expect(reply).toMatchObject({ response_type: 'ephemeral' });
    expect(String(reply.text)).toContain('No watched job posts its cards in this channel');
    expect(h.slack.messages('C0RANDOM')).toHaveLength(0);
  });

  it("/hiring digest says there is nothing to report when the channel's jobs are quiet", async () => {
    const sandbox = await startOpenTrainSandbox({ port: 0, seed: false, now: () => NOW });
    const h = await startHarness({ sandbox, deps: { clock: () => NOW } });
    harness = h;
    await h.bot.ctx.sync.runOnce();
    const asked = await h.sender.command('digest', { userId: 'U0INTERN', channelId: HARNESS_CHANNEL });
    await h.bot.idle();
    const reply = await h.slack.waitFor(
      () => h.slack.responses.find((r) => r.id === asked.responseUrl?.split('/').pop())?.body,
      4000,
    );
    expect(reply).toMatchObject({ response_type: 'ephemeral' });
    expect(String(reply.text)).toMatch(/^Nothing to report for \*.+\*/);
    expect(digestsIn(h, HARNESS_CHANNEL)).toHaveLength(0);
    expect(cardsIn(h.slack.messages(HARNESS_CHANNEL))).toHaveLength(0);
  });
});
