import { afterEach, describe, expect, it } from 'vitest';
import { HARNESS_CHANNEL, type Harness, type HarnessOptions, startHarness } from '../../src/sandbox/harness.js';
import { SANDBOX_TOKENS } from '../../src/sandbox/opentrain/index.js';
import type { StoredSlackView } from '../../src/sandbox/slack/standin.js';
import { askedNotesIn, askValues, openAskView as openAskViewIn, receivedBy } from '../helpers/ask-form.js';
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

const openAskView = () => openAskViewIn(h);

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

/** What the candidate received in their OpenTrain conversation. */
const received = (proposalId: string) => receivedBy(h, proposalId);

/** The card's thread replies that say someone asked. */
const askedNotes = (proposalId: string, userId = REVIEWER) => askedNotesIn(h, proposalId, userId);

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

function errorsOf(json: Record<string, unknown> | null): Record<string, string> {
  return (json?.errors ?? {}) as Record<string, string>;
}

const values = askValues;

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
      // The thread shows the questions themselves, without the courtesy the candidate reads around them.
      expect(askedNotes(id)[0]).toContain(`<@${REVIEWER}> asked:\n>1. ${Q1}\n>\n>2. ${Q2}`);
      expect(askedNotes(id)[0]).not.toContain('Thank you for your proposal');
    }
    const outcome = viewText(after);
    for (const id of chosen) expect(outcome).toContain(`✓ *${nameOf(id)}* — sent`);
    // Nobody else was asked.
    for (const p of known)
      if (!chosen.includes(p.proposal.id)) expect(received(p.proposal.id)).not.toContain(expectedMessage());
    // Each finalist's ask is recorded as sent, with the message id OpenTrain gave it.
    for (const id of chosen) {
      const asked = h.bot.ctx.store.data.proposals[id]!.asked!;
      expect(asked).toHaveLength(1);
      expect(asked[0]).toMatchObject({ by: REVIEWER, state: 'sent', questions: [Q1, Q2], error: null });
      expect(asked[0]!.messageId).toBeTruthy();
    }
  });

  it('the preview follows what is typed, keeps the rest of the form, and never replaces the view after Submit', async () => {
    await start();
    await command('ask spanish');
    const view = openAskView()!;
    const chosen = preselected(view);
    expect(viewText(view)).toContain('‹your first question›');
    const type = (first: string, second = '') =>
      h.sender.blockAction({
        actionId: 'value',
        blockId: 'ask_q1',
        value: first,
        userId: REVIEWER,
        view: { id: view.id },
        values: values(chosen, first, second),
      });
    expect((await type(Q1, Q2)).status).toBe(200);
    await h.bot.idle();
    const typed = h.slack.views.get(view.id)!;
    const preview = blocksOf(typed).find((b) => b.block_id === 'ask_preview') as { text?: { text: string } };
    expect(preview.text?.text).toContain(`>1. ${Q1}`);
    expect(preview.text?.text).toContain(`>2. ${Q2}`);
    expect(preselected(typed)).toEqual(chosen);
    expect(typed.view.callback_id).toBe('ask_submit');
    expect(typed.view.private_metadata).toBe(view.view.private_metadata);

    // A keystroke that reaches the app after Submit carries the form's old hash: it leaves the outcome alone.
    const keystroke = JSON.parse(new URLSearchParams(h.sender.lastRequest!.body).get('payload')!);
    await submit(typed, chosen, Q1, Q2);
    expect(viewText(h.slack.views.get(view.id))).toContain('Asked 3 finalists');
    keystroke.trigger_id = `${keystroke.trigger_id}0`;
    keystroke.view.state.values = values(chosen, 'late');
    expect((await h.sender.interaction(keystroke)).status).toBe(200);
    await h.bot.idle();
    expect(viewText(h.slack.views.get(view.id))).toContain('Asked 3 finalists');
    expect(viewText(h.slack.views.get(view.id))).not.toContain('late');
  });

  it('with OpenTrain at 1.5 s per call, the submission is answered at once with "Sending…" and the outcome follows', async () => {
    await start();
    await command('ask spanish');
    const view = openAskView()!;
    const chosen = preselected(view);
    h.sandbox.setLatency(1500);
    const updatesBefore = h.slack.calls.filter((c) => c.method === 'views.update').length;
    const started = performance.now();
    const result = await h.sender.viewSubmission({
      callbackId: 'ask_submit',
      userId: REVIEWER,
      viewId: view.id,
      values: values(chosen, Q1, Q2),
    });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(result.status).toBe(200);
    expect(viewText(h.slack.views.get(view.id))).toContain('Sending to 3 finalists…');
    expect(viewText(h.slack.views.get(view.id))).toContain('You can close this form');
    expect(chosen.map(received)).toEqual([[], [], []]);
    // While OpenTrain takes its time, the form says who is done so far, finalist by finalist.
    const first = nameOf(chosen[0]!);
    const progress = await h.slack.waitFor(() => {
      const text = viewText(h.slack.views.get(view.id));
      return text.includes('1 of 3 done') ? text : undefined;
    }, 20_000);
    expect(progress).toContain(`✓ *${first}* — sent`);
    expect(progress).toContain('Sending to 3 finalists…');
    await h.bot.idle();
    for (const id of chosen) expect(received(id)).toEqual([expectedMessage()]);
    expect(viewText(h.slack.views.get(view.id))).toContain('Asked 3 finalists');
    // "1 of 3", "2 of 3", then the outcome: no progress after the last finalist.
    expect(h.slack.calls.filter((c) => c.method === 'views.update').length - updatesBefore).toBe(3);
  }, 60_000);

  it('a replayed submission, a second submission of the same form, a double click and a restart never ask anyone twice', async () => {
    await start();
    await command('ask spanish');
    const view = openAskView()!;
    const chosen = preselected(view);
    const metadata = String(view.view.private_metadata);
    await submit(view, chosen, Q1, Q2);
    const captured = h.sender.lastRequest;
    const once = () => chosen.every((id) => received(id).length === 1 && askedNotes(id).length === 1);
    expect(once()).toBe(true);

    // The same signed request again, byte for byte.
    expect((await h.sender.replay(captured)).status).toBe(200);
    await h.bot.idle();
    expect(once()).toBe(true);

    // A second, distinct submission of the same form (another trigger, another signature), and two at once.
    await submit(view, chosen, Q1, Q2, { privateMetadata: metadata });
    await Promise.all([
      submit(view, chosen, Q1, Q2, { privateMetadata: metadata }),
      submit(view, chosen, Q1, Q2, { privateMetadata: metadata }),
    ]);
    expect(once()).toBe(true);
    expect(viewText(h.slack.views.get(view.id))).toContain('already asked');

    // After a restart (the request memory is gone; the records are on disk).
    h = await h.restart();
    await submit(view, chosen, Q1, Q2, { privateMetadata: metadata });
    expect(once()).toBe(true);
    const posts = h.sandbox.requests.filter((r) => r.method === 'POST' && r.path === '/messages');
    expect(posts).toHaveLength(chosen.length);

    // A new form is a new round: asking again is then deliberate, and it goes.
    await command('ask spanish top 1');
    const next = openAskView()!;
    expect(preselected(next)).toEqual([chosen[0]]);
    await submit(next, [chosen[0]!], 'One more: which time zone are you in?');
    expect(received(chosen[0]!)).toHaveLength(2);
  });

  it('a partial failure is reported per candidate, the others get the questions, and the retry asks only the failed one', async () => {
    await start();
    await command('ask spanish');
    const view = openAskView()!;
    const chosen = preselected(view);
    const [first, limited, third] = chosen as [string, string, string];
    const metadata = String(view.view.private_metadata);
    // OpenTrain rate-limits opening the second finalist's conversation (every attempt, until it lifts).
    h.sandbox.injectFaults({
      status: 429,
      count: 10,
      method: 'POST',
      match: new RegExp(`/proposals/${limited}/conversation`),
      retryAfterSeconds: 30,
    });
    const { view: after } = await submit(view, chosen, Q1, Q2);
    // The form that comes back is the same round.
    expect(after.view.private_metadata).toBe(metadata);
    expect(received(first)).toEqual([expectedMessage()]);
    expect(received(third)).toEqual([expectedMessage()]);
    expect(received(limited)).toEqual([]);
    expect(askedNotes(limited)).toHaveLength(0);
    // The form comes back: the outcome per candidate, the questions kept, only the failed finalist selected.
    expect(after.view.callback_id).toBe('ask_submit');
    const text = viewText(after);
    expect(text).toContain(`✓ *${nameOf(first)}* — sent`);
    expect(text).toContain(`✓ *${nameOf(third)}* — sent`);
    expect(text).toContain(`✗ *${nameOf(limited)}* — OpenTrain is rate limiting; try again in 30 seconds.`);
    const inputs = blocksOf(after).filter((b) => b.block_id === 'ask_q1' || b.block_id === 'ask_q2');
    expect(inputs.map((b) => b.element?.initial_value)).toEqual([Q1, Q2]);
    expect(preselected(after)).toEqual([limited]);
    expect(h.bot.ctx.store.data.proposals[limited]!.asked).toEqual([
      expect.objectContaining({ state: 'failed', error: 'OpenTrain is rate limiting; try again in 30 seconds.' }),
    ]);

    // The limit lifts; the person submits the form as it came back — and then once more with everyone selected.
    h.sandbox.clearFaults();
    const { view: retried } = await submit(after, preselected(after), Q1, Q2);
    expect(received(limited)).toEqual([expectedMessage()]);
    expect(viewText(retried)).toContain(`✓ *${nameOf(limited)}* — sent`);
    const again = await submit(after, chosen, Q1, Q2, { privateMetadata: metadata });
    expect(again.json?.response_action).toBe('update');
    expect(viewText(again.view)).toContain(`✓ *${nameOf(first)}* — already asked`);
    for (const id of chosen) {
      expect(received(id)).toEqual([expectedMessage()]);
      expect(askedNotes(id)).toHaveLength(1);
    }
  });

  it("reports the proposal that isn't ready for messaging and a policy block in words; the others still go", async () => {
    await start();
    await command('ask spanish top 1');
    const view = openAskView()!;
    const [top] = preselected(view) as [string];
    const notReady = h.sandbox.ids.proposals.notReadyForMessaging;
    const { view: after } = await submit(view, [top, notReady], Q1);
    expect(received(top)).toHaveLength(1);
    expect(viewText(after)).toContain(
      `✗ *${nameOf(notReady)}* — OpenTrain can't open a conversation for this proposal yet`,
    );

    // OpenTrain's own policy refuses the message itself: reported, not sent, the typed questions kept.
    await command('ask spanish top 2');
    const second = openAskView()!;
    h.sandbox.blockMessagesMatching(/salary/i, 'compensation');
    const { view: blocked } = await submit(second, preselected(second), 'What salary do you expect?');
    expect(viewText(blocked)).toContain('compensation policy');
    for (const id of preselected(second)) expect(received(id).some((m) => m.includes('salary'))).toBe(false);
    expect(blocksOf(blocked).find((b) => b.block_id === 'ask_q1')?.element?.initial_value).toBe(
      'What salary do you expect?',
    );
  });

  it('an unclaimed account gets the claim link and messaging turned off its name, per candidate; nothing is sent', async () => {
    await start({ env: { OT_API_TOKEN: SANDBOX_TOKENS.unclaimed } });
    await command('ask spanish top 2');
    const view = openAskView()!;
    const chosen = preselected(view);
    const { view: after } = await submit(view, chosen, Q1);
    for (const id of chosen) {
      expect(viewText(after)).toMatch(
        new RegExp(
          `✗ \\*${nameOf(id)}\\* — A human must claim this OpenTrain account[^\\n]*https://app\\.opentrain\\.ai/claim`,
        ),
      );
      expect(received(id)).toEqual([]);
      expect(h.bot.ctx.store.data.proposals[id]!.asked![0]).toMatchObject({ state: 'failed' });
    }
    await h.close();

    await start();
    h.sandbox.setFeature('public_api_messaging_writes', false);
    await command('ask spanish top 2');
    const second = openAskView()!;
    const { view: off } = await submit(second, preselected(second), Q1);
    for (const id of preselected(second)) {
      expect(viewText(off)).toContain(`✗ *${nameOf(id)}* — OpenTrain's messaging feature`);
      expect(received(id)).toEqual([]);
    }
  });

  it('the outbound guard refuses contact details in a question inside the form, and nothing is sent to anyone', async () => {
    await start();
    await command('ask spanish');
    const view = openAskView()!;
    const chosen = preselected(view);
    h.sandbox.clearRequests();
    const refused: [string, string, string, RegExp][] = [
      ['Could you send samples to hiring@lumendata.com?', '', 'ask_q1', /email address/],
      [Q1, 'Add me on WhatsApp +34 612 345 678 to talk', 'ask_q2', /phone number/],
      [Q1, 'Can we continue this chat on Telegram? What is your handle there?', 'ask_q2', /Telegram handle/],
      ['   ', '', 'ask_q1', /Write the question/],
      [Q1, 'x'.repeat(2500), 'ask_q2', /2,500 characters/],
    ];
    for (const [first, second, block, why] of refused) {
      const { json, view: after } = await submit(view, chosen, first, second);
      expect(json?.response_action).toBe('errors');
      expect(errorsOf(json)[block]).toMatch(why);
      expect(after.closed).toBeFalsy();
    }
    const { json } = await submit(view, [], Q1);
    expect(errorsOf(json).ask_finalists).toContain('Choose at least one finalist');
    // Nothing reached OpenTrain, nothing was recorded, no thread heard of it.
    expect(h.sandbox.requests.filter((r) => r.method === 'POST')).toEqual([]);
    for (const id of chosen) {
      expect(h.bot.ctx.store.data.proposals[id]!.asked ?? []).toEqual([]);
      expect(askedNotes(id)).toEqual([]);
    }
  });

  it('REVIEWER_IDS: others are refused before the form opens (command and button) and again at submit', async () => {
    await start({ env: { REVIEWER_IDS: REVIEWER } });
    const refusal = await command('ask spanish', OTHER);
    expect(visibleText(refusal!)).toContain('Only the hiring reviewers');
    expect(openAskView()).toBeUndefined();

    const proposals = await command('proposals spanish', OTHER);
    expect(proposals).toBeTruthy();
    const click = await h.sender.blockAction({
      actionId: 'ask_finalists',
      value: spanish(),
      userId: OTHER,
      channelId: HARNESS_CHANNEL,
      messageTs: '1.000001',
    });
    expect(click.status).toBe(200);
    await h.bot.idle();
    expect(ephemeralsFor(OTHER).at(-1)).toContain('Only the hiring reviewers');
    expect(openAskView()).toBeUndefined();

    await command('ask spanish');
    const view = openAskView()!;
    const { json } = await submit(view, preselected(view), Q1, '', { userId: OTHER });
    expect(json?.response_action).toBe('errors');
    expect(errorsOf(json).ask_q1).toContain('Only the hiring reviewers');
    for (const id of preselected(view)) expect(received(id)).toEqual([]);
  });

  it('"Ask finalists…" on the digest and on /hiring proposals opens the same form', async () => {
    await start();
    await command('ask spanish');
    const fromCommand = openAskView()!;
    const expected = { selected: preselected(fromCommand), options: selectOf(fromCommand)?.options };
    fromCommand.closed = true;

    // /hiring proposals: the answer's button.
    const answer = await command('proposals spanish');
    const button = (answer!.blocks as Block[])
      .flatMap((b) => b.elements ?? [])
      .find((e) => e.action_id === 'ask_finalists');
    expect(button?.value).toBe(spanish());
    await h.sender.blockAction({
      actionId: 'ask_finalists',
      value: button!.value!,
      userId: REVIEWER,
      channelId: HARNESS_CHANNEL,
      messageTs: '1.000001',
    });
    await h.bot.idle();
    const fromAnswer = openAskView()!;
    expect({ selected: preselected(fromAnswer), options: selectOf(fromAnswer)?.options }).toEqual(expected);
    fromAnswer.closed = true;

    // The digest, posted in the channel: the job's button.
    await command('digest');
    const digest = h.slack.messages(HARNESS_CHANNEL).findLast((m) => visibleText(m).includes('Daily hiring digest'));
    const digestButton = ((digest?.blocks ?? []) as Block[])
      .flatMap((b) => b.elements ?? [])
      .find((e) => e.action_id === 'ask_finalists' && e.value === spanish());
    expect(digestButton).toBeTruthy();
    await h.sender.blockAction({
      actionId: 'ask_finalists',
      value: spanish(),
      userId: REVIEWER,
      channelId: HARNESS_CHANNEL,
      messageTs: digest!.ts,
    });
    await h.bot.idle();
    const fromDigest = openAskView()!;
    expect({ selected: preselected(fromDigest), options: selectOf(fromDigest)?.options }).toEqual(expected);
    // Each form is its own round.
    expect(fromDigest.view.private_metadata).not.toBe(fromAnswer.view.private_metadata);
  });

  it('a finalist left "sending" (a crash after the send) is checked in the conversation, not asked again', async () => {
    await start();
    await command('ask spanish top 2');
    const view = openAskView()!;
    const chosen = preselected(view);
    const metadata = String(view.view.private_metadata);
    await submit(view, chosen, Q1);
    // As if the bot had crashed after POST /messages, before recording the answer: the record says "sending".
    h.bot.ctx.store.change((data) => {
      const record = data.proposals[chosen[0]!]!.asked![0]!;
      record.state = 'sending';
      record.messageId = null;
    });
    h = await h.restart();
    h.sandbox.clearRequests();
    const { view: after } = await submit(view, chosen, Q1, '', { privateMetadata: metadata });
    for (const id of chosen) expect(received(id)).toHaveLength(1);
    expect(h.sandbox.requests.filter((r) => r.method === 'POST' && r.path === '/messages')).toEqual([]);
    // The conversation was read to settle it.
    expect(h.sandbox.requests.some((r) => r.method === 'GET' && r.path === '/messages')).toBe(true);
    expect(h.bot.ctx.store.data.proposals[chosen[0]!]!.asked![0]).toMatchObject({ state: 'sent' });
    expect(viewText(after)).toContain(`✓ *${nameOf(chosen[0]!)}* — sent`);
  });

  it('when the form was closed before the outcome, the person gets an ephemeral summary with the questions kept', async () => {
    await start();
    await command('ask spanish top 2');
    const view = openAskView()!;
    const [sent, limited] = preselected(view) as [string, string];
    h.sandbox.injectFaults({
      status: 429,
      count: 10,
      method: 'POST',
      match: new RegExp(`/proposals/${limited}/conversation`),
      retryAfterSeconds: 30,
    });
    // Closed: every update of the form (its progress, then its outcome) fails.
    h.slack.failNext('views.update', { error: 'not_found' }, 5);
    await submit(view, [sent, limited], Q1, Q2);
    const summary = ephemeralsFor(REVIEWER).at(-1)!;
    expect(summary).toContain(`✓ *${nameOf(sent)}* — sent`);
    expect(summary).toContain(`✗ *${nameOf(limited)}* — OpenTrain is rate limiting; try again in 30 seconds.`);
    expect(summary).toContain(`>${Q1}\n>${Q2}`);
    expect(received(sent)).toEqual([expectedMessage()]);
    expect(received(limited)).toEqual([]);
  });
});
