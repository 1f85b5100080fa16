import { afterEach, describe, expect, it } from 'vitest';
import { HARNESS_CHANNEL, type Harness, startHarness } from '../../src/sandbox/harness.js';
import type { StoredSlackMessage } from '../../src/sandbox/slack/standin.js';
import { askValues } from '../helpers/ask-form.js';
import { clickOnCard } from '../helpers/card-clicks.js';
import { cardFor, visibleText } from '../helpers/slack-text.js';

// `/hiring shortlist` end to end: the real app over signed HTTP, the OpenTrain sandbox and the Slack stand-in. What
// is checked is what people see in Slack: the message in the channel, its edits (same ts), the ephemeral answers.

const ANNA = 'U0ANNA';
const BEN = 'U0BEN';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

/** The harness with the seeded cards posted. */
async function scene(): Promise<Harness> {
  h = await startHarness();
  await h.bot.ctx.sync.runOnce();
  await h.bot.idle();
  return h;
}

/** The seeded Spanish job, and its finalists (best first) as the bot ranks them. */
function spanish(harness: Harness, top = 3) {
  const jobId = harness.sandbox.ids.jobs.spanish;
  const title = harness.bot.ctx.store.data.jobs[jobId]!.title;
  const finalists = harness.bot.ctx.shortlists.finalists(jobId, top);
  expect(finalists.length).toBe(top);
  return { jobId, title, finalists };
}

function shortlistsIn(harness: Harness): StoredSlackMessage[] {
  return harness.slack
    .messages(HARNESS_CHANNEL)
    .filter((m) => m.metadata?.event_type === 'opentrain_shortlist' && !m.thread_ts);
}

/** What the person who typed the command sees (the response_url reply). */
async function command(harness: Harness, text: string, userId = ANNA) {
  const result = await harness.sender.command(text, { userId, channelId: HARNESS_CHANNEL });
  expect(result.status).toBe(200);
  await harness.bot.idle();
  const id = result.responseUrl?.split('/').pop();
  const reply = await harness.slack.waitFor(() => harness.slack.responses.find((r) => r.id === id)?.body, 4000);
  return reply as { text?: string; blocks?: unknown[]; response_type?: string };
}

async function vote(harness: Harness, proposalId: string, userId: string, actionId = 'vote_up') {
  await clickOnCard(harness, proposalId, userId, actionId);
}

/** The real conversation flow: the card's Message button, then the first message. Returns the conversation id. */
async function sendFirstMessage(harness: Harness, proposalId: string, text: string): Promise<string> {
  const card = cardFor(harness.slack.messages(HARNESS_CHANNEL), proposalId)!;
  const click = await harness.sender.blockAction({
    actionId: 'card_message',
    value: proposalId,
    userId: ANNA,
    channelId: HARNESS_CHANNEL,
    messageTs: card.ts,
  });
  expect(click.status).toBe(200);
  await harness.bot.idle();
  const view = [...harness.slack.views.values()]
    .reverse()
    .find((v) => !v.closed && v.view.callback_id === 'message_submit');
  expect(view).toBeDefined();
  const submitted = await harness.sender.viewSubmission({
    callbackId: 'message_submit',
    userId: ANNA,
    viewId: view!.id,
    values: { message: { text: { type: 'plain_text_input', value: text } } },
  });
  expect(submitted.status).toBe(200);
  await harness.bot.idle();
  return harness.bot.ctx.store.data.proposals[proposalId]!.conversation!.id;
}

function nameOf(harness: Harness, proposalId: string): string {
  return harness.bot.ctx.store.data.proposals[proposalId]!.proposal.candidate.displayName;
}

function hireButtons(message: StoredSlackMessage | { blocks?: unknown[] }): string[] {
  const values: string[] = [];
  for (const block of (message.blocks ?? []) as { accessory?: { action_id?: string; value?: string } }[]) {
    if (block.accessory?.action_id === 'card_hire' && block.accessory.value) values.push(block.accessory.value);
  }
  return values;
}

describe('/hiring shortlist (end to end over signed HTTP)', () => {
  it('posts one message in the job’s channel with scores, summary, votes with names, links and Hire… buttons', async () => {
    await scene();
    const { title, finalists } = spanish(h);
    await vote(h, finalists[0]!, BEN);
    const reply = await command(h, 'shortlist spanish');
    expect(reply.response_type).toBe('ephemeral');
    expect(reply.text).toContain(`in <#${HARNESS_CHANNEL}>`);
    const posted = shortlistsIn(h);
    expect(posted).toHaveLength(1);
    const text = visibleText(posted[0]);
    expect(text).toContain(`Shortlist — ${title}`);
    for (const proposalId of finalists) {
      const stored = h.bot.ctx.store.data.proposals[proposalId]!;
      expect(text).toContain(nameOf(h, proposalId));
      expect(text).toContain(
        `composite *${Math.round(h.bot.ctx.cards.rankOf(stored.proposal.jobId, proposalId)!.score!)}/100*`,
      );
      const summary = stored.proposal.aiInterview?.summary;
      if (summary) expect(text).toContain(summary.slice(0, 40));
      // The name links to the card (a Slack permalink), and the thread is linked too.
      const card = stored.card!;
      expect(text).toContain(`/archives/${card.channel}/p${card.ts!.replace('.', '')}|`);
      expect(text).toContain(`thread_ts=${card.ts}&cid=${card.channel}|Open the thread>`);
    }
    expect(text).toContain(`Votes: 👍 <@${BEN}>`);
    expect(text).toContain(`asked for by <@${ANNA}>`);
    expect(hireButtons(posted[0]!)).toEqual(finalists);
    // The store keeps it, with the finalists fixed at posting.
    const kept = Object.values(h.bot.ctx.store.data.shortlists ?? {});
    expect(kept).toEqual([expect.objectContaining({ state: 'posted', ts: posted[0]!.ts, proposalIds: finalists })]);
  });

  it('with `here`, answers only the person who asked, says it won’t be kept up to date, and posts nothing', async () => {
    await scene();
    const { finalists } = spanish(h, 2);
    const reply = await command(h, 'shortlist spanish top 2 here');
    expect(reply.response_type).toBe('ephemeral');
    const text = visibleText(reply);
    for (const proposalId of finalists) expect(text).toContain(nameOf(h, proposalId));
    expect(text).toContain("it won't be kept up to date");
    expect(shortlistsIn(h)).toHaveLength(0);
    expect(h.bot.ctx.store.data.shortlists ?? {}).toEqual({});
  });

  it('a vote on a finalist’s card edits the shortlist in place; a sync with nothing new edits nothing', async () => {
    await scene();
    const { finalists } = spanish(h);
    await command(h, 'shortlist spanish');
    const [before] = shortlistsIn(h);
    expect(before?.updates).toBe(0);
    await vote(h, finalists[1]!, BEN, 'vote_down');
    const after = shortlistsIn(h);
    expect(after).toHaveLength(1);
    expect(after[0]!.ts).toBe(before!.ts);
    expect(after[0]!.updates).toBe(1);
    expect(visibleText(after[0])).toContain(`Votes: 👎 <@${BEN}>`);
    // Nothing changed: neither a sync (which re-checks every shortlist) nor a vote elsewhere edits it.
    await h.bot.ctx.sync.runOnce();
    await h.bot.idle();
    const outsider = Object.keys(h.bot.ctx.store.data.proposals).find(
      (id) => !finalists.includes(id) && h.bot.ctx.store.data.proposals[id]!.card?.state === 'posted',
    )!;
    await vote(h, outsider, BEN);
    expect(shortlistsIn(h)[0]!.updates).toBe(1);
  });

  it('a candidate’s reply arriving in the card’s thread shows in the shortlist', async () => {
    await scene();
    const { finalists } = spanish(h);
    const proposalId = finalists[0]!;
    await command(h, 'shortlist spanish');
    const conversationId = await sendFirstMessage(h, proposalId, 'Which DICOM viewers have you used?');
    const editsBefore = shortlistsIn(h)[0]!.updates;
    h.sandbox.addCandidateMessage(conversationId, 'OHIF and 3D Slicer, about 30 hours a week.');
    await h.bot.ctx.sync.runOnce();
    await h.bot.idle();
    const [shortlist] = shortlistsIn(h);
    expect(shortlist!.updates).toBeGreaterThan(editsBefore);
    expect(visibleText(shortlist)).toContain('>OHIF and 3D Slicer, about 30 hours a week.');
  });

  it('questions asked through /hiring ask show at once; the candidate’s answer shows under them', async () => {
    await scene();
    const { finalists } = spanish(h);
    await command(h, 'shortlist spanish');
    // The real ask flow: /hiring ask opens the form with the same finalists pre-selected; submitting asks each.
    const asked = await h.sender.command('ask spanish', { userId: ANNA, channelId: HARNESS_CHANNEL });
    expect(asked.status).toBe(200);
    await h.bot.idle();
    const view = [...h.slack.views.values()].reverse().find((v) => !v.closed && v.view.callback_id === 'ask_submit');
    expect(view).toBeDefined();
    const question = 'How would you label a sarcastic post that uses positive words?';
    const submitted = await h.sender.viewSubmission({
      callbackId: 'ask_submit',
      userId: ANNA,
      viewId: view!.id,
      values: askValues(finalists, question),
    });
    expect(submitted.status).toBe(200);
    await h.bot.idle();
    const waiting = visibleText(shortlistsIn(h)[0]);
    expect(waiting.split(`• ${question}`)).toHaveLength(finalists.length + 1);
    expect(waiting.match(/_No answer yet, asked <!date\^\d+\^[^>]*> by <@U0ANNA>:_/g)).toHaveLength(finalists.length);
    // The second finalist answers on OpenTrain; the next sync relays it to the thread and to the shortlist.
    const conversationId = h.bot.ctx.store.data.proposals[finalists[1]!]!.conversation!.id;
    h.sandbox.addCandidateMessage(conversationId, 'Negative: the positive words are ironic.');
    await h.bot.ctx.sync.runOnce();
    await h.bot.idle();
    const answered = visibleText(shortlistsIn(h)[0]);
    expect(answered).toContain('>Negative: the positive words are ironic.');
    expect(answered.match(/_No answer yet, asked/g)).toHaveLength(finalists.length - 1);
  });

  it('a candidate’s message with contact details is never repeated in the shortlist', async () => {
    await scene();
    const { finalists } = spanish(h);
    const proposalId = finalists[0]!;
    await command(h, 'shortlist spanish');
    const conversationId = await sendFirstMessage(h, proposalId, 'Hello! Are you available?');
    h.sandbox.addCandidateMessage(conversationId, 'Yes! Write me at maria.g@example.com');
    await h.bot.ctx.sync.runOnce();
    await h.bot.idle();
    const text = visibleText(shortlistsIn(h)[0]);
    expect(text).toContain('read it in the thread');
    expect(text).not.toContain('example.com');
    expect(JSON.stringify(h.bot.ctx.store.data.proposals[proposalId]!.conversation)).not.toContain('example.com');
  });

  it('Hire… on the shortlist opens the hire form; the request shows on the shortlist, in place', async () => {
    await scene();
    const { finalists } = spanish(h);
    await command(h, 'shortlist spanish');
    const [shortlist] = shortlistsIn(h);
    const before = new Set(h.slack.views.keys());
    const click = await h.sender.blockAction({
      actionId: 'card_hire',
      value: finalists[0]!,
      userId: ANNA,
      channelId: HARNESS_CHANNEL,
      messageTs: shortlist!.ts,
    });
    expect(click.status).toBe(200);
    await h.bot.idle();
    const form = [...h.slack.views.values()].find((view) => !before.has(view.id));
    expect(form?.view.callback_id).toBe('hire_submit');
    const submitted = await h.sender.viewSubmission({
      callbackId: 'hire_submit',
      userId: ANNA,
      viewId: form!.id,
      values: {
        hire_name: { value: { type: 'plain_text_input', value: 'First 1,000 labels' } },
        hire_amount: { value: { type: 'plain_text_input', value: '500' } },
        hire_due: { value: { type: 'datepicker', selected_date: null } },
      },
    });
    expect(submitted.status).toBe(200);
    await h.bot.idle();
    const after = shortlistsIn(h);
    expect(after.map((m) => m.ts)).toEqual([shortlist!.ts]);
    expect(visibleText(after[0])).toContain(`Hire requested by <@${ANNA}> — waiting for approval`);
  });

  it('a restart with a shortlist intent open finds the posted one in history instead of posting it twice', async () => {
    await scene();
    const { jobId, finalists } = spanish(h);
    await command(h, 'shortlist spanish');
    const [posted] = shortlistsIn(h);
    const id = Object.keys(h.bot.ctx.store.data.shortlists ?? {})[0]!;
    // The process died after Slack took the post but before its ts reached the disk: the record is still an intent.
    h.bot.ctx.store.change((data) => {
      const shortlist = data.shortlists![id]!;
      shortlist.state = 'intent';
      shortlist.ts = null;
      shortlist.postedAt = null;
    });
    // And another died before chat.postMessage: nothing in Slack.
    h.bot.ctx.store.shortlists.recordIntent({
      id: 'sl_never_posted',
      jobId,
      channel: HARNESS_CHANNEL,
      topN: 3,
      proposalIds: finalists,
      requestedBy: BEN,
      intentAt: new Date().toISOString(),
    });
    h = await h.restart();
    await h.bot.idle();
    const after = shortlistsIn(h);
    expect(after).toHaveLength(2);
    expect(after.filter((m) => m.metadata?.event_payload.shortlist_id === id).map((m) => m.ts)).toEqual([posted!.ts]);
    expect(after.filter((m) => m.metadata?.event_payload.shortlist_id === 'sl_never_posted')).toHaveLength(1);
    expect(h.bot.ctx.store.data.shortlists?.[id]).toMatchObject({ state: 'posted', ts: posted!.ts });
    // Still kept up to date after the restart.
    await vote(h, finalists[2]!, ANNA);
    expect(visibleText(shortlistsIn(h).find((m) => m.ts === posted!.ts))).toContain(`Votes: 👍 <@${ANNA}>`);
  });

  it('says so when the job has no tracked proposals', async () => {
    await scene();
    const reply = await command(h, `shortlist ${h.sandbox.ids.jobs.draft}`);
    expect(reply.text).toMatch(/no proposals|nobody to shortlist/i);
    expect(shortlistsIn(h)).toHaveLength(0);
  });
});
