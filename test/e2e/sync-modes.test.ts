import { afterEach, describe, expect, it } from 'vitest';
import { HARNESS_CHANNEL, type Harness, startHarness } from '../../src/sandbox/harness.js';
import { cardFor, cardsIn } from '../helpers/slack-text.js';

describe('sync modes and watched jobs (end to end)', () => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  it('falls back to polling each watched job when the token may not read /updates, and still posts new proposals once', async () => {
    h = await startHarness();
    h.sandbox.injectFaults({ status: 403, count: 10_000, match: /\/updates/ });
    await h.bot.ctx.sync.runOnce();
    await h.bot.idle();
    expect(h.bot.ctx.store.data.health.mode).toBe('polling');
    expect(h.bot.ctx.store.data.cursor).toBeNull();
    const backfilled = cardsIn(h.slack.messages(HARNESS_CHANNEL)).length;
    expect(backfilled).toBeGreaterThan(0);

    const { proposalId } = h.sandbox.addProposal(h.sandbox.ids.jobs.spanish);
    h.sandbox.clearRequests();
    await h.bot.ctx.sync.runOnce();
    await h.bot.idle();
    expect(cardFor(h.slack.messages(HARNESS_CHANNEL), proposalId)).toBeDefined();
    // Newest first, stopping at the first known proposal: one page per watched job, no deep paging.
    const pages = h.sandbox.requests.filter((r) => /^\/jobs\/[^/]+\/proposals$/.test(r.path));
    expect(pages.every((r) => r.query.cursor === undefined)).toBe(true);

    // A later cycle finds nothing new and posts nothing again; status changes still refresh the cards, also the
    // card of an older proposal behind the newest known one.
    const second = h.sandbox.addProposal(h.sandbox.ids.jobs.spanish);
    await h.bot.ctx.sync.runOnce();
    h.sandbox.setProposalStatus(proposalId, 'SHORTLISTED');
    await h.bot.ctx.sync.runOnce();
    await h.bot.idle();
    const cards = cardsIn(h.slack.messages(HARNESS_CHANNEL));
    expect(cards).toHaveLength(backfilled + 2);
    expect(cardFor(cards, second.proposalId)).toBeDefined();
    const card = cardFor(h.slack.messages(HARNESS_CHANNEL), proposalId)!;
    expect(JSON.stringify(card.blocks)).toContain('Shortlisted');
  });

  it('watches only OT_JOB_IDS when set', async () => {
    h = await startHarness();
    const medical = h.sandbox.ids.jobs.medical;
    await h.close();
    h = await startHarness({ env: { OT_JOB_IDS: medical } });
    await h.bot.ctx.sync.runOnce();
    await h.bot.idle();
    const jobsOfCards = cardsIn(h.slack.messages(HARNESS_CHANNEL)).map((m) => m.metadata?.event_payload.job_id);
    expect(jobsOfCards.length).toBeGreaterThan(0);
    expect(new Set(jobsOfCards)).toEqual(new Set([medical]));

    const spanish = h.sandbox.addProposal(h.sandbox.ids.jobs.spanish);
    const medicalNew = h.sandbox.addProposal(medical);
    await h.bot.ctx.sync.runOnce();
    await h.bot.idle();
    expect(cardFor(h.slack.messages(HARNESS_CHANNEL), medicalNew.proposalId)).toBeDefined();
    expect(cardFor(h.slack.messages(HARNESS_CHANNEL), spanish.proposalId)).toBeUndefined();
  });

  it('serves /healthz with the last sync time and error', async () => {
    h = await startHarness();
    await h.bot.ctx.sync.runOnce();
    const response = await fetch(`http://127.0.0.1:${h.bot.port}/healthz`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { ok: boolean; lastSyncAt: string | null; lastError: string | null };
    expect(body.ok).toBe(true);
    expect(body.lastError).toBeNull();
    expect(Date.parse(body.lastSyncAt ?? '')).toBeGreaterThan(Date.now() - 60_000);
  });
});
