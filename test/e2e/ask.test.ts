import { afterEach, describe, expect, it } from 'vitest';
import { HARNESS_CHANNEL, type Harness, type HarnessOptions, startHarness } from '../../src/sandbox/harness.js';
import type { StoredSlackView } from '../../src/sandbox/slack/standin.js';
import { cardFor, visibleText } from '../helpers/slack-text.js';

// Asking finalists end to end: the real app over signed HTTP, the OpenTrain sandbox and the Slack stand-in. What is
// checked is what each side observes: the modal in Slack, the messages in each OpenTrain conversation, the cards'
// threads, the ephemeral answers.

const REVIEWER = 'U0ANNA';
const OTHER = 'U0MALLORY';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

async function start(options: HarnessOptions = {}): Promise<Harness> {
  h = await startHarness(options);
  await h.bot.ctx.sync.runOnce();
  await h.bot.idle();
  return h;
}

const spanish = () => h.sandbox.ids.jobs.spanish;

interface Block {
  type: string;
  block_id?: string;
  element?: { options?: Option[]; initial_options?: Option[]; initial_value?: string };
  elements?: { action_id?: string; value?: string }[];
}
interface Option {
  text: { text: string };
  value: string;
}

function openAskView(): StoredSlackView | undefined {
  return [...h.slack.views.values()].reverse().find((v) => !v.closed && v.view.callback_id === 'ask_submit');
}

function blocksOf(view: StoredSlackView | undefined): Block[] {
  return ((view?.view.blocks ?? []) as Block[]).filter(Boolean);
}

function selectOf(view: StoredSlackView | undefined) {
  return blocksOf(view).find((b) => b.block_id === 'ask_finalists')?.element;
}

/** The proposal ids pre-selected in the form. */
function preselected(view: StoredSlackView | undefined): string[] {
  return (selectOf(view)?.initial_options ?? []).map((o) => o.value);
}

function viewText(view: StoredSlackView | undefined): string {
  return visibleText(view?.view as { blocks?: unknown[] });
}

/** Our messages in the proposal's OpenTrain conversation: what the candidate received. */
function received(proposalId: string): string[] {
  const conversation = [...h.sandbox.state.conversations.values()].find((c) => c.proposalId === proposalId);
  if (!conversation) return [];
  return conversation.messages.filter((m) => m.senderUserId === conversation.employerUserId).map((m) => m.content);
}

/** The card's thread replies that say someone asked. */
function askedNotes(proposalId: string, userId = REVIEWER): string[] {
  const card = cardFor(h.slack.messages(HARNESS_CHANNEL), proposalId);
  if (!card) return [];
  return h.slack
    .thread(HARNESS_CHANNEL, card.ts)
    .filter((m) => m.ts !== card.ts)
    .map((m) => visibleText(m))
    .filter((text) => text.includes(`<@${userId}> asked:`));
}

function nameOf(proposalId: string): string {
  return h.bot.ctx.store.data.proposals[proposalId]!.proposal.candidate.displayName;
}

function ephemeralsFor(userId: string): string[] {
  return h.slack.ephemerals.filter((e) => e.user === userId).map((e) => visibleText(e));
}

/** Runs a command; returns what the person was answered (the ack's body, else the response_url reply), if anything. */
async function command(text: string, userId = REVIEWER) {
  const result = await h.sender.command(text, { userId, channelId: HARNESS_CHANNEL });
  expect(result.status).toBe(200);
  await h.bot.idle();
  const fromAck = result.json as { text?: string; blocks?: unknown[] } | null;
  if (fromAck?.text) return fromAck;
  const id = result.responseUrl?.split('/').pop();
  return (h.slack.responses.find((r) => r.id === id)?.body ?? null) as { text?: string; blocks?: unknown[] } | null;
}

function values(finalists: string[], first: string, second = '') {
  return {
    ask_finalists: {
      value: { type: 'multi_static_select', selected_options: finalists.map((value) => ({ value, text: { type: 'plain_text', text: value } })) },
    },
    ask_q1: { value: { type: 'plain_text_input', value: first } },
    ask_q2: { value: { type: 'plain_text_input', value: second || null } },
  };
}

async function submit(
  view: StoredSlackView,
  finalists: string[],
  first: string,
  second = '',
  options: { userId?: string; privateMetadata?: string } = {},
) {
  const result = await h.sender.viewSubmission({
    callbackId: 'ask_submit',
    userId: options.userId ?? REVIEWER,
    viewId: view.id,
    values: values(finalists, first, second),
    ...(options.privateMetadata ? { privateMetadata: options.privateMetadata } : {}),
  });
  expect(result.status).toBe(200);
  await h.bot.idle();
  return { result, json: result.json as Record<string, unknown> | null, view: h.slack.views.get(view.id)! };
}

const Q1 = 'How would you label a post that is sarcastic but uses positive words?';
const Q2 = 'How many posts per hour can you label at our quality bar?';

/** What each finalist must read: the questions as one message, with the job's title. */
function expectedMessage(): string {
  const title = h.bot.ctx.store.data.jobs[spanish()]!.title;
  return `Thank you for your proposal for “${title}”. Before we decide, we'd like to ask you two questions:\n\n1. ${Q1}\n\n2. ${Q2}`;
}

describe('asking finalists (end to end)', () => {
  it('/hiring ask opens the form with the top 3 selected; submit asks each finalist once, in OpenTrain and in the thread', async () => {
    await start();
    await command('ask spanish');
    const view = openAskView();
    expect(view).toBeTruthy();
    const chosen = preselected(view);
    expect(chosen).toHaveLength(3);
    // The three best composite scores, as the options (and the cards) show them, are the ones pre-selected.
    const options = selectOf(view)?.options ?? [];
    const scoreOf = (option: Option) => Number(/(\d+)\/100/.exec(option.text.text)?.[1] ?? -1);
    const best = [...options].sort((a, b) => scoreOf(b) - scoreOf(a)).slice(0, 3);
    expect(new Set(chosen)).toEqual(new Set(best.map((o) => o.value)));
    expect(options.slice(0, 3).map((o) => o.value)).toEqual(chosen);
    for (const option of best) {
      const card = cardFor(h.slack.messages(HARNESS_CHANNEL), option.value);
      expect(visibleText(card)).toContain(`${scoreOf(option)}/100`);
    }
    // Every proposal of the job the bot knows is offered, ranked.
    const known = Object.values(h.bot.ctx.store.data.proposals).filter((p) => p.proposal.jobId === spanish());
    expect(selectOf(view)?.options).toHaveLength(known.length);
    expect(viewText(view)).toContain('Preview');

    const { json, view: after } = await submit(view!, chosen, Q1, Q2);
    expect(json?.response_action).toBe('update');
    for (const id of chosen) {
      expect(received(id)).toEqual([expectedMessage()]);
      expect(askedNotes(id)).toHaveLength(1);
      expect(askedNotes(id)[0]).toContain(Q1);
    }
    const outcome = viewText(after);
    for (const id of chosen) expect(outcome).toContain(`✓ *${nameOf(id)}* — sent`);
    // Nobody else was asked.
    for (const p of known) if (!chosen.includes(p.proposal.id)) expect(received(p.proposal.id)).not.toContain(expectedMessage());
    // Each finalist's ask is recorded as sent, with the message id OpenTrain gave it.
    for (const id of chosen) {
      const asked = h.bot.ctx.store.data.proposals[id]!.asked!;
      expect(asked).toHaveLength(1);
      expect(asked[0]).toMatchObject({ by: REVIEWER, state: 'sent', questions: [Q1, Q2], error: null });
      expect(asked[0]!.messageId).toBeTruthy();
    }
  });
});
