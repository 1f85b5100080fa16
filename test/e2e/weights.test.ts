import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { HARNESS_CHANNEL, type Harness, type HarnessOptions, startHarness } from '../../src/sandbox/harness.js';
import { startOpenTrainSandbox } from '../../src/sandbox/opentrain/index.js';
import { decodeStore } from '../../src/store/index.js';
import { cardFor, visibleText } from '../helpers/slack-text.js';

// Ranking on the cards and `/hiring weights`, end to end: sandbox OpenTrain → sync → cards in the Slack stand-in,
// commands sent as signed Slack requests to the real app.

const REVIEWER = 'U0REVIEWER';

/** What the person who typed the command sees: the ack body, else the response_url reply. */
async function answerTo(h: Harness, text: string, userId = REVIEWER) {
  const result = await h.sender.command(text, { userId, channelId: HARNESS_CHANNEL });
  expect(result.status).toBe(200);
  const fromAck = result.json as { text?: string; response_type?: string } | null;
  if (fromAck?.text) return { ...fromAck, text: visibleText(fromAck) };
  const reply = await h.slack.waitFor(
    () => h.slack.responses.find((r) => r.id === result.responseUrl?.split('/').pop())?.body,
    4000,
  );
  await h.bot.idle();
  return { ...(reply as { response_type?: string }), text: visibleText(reply as { text?: string }) };
}

/** The "Rank score" field as the card shows it, e.g. "86/100 · 🏅 top 3 in this job" or "40/100". */
function rankShown(h: Harness, proposalId: string): string {
  const text = visibleText(cardFor(h.slack.messages(HARNESS_CHANNEL), proposalId));
  return /\*Rank score\*\n([^\n"]*)/.exec(text)?.[1] ?? `(no rank on the card: ${text})`;
}

const TOP = ' · 🏅 top 3 in this job';

async function storedOnDisk(h: Harness) {
  return decodeStore(await readFile(h.config.dataFile, 'utf8'));
}

let harness: Harness | undefined;

/** A harness on an empty sandbox (jobs only) after the first sync. */
async function start(env: HarnessOptions['env'] = {}): Promise<Harness> {
  const sandbox = await startOpenTrainSandbox({ port: 0, seed: false });
  const h = await startHarness({ sandbox, env });
  harness = h;
  await h.bot.ctx.sync.runOnce();
  return h;
}

/** Two Spanish-job candidates: a strong interviewer with a dear bid, and a cheaper one with a weaker interview. */
async function twoCandidates(h: Harness) {
  const { spanish } = h.sandbox.ids.jobs;
  const interviewer = h.sandbox.addProposal(spanish, {
    interviewScore: 95,
    matchScore: 80,
    bid: { amountUsd: 0.09, unit: 'PER_LABEL' },
    candidate: { displayName: 'Ines I.', firstName: 'Ines', lastNameInitial: 'I' },
  }).proposalId;
  const cheap = h.sandbox.addProposal(spanish, {
    interviewScore: 60,
    matchScore: 60,
    bid: { amountUsd: 0.03, unit: 'PER_LABEL' },
    candidate: { displayName: 'Carl C.', firstName: 'Carl', lastNameInitial: 'C' },
  }).proposalId;
  await h.bot.ctx.sync.runOnce();
  await h.bot.idle();
  return { interviewer, cheap };
}

describe('ranking on the cards (end to end)', () => {
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('edits a posted card only when what it shows changes: when it leaves the top 3', async () => {
    const h = await start();
    const { spanish } = h.sandbox.ids.jobs;
    const first = h.sandbox.addProposal(spanish, {
      interviewScore: 70,
      matchScore: 70,
      bid: { amountUsd: 30, unit: 'PER_HOUR' },
    }).proposalId;
    await h.bot.ctx.sync.runOnce();
    await h.bot.idle();
    const card = cardFor(h.slack.messages(HARNESS_CHANNEL), first)!;
    // Only bid of its unit: price fit 100 → 0.5·70 + 0.3·70 + 0.2·100 = 76.
    expect(rankShown(h, first)).toBe(`76/100${TOP}`);

    // Better candidates with per-label bids: compared with no hourly bid, so the first card's price fit stays 100.
    const better = [1, 2].map(
      () =>
        h.sandbox.addProposal(spanish, {
          interviewScore: 90,
          matchScore: 85,
          bid: { amountUsd: 0.05, unit: 'PER_LABEL' },
        }).proposalId,
    );
    h.slack.clearCalls();
    await h.bot.ctx.sync.runOnce();
    await h.bot.idle();
    // Now third of three: its card reads the same, so it is not edited.
    expect(h.slack.callsTo('chat.update').filter((call) => call.ts === card.ts)).toHaveLength(0);
    expect(rankShown(h, better[0]!)).toBe(`91/100${TOP}`); // 45 + 25.5 + 20 = 90.5

    h.sandbox.addProposal(spanish, { interviewScore: 95, matchScore: 90, bid: { amountUsd: 0.05, unit: 'PER_LABEL' } });
    await h.bot.ctx.sync.runOnce();
    await h.bot.idle();
    // Fourth: out of the top 3. One edit, and the card says so.
    expect(h.slack.callsTo('chat.update').filter((call) => call.ts === card.ts)).toHaveLength(1);
    expect(rankShown(h, first)).toBe('76/100');
    // Edited in place: the first proposal still has exactly one card.
    expect(
      h.slack.messages(HARNESS_CHANNEL).filter((m) => m.metadata?.event_payload.proposal_id === first),
    ).toHaveLength(1);
  });
});

describe('/hiring weights (end to end)', () => {
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('shows the weights in force to anyone: global defaults, a job, and per-job overrides', async () => {
    const h = await start({ REVIEWER_IDS: REVIEWER });
    const shown = await answerTo(h, 'weights', 'U0INTERN');
    expect(shown.response_type).toBe('ephemeral');
    expect(shown.text).toContain('interview 0.5 · match 0.3 · price 0.2 (50% / 30% / 20%) _(defaults)_');
    expect(shown.text).not.toContain('own weights');

    await answerTo(h, 'weights interview=1 match=0 price=0 medical');
    const medicalTitle = h.sandbox.state.jobs.get(h.sandbox.ids.jobs.medical)!.title;
    const overview = await answerTo(h, 'weights', 'U0INTERN');
    expect(overview.text).toContain('*Jobs with their own weights*');
    expect(overview.text).toContain(`• *${medicalTitle}* — interview 1 · match 0 · price 0 (100% / 0% / 0%)`);

    const forJob = await answerTo(h, 'WEIGHTS   Medical', 'U0INTERN');
    expect(forJob.text).toContain(`*${medicalTitle}* ranks with its own weights: interview 1 · match 0 · price 0`);
    const spanishTitle = h.sandbox.state.jobs.get(h.sandbox.ids.jobs.spanish)!.title;
    const forOther = await answerTo(h, `weights ${h.sandbox.ids.jobs.spanish}`, 'U0INTERN');
    expect(forOther.text).toContain(`*${spanishTitle}* ranks with the global weights: interview 0.5`);
  });

  it('sets global weights (merging a partial set), stores them and re-ranks the affected cards', async () => {
    const h = await start();
    const { interviewer, cheap } = await twoCandidates(h);
    // Defaults: Ines 47.5 + 24 + 0 = 71.5, Carl 30 + 18 + 20 = 68.
    expect(rankShown(h, interviewer)).toBe(`72/100${TOP}`);
    expect(rankShown(h, cheap)).toBe(`68/100${TOP}`);
    h.slack.clearCalls();

    // Only price changes; interview and match keep 0.5 / 0.3. Weights are rescaled: they needn't add up to 1.
    const set = await answerTo(h, 'weights price=2');
    expect(set.response_type).toBe('ephemeral');
    expect(set.text).toContain('are now interview 0.5 · match 0.3 · price 2');
    expect(set.text).toContain('Re-ranking the cards of 1 job.');
    expect(h.bot.ctx.store.data.globalWeights).toEqual({ interview: 0.5, match: 0.3, price: 2 });
    expect((await storedOnDisk(h)).globalWeights).toEqual({ interview: 0.5, match: 0.3, price: 2 });

    // Ines (47.5 + 24 + 0) / 2.8 = 25.9 → 26; Carl (30 + 18 + 200) / 2.8 = 88.6 → 89: the order flips on the cards.
    expect(rankShown(h, cheap)).toBe(`89/100${TOP}`);
    expect(rankShown(h, interviewer)).toBe(`26/100${TOP}`);
    const cardTs = [interviewer, cheap].map((id) => cardFor(h.slack.messages(HARNESS_CHANNEL), id)!.ts);
    const updated = h.slack.callsTo('chat.update').map((call) => call.ts);
    expect(updated).toEqual(expect.arrayContaining(cardTs));
  });

  it("sets one job's weights without touching the other jobs' cards", async () => {
    const h = await start();
    const { interviewer, cheap } = await twoCandidates(h);
    const olga = h.sandbox.addProposal(h.sandbox.ids.jobs.medical, { interviewScore: 80, matchScore: 80 }).proposalId;
    await h.bot.ctx.sync.runOnce();
    await h.bot.idle();
    const olgaTs = cardFor(h.slack.messages(HARNESS_CHANNEL), olga)!.ts;
    h.slack.clearCalls();

    const set = await answerTo(h, 'weights interview=0 match=0 spanish sentiment');
    expect(set.text).toContain('for *Spanish Sentiment Labeling');
    expect(set.text).toContain('are now interview 0 · match 0 · price 0.2');
    expect(h.bot.ctx.store.data.globalWeights).toBeNull();
    expect((await storedOnDisk(h)).jobs[h.sandbox.ids.jobs.spanish]?.weights).toEqual({
      interview: 0,
      match: 0,
      price: 0.2,
    });
    // Price only: Carl (cheapest) 100, Ines 0.
    expect(rankShown(h, cheap)).toBe(`100/100${TOP}`);
    expect(rankShown(h, interviewer)).toBe(`0/100${TOP}`);
    expect(h.slack.callsTo('chat.update').map((call) => call.ts)).not.toContain(olgaTs);

    // Reset: the job goes back to the global (default) weights, on disk and on the cards.
    const intern = await answerTo(h, 'weights reset spanish sentiment', 'U0INTERN');
    expect(intern.text).toContain('Spanish Sentiment Labeling');
    const reset = await answerTo(h, 'weights reset spanish sentiment');
    expect(reset.text).toContain('now uses the global weights (interview 0.5 · match 0.3 · price 0.2');
    expect((await storedOnDisk(h)).jobs[h.sandbox.ids.jobs.spanish]?.weights).toBeNull();
    await h.bot.idle();
    expect(rankShown(h, cheap)).not.toBe(`100/100${TOP}`);
  });

  it('refuses bad weights with a reason and changes nothing', async () => {
    const h = await start();
    for (const [input, reason] of [
      ['weights interview=-1', 'must be a number from 0 to 100 (got -1)'],
      ['weights interview=1e308 match=1e308 price=1e308', 'must be a number from 0 to 100 (got 1e+308)'],
      ['weights interview=101', 'any numbers from 0 to 100, not all 0'],
      ['weights __proto__=1', "I don't know the weight `__proto__`"],
      ['weights constructor=1', "I don't know the weight `constructor`"],
      ['weights __proto__=∞', "I don't know the weight `__proto__`"],
      ['weights toString=0.5', "I don't know the weight `toString`"],
      ['weights interview=0 match=0 price=0', 'At least one weight must be above 0'],
      ['weights speed=2', "I don't know the weight `speed`"],
      ['weights interview=lots', 'needs a number'],
    ] as const) {
      const answer = await answerTo(h, input);
      expect(answer.response_type, input).toBe('ephemeral');
      expect(answer.text, input).toContain(reason);
    }
    expect(h.bot.ctx.store.data.globalWeights).toBeNull();
    expect(Object.values(h.bot.ctx.store.data.jobs).every((j) => j.weights === null)).toBe(true);

    // A partial set merges with the weights in force: match=0 on top of interview 0 / price 0 leaves nothing.
    await answerTo(h, 'weights interview=0 match=1 price=0 medical');
    const merged = await answerTo(h, 'weights match=0 medical');
    expect(merged.text).toContain('At least one weight must be above 0');
    expect(merged.text).toContain('Nothing was changed');
    expect(h.bot.ctx.store.data.jobs[h.sandbox.ids.jobs.medical]?.weights).toEqual({
      interview: 0,
      match: 1,
      price: 0,
    });
  });

  it('lets only reviewers set weights, and says who may', async () => {
    const h = await start({ REVIEWER_IDS: `${REVIEWER},U0LEAD` });
    const refused = await answerTo(h, 'weights interview=1', 'U0INTERN');
    expect(refused.response_type).toBe('ephemeral');
    expect(refused.text).toContain('<@U0REVIEWER>');
    expect(refused.text).toContain('<@U0LEAD>');
    expect(refused.text).toMatch(/change the ranking weights/);
    expect(h.bot.ctx.store.data.globalWeights).toBeNull();
    // The refusal comes before any OpenTrain call for the job.
    const requestsBefore = h.sandbox.requests.length;
    await answerTo(h, 'weights interview=1 medical', 'U0INTERN');
    expect(h.sandbox.requests.length).toBe(requestsBefore);

    const allowed = await answerTo(h, 'weights interview=1', 'U0LEAD');
    expect(allowed.text).toContain('are now interview 1 · match 0.3 · price 0.2');
  });
});
