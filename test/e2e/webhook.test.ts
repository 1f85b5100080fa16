import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { HARNESS_CHANNEL, type Harness, startHarness } from '../../src/sandbox/harness.js';
import { cardFor } from '../helpers/slack-text.js';

const SECRET = 'whsec_e2e_doorbell_secret';

function signed(body: string, { secret = SECRET, at = Math.floor(Date.now() / 1000) } = {}) {
  const v1 = createHmac('sha256', secret).update(`${at}.${body}`).digest('hex');
  return `t=${at},v1=${v1}`;
}

describe('OpenTrain webhook doorbell (end to end)', () => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  const post = (body: string, headers: Record<string, string>) =>
    fetch(`http://127.0.0.1:${h.bot.port}/opentrain/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });

  it('a signed delivery from the sandbox triggers an immediate sync (no polling running)', async () => {
    h = await startHarness({ env: { OT_WEBHOOK_SECRET: SECRET } });
    await h.bot.ctx.sync.runOnce();
    await h.bot.idle();
    h.sandbox.addWebhook(`http://127.0.0.1:${h.bot.port}/opentrain/webhook`, SECRET, ['proposal.received']);
    const { proposalId } = h.sandbox.addProposal(h.sandbox.ids.jobs.spanish);
    await h.slack.waitFor(() => cardFor(h.slack.messages(HARNESS_CHANNEL), proposalId), 3000);
    expect(h.sandbox.deliveries.some((d) => d.status === 200)).toBe(true);
  });

  it('bad or stale signatures get 401 and change nothing; the same delivery twice has one effect', async () => {
    h = await startHarness({ env: { OT_WEBHOOK_SECRET: SECRET } });
    await h.bot.ctx.sync.runOnce();
    await h.bot.idle();
    const body = JSON.stringify({
      id: '999',
      type: 'proposal.received',
      apiVersion: 'v1',
      createdAt: new Date().toISOString(),
      resourceId: 'p',
      jobId: null,
      data: {},
    });
    const cycles = h.bot.ctx.sync.cycles;

    const wrongSecret = await post(body, { 'x-opentrain-signature': signed(body, { secret: 'whsec_wrong' }) });
    const stale = await post(body, {
      'x-opentrain-signature': signed(body, { at: Math.floor(Date.now() / 1000) - 301 }),
    });
    const missing = await post(body, {});
    const tampered = await post(body.replace('999', '998'), { 'x-opentrain-signature': signed(body) });
    expect([wrongSecret.status, stale.status, missing.status, tampered.status]).toEqual([401, 401, 401, 401]);
    await h.bot.idle();
    expect(h.bot.ctx.sync.cycles).toBe(cycles);

    const headers = { 'x-opentrain-signature': signed(body), 'x-opentrain-delivery': 'dlv_e2e_1' };
    const first = await post(body, headers);
    expect(first.status).toBe(200);
    await h.slack.waitFor(() => h.bot.ctx.sync.cycles === cycles + 1, 3000);
    await h.bot.ctx.sync.runOnce().then(() => undefined);
    const afterFirst = h.bot.ctx.sync.cycles;
    const second = await post(body, headers);
    expect(second.status).toBe(200);
    expect(await second.json()).toMatchObject({ duplicate: true });
    await h.bot.idle();
    expect(h.bot.ctx.sync.cycles).toBe(afterFirst);
    expect(h.bot.ctx.store.data.webhookDeliveries).toEqual(['dlv_e2e_1']);
  });
});
