import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HARNESS_CHANNEL, type Harness, startHarness } from '../../src/sandbox/harness.js';
import { type OpenTrainSandbox, startOpenTrainSandbox } from '../../src/sandbox/opentrain/index.js';
import type { StoredSlackView } from '../../src/sandbox/slack/standin.js';
import { clickHire, hireFormValues } from '../helpers/hire-fixtures.js';
import { deliverWebhook } from '../helpers/webhook.js';

// Hire…'s hard cases, end to end: the real app over signed HTTP or Socket Mode, the OpenTrain sandbox (whose clock
// the test moves) and the Slack stand-in. Replays, races, restarts, a lapsed approval, a proposal hired elsewhere, a
// channel the bot left and a deleted card — each judged by what reaches OpenTrain and what people see in Slack.

const ALICE = 'U0ALICE0001';
const BOB = 'U0BOB000001';
const OUTSIDER = 'U0OUTSIDER1';
const HOUR = 3_600_000;
const WEBHOOK_SECRET = 'whsec_hire_edges';

let offsetMs = 0;
const now = () => new Date(Date.now() + offsetMs);
let sandbox: OpenTrainSandbox;
let h: Harness;
const log: string[] = [];

async function start(mode: 'http' | 'socket'): Promise<void> {
  sandbox = await startOpenTrainSandbox({ port: 0, now });
  h = await startHarness({
    mode,
    sandbox,
    env: { REVIEWER_IDS: `${ALICE},${BOB}`, OT_WEBHOOK_SECRET: WEBHOOK_SECRET },
    deps: { clock: now },
    logSink: (line) => log.push(line),
  });
  await sync();
}

async function stop(): Promise<void> {
  await h?.close();
  await sandbox?.close();
  log.length = 0;
}

async function sync(): Promise<void> {
  await h.bot.ctx.sync.runOnce();
  await h.bot.idle();
}

function card(proposalId: string) {
  const found = h.slack.messages(HARNESS_CHANNEL).find((m) => m.metadata?.event_payload.proposal_id === proposalId);
  if (!found) throw new Error(`no card for ${proposalId}`);
  return found;
}

function cardText(proposalId: string): string {
  return JSON.stringify(card(proposalId).blocks);
}

async function newCard(): Promise<string> {
  const { proposalId } = sandbox.addProposal(sandbox.ids.jobs.spanish);
  await sync();
  return proposalId;
}

function threadLines(proposalId: string, ts = card(proposalId).ts): string[] {
  return h.slack
    .thread(HARNESS_CHANNEL, ts)
    .filter((m) => m.ts !== ts)
    .map((m) => m.text ?? '');
}

function hireOf(proposalId: string) {
  return h.bot.ctx.store.data.proposals[proposalId]!.hire!;
}

function hireRequests(proposalId: string) {
  return sandbox.requests.filter((r) => r.method === 'POST' && r.path.endsWith(`/proposals/${proposalId}/hire`));
}

function approvalsOf(proposalId: string) {
  return [...sandbox.state.approvals.values()].filter((a) => a.proposalId === proposalId);
}

function formValues(name: string, amount: string) {
  return hireFormValues({ name, amount });
}

async function openForm(proposalId: string, userId = ALICE): Promise<StoredSlackView> {
  const view = await clickHire(h, { proposalId, channel: HARNESS_CHANNEL, ts: card(proposalId).ts }, userId);
  expect(view?.view.callback_id).toBe('hire_submit');
  return view!;
}

async function submit(view: StoredSlackView, name: string, amount: string, userId = ALICE) {
  const result = await h.sender.viewSubmission({
    callbackId: 'hire_submit',
    userId,
    viewId: view.id,
    values: formValues(name, amount),
  });
  expect(result.status).toBe(200);
  await h.bot.idle();
  return result;
}

async function hire(proposalId: string, name: string, amount: string, userId = ALICE): Promise<StoredSlackView> {
  const view = await openForm(proposalId, userId);
  await submit(view, name, amount, userId);
  return h.slack.views.get(view.id)!;
}

describe('over signed HTTP', () => {
  beforeAll(() => start('http'));
  afterAll(stop);

  it('a non-reviewer forging the submission of a form a reviewer opened: refused in the form, nothing sent', async () => {
    const proposalId = await newCard();
    const view = await openForm(proposalId);
    await submit(view, 'Forged', '999', OUTSIDER);
    expect(h.slack.views.get(view.id)!.errors).toEqual({ hire_name: expect.stringContaining('hire candidates') });
    expect(hireRequests(proposalId)).toEqual([]);
    expect(threadLines(proposalId)).toEqual([]);
  });

  it('two reviewers asking with different terms at once: one pending approval, the later terms, both said', async () => {
    const proposalId = await newCard();
    const [alicesForm, bobsForm] = [await openForm(proposalId, ALICE), await openForm(proposalId, BOB)];
    await Promise.all([
      h.sender.viewSubmission({
        callbackId: 'hire_submit',
        userId: ALICE,
        viewId: alicesForm.id,
        values: formValues('Alice terms', '200'),
      }),
      h.sender.viewSubmission({
        callbackId: 'hire_submit',
        userId: BOB,
        viewId: bobsForm.id,
        values: formValues('Bob terms', '250'),
      }),
    ]);
    await h.bot.idle();
    const pending = approvalsOf(proposalId).filter((a) => a.status === 'pending');
    expect(approvalsOf(proposalId)).toHaveLength(2);
    expect(pending).toHaveLength(1);
    const record = hireOf(proposalId);
    // The bot's record is OpenTrain's one pending approval, and it remembers the one it replaced.
    expect(record.approvalId).toBe(pending[0]!.id);
    expect(record.superseded).toHaveLength(1);
    expect(cardText(proposalId)).toContain(pending[0]!.approvalUrl);
    const lines = threadLines(proposalId);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('requested a hire');
    expect(lines[1]).toContain('changed the hire terms');
    expect(lines[1]).toContain(`<@${record.requestedBy}>`);
    // The one whose request was replaced hears it in the modal of the one who replaced it.
    const texts = [alicesForm, bobsForm].map((v) => JSON.stringify(h.slack.views.get(v.id)!.view.blocks));
    expect(texts.filter((t) => t.includes('The previous approval was replaced'))).toHaveLength(1);
  });

  it('a proposal hired outside Slack meanwhile: the modal says so and offers no form to send again', async () => {
    const proposalId = await newCard();
    const view = await openForm(proposalId);
    sandbox.state.proposals.get(proposalId)!.status = 'HIRED';
    await submit(view, 'Too late', '100');
    const after = h.slack.views.get(view.id)!;
    expect(JSON.stringify(after.view.blocks)).toContain('already hired');
    expect(after.view.submit).toBeUndefined();
    expect(hireRequests(proposalId).map((r) => r.status)).toEqual([409]);
  });

  it('a form opened before the hire was confirmed and submitted after: nothing sent, the modal says hired', async () => {
    const proposalId = await newCard();
    await hire(proposalId, 'Confirmed meanwhile', '100');
    const view = await openForm(proposalId);
    sandbox.resolveApproval(hireOf(proposalId).approvalId, 'confirmed');
    await sync();
    await submit(view, 'Confirmed meanwhile', '150');
    expect(JSON.stringify(h.slack.views.get(view.id)!.view.blocks)).toContain('already hired');
    expect(hireRequests(proposalId)).toHaveLength(1);
  });

  it('the ledger read again from an older cursor: no line twice, nothing re-requested', async () => {
    const proposalId = await newCard();
    const cursorBefore = h.bot.ctx.store.data.cursor;
    await hire(proposalId, 'Replay the ledger', '120');
    sandbox.resolveApproval(hireOf(proposalId).approvalId, 'confirmed');
    await sync();
    const lines = threadLines(proposalId);
    expect(lines).toEqual([
      expect.stringContaining('requested a hire'),
      expect.stringContaining('✅ Hire confirmed'),
      expect.stringContaining('Contract created'),
    ]);
    h.bot.ctx.store.change((data) => {
      data.cursor = cursorBefore;
    });
    await sync();
    await sync();
    expect(threadLines(proposalId)).toEqual(lines);
    expect(hireRequests(proposalId)).toHaveLength(1);
  });

  it('approval.confirmed delivered by webhook, then again (same and new delivery id): one line, one read', async () => {
    const proposalId = await newCard();
    await hire(proposalId, 'Doorbell', '130');
    const approvalId = hireOf(proposalId).approvalId;
    const { webhookId } = sandbox.addWebhook(`http://127.0.0.1:${h.bot.port}/opentrain/webhook`, WEBHOOK_SECRET, [
      'approval.confirmed',
    ]);
    try {
      sandbox.resolveApproval(approvalId, 'declined');
      // The doorbell rings the sync by itself.
      await h.slack.waitFor(() => threadLines(proposalId).length === 2, 5000);
      await h.bot.idle();
      const delivery = await h.slack.waitFor(() => sandbox.deliveries.find((d) => d.status === 200));
      const event = sandbox.state.events.find((e) => e.type === 'approval.confirmed' && e.resourceId === approvalId)!;
      for (const deliveryId of [delivery.deliveryId, 'dlv_fresh_hire']) {
        expect(await deliverWebhook(h.bot.port!, WEBHOOK_SECRET, event, deliveryId)).toBe(200);
      }
      await sync();
      expect(threadLines(proposalId)).toEqual([
        expect.stringContaining('requested a hire'),
        expect.stringContaining('Hire declined'),
      ]);
      const reads = sandbox.requests.filter((r) => r.method === 'GET' && r.path.endsWith(`/approvals/${approvalId}`));
      expect(reads).toHaveLength(1);
    } finally {
      sandbox.state.webhooks.delete(webhookId);
    }
  });

  it('confirmed and a budget running low in one sync: the thread says hired and contract before the notice', async () => {
    const proposalId = await newCard();
    await hire(proposalId, 'Ordered', '140');
    const approvalId = hireOf(proposalId).approvalId;
    sandbox.resolveApproval(approvalId, 'confirmed');
    sandbox.setBudgetState(sandbox.state.approvals.get(approvalId)!.contractId!, 'LOW', 0.85);
    await sync();
    expect(threadLines(proposalId)).toEqual([
      expect.stringContaining('requested a hire'),
      expect.stringContaining('✅ Hire confirmed'),
      expect.stringContaining('Contract created'),
      expect.stringContaining('Budget is running low'),
    ]);
  });

  it('approval.confirmed for a milestone funding (another approval type, even naming the proposal): not a hire', async () => {
    const proposalId = await newCard();
    await hire(proposalId, 'Then fund more', '150');
    sandbox.resolveApproval(hireOf(proposalId).approvalId, 'confirmed');
    await sync();
    const before = { record: hireOf(proposalId), lines: threadLines(proposalId), card: cardText(proposalId) };
    const contractId = before.record.contractId!;
    // Documented with proposalId null; one naming the proposal must not be taken for a hire either.
    for (const named of [null, proposalId]) {
      const { approvalId } = sandbox.requestMilestoneFunding(contractId, { proposalId: named });
      sandbox.resolveApproval(approvalId, 'confirmed');
      await sync();
      expect(sandbox.requests.some((r) => r.path.endsWith(`/approvals/${approvalId}`))).toBe(true);
    }
    const { approvalId: declined } = sandbox.requestMilestoneFunding(contractId, { proposalId });
    sandbox.resolveApproval(declined, 'declined');
    await sync();
    expect(hireOf(proposalId)).toEqual(before.record);
    expect(threadLines(proposalId)).toEqual(before.lines);
    expect(cardText(proposalId)).toBe(before.card);
    expect(h.bot.ctx.store.data.pendingHireEvents).toEqual([]);
  });

  it('a card in a private channel the bot left: outcomes are still learned, the lines wait and then come once', async () => {
    const first = await newCard();
    const second = await newCard();
    await hire(first, 'First', '100');
    await hire(second, 'Second', '100');
    const channel = h.slack.channel(HARNESS_CHANNEL)!;
    channel.isPrivate = true;
    h.slack.setBotMembership(HARNESS_CHANNEL, false);
    try {
      sandbox.resolveApproval(hireOf(first).approvalId, 'declined');
      await sync();
      sandbox.resolveApproval(hireOf(second).approvalId, 'declined');
      await sync();
      // One card's line that can't be posted holds up nothing: the second outcome is learned too.
      expect([hireOf(first).status, hireOf(second).status]).toEqual(['declined', 'declined']);
      expect(log.some((l) => l.includes(`hire lines of proposal ${first} wait`))).toBe(true);
      expect(log.some((l) => l.includes('ERROR'))).toBe(false);
    } finally {
      channel.isPrivate = false;
      h.slack.setBotMembership(HARNESS_CHANNEL, true);
    }
    await sync();
    await sync();
    for (const proposalId of [first, second]) {
      expect(threadLines(proposalId)).toEqual([
        expect.stringContaining('requested a hire'),
        expect.stringContaining('Hire declined'),
      ]);
    }
  });

  it('a card deleted in Slack: the outcome is still learned; its lines and notices are given up, not retried forever', async () => {
    const proposalId = await newCard();
    await hire(proposalId, 'Deleted card', '100');
    const { ts } = card(proposalId);
    const messages = h.slack.channel(HARNESS_CHANNEL)!.messages;
    messages.splice(
      messages.findIndex((m) => m.ts === ts),
      1,
    );
    const approvalId = hireOf(proposalId).approvalId;
    sandbox.resolveApproval(approvalId, 'confirmed');
    sandbox.setBudgetState(sandbox.state.approvals.get(approvalId)!.contractId!, 'LOW', 0.8);
    log.length = 0;
    await sync();
    expect(hireOf(proposalId)).toMatchObject({ status: 'confirmed', lineIntent: null });
    expect(h.bot.ctx.store.data.noticesDue).toEqual([]);
    expect(log.some((l) => l.includes('is gone'))).toBe(true);
    log.length = 0;
    await sync();
    expect(log.filter((l) => l.includes(proposalId) || l.includes('thread_not_found'))).toEqual([]);
    expect(threadLines(proposalId, ts)).toEqual([expect.stringContaining('requested a hire')]);
  });
  it('submitted after the approval lapsed unread: a fresh request, not a "replaced" one', async () => {
    const proposalId = await newCard();
    await hire(proposalId, 'Lapsing', '80');
    const first = hireOf(proposalId).approvalId;
    // The sandbox's clock jumps; webhook signatures (Slack's and OpenTrain's) would then be out of their window,
    // so this test comes last among the HTTP ones.
    offsetMs += 73 * HOUR;
    // No sync since: the store still says pending when the person submits the same terms again.
    const view = await hire(proposalId, 'Lapsing', '80');
    const text = JSON.stringify(view.view.blocks);
    expect(text).toContain('requested');
    expect(text).not.toContain('replaced');
    const record = hireOf(proposalId);
    expect(record.approvalId).not.toBe(first);
    expect(record.status).toBe('pending');
    expect(sandbox.state.approvals.get(first)!.status).toBe('expired');
    expect(record.superseded).toEqual([]);
    await sync();
    const lines = threadLines(proposalId);
    expect(lines.filter((l) => l.includes('requested a hire'))).toHaveLength(2);
    expect(lines.some((l) => l.includes('changed the hire terms'))).toBe(false);
    expect(cardText(proposalId)).toContain('waiting for approval');
  });
});

describe('over Socket Mode', () => {
  beforeAll(() => start('socket'));
  afterAll(stop);

  function lastInteractive(): Record<string, unknown> {
    const envelope = [...h.slack.socket.envelopes].reverse().find((e) => e.type === 'interactive');
    if (!envelope) throw new Error('nothing was delivered over the socket');
    return envelope.payload;
  }

  it('the submission delivered again (same payload): asked once, one line', async () => {
    const proposalId = await newCard();
    const view = await openForm(proposalId);
    await submit(view, 'Socket hire', '300');
    const delivered = lastInteractive();
    expect((await h.sender.interaction(delivered)).status).toBe(200);
    await h.bot.idle();
    expect(hireRequests(proposalId)).toHaveLength(1);
    expect(threadLines(proposalId)).toHaveLength(1);
    expect(cardText(proposalId)).toContain('waiting for approval');
  });

  it('a form opened before a restart and submitted after it: requested once; the same terms again reuse it', async () => {
    const proposalId = await newCard();
    const view = await openForm(proposalId);
    h = await h.restart();
    await submit(view, 'Across a restart', '310');
    expect(approvalsOf(proposalId)).toHaveLength(1);
    expect(JSON.stringify(h.slack.views.get(view.id)!.view.blocks)).toContain('requested');
    // The replay memory did not survive the restart: the same submission again is a reuse on OpenTrain's side.
    expect((await h.sender.interaction(lastInteractive())).status).toBe(200);
    await h.bot.idle();
    expect(approvalsOf(proposalId)).toHaveLength(1);
    expect(threadLines(proposalId)).toHaveLength(1);
  });
});
