import { afterEach, describe, expect, it } from 'vitest';
import { HARNESS_CHANNEL, type Harness, type HarnessOptions, startHarness } from '../../src/sandbox/harness.js';
import { SANDBOX_TOKENS } from '../../src/sandbox/opentrain/index.js';
import type { StoredSlackMessage } from '../../src/sandbox/slack/standin.js';
import { cardFor, visibleText } from '../helpers/slack-text.js';
import { deliverWebhook } from '../helpers/webhook.js';

// After the hire, end to end: the real app over signed HTTP, the OpenTrain sandbox (which makes the hire: POST
// /proposals/{id}/hire with the bot's token, then the resolve knob, as the human confirming it) and the Slack
// stand-in. What is asserted is what the card's thread shows.

const SECRET = 'whsec_post_hire_secret';

let h: Harness;
const log: string[] = [];
afterEach(async () => {
  await h?.close();
  log.length = 0;
});

interface Scene {
  proposalId: string;
  contractId: string;
  cardTs: string;
}

async function syncOnce(): Promise<void> {
  await h.bot.ctx.sync.runOnce();
  await h.bot.idle();
}

/** The seeded cards posted, then the spanishRecent proposal hired through the sandbox API and confirmed. */
async function hiredScene(options: HarnessOptions = {}): Promise<Scene> {
  h = await startHarness({ ...options, logSink: (line) => log.push(line) });
  await syncOnce();
  const proposalId = h.sandbox.ids.proposals.spanishRecent;
  const card = cardFor(h.slack.messages(HARNESS_CHANNEL), proposalId);
  if (!card) throw new Error('no card for the spanishRecent proposal');
  const response = await fetch(`${h.sandbox.url}/proposals/${proposalId}/hire`, {
    method: 'POST',
    headers: { authorization: `Bearer ${SANDBOX_TOKENS.owner}`, 'content-type': 'application/json' },
    body: JSON.stringify({ milestone: { name: 'First labeling batch', amount: 300 } }),
  });
  expect(response.status).toBe(202);
  const { approval } = (await response.json()) as { approval: { id: string } };
  const resolved = await fetch(`${h.sandbox.knobUrl}/approvals/${approval.id}/resolve`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ status: 'confirmed' }),
  });
  expect(resolved.status).toBe(200);
  const contractId = h.sandbox.state.approvals.get(approval.id)!.contractId!;
  await syncOnce();
  return { proposalId, contractId, cardTs: card.ts };
}

/** What the card's thread shows that the post-hire notices wrote. */
function notices(s: Scene): StoredSlackMessage[] {
  return h.slack
    .thread(HARNESS_CHANNEL, s.cardTs)
    .filter((m) => m.ts !== s.cardTs && m.metadata?.event_type === 'opentrain_notice');
}

const texts = (s: Scene) => notices(s).map((m) => visibleText(m));

describe('post-hire notices (end to end)', () => {
  it('payment.pending: one line in the card’s thread with the amount, the milestone and a link to OpenTrain', async () => {
    const s = await hiredScene();
    expect(notices(s)).toEqual([]);
    // The hire (asked outside Slack) was learned from its approval event; the notice finds the card either way.
    expect(h.bot.ctx.store.data.proposals[s.proposalId]?.hire).toMatchObject({
      status: 'confirmed',
      contractId: s.contractId,
    });

    const { invoiceId } = h.sandbox.paymentPending(s.contractId);
    await syncOnce();

    expect(texts(s)).toHaveLength(1);
    const line = texts(s)[0]!;
    expect(line).toContain('An invoice of *$300* for “First labeling batch” is waiting for payment');
    expect(line).toContain(`/contracts/${s.contractId}|open the contract in OpenTrain>`);
    expect(h.sandbox.requests.some((r) => r.path === `/contracts/${s.contractId}`)).toBe(true);
    expect(h.bot.ctx.store.data.proposals[s.proposalId]?.notices).toEqual([`payment.pending:${invoiceId}`]);
    expect(h.bot.ctx.store.data.noticesDue).toEqual([]);

    // Nothing new: a later sync posts nothing more.
    await syncOnce();
    expect(texts(s)).toHaveLength(1);
  });

  it('budget LOW then DEPLETED: one line each; back to OK: nothing; LOW again after a top-up: said again', async () => {
    const s = await hiredScene();
    h.sandbox.setBudgetState(s.contractId, 'LOW', 0.82);
    await syncOnce();
    h.sandbox.setBudgetState(s.contractId, 'DEPLETED');
    await syncOnce();
    h.sandbox.setBudgetState(s.contractId, 'OK', 0.1);
    await syncOnce();

    expect(texts(s)).toEqual([
      expect.stringContaining('Budget is running low: 82 % used for “First labeling batch”'),
      expect.stringContaining('Budget is used up for “First labeling batch”'),
    ]);
    const moves = h.sandbox.state.events.filter((e) => e.type === 'contract.budget_state_changed').map((e) => e.id);
    expect(h.bot.ctx.store.data.proposals[s.proposalId]?.notices).toEqual([
      `budget:${s.contractId}:LOW:${moves[0]}`,
      `budget:${s.contractId}:DEPLETED:${moves[1]}`,
    ]);

    // Topped up, then running low again: a new move that needs a person again, said once more.
    h.sandbox.setBudgetState(s.contractId, 'LOW', 0.9);
    await syncOnce();
    await syncOnce();
    expect(texts(s)).toHaveLength(3);
    expect(texts(s)[2]).toContain('Budget is running low: 90 % used');
  });

  it('the same event read again (the ledger replayed) or delivered twice by webhook posts nothing twice', async () => {
    const s = await hiredScene({ env: { OT_WEBHOOK_SECRET: SECRET } });
    const before = h.bot.ctx.store.data.cursor!;
    h.sandbox.addWebhook(`http://127.0.0.1:${h.bot.port}/opentrain/webhook`, SECRET, ['payment.pending']);
    h.sandbox.paymentPending(s.contractId);
    // The doorbell rings the sync by itself.
    await h.slack.waitFor(() => notices(s).length === 1, 5000);
    await h.bot.idle();
    const delivery = await h.slack.waitFor(() => h.sandbox.deliveries.find((d) => d.status === 200));

    // The same delivery again, and the same event under a new delivery id: the ledger has nothing new.
    const event = h.sandbox.state.events.find((e) => e.type === 'payment.pending')!;
    for (const deliveryId of [delivery.deliveryId, 'dlv_fresh_id']) {
      expect(await deliverWebhook(h.bot.port!, SECRET, event, deliveryId)).toBe(200);
    }
    await h.bot.ctx.sync.runOnce();
    await h.bot.idle();
    expect(texts(s)).toHaveLength(1);

    // The ledger read again from before the event (a cursor restored from an older file): still one line.
    h.bot.ctx.store.change((data) => {
      data.cursor = before;
    });
    await syncOnce();
    expect(texts(s)).toHaveLength(1);
    expect(h.bot.ctx.store.data.noticesDue).toEqual([]);
  });

  it('a restart between posting and recording it does not post again; an intent whose post never landed posts once', async () => {
    const s = await hiredScene();
    const { invoiceId } = h.sandbox.paymentPending(s.contractId);
    await syncOnce();
    expect(texts(s)).toHaveLength(1);
    const key = `payment.pending:${invoiceId}`;
    const due = {
      key,
      kind: 'payment_pending' as const,
      contractId: s.contractId,
      invoiceId,
      milestoneId: null,
      consumedPercent: null,
      at: new Date().toISOString(),
      proposalId: null,
      postingAt: new Date().toISOString(),
    };

    // Crash after chat.postMessage, before the key was recorded: the intent is on disk, the key is not.
    h.bot.ctx.store.change((data) => {
      data.proposals[s.proposalId]!.notices = [];
      data.noticesDue = [due];
    });
    h = await h.restart();
    await syncOnce();
    expect(texts(s)).toHaveLength(1);
    expect(h.bot.ctx.store.data.proposals[s.proposalId]?.notices).toEqual([key]);
    expect(log.some((line) => line.includes(`${key} was already in the thread`))).toBe(true);

    // Crash after the intent, before chat.postMessage: nothing in the thread, so it is posted, once.
    h.sandbox.setBudgetState(s.contractId, 'LOW');
    const lowKey = `budget:${s.contractId}:LOW:${h.sandbox.state.events.at(-1)!.id}`;
    h.bot.ctx.store.change((data) => {
      data.noticesDue = [{ ...due, key: lowKey, kind: 'budget_low', invoiceId: null, consumedPercent: 82 }];
      data.cursor = String(Number(h.sandbox.state.events.at(-1)!.id));
    });
    h = await h.restart();
    await syncOnce();
    await syncOnce();
    expect(texts(s)).toEqual([expect.stringContaining('An invoice'), expect.stringContaining('82 % used')]);
  });

  it('a card’s channel the bot may not post to: the notice waits (logged) and is posted once after the invite', async () => {
    const s = await hiredScene();
    const channel = h.slack.channel(HARNESS_CHANNEL)!;
    channel.isPrivate = true;
    h.slack.setBotMembership(HARNESS_CHANNEL, false);
    h.sandbox.setBudgetState(s.contractId, 'DEPLETED');
    await syncOnce();
    await syncOnce();
    expect(notices(s)).toEqual([]);
    const depletedKey = `budget:${s.contractId}:DEPLETED:${h.sandbox.state.events.at(-1)!.id}`;
    expect(log.some((line) => line.includes(`${depletedKey} waits`))).toBe(true);
    expect(h.bot.ctx.store.data.noticesDue?.map((n) => n.key)).toEqual([depletedKey]);

    h.slack.setBotMembership(HARNESS_CHANNEL, true);
    await syncOnce();
    await syncOnce();
    expect(texts(s)).toEqual([expect.stringContaining('Budget is used up')]);
  });

  it('a contract whose proposal has no card: logged and skipped', async () => {
    const s = await hiredScene();
    // A proposal the bot never carded (older than the backfill window, or not unreviewed): hired outside the bot.
    const other = Object.values(h.sandbox.ids.proposals).find(
      (id) => !h.bot.ctx.store.data.proposals[id]?.card && h.sandbox.state.proposals.get(id)?.status !== 'HIRED',
    )!;
    expect(other).toBeDefined();
    const response = await fetch(`${h.sandbox.url}/proposals/${other}/hire`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SANDBOX_TOKENS.owner}`, 'content-type': 'application/json' },
      body: JSON.stringify({ milestone: { description: 'Pilot', amount: 120 } }),
    });
    const { approval } = (await response.json()) as { approval: { id: string } };
    h.sandbox.resolveApproval(approval.id, 'confirmed');
    const contractId = h.sandbox.state.approvals.get(approval.id)!.contractId!;
    h.sandbox.paymentPending(contractId);
    await syncOnce();
    expect(log.some((line) => line.includes('has no card to post it under; skipped'))).toBe(true);
    expect(h.bot.ctx.store.data.noticesDue).toEqual([]);
    expect(notices(s)).toEqual([]);
  });
});
