import { readFile, rm, writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { HARNESS_CHANNEL, type Harness, harnessEnv, spawnBot, startHarness } from '../../src/sandbox/harness.js';
import { STORE_VERSION } from '../../src/store/index.js';
import { clickOnCard } from '../helpers/card-clicks.js';
import { cardFor, cardsIn, visibleText } from '../helpers/slack-text.js';

// A damaged data file, end to end: the real app over signed HTTP with the OpenTrain sandbox and the Slack stand-in,
// stopped, its file damaged on disk, and started again on it. Whatever the damage, no card reaches Slack twice, set-up
// is not announced again, and every record that can be read (or taken back from the cards) is kept.

const PROPOSALS_STORED = 12; // 13 lines with the header

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

interface Scene {
  h: Harness;
  file: string;
  /** Proposal ids in file order (line 2 onwards). */
  order: string[];
  votes: Map<string, Record<string, string>>;
  conversationOf: { proposalId: string; conversationId: string };
}

async function answerTo(harness: Harness, text: string) {
  const result = await harness.sender.command(text, { userId: 'U0REVIEWER', channelId: HARNESS_CHANNEL });
  expect(result.status).toBe(200);
  const fromAck = result.json as { text?: string; blocks?: unknown[] } | null;
  if (fromAck?.text) return fromAck;
  return (await harness.slack.waitFor(
    () => harness.slack.responses.find((r) => r.id === result.responseUrl?.split('/').pop())?.body,
    4000,
  )) as { text?: string; blocks?: unknown[] };
}

async function vote(harness: Harness, proposalId: string, userId: string, kind: 'up' | 'down' | 'maybe') {
  await clickOnCard(harness, proposalId, userId, `vote_${kind}`);
}

/**
 * The bot with 12 proposals on cards, votes on the cards of `voteOn` (file positions), a conversation on the first
 * card and global weights set; stopped, with its file on disk.
 */
async function scene(voteOn: number[], { candidateReplies = false } = {}): Promise<Scene> {
  h = await startHarness();
  await h.bot.ctx.sync.runOnce();
  await h.bot.idle();
  const stored = Object.keys(h.bot.ctx.store.data.proposals).length;
  for (let index = stored; index < PROPOSALS_STORED; index += 1) h.sandbox.addProposal(h.sandbox.ids.jobs.spanish);
  await h.bot.ctx.sync.runOnce();
  await h.bot.idle();
  const order = Object.keys(h.bot.ctx.store.data.proposals);
  expect(order).toHaveLength(PROPOSALS_STORED);
  expect(cardsIn(h.slack.messages(HARNESS_CHANNEL))).toHaveLength(PROPOSALS_STORED);

  for (const position of voteOn) {
    await vote(h, order[position]!, 'U0ANNA', 'up');
    await vote(h, order[position]!, 'U0BOB', 'maybe');
  }
  // A conversation on the first card: Message → first message → sent on OpenTrain.
  const first = order[0]!;
  const card = cardFor(h.slack.messages(HARNESS_CHANNEL), first)!;
  await h.sender.blockAction({
    actionId: 'card_message',
    value: first,
    userId: 'U0REVIEWER',
    channelId: HARNESS_CHANNEL,
    messageTs: card.ts,
  });
  await h.bot.idle();
  const view = [...h.slack.views.values()].reverse().find((v) => !v.closed && v.view.callback_id === 'message_submit');
  await h.sender.viewSubmission({
    callbackId: 'message_submit',
    userId: 'U0REVIEWER',
    viewId: view!.id,
    values: { message: { text: { type: 'plain_text_input', value: 'Hello, could you start next week?' } } },
  });
  await h.bot.idle();
  await answerTo(h, 'weights interview=0.7 match=0.2 price=0.1');
  if (candidateReplies) {
    h.sandbox.addCandidateMessage(h.bot.ctx.store.data.proposals[first]!.conversation!.id, 'Yes, Monday works for me.');
    await h.bot.ctx.sync.runOnce();
    await h.bot.idle();
    expect(relayedTexts(h, first)).toEqual([expect.stringContaining('Yes, Monday works for me.')]);
  }

  const data = h.bot.ctx.store.data;
  const conversationId = data.proposals[first]?.conversation?.id;
  expect(conversationId).toBeDefined();
  const votes = new Map(voteOn.map((position) => [order[position]!, { ...data.proposals[order[position]!]!.votes }]));
  for (const recorded of votes.values()) expect(recorded).toEqual({ U0ANNA: 'up', U0BOB: 'maybe' });
  await h.bot.stop();
  return {
    h,
    file: h.config.dataFile,
    order,
    votes,
    conversationOf: { proposalId: first, conversationId: conversationId! },
  };
}

/** Starts the bot again on the damaged file, lets a proposal arrive meanwhile, and runs two sync cycles. */
async function restart(s: Scene): Promise<{ harness: Harness; newProposalId: string; log: string[] }> {
  const { proposalId: newProposalId } = s.h.sandbox.addProposal(s.h.sandbox.ids.jobs.spanish);
  const log: string[] = [];
  h = await startHarness({
    sandbox: s.h.sandbox,
    slack: s.h.slack,
    dataDir: s.h.dataDir,
    logSink: (line) => log.push(line),
  });
  await h.bot.ctx.sync.runOnce();
  await h.bot.ctx.sync.runOnce();
  await h.bot.idle();
  return { harness: h, newProposalId, log };
}

/** Exactly one card per proposal reached Slack, and set-up was announced once. */
function expectNoDuplicates(harness: Harness, s: Scene, newProposalId: string): void {
  const cards = cardsIn(harness.slack.messages(HARNESS_CHANNEL));
  const ids = cards.map((m) => m.metadata?.event_payload.proposal_id);
  expect(new Set(ids).size).toBe(ids.length);
  expect(new Set(ids)).toEqual(new Set([...s.order, newProposalId]));
  expect(
    harness.slack.callsTo('chat.postMessage').filter((args) => String(args.text).includes('is set up')),
  ).toHaveLength(1);
  // Every stored proposal is linked to its one card, none left as an intent.
  for (const id of [...s.order, newProposalId]) {
    expect(harness.bot.ctx.store.data.proposals[id]?.card).toMatchObject({
      state: 'posted',
      ts: cardFor(cards, id)!.ts,
    });
  }
}

/** The candidate's messages relayed into a card's thread. */
function relayedTexts(harness: Harness, proposalId: string): string[] {
  const card = cardFor(harness.slack.messages(HARNESS_CHANNEL), proposalId)!;
  return harness.slack
    .thread(HARNESS_CHANNEL, card.ts)
    .filter((m) => m.metadata?.event_type === 'opentrain_message')
    .map((m) => visibleText(m));
}

function expectVotesKept(harness: Harness, s: Scene): void {
  for (const [id, votes] of s.votes) expect(harness.bot.ctx.store.data.proposals[id]?.votes).toEqual(votes);
}

async function statusText(harness: Harness): Promise<string> {
  return visibleText(await answerTo(harness, 'status'));
}

function lines(text: string): string[] {
  return text.slice(0, text.endsWith('\n') ? -1 : undefined).split('\n');
}

describe('a damaged data file (end to end, restarted on the damaged file)', () => {
  it('one bad line among 13: the 12 good records are kept, the bad one is quarantined and its card and votes found', async () => {
    const s = await scene([3, 6]);
    const text = lines(await readFile(s.file, 'utf8'));
    expect(text).toHaveLength(13);
    text[7] = `${text[7]!.slice(0, 80)} <<garbage>>`; // line 8: the proposal at position 6
    await writeFile(s.file, `${text.join('\n')}\n`);

    const { harness, newProposalId, log } = await restart(s);
    expectNoDuplicates(harness, s, newProposalId);
    expect(log.filter((line) => line.includes(' ERROR '))).toEqual([
      expect.stringContaining('was damaged: kept 11 proposal records; quarantined 1 unreadable record(s) in'),
    ]);
    // The damaged record's votes came back from its card's metadata; the good records kept theirs.
    expectVotesKept(harness, s);
    const data = harness.bot.ctx.store.data;
    expect(data.proposals[s.conversationOf.proposalId]?.conversation?.id).toBe(s.conversationOf.conversationId);
    expect(data.globalWeights).toEqual({ interview: 0.7, match: 0.2, price: 0.1 });
    expect(data.recovery).toMatchObject({ quarantined: 1, headerFieldsLost: [] });
    const quarantined = lines(await readFile(data.recovery!.quarantineFile!, 'utf8'));
    expect(quarantined).toHaveLength(1);
    expect(JSON.parse(quarantined[0]!)).toMatchObject({ line: 8, id: s.order[6] });

    const status = await statusText(harness);
    expect(status).toContain('1 unreadable record quarantined');
    expect(status).toContain('none re-posted');

    // The re-learned card is the live one: a vote edits it in place.
    const updatesBefore = harness.slack.callsTo('chat.update').length;
    await vote(harness, s.order[6]!, 'U0CARL', 'down');
    expect(harness.slack.callsTo('chat.update').length).toBeGreaterThan(updatesBefore);
    expect(cardsIn(harness.slack.messages(HARNESS_CHANNEL))).toHaveLength(PROPOSALS_STORED + 1);
  }, 60_000);

  it('a lost record with a conversation: the card is re-linked and no candidate message reaches its thread twice', async () => {
    const s = await scene([0], { candidateReplies: true });
    const text = lines(await readFile(s.file, 'utf8'));
    text[1] = text[1]!.slice(0, 100); // line 2: the proposal with the conversation
    await writeFile(s.file, `${text.join('\n')}\n`);

    const { harness, newProposalId } = await restart(s);
    expectNoDuplicates(harness, s, newProposalId);
    expectVotesKept(harness, s);
    const threadBefore = harness.slack.thread(
      HARNESS_CHANNEL,
      cardFor(harness.slack.messages(HARNESS_CHANNEL), s.conversationOf.proposalId)!.ts,
    ).length;

    // The candidate writes again: the conversation is linked to the card again and only the new message is relayed.
    harness.sandbox.addCandidateMessage(s.conversationOf.conversationId, 'And I have the tooling set up already.');
    await harness.bot.ctx.sync.runOnce();
    await harness.bot.idle();
    expect(relayedTexts(harness, s.conversationOf.proposalId)).toEqual([
      expect.stringContaining('Yes, Monday works for me.'),
      expect.stringContaining('And I have the tooling set up already.'),
    ]);
    const card = cardFor(harness.slack.messages(HARNESS_CHANNEL), s.conversationOf.proposalId)!;
    expect(harness.slack.thread(HARNESS_CHANNEL, card.ts)).toHaveLength(threadBefore + 1);
    expect(harness.bot.ctx.store.data.proposals[s.conversationOf.proposalId]?.conversation?.id).toBe(
      s.conversationOf.conversationId,
    );
  }, 60_000);

  it('a truncated last line: the rest is kept, the last record is quarantined and linked to its card again', async () => {
    const s = await scene([PROPOSALS_STORED - 1, 2]);
    const text = await readFile(s.file, 'utf8');
    await writeFile(s.file, text.slice(0, text.length - 200));

    const { harness, newProposalId } = await restart(s);
    expectNoDuplicates(harness, s, newProposalId);
    expectVotesKept(harness, s);
    const data = harness.bot.ctx.store.data;
    expect(data.proposals[s.conversationOf.proposalId]?.conversation?.id).toBe(s.conversationOf.conversationId);
    expect(data.globalWeights).toEqual({ interview: 0.7, match: 0.2, price: 0.1 });
    expect(await statusText(harness)).toContain('1 unreadable record quarantined');
  }, 60_000);

  it('a damaged header line: the proposal lines are kept, the ledger is drained again without re-posting or re-announcing', async () => {
    const s = await scene([4]);
    const [header, ...rest] = lines(await readFile(s.file, 'utf8'));
    await writeFile(s.file, `${[header!.slice(0, 50), ...rest].join('\n')}\n`);

    const { harness, newProposalId } = await restart(s);
    expectNoDuplicates(harness, s, newProposalId);
    expectVotesKept(harness, s);
    const data = harness.bot.ctx.store.data;
    expect(data.proposals[s.conversationOf.proposalId]?.conversation?.id).toBe(s.conversationOf.conversationId);
    // What only the header held is gone (the weights); the cursor was re-learned from the ledger's end.
    expect(data.globalWeights).toBeNull();
    expect(data.cursor).not.toBeNull();
    expect(data.backfilledAt).not.toBeNull();
    const status = await statusText(harness);
    expect(status).toContain('1 unreadable record quarantined');
    expect(status).toContain('the header line was unreadable');
  }, 60_000);

  it('garbage: nothing readable, yet every card is found in history and re-linked with its votes', async () => {
    const s = await scene([1, 5]);
    await writeFile(s.file, '{"version":1,"cursor":"12", this is not JSON at all');

    const { harness, newProposalId } = await restart(s);
    expectNoDuplicates(harness, s, newProposalId);
    expectVotesKept(harness, s);
    expect(await statusText(harness)).toContain('1 unreadable record quarantined');
  }, 60_000);

  it('an empty file: an empty store, no second set-up announcement, no card re-posted', async () => {
    const s = await scene([0]);
    await writeFile(s.file, '');

    const { harness, newProposalId } = await restart(s);
    expectNoDuplicates(harness, s, newProposalId);
    expectVotesKept(harness, s);
    expect(await statusText(harness)).toContain('0 unreadable records quarantined');
  }, 60_000);

  it('a deleted file: a first run that finds the cards in history, re-links them and does not announce set-up again', async () => {
    const s = await scene([2, 9]);
    await rm(s.file);

    const { harness, newProposalId } = await restart(s);
    expectNoDuplicates(harness, s, newProposalId);
    expectVotesKept(harness, s);
    expect(harness.bot.ctx.store.data.recovery ?? null).toBeNull();
  }, 60_000);

  it('a file from a newer version: the bot refuses to start with one sentence naming that version (exit 1)', async () => {
    h = await startHarness();
    await h.bot.stop();
    const file = h.config.dataFile;
    const future = `${JSON.stringify({ version: STORE_VERSION + 1, writtenBy: 'opentrain-hiring-bot 2.3.0', proposalCount: 0 })}\n`;
    await writeFile(file, future);
    const slackCallsBefore = h.slack.calls.length;
    const bot = await spawnBot({ ...harnessEnv(h.sandbox, h.slack, h.dataDir), LOG_LEVEL: 'info' }, { stderr: 'pipe' });
    expect(await bot.exited).toBe(1);
    // Log lines are JSON on stdout (not a terminal).
    const output = bot.output();
    const errors = output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: string; msg: string })
      .filter((line) => line.level === 'error')
      .map((line) => line.msg);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(
      `The data file ${file} was written by opentrain-hiring-bot 2.3.0 (store format ${STORE_VERSION + 1}), which opentrain-hiring-bot`,
    );
    expect(output).not.toMatch(/\n\s+at /); // no stack trace
    // Nothing touched: the file as it was, and not one call to Slack.
    expect(await readFile(file, 'utf8')).toBe(future);
    expect(h.slack.calls.length).toBe(slackCallsBefore);
  }, 60_000);
});
