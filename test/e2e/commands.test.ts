import { afterEach, describe, expect, it } from 'vitest';
import { HARNESS_CHANNEL, type Harness, startHarness } from '../../src/sandbox/harness.js';
import { visibleText } from '../helpers/slack-text.js';

/** What the person who typed the command sees: the ack body, else the response_url reply. */
async function answerTo(h: Harness, text: string, userId = 'U0REVIEWER', channelId = HARNESS_CHANNEL) {
  const result = await h.sender.command(text, { userId, channelId });
  expect(result.status).toBe(200);
  const fromAck = result.json as { text?: string; blocks?: unknown[]; response_type?: string } | null;
  if (fromAck?.text) return { ...fromAck, via: 'ack' as const };
  const reply = await h.slack.waitFor(
    () => h.slack.responses.find((r) => r.id === result.responseUrl?.split('/').pop())?.body,
    4000,
  );
  return { ...(reply as { text?: string; blocks?: unknown[]; response_type?: string }), via: 'response_url' as const };
}

describe('/hiring commands (end to end over signed HTTP)', () => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  it('refuses Slack requests with a bad, stale or missing signature', async () => {
    h = await startHarness();
    const body = new URLSearchParams({ command: '/hiring', text: 'jobs', user_id: 'U1', channel_id: 'C1' }).toString();
    for (const signature of ['bad', 'stale', 'missing'] as const) {
      const result = await h.sender.raw(body, { contentType: 'application/x-www-form-urlencoded', signature });
      expect(result.status).toBe(401);
    }
    await h.bot.idle();
    expect(h.sandbox.requests.filter((r) => r.path === '/jobs/mine')).toHaveLength(0);
    expect(h.slack.responses).toHaveLength(0);
  });

  it('answers help, no arguments, and garbage with usage — never silence', async () => {
    h = await startHarness();
    for (const text of ['help', '', '   ', 'HELP']) {
      const answer = await answerTo(h, text);
      expect(answer.response_type).toBe('ephemeral');
      expect(visibleText(answer)).toContain('/hiring watch');
      expect(visibleText(answer)).toContain('/hiring status');
    }
    for (const text of ['frobnicate the candidates', 'watch', 'unwatch', '💥 <script>', 'proposals']) {
      const answer = await answerTo(h, text);
      expect(answer.response_type).toBe('ephemeral');
      expect(visibleText(answer).length).toBeGreaterThan(10);
      expect(visibleText(answer)).not.toMatch(/Error:|at .*\.ts:\d+/);
    }
  });

  it('lists jobs with status, counts and watched channel', async () => {
    h = await startHarness();
    await h.bot.ctx.sync.runOnce();
    await h.bot.idle();
    await h.bot.ctx.store.flush();
    h.sandbox.clearRequests();
    const writes = h.bot.ctx.store.writeCount;
    const answer = await answerTo(h, 'jobs');
    const text = visibleText(answer);
    for (const job of h.sandbox.state.jobs.values()) {
      if (job.organizationId !== h.sandbox.ids.organizationId) continue;
      expect(text).toContain(job.title);
    }
    expect(text).toContain(`<#${HARNESS_CHANNEL}>`);
    expect(text).toMatch(/DRAFT|Draft/);
    const spanish = h.sandbox.ids.jobs.spanish;
    const proposals = [...h.sandbox.state.proposals.values()].filter((p) => p.jobId === spanish);
    const unreviewed = proposals.filter((p) => p.status === 'UNREVIEWED').length;
    expect(text).toContain(`${proposals.length} proposals (${unreviewed} unreviewed)`);
    // One read of /jobs/mine serves both the list and its counts.
    expect(h.sandbox.requests.filter((r) => r.path === '/jobs/mine')).toHaveLength(1);
    // Nothing about the jobs changed, so nothing was written.
    await h.bot.ctx.store.flush();
    expect(h.bot.ctx.store.writeCount).toBe(writes);
  });

  it('watch / watching / unwatch with forgiving arguments, limited to reviewers', async () => {
    h = await startHarness({ env: { REVIEWER_IDS: 'U0REVIEWER' } });
    await h.bot.ctx.sync.runOnce();
    const medical = h.sandbox.state.jobs.get(h.sandbox.ids.jobs.medical)!;
    const titlePart = medical.title.split(' ')[0]!.toUpperCase();

    const refused = await answerTo(h, `watch ${medical.id}`, 'U0INTERN');
    expect(visibleText(refused)).toContain('<@U0REVIEWER>');
    expect(h.bot.ctx.store.data.jobs[medical.id]?.channelId ?? null).toBeNull();

    const watched = await answerTo(h, `  watch   ${titlePart}   <#C0MEDICAL|medical-hiring>  `);
    expect(visibleText(watched)).toContain(medical.title);
    expect(visibleText(watched)).toContain('<#C0MEDICAL>');
    expect(h.bot.ctx.store.data.jobs[medical.id]).toMatchObject({ watch: true, channelId: 'C0MEDICAL' });

    const byUrl = await answerTo(h, `watch https://app.opentrain.ai/jobs/${h.sandbox.ids.jobs.spanish}`);
    expect(visibleText(byUrl)).toContain(`<#${HARNESS_CHANNEL}>`);

    const listing = await answerTo(h, 'watching');
    expect(visibleText(listing)).toContain(medical.title);
    expect(visibleText(listing)).toContain('<#C0MEDICAL>');

    const unwatched = await answerTo(h, `unwatch ${medical.id}`);
    expect(visibleText(unwatched)).toContain(medical.title);
    expect(h.bot.ctx.store.data.jobs[medical.id]?.watch).toBe(false);
    expect(visibleText(await answerTo(h, 'watching'))).not.toContain(medical.title);

    const unknown = await answerTo(h, 'watch no-such-job-anywhere');
    expect(visibleText(unknown)).toMatch(/no job|couldn't find|not find|No job/i);
  });

  it('status shows scopes, claim state, features, watched jobs, last sync and cursor', async () => {
    h = await startHarness();
    await h.bot.ctx.sync.runOnce();
    const text = visibleText(await answerTo(h, 'status'));
    expect(text).toMatch(/claimed/i);
    expect(text).toContain('proposals:read');
    expect(text).toMatch(/hiring/i);
    expect(text).toContain(h.bot.ctx.store.data.cursor!);
    const spanish = h.sandbox.state.jobs.get(h.sandbox.ids.jobs.spanish)!;
    expect(text).toContain(spanish.title);
  });

  it('keeps running when OpenTrain is down or slow, and /hiring status says why', async () => {
    h = await startHarness();
    await h.bot.ctx.sync.runOnce();
    h.sandbox.injectFaults({ status: 503, count: 1000 });
    await h.bot.ctx.sync.runOnce();
    expect(h.bot.ctx.store.data.health.lastError).toMatch(/OpenTrain/);

    const started = Date.now();
    const result = await h.sender.command('status', { userId: 'U0REVIEWER', channelId: HARNESS_CHANNEL });
    expect(result.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1000);
    const answer = await answerTo(h, 'status');
    expect(visibleText(answer)).toMatch(/OpenTrain/);
    expect(visibleText(answer)).toMatch(/unreachable|trouble|couldn't|not reachable|down/i);

    h.sandbox.clearFaults();
    h.sandbox.setLatency(2500);
    const slowStarted = Date.now();
    const slow = await h.sender.command('jobs', { userId: 'U0REVIEWER', channelId: HARNESS_CHANNEL });
    expect(slow.status).toBe(200);
    expect(Date.now() - slowStarted).toBeLessThan(1000);
    const reply = await h.slack.waitFor(
      () => h.slack.responses.find((r) => r.id === slow.responseUrl?.split('/').pop()),
      10_000,
    );
    expect(visibleText(reply.body as { text?: string })).toContain(
      h.sandbox.state.jobs.get(h.sandbox.ids.jobs.spanish)!.title,
    );
    h.sandbox.setLatency(0);
    await h.bot.ctx.sync.runOnce();
    expect(h.bot.ctx.store.data.health.lastError).toBeNull();
  }, 30_000);
});
