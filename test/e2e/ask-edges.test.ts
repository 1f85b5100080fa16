import { readFileSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type ConnectionMode,
  HARNESS_CHANNEL,
  HARNESS_SIGNING_SECRET,
  type Harness,
  harnessEnv,
  spawnBot,
  startHarness,
  startHarnessSlack,
} from '../../src/sandbox/harness.js';
import { startOpenTrainSandbox } from '../../src/sandbox/opentrain/index.js';
import { SlackRequestSender } from '../../src/sandbox/slack/signed-requests.js';
import type { StoredSlackView } from '../../src/sandbox/slack/standin.js';
import { decodeStore } from '../../src/store/index.js';
import {
  askedNotesIn,
  askPreselected,
  askValues,
  openAskView as openAskViewIn,
  receivedBy,
} from '../helpers/ask-form.js';
import { visibleText } from '../helpers/slack-text.js';

// Asking finalists where things go sideways, end to end: a submission redelivered over Socket Mode (also after a
// restart), two people asking the same finalist in their own rounds, the button on an old digest, forged
// submissions, disguised contact details, what reaches the log, and a slow OpenTrain.

const ANNA = 'U0ANNA';
const BEN = 'U0BEN';
const MALLORY = 'U0MALLORY';
const Q1 = 'How would you label a post that is sarcastic but uses positive words?';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

async function start(o: { mode?: ConnectionMode; env?: Record<string, string>; log?: string[] } = {}) {
  h = await startHarness({
    ...(o.mode ? { mode: o.mode } : {}),
    ...(o.env ? { env: o.env } : {}),
    ...(o.log ? { logSink: (line: string) => o.log!.push(line) } : {}),
  });
  await h.bot.ctx.sync.runOnce();
  await h.bot.idle();
  return h;
}

const spanish = () => h.sandbox.ids.jobs.spanish;

const openAskView = () => openAskViewIn(h);
const preselected = askPreselected;
const received = (proposalId: string) => receivedBy(h, proposalId);
const values = askValues;

function viewText(view: StoredSlackView | undefined): string {
  return visibleText(view?.view as { blocks?: unknown[] });
}

const askedNotes = (proposalId: string) => askedNotesIn(h, proposalId);

async function openForm(text = 'ask spanish', userId = ANNA): Promise<StoredSlackView> {
  const result = await h.sender.command(text, { userId, channelId: HARNESS_CHANNEL });
  expect(result.status).toBe(200);
  await h.bot.idle();
  const view = openAskView();
  expect(view).toBeDefined();
  return view!;
}

async function submit(
  view: StoredSlackView,
  finalists: readonly string[],
  first: string,
  o: { second?: string; userId?: string; privateMetadata?: string } = {},
) {
  const result = await h.sender.viewSubmission({
    callbackId: 'ask_submit',
    userId: o.userId ?? ANNA,
    viewId: view.id,
    values: values(finalists, first, o.second),
    ...(o.privateMetadata ? { privateMetadata: o.privateMetadata } : {}),
  });
  expect(result.status).toBe(200);
  await h.bot.idle();
  return { json: result.json as Record<string, unknown> | null, view: h.slack.views.get(view.id)! };
}

describe('asking finalists: replays and restarts over Socket Mode', () => {
  it('a submission redelivered on the socket, before and after a restart, asks each finalist once', async () => {
    await start({ mode: 'socket' });
    const view = await openForm();
    const chosen = preselected(view);
    await submit(view, chosen, Q1);
    const envelope = [...h.slack.socket.envelopes].reverse().find((e) => e.type === 'interactive');
    expect(envelope?.payload.type).toBe('view_submission');
    const once = () => chosen.every((id) => received(id).length === 1 && askedNotes(id).length === 1);
    expect(once()).toBe(true);
    expect(viewText(h.slack.views.get(view.id))).toContain(`Asked ${chosen.length} finalists`);

    // The same envelope payload again (same trigger_id): recognised, acknowledged, nothing repeated.
    expect((await h.sender.interaction(envelope!.payload)).status).toBe(200);
    await h.bot.idle();
    expect(once()).toBe(true);

    // After a restart the request memory is gone; the round's records on disk still say who was asked.
    h = await h.restart();
    expect((await h.sender.interaction(envelope!.payload)).status).toBe(200);
    await h.bot.idle();
    expect(once()).toBe(true);
    expect(h.sandbox.requests.filter((r) => r.method === 'POST' && r.path === '/messages')).toHaveLength(chosen.length);
    expect(viewText(h.slack.views.get(view.id))).toContain('already asked (not sent again)');
  });
});

describe('asking finalists: the bot killed mid-send', () => {
  it('a process killed while a question is on its way: the same form submitted after the restart asks each once', async () => {
    const sandbox = await startOpenTrainSandbox({ port: 0 });
    const slack = await startHarnessSlack();
    const dataDir = await mkdtemp(join(tmpdir(), 'hiring-bot-ask-crash-'));
    const env = { ...harnessEnv(sandbox, slack, dataDir), LOG_LEVEL: 'error', SYNC_INTERVAL_SECONDS: '3600' };
    const bot = await spawnBot(env, { stderr: 'pipe' });
    try {
      // The first sync has stored the job's proposals once their cards are posted (one a second, as in production).
      await slack.waitFor(() => slack.messages(HARNESS_CHANNEL).length >= 3, 20_000);
      const sender = new SlackRequestSender({
        appUrl: `http://127.0.0.1:${bot.port}/slack/events`,
        signingSecret: HARNESS_SIGNING_SECRET,
        standIn: slack,
      });
      expect((await sender.command('ask spanish top 3', { userId: ANNA, channelId: HARNESS_CHANNEL })).status).toBe(
        200,
      );
      const view = await slack.waitFor(
        () => [...slack.views.values()].find((v) => !v.closed && v.view.callback_id === 'ask_submit'),
        10_000,
      );
      const chosen = preselected(view);
      expect(chosen).toHaveLength(3);
      const metadata = String(view.view.private_metadata);
      // OpenTrain takes 3 s to answer a message: the bot dies while the first is on its way (it lands anyway).
      sandbox.setLatency(3000, /\/messages/);
      const submitted = await sender.viewSubmission({
        callbackId: 'ask_submit',
        userId: ANNA,
        viewId: view.id,
        values: values(chosen, Q1),
      });
      expect(submitted.status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      bot.child.kill('SIGKILL');
      await bot.exited;
      const saved = decodeStore(await readFile(env.DATA_FILE, 'utf8'));
      expect(saved.proposals[chosen[0]!]?.asked).toEqual([expect.objectContaining({ state: 'sending' })]);
      const conversationOf = (proposalId: string) =>
        [...sandbox.state.conversations.values()].find((c) => c.proposalId === proposalId);
      const ours = (proposalId: string) => {
        const conversation = conversationOf(proposalId);
        return (conversation?.messages ?? []).filter((m) => m.senderUserId === conversation?.employerUserId);
      };
      await slack.waitFor(() => ours(chosen[0]!).length === 1, 10_000);
      sandbox.setLatency(0);

      // The same form, submitted again after the restart (Slack still shows it).
      h = await startHarness({ sandbox, slack, dataDir });
      const again = await h.sender.viewSubmission({
        callbackId: 'ask_submit',
        userId: ANNA,
        viewId: view.id,
        values: values(chosen, Q1),
        privateMetadata: metadata,
      });
      expect(again.status).toBe(200);
      await h.bot.idle();
      for (const id of chosen) expect(ours(id).map((m) => m.content.includes(Q1))).toEqual([true]);
      expect(h.bot.ctx.store.data.proposals[chosen[0]!]!.asked).toEqual([expect.objectContaining({ state: 'sent' })]);
      expect(viewText(h.slack.views.get(view.id))).toContain(`Asked 3 finalists`);
    } finally {
      bot.child.kill('SIGKILL');
      // The restarted harness (closed after the test) owns the sandbox, the stand-in and the data; else close them here.
      if (h?.sandbox !== sandbox) await Promise.allSettled([sandbox.close(), slack.close()]);
    }
  }, 60_000);
});

describe('asking finalists: people and rounds', () => {
  it('two people ask the same finalist in their own rounds: both go, the form shows who was asked before', async () => {
    await start();
    const annas = await openForm('ask spanish top 1', ANNA);
    const [finalist] = preselected(annas) as [string];
    await submit(annas, [finalist], Q1);
    const bens = await openForm('ask spanish top 1', BEN);
    // Ben sees, before sending, that this finalist was already asked.
    const option = (
      bens.view.blocks as { block_id?: string; element?: { options?: { text: { text: string }; value: string }[] } }[]
    )
      .find((b) => b.block_id === 'ask_finalists')
      ?.element?.options?.find((o) => o.value === finalist);
    expect(option?.text.text).toMatch(/asked before/);
    await submit(bens, [finalist], 'Which time zone are you in?', { userId: BEN });
    expect(received(finalist)).toHaveLength(2);
    const notes = askedNotes(finalist);
    expect(notes).toHaveLength(2);
    expect(notes[0]).toContain(`<@${ANNA}> asked:`);
    expect(notes[1]).toContain(`<@${BEN}> asked:`);
    expect(h.bot.ctx.store.data.proposals[finalist]!.asked!.map((a) => a.by)).toEqual([ANNA, BEN]);
  });

  it('two people sending to the same finalists at the same moment: one conversation each, both rounds arrive once', async () => {
    await start();
    const annas = await openForm('ask spanish top 2', ANNA);
    const bens = await openForm('ask spanish top 2', BEN);
    const chosen = preselected(annas);
    expect(preselected(bens)).toEqual(chosen);
    await Promise.all([
      submit(annas, chosen, Q1),
      submit(bens, chosen, 'Which time zone are you in?', { userId: BEN }),
    ]);
    for (const id of chosen) {
      const conversations = [...h.sandbox.state.conversations.values()].filter((c) => c.proposalId === id);
      expect(conversations).toHaveLength(1);
      expect(received(id)).toHaveLength(2);
      expect(received(id).filter((m) => m.includes(Q1))).toHaveLength(1);
      expect(askedNotes(id)).toHaveLength(2);
    }
  });

  it('forged submissions: a non-reviewer, a proposal of another job, a job that does not exist — nothing is sent', async () => {
    await start({ env: { REVIEWER_IDS: ANNA } });
    const view = await openForm();
    const chosen = preselected(view);
    h.sandbox.clearRequests();
    const forged = await submit(view, chosen, Q1, { userId: MALLORY });
    expect(forged.json?.response_action).toBe('errors');
    expect(JSON.stringify(forged.json)).toContain('Only the hiring reviewers');

    const otherJob = Object.values(h.bot.ctx.store.data.proposals).find((p) => p.proposal.jobId !== spanish())!;
    const mixed = await submit(view, [otherJob.proposal.id], Q1);
    expect(mixed.json?.response_action).toBe('errors');
    expect(JSON.stringify(mixed.json)).toContain('Choose at least one finalist');

    const metadata = JSON.parse(String(view.view.private_metadata)) as Record<string, unknown>;
    const nowhere = JSON.stringify({ ...metadata, jobId: 'job_does_not_exist' });
    const ghost = await submit(view, chosen, Q1, { privateMetadata: nowhere });
    expect(ghost.json?.response_action).toBe('errors');
    expect(h.sandbox.requests.filter((r) => r.method === 'POST')).toEqual([]);
    for (const id of [...chosen, otherJob.proposal.id]) expect(received(id)).toEqual([]);
  });
});

describe('asking finalists: the button on an old digest', () => {
  async function clickAsk(jobId: string) {
    const click = await h.sender.blockAction({
      actionId: 'ask_finalists',
      value: jobId,
      userId: ANNA,
      channelId: HARNESS_CHANNEL,
      messageTs: '1700000000.000100',
    });
    expect(click.status).toBe(200);
    await h.bot.idle();
  }

  it('for a job the bot no longer knows: a sentence, no form', async () => {
    await start();
    await clickAsk('job_gone_since');
    expect(openAskView()).toBeUndefined();
    expect(visibleText(h.slack.ephemerals.at(-1))).toContain("doesn't know this job any more");
  });

  it('for a job whose proposals are no longer kept: the form says so and how to get them back', async () => {
    await start();
    h.bot.ctx.store.change((data) => {
      for (const [id, stored] of Object.entries(data.proposals)) {
        if (stored.proposal.jobId === spanish()) delete data.proposals[id];
      }
    });
    await clickAsk(spanish());
    expect(openAskView()).toBeUndefined();
    const shown = [...h.slack.views.values()].at(-1);
    expect(viewText(shown)).toMatch(/tracks no proposals of \*.+\* yet.*`\/hiring watch`/);
  });
});

describe('asking finalists: privacy and guard', () => {
  it('neither the questions nor the answers reach the log, even at debug level', async () => {
    const log: string[] = [];
    await start({ log });
    const question = 'Which Quartz-lantern guideline would you apply to irony?';
    const answer = 'Per the Vermilion-kettle rule, irony counts as negative.';
    const view = await openForm('ask spanish top 2');
    const chosen = preselected(view);
    await submit(view, chosen, question);
    const conversationId = h.bot.ctx.store.data.proposals[chosen[0]!]!.conversation!.id;
    h.sandbox.addCandidateMessage(conversationId, answer);
    await h.bot.ctx.sync.runOnce();
    await h.bot.idle();
    const shortlist = await h.sender.command('shortlist spanish top 2', { userId: ANNA, channelId: HARNESS_CHANNEL });
    expect(shortlist.status).toBe(200);
    await h.bot.idle();
    // It did happen: the candidate got the question, the shortlist shows the answer.
    expect(received(chosen[0]!)[0]).toContain(question);
    const posted = h.slack.messages(HARNESS_CHANNEL).find((m) => m.metadata?.event_type === 'opentrain_shortlist');
    expect(visibleText(posted)).toContain(answer);
    expect(log.some((line) => line.includes(' DEBUG '))).toBe(true);
    const text = log.join('\n');
    expect(text).not.toContain('Quartz-lantern');
    expect(text).not.toContain('Vermilion-kettle');
  });

  it('every disguised contact detail of the guard corpus is refused in the form; nothing reaches OpenTrain', async () => {
    await start();
    const samples = JSON.parse(readFileSync(new URL('../fixtures/guard/disguised.json', import.meta.url), 'utf8')) as {
      text: string;
    }[];
    const view = await openForm('ask spanish top 1');
    const chosen = preselected(view);
    h.sandbox.clearRequests();
    const let_through: string[] = [];
    for (const [index, sample] of samples.entries()) {
      // Alternate the field: the guard applies to both questions.
      const second = index % 2 === 1;
      const result = await h.sender.viewSubmission({
        callbackId: 'ask_submit',
        userId: ANNA,
        viewId: view.id,
        values: second ? values(chosen, Q1, sample.text) : values(chosen, sample.text),
      });
      const json = result.json as { response_action?: string; errors?: Record<string, string> } | null;
      if (json?.response_action !== 'errors' || !json.errors?.[second ? 'ask_q2' : 'ask_q1']) {
        let_through.push(sample.text);
      }
    }
    await h.bot.idle();
    expect(let_through).toEqual([]);
    expect(h.sandbox.requests.filter((r) => r.method === 'POST')).toEqual([]);
    expect(received(chosen[0]!)).toEqual([]);
  }, 60_000);
});

describe('asking finalists: a slow OpenTrain', () => {
  it('/hiring ask opens a tracked job’s form at once, without waiting for OpenTrain', async () => {
    await start();
    h.sandbox.setLatency(2500);
    h.sandbox.clearRequests();
    const started = performance.now();
    const result = await h.sender.command('ask spanish', { userId: ANNA, channelId: HARNESS_CHANNEL });
    expect(result.status).toBe(200);
    const form = await h.slack.waitFor(() => openAskView(), 1500);
    expect(performance.now() - started).toBeLessThan(1500);
    expect(preselected(form)).toHaveLength(3);
    await h.bot.idle();
    expect(h.sandbox.requests).toEqual([]);
  }, 30_000);

  it('a job the bot does not know yet: "Loading…" within Slack’s 3 seconds, then a sentence', async () => {
    await start();
    h.sandbox.setLatency(2500);
    const started = performance.now();
    const result = await h.sender.command('ask no-such-job', { userId: ANNA, channelId: HARNESS_CHANNEL });
    expect(result.status).toBe(200);
    const loading = await h.slack.waitFor(() => [...h.slack.views.values()].at(-1), 1500);
    expect(performance.now() - started).toBeLessThan(1500);
    expect(viewText(loading)).toMatch(/Loading/);
    await h.bot.idle();
    h.sandbox.setLatency(0);
    const answered = viewText(h.slack.views.get(loading.id));
    expect(answered).not.toMatch(/Loading/);
    expect(answered).toMatch(/no-such-job/);
  }, 30_000);
});
