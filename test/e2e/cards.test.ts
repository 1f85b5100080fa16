import { afterEach, describe, expect, it } from 'vitest';
import { HARNESS_CHANNEL, type Harness, startHarness } from '../../src/sandbox/harness.js';
import { cardFor, cardsIn, visibleText } from '../helpers/slack-text.js';

const HOUR = 3600_000;

describe('proposal cards (end to end: sandbox OpenTrain → real app → Slack stand-in)', () => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  it('first run drains the ledger without posting history, then posts only recent unreviewed proposals of watched jobs with one summary line', async () => {
    h = await startHarness();
    const result = await h.bot.ctx.sync.runOnce();
    await h.bot.idle();

    const state = h.sandbox.state;
    const now = Date.now();
    const openJobs = [...state.jobs.values()]
      .filter((job) => job.status === 'OPEN' && job.organizationId === h.sandbox.ids.organizationId)
      .map((job) => job.id);
    const expected = [...state.proposals.values()]
      .filter(
        (p) => openJobs.includes(p.jobId) && p.status === 'UNREVIEWED' && Date.parse(p.createdAt) >= now - 24 * HOUR,
      )
      .map((p) => p.id)
      .sort();
    const olderUnreviewed = [...state.proposals.values()].filter(
      (p) => openJobs.includes(p.jobId) && p.status === 'UNREVIEWED' && Date.parse(p.createdAt) < now - 24 * HOUR,
    ).length;
    expect(expected.length).toBeGreaterThan(0);
    expect(olderUnreviewed).toBeGreaterThan(0);

    const messages = h.slack.messages(HARNESS_CHANNEL);
    const posted = cardsIn(messages).map((m) => m.metadata?.event_payload.proposal_id as string);
    expect(posted.sort()).toEqual(expected);
    expect(result?.firstRun).toBe(true);

    const summaries = messages.filter(
      (m) => !m.metadata && /older unreviewed proposals? (is|are) waiting/.test(m.text ?? ''),
    );
    expect(summaries).toHaveLength(1);
    expect(summaries[0]?.text).toContain(`${olderUnreviewed} older unreviewed`);
    // The cursor now sits at the end of the ledger, so history is never posted later.
    expect(h.bot.ctx.store.data.cursor).toBe(state.events.at(-1)?.id);
  });

  it('posts one card per new proposal within one sync interval, with scores on 0–100 for both payload variants', async () => {
    h = await startHarness({ env: { SYNC_INTERVAL_SECONDS: '1' }, deps: { autoSync: true } });
    // The timer's first cycle (the first run) has started; joining it waits until its cards are queued.
    await h.bot.ctx.sync.runOnce();
    await h.bot.idle();
    const before = cardsIn(h.slack.messages(HARNESS_CHANNEL)).length;

    const reference = h.sandbox.addProposal(h.sandbox.ids.jobs.spanish, {
      variant: 'reference',
      interviewScore: 86,
      matchScore: 91,
      bid: { amountUsd: 0.06, unit: 'PER_LABEL' },
      candidate: {
        displayName: 'Lucía P.',
        firstName: 'Lucía',
        lastNameInitial: 'P',
        profileTitle: 'Sentiment annotator',
      },
    });
    const guide = h.sandbox.addProposal(h.sandbox.ids.jobs.spanish, {
      variant: 'guide',
      interviewScore: 74,
      matchScore: 87,
      bid: { amountUsd: 42, unit: 'per_hour', labelerHourlyRateUsd: 55 },
      candidate: { firstName: 'Alex', lastNameInitial: 'R.', profileTitle: 'Senior AI Trainer' },
    });
    const started = Date.now();
    const referenceCard = await h.slack.waitFor(
      () => cardFor(h.slack.messages(HARNESS_CHANNEL), reference.proposalId),
      3000,
    );
    const guideCard = await h.slack.waitFor(() => cardFor(h.slack.messages(HARNESS_CHANNEL), guide.proposalId), 3000);
    // One sync interval is 1 s; allow one more for the cycle itself.
    expect(Date.now() - started).toBeLessThan(2500);
    await h.bot.idle();

    expect(cardsIn(h.slack.messages(HARNESS_CHANNEL))).toHaveLength(before + 2);
    const referenceText = visibleText(referenceCard);
    expect(referenceText).toContain('Lucía P.');
    expect(referenceText).toContain('Sentiment annotator');
    expect(referenceText).toContain('86/100');
    expect(referenceText).toContain('91/100');
    expect(referenceText).toContain('$0.06 / label');
    expect(referenceText).toMatch(/Unreviewed/);
    expect(referenceText).toMatch(/Received <!date\^\d+\^\{date_short_pretty\} \{time\}\|/);

    const guideText = visibleText(guideCard);
    expect(guideText).toContain('Alex R.');
    // The guide variant says 7.4 (0–10) and 87 (0–100): both shown on 0–100.
    expect(guideText).toContain('74/100');
    expect(guideText).toContain('87/100');
    expect(guideText).toContain('$42 / hour');
    expect(guideText).toContain('$55');
    expect(guideCard.metadata).toEqual({
      event_type: 'opentrain_proposal',
      event_payload: { proposal_id: guide.proposalId, job_id: h.sandbox.ids.jobs.spanish, votes: {}, notes: '' },
    });
  });

  it('edits the same card in place when the proposal status changes', async () => {
    h = await startHarness();
    await h.bot.ctx.sync.runOnce();
    const { proposalId } = h.sandbox.addProposal(h.sandbox.ids.jobs.spanish);
    await h.bot.ctx.sync.runOnce();
    await h.bot.idle();
    const card = cardFor(h.slack.messages(HARNESS_CHANNEL), proposalId);
    expect(card).toBeDefined();
    const postsBefore = h.slack.callsTo('chat.postMessage').length;

    h.sandbox.setProposalStatus(proposalId, 'SHORTLISTED');
    await h.bot.ctx.sync.runOnce();
    await h.bot.idle();

    const updated = h.slack.findMessage(HARNESS_CHANNEL, card!.ts);
    expect(updated?.updates).toBeGreaterThan(0);
    expect(visibleText(updated)).toContain('Shortlisted');
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(postsBefore);
    expect(cardsIn(h.slack.messages(HARNESS_CHANNEL)).filter((m) => m.ts === card!.ts)).toHaveLength(1);
  });

  it('a restart posts nothing new and keeps the cursor', async () => {
    h = await startHarness();
    await h.bot.ctx.sync.runOnce();
    await h.bot.idle();
    const cardsBefore = cardsIn(h.slack.messages(HARNESS_CHANNEL)).length;
    const cursor = h.bot.ctx.store.data.cursor;

    h = await h.restart();
    await h.bot.ctx.sync.runOnce();
    await h.bot.idle();

    expect(h.bot.ctx.store.data.cursor).toBe(cursor);
    expect(cardsIn(h.slack.messages(HARNESS_CHANNEL))).toHaveLength(cardsBefore);
    expect(h.slack.messages(HARNESS_CHANNEL).filter((m) => /older unreviewed/.test(m.text ?? ''))).toHaveLength(1);
  });

  it('routes a watched job to its own channel', async () => {
    h = await startHarness();
    h.slack.addChannel('C0MEDICAL', 'medical', { botIsMember: false });
    await h.bot.ctx.sync.runOnce();
    const reply = await h.sender.command(`watch ${h.sandbox.ids.jobs.medical} <#C0MEDICAL|medical>`, {
      userId: 'U0REVIEWER',
      channelId: HARNESS_CHANNEL,
    });
    expect(reply.status).toBe(200);
    await h.bot.idle();
    const { proposalId } = h.sandbox.addProposal(h.sandbox.ids.jobs.medical);
    await h.bot.ctx.sync.runOnce();
    await h.bot.idle();
    expect(cardFor(h.slack.messages('C0MEDICAL'), proposalId)).toBeDefined();
    expect(cardFor(h.slack.messages(HARNESS_CHANNEL), proposalId)).toBeUndefined();
  });

  it('a Slack 429 on chat.postMessage still ends with the card posted exactly once', async () => {
    h = await startHarness();
    await h.bot.ctx.sync.runOnce();
    await h.bot.idle();
    const { proposalId } = h.sandbox.addProposal(h.sandbox.ids.jobs.spanish);
    h.slack.failNext('chat.postMessage', { error: 'ratelimited', status: 429, retryAfterSeconds: 1 });
    await h.bot.ctx.sync.runOnce();
    await h.slack.waitFor(() => cardFor(h.slack.messages(HARNESS_CHANNEL), proposalId), 5000);
    await h.bot.idle();
    const attempts = h.slack.calls.filter((c) => c.method === 'chat.postMessage' && c.args.metadata);
    expect(attempts.some((c) => c.error === 'ratelimited')).toBe(true);
    expect(
      cardsIn(h.slack.messages(HARNESS_CHANNEL)).filter((m) => m.metadata?.event_payload.proposal_id === proposalId),
    ).toHaveLength(1);
  });

  it('a card Slack keeps refusing is retried every sync and shows in /hiring status', async () => {
    h = await startHarness();
    await h.bot.ctx.sync.runOnce();
    await h.bot.idle();
    const { proposalId } = h.sandbox.addProposal(h.sandbox.ids.jobs.spanish);
    h.slack.failNext('chat.postMessage', { error: 'channel_not_found' }, 2);
    await h.bot.ctx.sync.runOnce();
    await h.bot.idle();
    expect(cardFor(h.slack.messages(HARNESS_CHANNEL), proposalId)).toBeUndefined();
    const status = await h.sender.command('status', { userId: 'U0REVIEWER', channelId: HARNESS_CHANNEL });
    const reply = await h.slack.waitFor(() =>
      h.slack.responses.find((r) => r.id === status.responseUrl?.split('/').pop()),
    );
    expect(visibleText(reply.body as { text?: string; blocks?: unknown[] })).toMatch(/channel_not_found/);

    // The next cycles retry (checking history first) until Slack accepts it: still exactly one card.
    await h.bot.ctx.sync.runOnce();
    await h.bot.idle();
    await h.bot.ctx.sync.runOnce();
    await h.bot.idle();
    expect(
      cardsIn(h.slack.messages(HARNESS_CHANNEL)).filter((m) => m.metadata?.event_payload.proposal_id === proposalId),
    ).toHaveLength(1);
  });
});
