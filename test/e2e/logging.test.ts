import { afterEach, describe, expect, it } from 'vitest';
import {
  HARNESS_BOT_TOKEN,
  HARNESS_CHANNEL,
  HARNESS_SIGNING_SECRET,
  type Harness,
  startHarness,
} from '../../src/sandbox/harness.js';
import { SANDBOX_TOKENS } from '../../src/sandbox/opentrain/index.js';
import { cardsIn } from '../helpers/slack-text.js';

describe('logs (end to end, at debug level)', () => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  it('never contain the Slack token, the signing secret, the OpenTrain token or the webhook secret', async () => {
    const lines: string[] = [];
    const webhookSecret = 'whsec_logging_test_secret';
    h = await startHarness({ env: { OT_WEBHOOK_SECRET: webhookSecret }, logSink: (line) => lines.push(line) });
    await h.bot.ctx.sync.runOnce();
    await h.bot.idle();
    const card = cardsIn(h.slack.messages(HARNESS_CHANNEL))[0]!;
    await h.sender.blockAction({
      actionId: 'vote_up',
      value: String(card.metadata?.event_payload.proposal_id),
      userId: 'U0LOG',
      channelId: HARNESS_CHANNEL,
      messageTs: card.ts,
    });
    await h.sender.command('status', { userId: 'U0LOG', channelId: HARNESS_CHANNEL });
    // An OpenTrain failure and a rejected webhook are logged too.
    h.sandbox.injectFaults({ status: 401, count: 5 });
    await h.bot.ctx.sync.runOnce();
    await fetch(`http://127.0.0.1:${h.bot.port}/opentrain/webhook`, { method: 'POST', body: '{}' });
    await h.bot.idle();

    expect(lines.length).toBeGreaterThan(20);
    const log = lines.join('\n');
    for (const secret of [HARNESS_BOT_TOKEN, HARNESS_SIGNING_SECRET, SANDBOX_TOKENS.owner, webhookSecret]) {
      expect(log).not.toContain(secret);
    }
    expect(log).toMatch(/sync failed/);
  });
});
