import { afterEach, describe, expect, it } from 'vitest';
import { HARNESS_BOT_TOKEN, HARNESS_CHANNEL, type Harness, startHarness } from '../../src/sandbox/harness.js';
import { startOpenTrainSandbox } from '../../src/sandbox/opentrain/index.js';
import type { StoredSlackView } from '../../src/sandbox/slack/standin.js';
import { askPreselected, askValues, openAskView } from '../helpers/ask-form.js';
import { hireFormValues } from '../helpers/hire-form.js';
import { cardFor, homeList, textAndLinks } from '../helpers/slack-text.js';

// App Home end to end, over signed HTTP and Socket Mode: opening the Home tab publishes that person's overview; what
// the overview shows changing re-publishes it for people who opened theirs recently, and nobody else; nothing changed,
// nothing is published (docs/slack.md#app-home). The finalists and approvals lists come from the real Ask and Hire…
// flows: finalists leave when they answer, approvals when confirmed or expired (the sandbox clock moved past 72 h);
// only reviewers get the approval's link.

const REVIEWER = 'U0ANNA';
/** Votes and reads; not in REVIEWER_IDS. */
const TEAMMATE = 'U0BEN';
const HOUR_MS = 60 * 60 * 1000;

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Everything the Home tab shows as text, buttons' labels and links included. */
function homeText(view: StoredSlackView | undefined): string {
  return textAndLinks(view?.view.blocks ?? []);
}

function buttonsOf(
  view: StoredSlackView | undefined,
): { action_id: string; url?: string; value?: string; label: string }[] {
  const buttons: { action_id: string; url?: string; value?: string; label: string }[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) for (const item of node) walk(item);
    else if (node && typeof node === 'object') {
      const element = node as {
        type?: string;
        action_id?: string;
        url?: string;
        value?: string;
        text?: { text?: string };
      };
      if (element.type === 'button' && element.action_id) {
        buttons.push({
          action_id: element.action_id,
          label: element.text?.text ?? '',
          ...(element.url ? { url: element.url } : {}),
          ...(element.value ? { value: element.value } : {}),
        });
      }
      for (const value of Object.values(node)) walk(value);
    }
  };
  walk(view?.view.blocks ?? []);
  return buttons;
}

function publishedFor(harness: Harness): string[] {
  return harness.slack.calls
    .filter((call) => call.method === 'views.publish' && call.ok)
    .map((call) => String(call.args.user_id));
}

function permalinkOf(harness: Harness, ts: string): string {
  return `https://${harness.slack.identity.teamDomain}.slack.com/archives/${HARNESS_CHANNEL}/p${ts.replace('.', '')}`;
}

/** Opens `userId`'s Home tab and waits until it was handled: published (`expectPublish`) or found unchanged. */
async function openHome(
  harness: Harness,
  userId: string,
  expectPublish: boolean,
): Promise<StoredSlackView | undefined> {
  const before = publishedFor(harness).length;
  const result = await harness.sender.appHomeOpened(userId);
  expect(result.status).toBe(200);
  if (expectPublish) {
    await harness.slack.waitFor(() => publishedFor(harness).length > before, 5000);
  } else {
    // A control: someone else opens theirs afterwards; once that is published, the first open was handled too.
    const control = `U0CTRL${before}`;
    await harness.sender.appHomeOpened(control);
    await harness.slack.waitFor(() => publishedFor(harness).includes(control), 5000);
  }
  await harness.bot.idle();
  return harness.slack.homeView(userId);
}

async function scene(mode: 'http' | 'socket', clock?: () => Date) {
  h = await startHarness({ mode, env: { REVIEWER_IDS: REVIEWER }, ...(clock ? { deps: { clock } } : {}) });
  await h.bot.ctx.sync.runOnce();
  await h.bot.idle();
  return h;
}

describe.each(['http', 'socket'] as const)('App Home (%s)', (mode) => {
  it('opening the Home tab publishes that person’s overview, only theirs; opening again with nothing new publishes nothing', async () => {
    const harness = await scene(mode);
    const home = await openHome(harness, REVIEWER, true);
    expect(publishedFor(harness)).toEqual([REVIEWER]);
    expect(home?.view.type).toBe('home');
    const text = homeText(home);
    expect(text).toContain('Open jobs');
    // The seeded Spanish job has cards nobody voted on yet.
    const spanish = harness.bot.ctx.store.data.jobs[harness.sandbox.ids.jobs.spanish]!;
    expect(text).toContain(spanish.title);
    expect(text).toMatch(/\d+ unreviewed, \d+ you haven't voted on/);
    expect(text).toContain('Nobody is waiting for a reply.');
    expect(harness.slack.homeView('U0BOB')).toBeUndefined();

    await openHome(harness, REVIEWER, false);
    expect(publishedFor(harness).filter((user) => user === REVIEWER)).toHaveLength(1);
    // The Messages tab of the app's Home is not the Home tab: nothing to publish.
    await harness.sender.appHomeOpened(REVIEWER, { tab: 'messages' });
    await openHome(harness, 'U0DAN', true);
    expect(publishedFor(harness).filter((user) => user === REVIEWER)).toHaveLength(1);
  });

  it('after a restart the next visit publishes again, guarded by the hash Slack sent; Refresh in the tab re-publishes it', async () => {
    let harness = await scene(mode);
    const first = await openHome(harness, REVIEWER, true);
    // The stand-in's view is replaced in place: keep what it was.
    const firstHash = first!.hash;
    const firstBlocks = structuredClone(first!.view.blocks);
    harness = await harness.restart();
    h = harness;
    harness.slack.clearCalls();
    // What the tab showed was in the old process's memory: the next visit publishes it, with the hash Slack sent.
    const again = await openHome(harness, REVIEWER, true);
    expect(harness.slack.callsTo('views.publish')[0]).toMatchObject({ user_id: REVIEWER, hash: firstHash });
    expect(again?.hash).not.toBe(firstHash);
    expect(again?.view.blocks).toEqual(firstBlocks);

    // Something else publishes over the tab (another copy of the bot, say); Refresh, clicked in it, puts it right.
    const elsewhere = await fetch(`${harness.slack.url}views.publish`, {
      method: 'POST',
      headers: { authorization: `Bearer ${HARNESS_BOT_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        user_id: REVIEWER,
        view: {
          type: 'home',
          blocks: [
            { type: 'section', text: { type: 'mrkdwn', text: 'Elsewhere' } },
            {
              type: 'actions',
              elements: [{ type: 'button', action_id: 'home_refresh', text: { type: 'plain_text', text: 'Refresh' } }],
            },
          ],
        },
      }),
    });
    expect(await elsewhere.json()).toMatchObject({ ok: true });
    const elsewhereHash = harness.slack.homeView(REVIEWER)!.hash;
    harness.slack.clearCalls();
    const click = await harness.sender.blockAction({
      actionId: 'home_refresh',
      userId: REVIEWER,
      view: { id: again!.id },
    });
    expect(click.status).toBe(200);
    await harness.bot.idle();
    expect(harness.slack.callsTo('views.publish')).toEqual([
      expect.objectContaining({ user_id: REVIEWER, hash: elsewhereHash }),
    ]);
    expect(harness.slack.homeView(REVIEWER)?.view.blocks).toEqual(firstBlocks);
  });

  it('a conversation awaiting our reply appears for a recent opener, with a button that leads to its card', async () => {
    const harness = await scene(mode);
    const proposalId = harness.sandbox.ids.proposals.spanishRecent;
    const card = cardFor(harness.slack.messages(HARNESS_CHANNEL), proposalId)!;
    await openHome(harness, REVIEWER, true);

    // Anna writes to the candidate from the card, and the candidate answers.
    await harness.sender.blockAction({
      actionId: 'card_message',
      value: proposalId,
      userId: REVIEWER,
      channelId: HARNESS_CHANNEL,
      messageTs: card.ts,
    });
    await harness.bot.idle();
    const composer = [...harness.slack.views.values()].find(
      (v) => !v.closed && v.view.callback_id === 'message_submit',
    );
    await harness.sender.viewSubmission({
      callbackId: 'message_submit',
      userId: REVIEWER,
      viewId: composer!.id,
      values: { message: { text: { type: 'plain_text_input', value: 'Could you start on Monday?' } } },
    });
    await harness.bot.idle();
    const conversation = harness.bot.ctx.store.data.proposals[proposalId]!.conversation!;
    harness.sandbox.addCandidateMessage(conversation.id, 'Yes, Monday works for me.');
    await harness.bot.ctx.sync.runOnce();
    await harness.bot.idle();

    const home = harness.slack.homeView(REVIEWER);
    const name = harness.bot.ctx.store.data.proposals[proposalId]!.proposal.candidate.displayName;
    expect(homeText(home)).toContain('Conversations awaiting our reply (1)');
    expect(homeText(home)).toMatch(new RegExp(`${name.replace('.', '\\.')}.*\\n1 message to answer`));
    const thread = buttonsOf(home).find((button) => button.label === 'Open thread');
    expect(thread).toMatchObject({
      action_id: 'home_open_card',
      value: proposalId,
      url: permalinkOf(harness, card.ts),
    });
    // Nobody else opened their Home tab: nobody else's was published.
    expect(new Set(publishedFor(harness))).toEqual(new Set([REVIEWER]));

    // The click on the link button is acknowledged (Slack opens the link itself).
    const click = await harness.sender.blockAction({
      actionId: 'home_open_card',
      value: proposalId,
      userId: REVIEWER,
      view: { id: home!.id },
    });
    expect(click.status).toBe(200);
  });

  it('a vote or a new proposal re-publishes for recent openers only; a change the overview doesn’t show publishes nothing', async () => {
    let offsetMs = 0;
    const harness = await scene(mode, () => new Date(Date.now() + offsetMs));
    // Cara opened hers more than a day ago; Anna opens hers now.
    await openHome(harness, 'U0CARA', true);
    offsetMs = 25 * HOUR_MS;
    const before = homeText(await openHome(harness, REVIEWER, true));
    harness.slack.clearCalls();

    const proposalId = harness.sandbox.ids.proposals.spanishRecent;
    const card = cardFor(harness.slack.messages(HARNESS_CHANNEL), proposalId)!;
    const vote = await harness.sender.blockAction({
      actionId: 'vote_up',
      value: proposalId,
      userId: 'U0BOB',
      channelId: HARNESS_CHANNEL,
      messageTs: card.ts,
    });
    expect(vote.status).toBe(200);
    await harness.bot.idle();
    expect(publishedFor(harness)).toEqual([REVIEWER]);
    const afterVote = homeText(harness.slack.homeView(REVIEWER));
    expect(afterVote).not.toBe(before);
    const unreviewed = (text: string) => Number(text.match(/(\d+) unreviewed/)?.[1]);
    expect(unreviewed(afterVote)).toBe(unreviewed(before) - 1);

    // Weights change the cards' ranking, not what the Home tab shows: nothing is published.
    harness.slack.clearCalls();
    const weights = await harness.sender.command('weights interview=0.6 match=0.2 price=0.2', {
      userId: REVIEWER,
      channelId: HARNESS_CHANNEL,
    });
    expect(weights.status).toBe(200);
    await harness.bot.idle();
    expect(harness.bot.ctx.store.data.globalWeights).toMatchObject({ interview: 0.6 });
    expect(publishedFor(harness)).toEqual([]);

    // A new proposal arrives: one more card to review, on Anna's tab.
    harness.sandbox.addProposal(harness.sandbox.ids.jobs.spanish);
    await harness.bot.ctx.sync.runOnce();
    await harness.bot.idle();
    expect(publishedFor(harness).length).toBeGreaterThan(0);
    expect(new Set(publishedFor(harness))).toEqual(new Set([REVIEWER]));
    expect(unreviewed(homeText(harness.slack.homeView(REVIEWER)))).toBe(unreviewed(afterVote) + 1);
  });
});

/** A harness whose OpenTrain sandbox and bot share a clock the test can move (approvals expire after 72 h). */
async function clockedScene(mode: 'http' | 'socket') {
  let offsetMs = 0;
  const now = () => new Date(Date.now() + offsetMs);
  const sandbox = await startOpenTrainSandbox({ port: 0, now, webhookRetryDelaysMs: [50, 100, 200, 400] });
  h = await startHarness({ mode, sandbox, env: { REVIEWER_IDS: REVIEWER }, deps: { clock: now } });
  await h.bot.ctx.sync.runOnce();
  await h.bot.idle();
  return { harness: h, advance: (ms: number) => (offsetMs += ms) };
}

function nameOf(harness: Harness, proposalId: string): string {
  return harness.bot.ctx.store.data.proposals[proposalId]!.proposal.candidate.displayName;
}

/** `/hiring ask spanish top 2` as the reviewer, submitted with the form's pre-selection; returns the finalists. */
async function askFinalists(harness: Harness, question: string): Promise<string[]> {
  const asked = await harness.sender.command('ask spanish top 2', { userId: REVIEWER, channelId: HARNESS_CHANNEL });
  expect(asked.status).toBe(200);
  await harness.bot.idle();
  const form = openAskView(harness);
  const finalists = askPreselected(form);
  expect(finalists).toHaveLength(2);
  const submitted = await harness.sender.viewSubmission({
    callbackId: 'ask_submit',
    userId: REVIEWER,
    viewId: form!.id,
    values: askValues(finalists, question),
  });
  expect(submitted.status).toBe(200);
  await harness.bot.idle();
  return finalists;
}

/** Hire… on the card, as the reviewer, with a first milestone of `amount` USD; returns the sandbox's approval. */
async function requestHire(harness: Harness, proposalId: string, amount: string) {
  const card = cardFor(harness.slack.messages(HARNESS_CHANNEL), proposalId)!;
  const before = new Set(harness.slack.views.keys());
  const click = await harness.sender.blockAction({
    actionId: 'card_hire',
    value: proposalId,
    userId: REVIEWER,
    channelId: HARNESS_CHANNEL,
    messageTs: card.ts,
  });
  expect(click.status).toBe(200);
  await harness.bot.idle();
  const form = [...harness.slack.views.values()].find((view) => !before.has(view.id))!;
  expect(form.view.callback_id).toBe('hire_submit');
  const submitted = await harness.sender.viewSubmission({
    callbackId: 'hire_submit',
    userId: REVIEWER,
    viewId: form.id,
    values: hireFormValues({ name: 'Pilot batch', amount }),
  });
  expect(submitted.status).toBe(200);
  await harness.bot.idle();
  const approval = [...harness.sandbox.state.approvals.values()].find((a) => a.proposalId === proposalId);
  expect(approval?.status).toBe('pending');
  return approval!;
}

describe.each(['http', 'socket'] as const)('App Home: finalists and approvals (%s)', (mode) => {
  it('finalists asked show until they answer; a hire waiting for approval shows, with its link only for reviewers', async () => {
    const harness = await scene(mode);
    await openHome(harness, REVIEWER, true);
    await openHome(harness, TEAMMATE, true);

    const finalists = await askFinalists(harness, 'Which sentiment labels would you give a sarcastic compliment?');
    for (const user of [REVIEWER, TEAMMATE]) {
      const list = homeList(harness.slack.homeView(user), 'Finalists without answers');
      expect(list).toContain('Finalists without answers (2)');
      for (const id of finalists) expect(list).toContain(nameOf(harness, id));
      expect(list).toContain(`1 question asked by <@${REVIEWER}>`);
      // Each finalist has a link to their card.
      const card = cardFor(harness.slack.messages(HARNESS_CHANNEL), finalists[0]!)!;
      expect(list).toContain(permalinkOf(harness, card.ts));
    }

    // The first finalist answers on OpenTrain; the next sync takes them off both lists.
    const conversation = harness.bot.ctx.store.data.proposals[finalists[0]!]!.conversation!;
    harness.sandbox.addCandidateMessage(conversation.id, 'Negative: the compliment is ironic.');
    await harness.bot.ctx.sync.runOnce();
    await harness.bot.idle();
    for (const user of [REVIEWER, TEAMMATE]) {
      const list = homeList(harness.slack.homeView(user), 'Finalists without answers');
      expect(list).toContain('Finalists without answers (1)');
      expect(list).not.toContain(nameOf(harness, finalists[0]!));
      expect(list).toContain(nameOf(harness, finalists[1]!));
    }

    // Anna asks OpenTrain to hire the first finalist: both tabs list the approval; only hers links to it.
    const approval = await requestHire(harness, finalists[0]!, '250');
    const reviewerHome = harness.slack.homeView(REVIEWER);
    const teammateHome = harness.slack.homeView(TEAMMATE);
    for (const view of [reviewerHome, teammateHome]) {
      const list = homeList(view, 'Hire approvals pending');
      expect(list).toContain('Hire approvals pending (1)');
      expect(list).toContain(nameOf(harness, finalists[0]!));
      expect(list).toContain(`$250 first milestone · requested by <@${REVIEWER}>`);
      expect(buttonsOf(view)).toContainEqual(
        expect.objectContaining({ action_id: 'home_open_card', label: 'Open card' }),
      );
    }
    expect(buttonsOf(reviewerHome)).toContainEqual(
      expect.objectContaining({ action_id: 'home_open_approval', url: approval.approvalUrl }),
    );
    expect(buttonsOf(teammateHome).filter((b) => b.action_id === 'home_open_approval')).toEqual([]);
    expect(homeText(teammateHome)).not.toContain(approval.approvalUrl);

    // Confirmed on OpenTrain: it leaves both lists.
    harness.sandbox.resolveApproval(approval.id, 'confirmed');
    await harness.bot.ctx.sync.runOnce();
    await harness.bot.idle();
    for (const user of [REVIEWER, TEAMMATE]) {
      const list = homeList(harness.slack.homeView(user), 'Hire approvals pending');
      expect(list).toContain('Hire approvals pending (0)');
      expect(list).toContain('No hire is waiting for approval.');
    }
  });

  it('an approval that expires leaves the list by itself, and the card says so', async () => {
    const { harness, advance } = await clockedScene(mode);
    const proposalId = harness.sandbox.ids.proposals.spanishRecent;
    const approval = await requestHire(harness, proposalId, '120');
    // Anna looks at her tab with half an hour left: the approval is there.
    advance(71.5 * HOUR_MS);
    const before = homeList(await openHome(harness, REVIEWER, true), 'Hire approvals pending');
    expect(before).toContain('Hire approvals pending (1)');
    expect(before).toContain(nameOf(harness, proposalId));

    // An hour later the next sync reads it past its expiry (which expires it on OpenTrain): her tab follows.
    advance(HOUR_MS);
    harness.slack.clearCalls();
    await harness.bot.ctx.sync.runOnce();
    await harness.bot.idle();
    expect(harness.sandbox.state.approvals.get(approval.id)!.status).toBe('expired');
    expect(publishedFor(harness)).toContain(REVIEWER);
    const after = homeList(harness.slack.homeView(REVIEWER), 'Hire approvals pending');
    expect(after).toContain('Hire approvals pending (0)');
    expect(after).not.toContain(nameOf(harness, proposalId));
    expect(homeText(harness.slack.homeView(REVIEWER))).not.toContain(approval.approvalUrl);
    const card = cardFor(harness.slack.messages(HARNESS_CHANNEL), proposalId);
    expect(JSON.stringify(card?.blocks)).toContain('The hire approval expired');
  });
});
