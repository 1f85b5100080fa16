import { afterEach, describe, expect, it } from 'vitest';
import { HARNESS_CHANNEL, type Harness, startHarness } from '../../src/sandbox/harness.js';
import { startOpenTrainSandbox } from '../../src/sandbox/opentrain/index.js';
import { type SchedulingPolicy, SLACK_POLICY, unlimitedPolicy } from '../../src/services/slack-budgets.js';
import { cardFor, visibleText } from '../helpers/slack-text.js';

// What a person waits for reaches Slack first (docs/decisions.md#scheduling): the real app over signed HTTP, the
// Slack stand-in recording the order of the calls it received.

const VOTER = 'U0VOTER';
const TOP = '🏅 top 3 in this job';

let harness: Harness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** Posts unlimited (so set-up is quick); background refreshes at `backgroundPerMinute`. */
function policy(backgroundPerMinute: number, burst = 1): SchedulingPolicy {
  const unlimited = unlimitedPolicy();
  return {
    ...SLACK_POLICY,
    budgets: {
      ...unlimited.budgets,
      backgroundUpdate: { ...SLACK_POLICY.budgets.backgroundUpdate, perMinute: backgroundPerMinute, burst },
    },
  };
}

async function withCards(slackPolicy: SchedulingPolicy, interviewScores: number[]) {
  const sandbox = await startOpenTrainSandbox({ port: 0, seed: false });
  const h = await startHarness({ sandbox, deps: { slackPolicy } });
  harness = h;
  await h.bot.ctx.sync.runOnce();
  const ids = interviewScores.map(
    (interviewScore, index) =>
      h.sandbox.addProposal(h.sandbox.ids.jobs.spanish, {
        interviewScore,
        matchScore: 50,
        bid: { amountUsd: 0.05, unit: 'PER_LABEL' },
        candidate: { displayName: `Cand ${index}.`, firstName: 'Cand', lastNameInitial: String(index) },
      }).proposalId,
  );
  await h.bot.ctx.sync.runOnce();
  await h.slack.waitFor(() => ids.every((id) => cardFor(h.slack.messages(HARNESS_CHANNEL), id)), 5000);
  return { h, ids };
}

function cardTs(h: Harness, proposalId: string): string {
  return cardFor(h.slack.messages(HARNESS_CHANNEL), proposalId)!.ts;
}

function rankField(h: Harness, proposalId: string): string {
  const text = visibleText(cardFor(h.slack.messages(HARNESS_CHANNEL), proposalId));
  return /\*Rank score\*\n([^\n"]*)/.exec(text)?.[1] ?? `(no rank field: ${text})`;
}

describe('scheduling by what a person is waiting for (end to end)', () => {
  it('a vote reaches Slack before a queue of background refreshes in the same channel, and a new card is posted ahead of them', async () => {
    // Background refreshes trickle at 2 per second; everything else is unlimited.
    const { h, ids } = await withCards(policy(120), [90, 80, 70, 60, 50, 40, 30, 20]);
    h.slack.clearCalls();

    // New weights change the scores of seven cards (70 stays 70): background refreshes queue up in the channel.
    const command = await h.sender.command('weights interview=1 match=0 price=0', {
      userId: 'U0LEAD',
      channelId: HARNESS_CHANNEL,
    });
    expect(command.status).toBe(200);
    // The first refresh has reached Slack: the rest are queued behind it.
    await h.slack.waitFor(() => h.slack.callsTo('chat.update').length > 0, 3000);
    // A vote on the card whose refresh is queued last, then a new proposal arrives.
    const voted = ids.at(-1)!;
    const click = await h.sender.blockAction({
      actionId: 'vote_up',
      value: voted,
      userId: VOTER,
      channelId: HARNESS_CHANNEL,
      messageTs: cardTs(h, voted),
    });
    expect(click.status).toBe(200);
    const newcomer = h.sandbox.addProposal(h.sandbox.ids.jobs.spanish, {
      interviewScore: 15,
      matchScore: 50,
      bid: { amountUsd: 0.05, unit: 'PER_LABEL' },
    }).proposalId;
    await h.bot.ctx.sync.runOnce();
    await h.bot.idle();

    const calls = h.slack.calls.filter((c) => c.method === 'chat.update' || c.method === 'chat.postMessage');
    const voteAt = calls.findIndex(
      (c) => c.method === 'chat.update' && c.args.ts === cardTs(h, voted) && JSON.stringify(c.args).includes(VOTER),
    );
    const postAt = calls.findIndex(
      (c) =>
        c.method === 'chat.postMessage' &&
        (c.args.metadata as { event_payload?: { proposal_id?: string } } | undefined)?.event_payload?.proposal_id ===
          newcomer,
    );
    const refreshes = calls
      .map((c, index) => ({ c, index }))
      .filter(({ c }) => c.method === 'chat.update' && c.args.ts !== cardTs(h, voted));
    expect(voteAt).toBeGreaterThanOrEqual(0);
    expect(postAt).toBeGreaterThanOrEqual(0);
    // Six other cards were refreshed; at most the one already on its way went before the vote and the new card.
    expect(refreshes.length).toBe(6);
    expect(refreshes.filter(({ index }) => index < voteAt).length).toBeLessThanOrEqual(1);
    expect(refreshes.filter(({ index }) => index < postAt).length).toBeLessThanOrEqual(1);
    // The voted card's own refresh was folded into the vote's update: one edit shows both.
    expect(calls.filter((c) => c.method === 'chat.update' && c.args.ts === cardTs(h, voted))).toHaveLength(1);
    expect(visibleText(cardFor(h.slack.messages(HARNESS_CHANNEL), voted))).toContain(`<@${VOTER}>`);
    expect(rankField(h, voted)).toBe('20/100');
  });

  it('a re-render that was queued when the bot stopped is done at the next start: no stale marker', async () => {
    // Background refreshes never run in the first process: they are still queued when it stops.
    const { h, ids } = await withCards(policy(0, 0), [90, 80, 70, 60]);
    const third = ids[2]!;
    expect(rankField(h, third)).toBe(`70/100 · ${TOP}`);

    // A better candidate arrives: the third drops out of the top 3, but its refresh waits in the queue.
    const best = h.sandbox.addProposal(h.sandbox.ids.jobs.spanish, {
      interviewScore: 99,
      matchScore: 50,
      bid: { amountUsd: 0.05, unit: 'PER_LABEL' },
    }).proposalId;
    await h.bot.ctx.sync.runOnce();
    await h.slack.waitFor(() => cardFor(h.slack.messages(HARNESS_CHANNEL), best), 5000);
    expect(h.bot.ctx.store.data.proposals[third]?.card?.refreshDue).toBe('background');
    expect(rankField(h, third)).toBe(`70/100 · ${TOP}`); // stale in Slack

    // Stop without running the queue, start again (limits off now): the card is brought up to date.
    h.slack.clearCalls();
    const restarted = await h.restart({ deps: { slackPolicy: unlimitedPolicy() } });
    harness = restarted;
    await restarted.bot.idle();
    expect(rankField(restarted, third)).toBe('70/100');
    expect(rankField(restarted, best)).toContain(TOP);
    // Only that card needed it.
    expect(restarted.slack.callsTo('chat.update').map((c) => c.ts)).toEqual([cardTs(restarted, third)]);
    expect(restarted.bot.ctx.store.data.proposals[third]?.card?.refreshDue ?? null).toBeNull();
  });

  it('a card Slack refuses to edit is not asked for again at every sync', async () => {
    const { h, ids } = await withCards(unlimitedPolicy(), [90, 80]);
    const card = ids[1]!;
    h.slack.failNext('chat.update', { error: 'message_not_found' });
    const click = await h.sender.blockAction({
      actionId: 'vote_up',
      value: card,
      userId: VOTER,
      channelId: HARNESS_CHANNEL,
      messageTs: cardTs(h, card),
    });
    expect(click.status).toBe(200);
    await h.bot.idle();
    expect(h.slack.calls.filter((c) => c.method === 'chat.update').map((c) => c.error)).toEqual(['message_not_found']);
    expect(h.bot.ctx.store.data.proposals[card]?.card?.refreshDue ?? null).toBeNull();
    // Two more sync cycles: nothing due, so no edit is tried again.
    await h.bot.ctx.sync.runOnce();
    await h.bot.ctx.sync.runOnce();
    await h.bot.idle();
    expect(h.slack.callsTo('chat.update')).toHaveLength(1);
  });
});
