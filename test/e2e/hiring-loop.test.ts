import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HARNESS_CHANNEL, type Harness, startHarness } from '../../src/sandbox/harness.js';
import { type OpenTrainSandbox, startOpenTrainSandbox } from '../../src/sandbox/opentrain/index.js';
import type { StoredSlackMessage, StoredSlackView } from '../../src/sandbox/slack/standin.js';
import { askPreselected, askValues, openAskView, receivedBy } from '../helpers/ask-form.js';
import { hireFormValues } from '../helpers/hire-form.js';
import { cardFor, homeList as homeListOf, visibleText } from '../helpers/slack-text.js';

// The whole hiring loop in one story, over Socket Mode (the manifest's default): proposals arrive → the digest →
// Ask finalists… from the digest → the questions reach each finalist on OpenTrain and each card's thread → the
// candidates answer → /hiring shortlist shows answers and votes and follows them in place → Hire… from the shortlist
// → a human confirms the approval on OpenTrain → the contract, an invoice and a budget running low reach the card's
// thread. Everything OpenTrain does on its own comes from the sandbox's HTTP knobs and reaches the bot through the
// webhook doorbell, as in production. What is asserted is what people see (channel, threads, modals, the reviewer's
// Home tab) and what reached OpenTrain (the sandbox's records); each step builds on the one before.

const ANNA = 'U0ANNA'; // a reviewer
const BEN = 'U0BEN'; // a teammate who votes, not a reviewer
const WEBHOOK_SECRET = 'whsec_hiring_loop_secret';
const WAIT_MS = 10_000;
const Q1 = 'How would you label a post that is sarcastic but uses only positive words?';
const Q2 = 'How many posts an hour can you label at a 95 % agreement rate?';

let sandbox: OpenTrainSandbox;
let h: Harness;

beforeAll(async () => {
  sandbox = await startOpenTrainSandbox({ port: 0, webhookRetryDelaysMs: [50, 100, 200, 400] });
  h = await startHarness({
    mode: 'socket',
    sandbox,
    env: { REVIEWER_IDS: ANNA, OT_WEBHOOK_SECRET: WEBHOOK_SECRET },
  });
  // The first run posts the seeded cards; from then on OpenTrain's webhook rings the sync (every event type).
  await h.bot.ctx.sync.runOnce();
  await h.bot.idle();
  sandbox.addWebhook(`http://127.0.0.1:${h.bot.port}/opentrain/webhook`, WEBHOOK_SECRET);
});

afterAll(async () => {
  await h?.close();
});

// ---- what people see ----------------------------------------------------------------------------------------------

function channel(): StoredSlackMessage[] {
  return h.slack.messages(HARNESS_CHANNEL);
}

function card(proposalId: string): StoredSlackMessage {
  const found = cardFor(channel(), proposalId);
  if (!found) throw new Error(`no card for ${proposalId}`);
  return found;
}

/** The card's thread replies, as the channel reads them. */
function thread(proposalId: string): string[] {
  const { ts } = card(proposalId);
  return h.slack
    .thread(HARNESS_CHANNEL, ts)
    .filter((m) => m.ts !== ts)
    .map((m) => visibleText(m));
}

function shortlists(): StoredSlackMessage[] {
  return channel().filter((m) => m.metadata?.event_type === 'opentrain_shortlist' && !m.thread_ts);
}

function nameOf(proposalId: string): string {
  return sandbox.state.freelancers.get(sandbox.state.proposals.get(proposalId)!.freelancerId)!.displayName;
}

function conversationOf(proposalId: string): string {
  const conversation = [...sandbox.state.conversations.values()].find((c) => c.proposalId === proposalId);
  if (!conversation) throw new Error(`no conversation for ${proposalId}`);
  return conversation.id;
}

function home(userId = ANNA): StoredSlackView | undefined {
  return h.slack.homeView(userId);
}

/** One list of the Home tab, as text and links. */
function homeList(title: string, userId = ANNA): string {
  return homeListOf(home(userId), title);
}

/** Waits until `probe` holds (the webhook rang a sync, the background refreshes ran), then until the bot is idle. */
async function until(probe: () => boolean, what: string): Promise<void> {
  try {
    await h.slack.waitFor(() => probe() || undefined, WAIT_MS);
  } catch {
    throw new Error(`timed out waiting until ${what}`);
  }
  await h.bot.idle();
}

// ---- what people do ---------------------------------------------------------------------------------------------

async function knob(path: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const response = await fetch(`${sandbox.knobUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBeLessThan(300);
  return (await response.json()) as Record<string, unknown>;
}

async function command(text: string, userId = ANNA) {
  const result = await h.sender.command(text, { userId, channelId: HARNESS_CHANNEL });
  expect(result).toMatchObject({ status: 200, via: 'socket' });
  await h.bot.idle();
  return result;
}

async function click(actionId: string, value: string, message: StoredSlackMessage, userId = ANNA) {
  const result = await h.sender.blockAction({
    actionId,
    value,
    userId,
    channelId: HARNESS_CHANNEL,
    messageTs: message.ts,
  });
  expect(result).toMatchObject({ status: 200, via: 'socket' });
  await h.bot.idle();
}

// ---- the story ----------------------------------------------------------------------------------------------------

const jobId = () => sandbox.ids.jobs.spanish;
/** The finalists as the Ask form pre-selected them, best first. */
let finalists: string[] = [];
const newcomers: string[] = [];

describe('the hiring loop, end to end over Socket Mode', () => {
  it('Anna opens her Home tab: nobody asked, nothing waiting for approval', async () => {
    const opened = await h.sender.appHomeOpened(ANNA);
    expect(opened).toMatchObject({ status: 200, via: 'socket' });
    await until(() => home() !== undefined, 'Anna’s Home tab is published');
    expect(homeList('Finalists without answers')).toContain('No finalist owes us an answer.');
    expect(homeList('Hire approvals pending')).toContain('No hire is waiting for approval.');
  });

  it('two strong proposals arrive on OpenTrain; the webhook brings their cards; the digest ranks them on top', async () => {
    for (const displayName of ['Lucía R.', 'Mateo V.']) {
      const added = await knob('/proposals', {
        jobId: jobId(),
        interviewScore: 98,
        matchScore: 97,
        bid: { amountUsd: 20, unit: 'hour' },
        candidate: { displayName },
      });
      newcomers.push(String(added.proposalId));
    }
    await until(() => newcomers.every((id) => cardFor(channel(), id) !== undefined), 'both cards are posted');

    await command('digest');
    const digest = channel().findLast((m) => (m.text ?? '').startsWith('Daily hiring digest'));
    const text = visibleText(digest);
    const title = sandbox.state.jobs.get(jobId())!.title;
    const section = text.slice(text.indexOf(title));
    for (const id of newcomers) expect(section).toContain(nameOf(id));
  });

  it('Ask finalists… on the digest opens the form with the finalists chosen; submitting asks each once', async () => {
    const digest = channel().findLast((m) => (m.text ?? '').startsWith('Daily hiring digest'))!;
    await click('ask_finalists', jobId(), digest);
    const form = openAskView(h);
    expect(form).toBeDefined();
    finalists = askPreselected(form);
    expect(finalists).toHaveLength(3);
    expect(finalists.slice(0, 2).sort()).toEqual([...newcomers].sort());

    const submitted = await h.sender.viewSubmission({
      callbackId: 'ask_submit',
      userId: ANNA,
      viewId: form!.id,
      values: askValues(finalists, Q1, Q2),
    });
    expect(submitted).toMatchObject({ status: 200, via: 'socket' });
    await h.bot.idle();

    // On OpenTrain: each finalist's conversation holds the questions, once; nobody else was asked.
    for (const id of finalists) {
      const received = receivedBy(h, id);
      expect(received).toHaveLength(1);
      expect(received[0]).toContain(`1. ${Q1}`);
      expect(received[0]).toContain(`2. ${Q2}`);
    }
    for (const id of sandbox.state.proposals.keys()) {
      if (!finalists.includes(id)) expect(receivedBy(h, id).join('\n')).not.toContain(Q1);
    }
    // In Slack: each card's thread says who asked what; the form lists each finalist as sent.
    for (const id of finalists) {
      const asked = thread(id).filter((line) => line.includes(`<@${ANNA}> asked:`));
      expect(asked).toHaveLength(1);
      expect(asked[0]).toContain(Q1);
    }
    const outcome = visibleText(h.slack.views.get(form!.id)!.view as { blocks?: unknown[] });
    for (const id of finalists) expect(outcome).toContain(`✓ *${nameOf(id)}* — sent`);

    // Anna's Home tab now lists the three finalists who owe an answer.
    await until(
      () => homeList('Finalists without answers').startsWith('Finalists without answers (3)'),
      'Home lists 3',
    );
    for (const id of finalists) expect(homeList('Finalists without answers')).toContain(nameOf(id));
  });

  it('the first finalist answers on OpenTrain: the thread relays it, Home stops listing them', async () => {
    const [first] = finalists;
    await knob(`/conversations/${conversationOf(first!)}/candidate-messages`, {
      content: 'Positive words with a sarcastic twist are negative: I label the intent.',
    });
    await until(
      () => thread(first!).some((line) => line.includes('I label the intent')),
      'the answer reaches the card’s thread',
    );
    await until(
      () => homeList('Finalists without answers').startsWith('Finalists without answers (2)'),
      'Home lists 2',
    );
    expect(homeList('Finalists without answers')).not.toContain(nameOf(first!));
  });

  it('/hiring shortlist shows the answer and the votes; a vote and a second answer edit it in place', async () => {
    const [first, second] = finalists as [string, string, string];
    await click('vote_up', first, card(first), BEN);
    await command('shortlist spanish');
    const [posted] = shortlists();
    expect(shortlists()).toHaveLength(1);
    let text = visibleText(posted);
    expect(text).toContain('>Positive words with a sarcastic twist are negative: I label the intent.');
    expect(text).toContain(`Votes: 👍 <@${BEN}>`);
    expect(text.split(`• ${Q1}`)).toHaveLength(finalists.length + 1);
    expect(text.match(/_No answer yet, asked/g)).toHaveLength(2);
    const updates = posted!.updates;

    await click('vote_down', second, card(second));
    await until(() => visibleText(shortlists()[0]).includes(`Votes: 👎 <@${ANNA}>`), 'the vote shows on the shortlist');
    expect(shortlists()[0]!.ts).toBe(posted!.ts);
    expect(shortlists()[0]!.updates).toBeGreaterThan(updates);

    await knob(`/conversations/${conversationOf(second)}/candidate-messages`, { content: 'About 120 an hour.' });
    await until(() => visibleText(shortlists()[0]).includes('>About 120 an hour.'), 'the second answer shows');
    text = visibleText(shortlists()[0]);
    expect(text.match(/_No answer yet, asked/g)).toHaveLength(1);
    expect(shortlists().map((m) => m.ts)).toEqual([posted!.ts]);
  });

  it('Hire… from the shortlist: OpenTrain gets the request; card and shortlist wait for approval; Home lists it', async () => {
    const [first] = finalists as [string];
    const before = new Set(h.slack.views.keys());
    await click('card_hire', first, shortlists()[0]!);
    const form = [...h.slack.views.values()].find((view) => !before.has(view.id));
    expect(form?.view.callback_id).toBe('hire_submit');
    const due = new Date(Date.now() + 30 * 24 * 3_600_000).toISOString().slice(0, 10);
    const submitted = await h.sender.viewSubmission({
      callbackId: 'hire_submit',
      userId: ANNA,
      viewId: form!.id,
      values: hireFormValues({ name: 'First 1,000 posts', amount: '400', dueDate: due }),
    });
    expect(submitted).toMatchObject({ status: 200, via: 'socket' });
    await h.bot.idle();

    const requests = sandbox.requests.filter((r) => r.method === 'POST' && r.path.endsWith(`/proposals/${first}/hire`));
    expect(requests).toHaveLength(1);
    expect(requests[0]!.body).toMatchObject({ milestone: { name: 'First 1,000 posts', amount: 400 } });
    const approvals = [...sandbox.state.approvals.values()].filter((a) => a.proposalId === first);
    expect(approvals.map((a) => a.status)).toEqual(['pending']);
    const approvalUrl = approvals[0]!.approvalUrl;

    const waiting = `Hire requested by <@${ANNA}> — waiting for approval`;
    expect(visibleText(card(first))).toContain(waiting);
    await until(() => visibleText(shortlists()[0]).includes(waiting), 'the shortlist shows the request');
    expect(thread(first).filter((line) => line.includes(`<@${ANNA}> requested a hire`))).toHaveLength(1);

    await until(() => homeList('Hire approvals pending').startsWith('Hire approvals pending (1)'), 'Home lists it');
    expect(homeList('Hire approvals pending')).toContain(nameOf(first));
    expect(homeList('Hire approvals pending')).toContain(approvalUrl);
  });

  it('a human confirms on OpenTrain: card, shortlist and thread say hired and the contract; Home lists nothing', async () => {
    const [first] = finalists as [string];
    const approval = [...sandbox.state.approvals.values()].find((a) => a.proposalId === first)!;
    await knob(`/approvals/${approval.id}/resolve`, { status: 'confirmed' });
    await until(() => visibleText(card(first)).includes('✅ Hired'), 'the card says hired');
    const contractId = sandbox.state.approvals.get(approval.id)!.contractId!;
    expect(contractId).toMatch(/^ctr_/);
    await until(() => visibleText(shortlists()[0]).includes('✅ Hired'), 'the shortlist says hired');
    expect(visibleText(shortlists()[0])).toContain(contractId);
    await until(() => thread(first).some((line) => line.startsWith('Contract created')), 'the thread hears it');
    expect(thread(first).filter((line) => line.includes('✅ Hire confirmed'))).toHaveLength(1);
    expect(thread(first).filter((line) => line.startsWith('Contract created'))).toHaveLength(1);
    await until(() => homeList('Hire approvals pending').startsWith('Hire approvals pending (0)'), 'Home empties');
    expect(homeList('Hire approvals pending')).toContain('No hire is waiting for approval.');
  });

  it('an invoice waiting for payment and a budget running LOW: one line each in the card’s thread', async () => {
    const [first] = finalists as [string];
    const contractId = [...sandbox.state.contracts.values()].find((c) => c.proposalId === first)!.id;
    await knob(`/contracts/${contractId}/payment-pending`, {});
    await knob(`/contracts/${contractId}/budget`, { state: 'LOW', consumedFraction: 0.85 });
    const invoice = (line: string) => line.includes('An invoice of *$400* for “First 1,000 posts”');
    const low = (line: string) => line.includes('Budget is running low: 85 % used');
    await until(() => thread(first).some(invoice) && thread(first).some(low), 'both notices are posted');
    // Another sync (a timer, a late webhook) posts nothing more.
    await h.bot.ctx.sync.runOnce();
    await h.bot.idle();
    expect(thread(first).filter(invoice)).toHaveLength(1);
    expect(thread(first).filter(low)).toHaveLength(1);
    // Nobody else's thread heard about it.
    for (const id of finalists.slice(1)) expect(thread(id).some((line) => invoice(line) || low(line))).toBe(false);
  });
});
