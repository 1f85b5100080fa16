import { afterEach, describe, expect, it } from 'vitest';
import { HARNESS_CHANNEL, type Harness, startHarness } from '../../src/sandbox/harness.js';
import { cardFor, cardsIn, visibleText } from '../helpers/slack-text.js';

// One proposal whose detail never parses (the sandbox's malformed-detail knob), end to end: the ledger cursor moves
// on at once, the proposal is retried on its own with backoff, then set aside and listed in /hiring status, and its
// next ledger event picks it up again.

const RETRY = { delaysMs: [150, 300] }; // 3 attempts, then set aside

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function status(harness: Harness): Promise<string> {
  const result = await harness.sender.command('status', { userId: 'U0REVIEWER', channelId: HARNESS_CHANNEL });
  expect(result.status).toBe(200);
  const reply = await harness.slack.waitFor(
    () => harness.slack.responses.find((r) => r.id === result.responseUrl?.split('/').pop())?.body,
    4000,
  );
  return visibleText(reply as { text?: string; blocks?: unknown[] });
}

describe('a poison proposal (end to end)', () => {
  it('does not pin the ledger: retried with backoff, set aside, listed, and picked up again by its next event', async () => {
    const log: string[] = [];
    h = await startHarness({ deps: { proposalRetryPolicy: RETRY }, logSink: (line) => log.push(line) });
    await h.bot.ctx.sync.runOnce();
    await h.bot.idle();
    const cardsBefore = cardsIn(h.slack.messages(HARNESS_CHANNEL)).length;

    const poison = h.sandbox.addProposal(h.sandbox.ids.jobs.spanish).proposalId;
    h.sandbox.setProposalDetailMalformed(poison, true);
    const after = h.sandbox.addProposal(h.sandbox.ids.jobs.spanish).proposalId;
    h.sandbox.clearRequests();

    // Twelve cycles over about a second and a half, as a 1-second interval would over twelve seconds.
    for (let cycle = 0; cycle < 12; cycle += 1) {
      await h.bot.ctx.sync.runOnce();
      await sleep(120);
    }
    await h.bot.idle();

    const requests = h.sandbox.requests;
    const ledgerReads = requests.filter((r) => r.path === '/updates');
    const detailFetches = (id: string) => requests.filter((r) => r.path === `/proposals/${id}`).length;
    // The proposal behind the poison one got its card, fetched once; the poison one was tried 3 times, no more.
    expect(cardFor(h.slack.messages(HARNESS_CHANNEL), after)).toBeDefined();
    expect(cardsIn(h.slack.messages(HARNESS_CHANNEL))).toHaveLength(cardsBefore + 1);
    expect(detailFetches(after)).toBe(1);
    expect(detailFetches(poison)).toBe(RETRY.delaysMs.length + 1);
    expect(requests.filter((r) => /^\/proposals\/[^/]+$/.test(r.path))).toHaveLength(RETRY.delaysMs.length + 2);
    // One ledger read per cycle, and after the first one every read starts from the advanced cursor.
    expect(ledgerReads).toHaveLength(12);
    const cursor = h.bot.ctx.store.data.cursor;
    expect(ledgerReads[0]!.query.cursor).not.toBe(cursor);
    expect(ledgerReads.slice(1).every((r) => r.query.cursor === cursor)).toBe(true);

    // Set aside, persisted with the reason and OpenTrain's request id, and listed in /hiring status.
    const failing = h.bot.ctx.store.data.failingProposals?.[poison];
    expect(failing).toMatchObject({ attempts: 3, nextAttemptAt: null, post: true });
    expect(failing?.setAsideAt).not.toBeNull();
    expect(failing?.requestId).toMatch(/.+/);
    expect(failing?.reason).toContain('unexpected shape');
    expect(log.filter((line) => line.includes(`set aside proposal ${poison}`))).toEqual([
      expect.stringContaining(`(requestId=${failing!.requestId}) after 3 failed attempts`),
    ]);
    const shown = await status(h);
    expect(shown).toContain('Proposals that could not be read');
    expect(shown).toContain(`${poison}\` set aside until its next event`);
    expect(shown).toContain(failing!.requestId!);

    // It survives a restart.
    h = await h.restart({ deps: { proposalRetryPolicy: RETRY } });
    expect(h.bot.ctx.store.data.failingProposals?.[poison]?.setAsideAt).not.toBeNull();

    // OpenTrain fixes it and the proposal changes status: its event picks it up, and it gets its one card.
    h.sandbox.setProposalDetailMalformed(poison, false);
    h.sandbox.setProposalStatus(poison, 'SHORTLISTED');
    await h.bot.ctx.sync.runOnce();
    await h.bot.idle();
    expect(cardFor(h.slack.messages(HARNESS_CHANNEL), poison)).toBeDefined();
    expect(cardsIn(h.slack.messages(HARNESS_CHANNEL))).toHaveLength(cardsBefore + 2);
    expect(h.bot.ctx.store.data.failingProposals?.[poison]).toBeUndefined();
    expect(await status(h)).not.toContain('Proposals that could not be read');
  }, 60_000);

  it('an outage is not blamed on one proposal: the cycle stops with the cursor kept, nothing is set aside', async () => {
    h = await startHarness({ deps: { proposalRetryPolicy: RETRY } });
    await h.bot.ctx.sync.runOnce();
    await h.bot.idle();
    const cursor = h.bot.ctx.store.data.cursor;
    const proposalId = h.sandbox.addProposal(h.sandbox.ids.jobs.spanish).proposalId;
    h.sandbox.injectFaults({ status: 503, count: 1000, match: /\/proposals\// });
    for (let cycle = 0; cycle < 4; cycle += 1) {
      await h.bot.ctx.sync.runOnce();
      await sleep(120);
    }
    expect(h.bot.ctx.store.data.cursor).toBe(cursor);
    expect(h.bot.ctx.store.data.failingProposals?.[proposalId]).toBeUndefined();
    h.sandbox.clearFaults();
    await h.bot.ctx.sync.runOnce();
    await h.bot.idle();
    expect(cardFor(h.slack.messages(HARNESS_CHANNEL), proposalId)).toBeDefined();
  }, 60_000);
});
