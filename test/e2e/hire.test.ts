import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HARNESS_CHANNEL, type Harness, startHarness } from '../../src/sandbox/harness.js';
import { type OpenTrainSandbox, startOpenTrainSandbox } from '../../src/sandbox/opentrain/index.js';
import type { StoredSlackView } from '../../src/sandbox/slack/standin.js';
import { clickHire as clickHireOn, hireFormValues } from '../helpers/hire-fixtures.js';

// Hire…, with the approval visible, end to end: the real app over signed HTTP, the OpenTrain sandbox (whose clock the
// test can move) and the Slack stand-in recording what people see — the modal, the card, the card's thread.

const ALICE = 'U0ALICE0001';
const OUTSIDER = 'U0OUTSIDER1';
const HOUR = 3_600_000;

function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(textOf).join('\n');
  if (value && typeof value === 'object') return Object.values(value).map(textOf).join('\n');
  return '';
}

const formValues = hireFormValues;

let offsetMs = 0;
const now = () => new Date(Date.now() + offsetMs);
let sandbox: OpenTrainSandbox;
let h: Harness;

beforeAll(async () => {
  sandbox = await startOpenTrainSandbox({ port: 0, now, webhookRetryDelaysMs: [50, 100, 200, 400] });
  h = await startHarness({ sandbox, env: { REVIEWER_IDS: ALICE }, deps: { clock: now } });
  await h.bot.ctx.sync.runOnce();
  await h.bot.idle();
});

afterAll(async () => {
  await h?.close();
});

async function sync(): Promise<void> {
  await h.bot.ctx.sync.runOnce();
  await h.bot.idle();
}

/** A fresh proposal with its card posted (each test hires someone of its own). */
async function newCard(): Promise<{ proposalId: string; ts: string }> {
  const { proposalId } = sandbox.addProposal(sandbox.ids.jobs.spanish);
  await sync();
  return { proposalId, ts: card(proposalId).ts };
}

function card(proposalId: string) {
  const found = h.slack.messages(HARNESS_CHANNEL).find((m) => m.metadata?.event_payload.proposal_id === proposalId);
  if (!found) throw new Error(`no card for ${proposalId}`);
  return found;
}

function cardText(proposalId: string): string {
  return textOf(card(proposalId).blocks);
}

/** The hire lines in the card's thread (what the channel reads there). */
function threadLines(proposalId: string): string[] {
  const { ts } = card(proposalId);
  return h.slack
    .thread(HARNESS_CHANNEL, ts)
    .filter((m) => m.ts !== ts)
    .map((m) => m.text ?? '');
}

function hireRequests(proposalId: string) {
  return sandbox.requests.filter((r) => r.method === 'POST' && r.path.endsWith(`/proposals/${proposalId}/hire`));
}

function approvalsOf(proposalId: string) {
  return [...sandbox.state.approvals.values()].filter((a) => a.proposalId === proposalId);
}

/** Clicks Hire… on the card; returns the modal it opened (or undefined). */
function clickHire(proposalId: string, userId = ALICE): Promise<StoredSlackView | undefined> {
  return clickHireOn(h, { proposalId, channel: HARNESS_CHANNEL, ts: card(proposalId).ts }, userId);
}

async function submitHire(view: StoredSlackView, terms: Parameters<typeof formValues>[0], userId = ALICE) {
  const result = await h.sender.viewSubmission({
    callbackId: 'hire_submit',
    userId,
    viewId: view.id,
    values: formValues(terms),
  });
  expect(result.status).toBe(200);
  await h.bot.idle();
  return result;
}

/** Opens the form and submits it; returns the modal as it ends up. */
async function hire(proposalId: string, terms: Parameters<typeof formValues>[0]) {
  const view = await clickHire(proposalId);
  expect(view?.view.callback_id).toBe('hire_submit');
  await submitHire(view!, terms);
  return h.slack.views.get(view!.id)!;
}

describe('requesting a hire', () => {
  it('opens the form with the fees explained, then shows the card waiting for approval, with the link', async () => {
    const { proposalId } = await newCard();
    let started = performance.now();
    const view = await clickHire(proposalId);
    const clickMs = performance.now() - started;
    expect(view?.view.callback_id).toBe('hire_submit');
    const form = textOf(view!.view.blocks);
    expect(form).toContain('10 % marketplace fee and a $9.95 contract-initiation fee');
    expect(form).toContain('First milestone: name or description');

    started = performance.now();
    const submitted = await h.sender.viewSubmission({
      callbackId: 'hire_submit',
      userId: ALICE,
      viewId: view!.id,
      values: formValues({ name: 'First 1,000 labels', amount: '500', dueDate: null }),
    });
    const submitAckMs = performance.now() - started;
    // Acknowledged at once with the "asking OpenTrain" view; the outcome replaces it.
    expect(submitted.answer).toMatchObject({ response_action: 'update' });
    expect(textOf(submitted.answer)).toContain('Asking OpenTrain to hire');
    await h.bot.idle();
    // Slack waits 3 s at most; the click (with its modal open) and the submission's ack come well within it.
    expect(clickMs).toBeLessThan(3000);
    expect(submitAckMs).toBeLessThan(3000);
    const modal = textOf(h.slack.views.get(view!.id)!.view.blocks);
    expect(modal).toContain('requested');
    expect(modal).toContain('$559.95 with fees');

    const [approval] = approvalsOf(proposalId);
    expect(approval?.status).toBe('pending');
    const sent = hireRequests(proposalId);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.body).toEqual({ milestone: { name: 'First 1,000 labels', amount: 500 } });
    expect(sent[0]!.status).toBe(202);

    const text = cardText(proposalId);
    expect(text).toContain(`Hire requested by <@${ALICE}> — waiting for approval (expires <!date^`);
    expect(text).toContain(`<${approval!.approvalUrl}|Open the approval>`);
    expect(modal).toContain(approval!.approvalUrl);
    const lines = threadLines(proposalId);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`<@${ALICE}> requested a hire`);
  });

  it('validates in the modal: no name, a zero amount, a past due date; nothing is sent', async () => {
    const { proposalId } = await newCard();
    const view = await clickHire(proposalId);
    await submitHire(view!, { name: ' ', amount: '0', dueDate: '2020-01-01' });
    const errors = h.slack.views.get(view!.id)!.errors;
    expect(errors).toEqual({
      hire_name: 'Give the first milestone a name or a short description.',
      hire_amount: 'Enter the milestone amount in US dollars, more than 0 (for example 500 or 1,250.50).',
      hire_due: 'The due date is in the past; pick today or a later day, or leave it empty.',
    });
    expect(hireRequests(proposalId)).toHaveLength(0);
  });

  it('the same terms reuse the approval: "already waiting", no new record, no second thread line', async () => {
    const { proposalId } = await newCard();
    await hire(proposalId, { name: 'Pilot batch', amount: '200' });
    const first = h.bot.ctx.store.data.proposals[proposalId]!.hire!;
    const again = await hire(proposalId, { name: 'Pilot batch', amount: '200' });
    expect(textOf(again.view.blocks)).toContain('already waiting for approval');
    expect(approvalsOf(proposalId)).toHaveLength(1);
    expect(h.bot.ctx.store.data.proposals[proposalId]!.hire!.approvalId).toBe(first.approvalId);
    expect(threadLines(proposalId)).toHaveLength(1);
  });

  it('different terms supersede the pending approval, and say so', async () => {
    const { proposalId } = await newCard();
    await hire(proposalId, { name: 'Pilot batch', amount: '200' });
    const first = h.bot.ctx.store.data.proposals[proposalId]!.hire!.approvalId;
    const changed = await hire(proposalId, { name: 'Pilot batch', amount: '250' });
    expect(textOf(changed.view.blocks)).toContain('The previous approval was replaced');
    const hireRecord = h.bot.ctx.store.data.proposals[proposalId]!.hire!;
    expect(hireRecord.approvalId).not.toBe(first);
    expect(hireRecord.superseded).toEqual([first]);
    expect(hireRecord.terms?.amountUsd).toBe(250);
    const lines = threadLines(proposalId);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('changed the hire terms');
    expect(lines[1]).toContain('The previous approval was replaced');
    expect(cardText(proposalId)).toContain(hireRecord.approvalUrl!);
  });

  it('a replayed submission (the same signed request twice) asks once and posts once', async () => {
    const { proposalId } = await newCard();
    const view = await clickHire(proposalId);
    await submitHire(view!, { name: 'Replay me', amount: '300' });
    const replayed = await h.sender.replay();
    expect(replayed.status).toBe(200);
    await h.bot.idle();
    expect(hireRequests(proposalId)).toHaveLength(1);
    expect(approvalsOf(proposalId)).toHaveLength(1);
    expect(threadLines(proposalId)).toHaveLength(1);
  });

  it('an answer lost on the way is asked for again (same terms, same approval): one approval, one line', async () => {
    const { proposalId } = await newCard();
    sandbox.injectFaults({ status: 500, count: 1, match: /\/hire$/, method: 'POST', dropResponse: true });
    const view = await hire(proposalId, { name: 'Lost answer', amount: '320' });
    expect(hireRequests(proposalId)).toHaveLength(2);
    expect(approvalsOf(proposalId)).toHaveLength(1);
    expect(textOf(view.view.blocks)).toContain('requested');
    expect(threadLines(proposalId)).toHaveLength(1);
    expect(cardText(proposalId)).toContain('waiting for approval');
  });

  it('no answer twice (the retry lost too): says OpenTrain may have it, keeps the terms; the same again reuses it', async () => {
    const { proposalId } = await newCard();
    sandbox.injectFaults({ status: 500, count: 2, match: /\/hire$/, method: 'POST', dropResponse: true });
    const view = await hire(proposalId, { name: 'Twice lost', amount: '330' });
    const text = textOf(view.view.blocks);
    expect(text).toContain('OpenTrain may have recorded the request without answering');
    expect(text).not.toContain('Nothing was requested');
    expect(JSON.stringify(view.view.blocks)).toContain('"initial_value":"Twice lost"');
    // It did: the same terms again find that approval rather than make a second one.
    expect(approvalsOf(proposalId)).toHaveLength(1);
    await hire(proposalId, { name: 'Twice lost', amount: '330' });
    expect(approvalsOf(proposalId)).toHaveLength(1);
    expect(h.bot.ctx.store.data.proposals[proposalId]!.hire?.approvalId).toBe(approvalsOf(proposalId)[0]!.id);
    expect(cardText(proposalId)).toContain('waiting for approval');
  });

  it('a double-click (two submissions at once) makes one approval and one thread line', async () => {
    const { proposalId } = await newCard();
    const view = await clickHire(proposalId);
    const values = formValues({ name: 'Twice', amount: '310' });
    const [a, b] = await Promise.all([
      h.sender.viewSubmission({ callbackId: 'hire_submit', userId: ALICE, viewId: view!.id, values }),
      h.sender.viewSubmission({ callbackId: 'hire_submit', userId: ALICE, viewId: view!.id, values }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    await h.bot.idle();
    expect(approvalsOf(proposalId)).toHaveLength(1);
    expect(threadLines(proposalId)).toHaveLength(1);
  });

  it('refuses someone who is not a reviewer, in a sentence, and opens nothing', async () => {
    const { proposalId } = await newCard();
    const opened = await clickHire(proposalId, OUTSIDER);
    expect(opened).toBeUndefined();
    const told = h.slack.ephemerals.filter((e) => e.user === OUTSIDER).at(-1);
    expect(told?.text).toContain('Only the hiring reviewers');
    expect(told?.text).toContain('hire candidates');
  });
});

describe('errors in words, in the modal', () => {
  async function failingHire(setUp: (proposalId: string) => void, undo: () => void) {
    const { proposalId } = await newCard();
    setUp(proposalId);
    try {
      const view = await hire(proposalId, { name: 'Kept terms', amount: '400' });
      expect(h.bot.ctx.store.data.proposals[proposalId]!.hire ?? null).toBeNull();
      expect(threadLines(proposalId)).toEqual([]);
      return { proposalId, text: textOf(view.view.blocks), view };
    } finally {
      undo();
    }
  }

  it('payment method required: the billing link, and the typed terms kept', async () => {
    const { text, view } = await failingHire(
      () => sandbox.setBilling({ paymentMethod: false, creditsUsd: 0 }),
      () => sandbox.setBilling({ paymentMethod: true }),
    );
    expect(text).toContain('needs a payment method or enough credits');
    expect(text).toContain('https://app.opentrain.ai/settings/billing');
    expect(view.view.callback_id).toBe('hire_submit');
    expect(JSON.stringify(view.view.blocks)).toContain('"initial_value":"Kept terms"');
  });

  it('enough credits stand in for a payment method', async () => {
    const { proposalId } = await newCard();
    sandbox.setBilling({ paymentMethod: false, creditsUsd: 1000 });
    try {
      await hire(proposalId, { name: 'Credits', amount: '400' });
      expect(approvalsOf(proposalId)).toHaveLength(1);
    } finally {
      sandbox.setBilling({ paymentMethod: true });
    }
  });

  it('feature off', async () => {
    const { text, view } = await failingHire(
      () => sandbox.setFeature('public_api_hiring', false),
      () => sandbox.setFeature('public_api_hiring', true),
    );
    expect(text).toContain("OpenTrain's hiring feature (public_api_hiring) isn't enabled for this account");
    expect(JSON.stringify(view.view.blocks)).toContain('"initial_value":"Kept terms"');
  });

  it('already hired (OpenTrain knows before the bot does)', async () => {
    const { text } = await failingHire(
      (proposalId) => {
        sandbox.state.proposals.get(proposalId)!.status = 'HIRED';
      },
      () => {},
    );
    expect(text).toContain('OpenTrain says this proposal is already hired');
  });
});

describe('a token that may not hire', () => {
  it('unclaimed account: the claim link; missing scope: which one', async () => {
    const { proposalId } = await newCard();
    // The same store and Slack, a bot started with the unclaimed account's token.
    h = await h.restart({ env: { OT_API_TOKEN: 'ot_pat_sandbox_unclaimed' } });
    const view = await hire(proposalId, { name: 'Unclaimed', amount: '100' });
    const text = textOf(view.view.blocks);
    expect(text).toContain('A human must claim this OpenTrain account before the bot can hire AI trainers');
    expect(text).toContain('https://app.opentrain.ai/claim');
    expect(JSON.stringify(view.view.blocks)).toContain('"initial_value":"Unclaimed"');

    sandbox.addToken('ot_pat_sandbox_noscope', { scopes: ['proposals:read', 'payments:read'], claimed: true });
    h = await h.restart({ env: { OT_API_TOKEN: 'ot_pat_sandbox_noscope' } });
    const second = await hire(proposalId, { name: 'No scope', amount: '100' });
    expect(textOf(second.view.blocks)).toContain('missing the proposals:write scope');
    expect(JSON.stringify(second.view.blocks)).toContain('"initial_value":"No scope"');
    expect(approvalsOf(proposalId)).toHaveLength(0);
    h = await h.restart({ env: { OT_API_TOKEN: 'ot_pat_sandbox_owner' } });
  });
});

describe('a proposal marked Not a fit', () => {
  it('asks before sending the confirmation flag; nothing is sent until the person confirms', async () => {
    const { proposalId } = await newCard();
    sandbox.setProposalStatus(proposalId, 'NOT_A_FIT');
    await sync();
    const view = await clickHire(proposalId);
    await submitHire(view!, { name: 'Second chance', amount: '150' });
    const step = h.slack.views.get(view!.id)!;
    expect(step.view.callback_id).toBe('hire_not_a_fit_confirm');
    expect(textOf(step.view.blocks)).toContain('marked *Not a fit* on OpenTrain');
    expect(textOf(step.view.blocks)).toContain('$174.95');
    expect(hireRequests(proposalId)).toHaveLength(0);

    const confirmed = await h.sender.viewSubmission({
      callbackId: 'hire_not_a_fit_confirm',
      userId: ALICE,
      viewId: view!.id,
      values: {},
    });
    expect(confirmed.status).toBe(200);
    await h.bot.idle();
    const sent = hireRequests(proposalId);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.body).toEqual({ milestone: { name: 'Second chance', amount: 150 }, confirmNotAFit: true });
    expect(cardText(proposalId)).toContain('waiting for approval');
  });

  it('the sandbox refuses without the flag (a store that did not know yet): the modal then asks', async () => {
    const { proposalId } = await newCard();
    // OpenTrain knows, the bot doesn't (no sync since).
    sandbox.state.proposals.get(proposalId)!.status = 'NOT_A_FIT';
    const view = await hire(proposalId, { name: 'Stale', amount: '100' });
    expect(view.view.callback_id).toBe('hire_not_a_fit_confirm');
    expect(hireRequests(proposalId).map((r) => r.status)).toEqual([409]);
  });
});

describe('approval outcomes', () => {
  it('confirmed: the card says hired, the thread hears it and the contract, once each, even replayed', async () => {
    const { proposalId } = await newCard();
    await hire(proposalId, { name: 'Go', amount: '500' });
    const approvalId = h.bot.ctx.store.data.proposals[proposalId]!.hire!.approvalId;
    sandbox.resolveApproval(approvalId, 'confirmed');
    await sync();
    expect(cardText(proposalId)).toContain('✅ Hired');
    expect(card(proposalId).blocks?.some((b) => JSON.stringify(b).includes('"card_hire"'))).toBe(false);
    const lines = threadLines(proposalId);
    expect(lines.filter((l) => l.includes('✅ Hire confirmed'))).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith('Contract created'))).toHaveLength(1);
    const contractId = h.bot.ctx.store.data.proposals[proposalId]!.hire!.contractId;
    expect(contractId).toMatch(/^ctr_/);

    // The same events again (a cursor moved back, a replayed ledger): nothing more in the thread.
    h.bot.ctx.store.change((data) => {
      data.pendingHireEvents = [
        { kind: 'approval', id: approvalId, proposalId: null },
        { kind: 'contract', id: contractId!, proposalId },
      ];
    });
    await sync();
    expect(threadLines(proposalId)).toEqual(lines);
    expect(h.bot.ctx.store.data.pendingHireEvents).toEqual([]);

    // And after a restart.
    h = await h.restart();
    await sync();
    expect(threadLines(proposalId)).toEqual(lines);
  });

  it('declined: the card and the thread say so', async () => {
    const { proposalId } = await newCard();
    await hire(proposalId, { name: 'No', amount: '90' });
    sandbox.resolveApproval(h.bot.ctx.store.data.proposals[proposalId]!.hire!.approvalId, 'declined');
    await sync();
    expect(cardText(proposalId)).toContain('Hire declined on OpenTrain');
    expect(threadLines(proposalId).filter((l) => l.startsWith('Hire declined'))).toHaveLength(1);
  });

  it('an approval asked outside Slack is learned from its event', async () => {
    const { proposalId } = await newCard();
    // Someone asks through the API directly (the CLI, another script), not through Slack.
    const response = await fetch(`${sandbox.url}/proposals/${proposalId}/hire`, {
      method: 'POST',
      headers: { authorization: 'Bearer ot_pat_sandbox_owner', 'content-type': 'application/json' },
      body: JSON.stringify({ milestone: { name: 'Outside', amount: 10 } }),
    });
    expect(response.status).toBe(202);
    const { approval } = (await response.json()) as { approval: { id: string } };
    sandbox.resolveApproval(approval.id, 'declined');
    await sync();
    expect(h.bot.ctx.store.data.proposals[proposalId]!.hire).toMatchObject({
      approvalId: approval.id,
      status: 'declined',
      requestedBy: null,
    });
    expect(cardText(proposalId)).toContain('Hire declined');
  });

  it('expiry: past 72 h of the sandbox clock the bot reads the approval, which expires it; card and thread say so', async () => {
    const { proposalId } = await newCard();
    await hire(proposalId, { name: 'Slow', amount: '70' });
    const approvalId = h.bot.ctx.store.data.proposals[proposalId]!.hire!.approvalId;
    await sync();
    expect(sandbox.state.approvals.get(approvalId)!.status).toBe('pending');
    offsetMs += 73 * HOUR;
    await sync();
    expect(sandbox.state.approvals.get(approvalId)!.status).toBe('expired');
    expect(sandbox.requests.some((r) => r.method === 'GET' && r.path.endsWith(`/approvals/${approvalId}`))).toBe(true);
    expect(cardText(proposalId)).toContain('The hire approval expired');
    // The read made OpenTrain emit the event; the next cycle's event changes nothing more.
    await sync();
    expect(threadLines(proposalId).filter((l) => l.startsWith('The hire approval expired'))).toHaveLength(1);
  });
});

describe('the digest', () => {
  it('lists hires waiting for approval with their links, flagging those expiring within a day', async () => {
    const soon = await newCard();
    await hire(soon.proposalId, { name: 'Soon', amount: '60' });
    // 50 hours later that approval has less than a day left; a fresh one asked now has three.
    offsetMs += 50 * HOUR;
    const later = await newCard();
    await hire(later.proposalId, { name: 'Later', amount: '61' });
    const result = await h.sender.command('digest', { userId: ALICE, channelId: HARNESS_CHANNEL });
    expect(result.status).toBe(200);
    await h.bot.idle();
    const digest = h.slack.messages(HARNESS_CHANNEL).findLast((m) => (m.text ?? '').startsWith('Daily hiring digest'));
    const text = textOf(digest?.blocks);
    expect(text).toContain('*Hires waiting for approval*');
    const soonUrl = h.bot.ctx.store.data.proposals[soon.proposalId]!.hire!.approvalUrl!;
    const laterUrl = h.bot.ctx.store.data.proposals[later.proposalId]!.hire!.approvalUrl!;
    const soonLine = text.split('\n').find((line) => line.includes(soonUrl));
    const laterLine = text.split('\n').find((line) => line.includes(laterUrl));
    expect(soonLine).toContain('⚠️ expires within a day');
    expect(soonLine).toContain(`requested by <@${ALICE}>`);
    expect(laterLine).toContain('expires <!date^');
    expect(laterLine).not.toContain('within a day');
  });
});
