import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HARNESS_CHANNEL, type Harness, startHarness } from '../../src/sandbox/harness.js';
import type { SlackHttpResult } from '../../src/sandbox/slack/signed-requests.js';
import { cardsIn, visibleText } from '../helpers/slack-text.js';

// Hostile input is normal input: a seeded fuzz of `/hiring` text and of interaction payloads, sent to the real app
// over signed HTTP. Each request must be acknowledged within 3 s; where a person waits they get a sentence; nothing
// that reaches Slack carries a stack trace; and the process and app are alive afterwards. Runs in a few seconds.

const SEED = 0x5eed_0008;
const CONCURRENCY = 16;
const ACK_LIMIT_MS = 3000;

/** mulberry32: a small seeded PRNG, so a failure is reproducible from SEED. */
function prng(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  return { next, pick, chance: (p: number) => next() < p };
}

const PROTO_WORDS = [
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'prototype',
  '__defineGetter__',
];
const CASED = (word: string) => [word, word.toUpperCase(), word[0]!.toUpperCase() + word.slice(1)];
const ODD_TEXT = [
  '',
  ' ',
  '\u0000',
  '\u202eevil',
  'a\u200bb',
  '👍🏽‍🔥',
  'é\u0301\u0301\u0301',
  '\ud800',
  'Z̷̛̤a̵l̶g̸o̴',
  '`rm -rf`',
  '<#C0HIRING|hiring>',
  '<@U0NOBODY>',
  '<https://opentrain.ai/jobs/__proto__|x>',
  '&lt;&gt;&amp;',
  '{"a":1}',
  'line\nbreak',
  'x'.repeat(10_000),
  'ü'.repeat(40_000),
  '١٢٣',
  'ＩＮＶＩＴＥ',
  '-1',
  '1e308',
  'NaN',
  'Infinity',
  '∞',
  '0x10',
  '%',
  '=',
  '"',
];
const SUBCOMMANDS = [
  'help',
  'jobs',
  'proposals',
  'transcript',
  'profile',
  'invite',
  'watch',
  'unwatch',
  'watching',
  'weights',
  'digest',
  'status',
  'top',
  'reset',
  ...PROTO_WORDS.flatMap(CASED),
];
const WEIGHT_KEYS = ['interview', 'match', 'price', 'i', 'm', 'p', ...PROTO_WORDS];
const WEIGHT_VALUES = ['0.5', '1e308', '-1', 'NaN', '∞', '101', '50%', '1e-400', '0', '__proto__', ''];

function commandText(r: ReturnType<typeof prng>): string {
  const words: string[] = [];
  const count = 1 + Math.floor(r.next() * 4);
  for (let i = 0; i < count; i += 1) {
    const roll = r.next();
    if (i === 0 || roll < 0.3) words.push(r.pick(SUBCOMMANDS));
    else if (roll < 0.55) words.push(`${r.pick(WEIGHT_KEYS)}=${r.pick(WEIGHT_VALUES)}`);
    else words.push(r.pick(ODD_TEXT));
  }
  return words.join(r.chance(0.2) ? '   ' : ' ');
}

interface Scene {
  proposalIds: string[];
  cardTs: string;
}

const KNOWN_ACTIONS = ['vote_up', 'vote_down', 'vote_maybe', 'card_transcript', 'card_profile', 'card_invite'];
const ODD_IDS = [...PROTO_WORDS, 'vote_sideways', 'card_shortlist_v0', '', 'x'.repeat(300)];
const VIEW_IDS = ['invite_submit', 'message_submit', 'reply_submit', 'legacy_form', ...PROTO_WORDS];
const SHORTCUT_IDS = ['send_to_candidate', 'old_shortcut', ...PROTO_WORDS];

/** A value that may be anything at all: the right type, the wrong type, or absent. */
function oddValue(r: ReturnType<typeof prng>, scene: Scene): unknown {
  return r.pick<unknown>([
    r.pick(scene.proposalIds),
    r.pick(PROTO_WORDS),
    JSON.stringify({ proposalId: r.pick(PROTO_WORDS), conversationId: 'conv_1' }),
    JSON.stringify({ proposalId: r.pick(scene.proposalIds), conversationId: r.pick(PROTO_WORDS) }),
    '{"__proto__":{"polluted":true}}',
    r.pick(ODD_TEXT),
    42,
    null,
    undefined,
    { nested: true },
    ['a'],
  ]);
}

function interactionPayload(r: ReturnType<typeof prng>, scene: Scene, userId: string): Record<string, unknown> {
  const user = r.chance(0.95) ? { id: userId, name: 'fuzz' } : r.pick<unknown>([undefined, null, 'U1', {}]);
  const triggerId = `fuzz.${Math.floor(r.next() * 1e9)}.${userId}`;
  const kind = r.next();
  if (kind < 0.45) {
    const actionId = r.chance(0.6) ? r.pick(KNOWN_ACTIONS) : r.pick(ODD_IDS);
    const actions = r.pick<unknown>([
      [{ type: 'button', action_id: actionId, block_id: 'b', value: oddValue(r, scene), action_ts: '1.2' }],
      [{ type: 'button', action_id: actionId, block_id: 'b', action_ts: '1.2' }],
      [],
      undefined,
      'not-a-list',
      [null],
    ]);
    const onCard = r.chance(0.8);
    return {
      type: 'block_actions',
      user,
      trigger_id: triggerId,
      team: { id: 'T0SANDBOX' },
      api_app_id: 'A0SANDBOX',
      ...(onCard
        ? {
            container: { type: 'message', message_ts: scene.cardTs, channel_id: HARNESS_CHANNEL, is_ephemeral: false },
            channel: { id: HARNESS_CHANNEL, name: 'hiring' },
            message: { type: 'message', ts: scene.cardTs, text: '' },
          }
        : r.pick([{}, { container: { type: 'view', view_id: 'V0NONE' } }, { channel: 'C1', container: 7 }])),
      ...(actions === undefined ? {} : { actions }),
    };
  }
  if (kind < 0.75) {
    const callbackId = r.pick(VIEW_IDS);
    const values = r.pick<unknown>([
      { message: { text: { type: 'plain_text_input', value: r.pick(ODD_TEXT) } } },
      { job: { job_select: { type: 'static_select', selected_option: { value: oddValue(r, scene) } } } },
      { __proto__: { text: { value: 'x' } } },
      {},
      'values',
      null,
    ]);
    return {
      type: 'view_submission',
      user,
      trigger_id: triggerId,
      team: { id: 'T0SANDBOX' },
      view: r.pick<unknown>([
        {
          id: `V${Math.floor(r.next() * 1e6)}`,
          callback_id: callbackId,
          private_metadata: String(oddValue(r, scene) ?? ''),
          hash: 'h',
          blocks: r.chance(0.5) ? [{ type: 'input', block_id: 'message' }] : [],
          state: { values },
        },
        { callback_id: callbackId },
        undefined,
        'view',
      ]),
    };
  }
  if (kind < 0.9) {
    const withMessage = r.chance(0.6);
    return {
      type: r.pick(['message_action', 'shortcut']),
      callback_id: r.pick(SHORTCUT_IDS),
      user,
      trigger_id: triggerId,
      team: { id: 'T0SANDBOX' },
      ...(withMessage
        ? {
            channel: { id: HARNESS_CHANNEL },
            message: { ts: scene.cardTs, text: r.pick(ODD_TEXT), thread_ts: r.pick([scene.cardTs, undefined]) },
            message_ts: scene.cardTs,
          }
        : {}),
    };
  }
  return r.pick<Record<string, unknown>>([
    { type: 'view_closed', user, view: { callback_id: r.pick(VIEW_IDS) } },
    { type: 'block_suggestion', user, action_id: r.pick(ODD_IDS), value: 'x' },
    { type: r.pick(ODD_IDS), user },
    { type: 'interactive_message', user, callback_id: 'legacy', actions: [] },
    { user },
  ]);
}

// Stack traces, internal paths and raw exception text must never reach Slack.
const LEAK =
  /\n\s+at |\bat [\w.<>$]+ \(|TypeError|ReferenceError|RangeError|SyntaxError|Cannot read propert|\/src\/|node_modules|\[object Object\]/;

interface Tally {
  inputs: number;
  acked: number;
  slowest: number;
  waiting: number;
  answered: number;
  silentDrops: string[];
  leaks: string[];
}

let h: Harness;
let scene: Scene;
const crashes: unknown[] = [];
const onCrash = (error: unknown) => crashes.push(error);

beforeAll(async () => {
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  h = await startHarness();
  await h.bot.ctx.sync.runOnce();
  await h.bot.idle();
  const card = cardsIn(h.slack.messages(HARNESS_CHANNEL))[0]!;
  scene = { proposalIds: Object.keys(h.bot.ctx.store.data.proposals), cardTs: card.ts };
});

afterAll(async () => {
  process.off('uncaughtException', onCrash);
  process.off('unhandledRejection', onCrash);
  await h?.close();
});

/** Everything Slack got for one user (ephemerals, response_url posts, modals opened or updated for them). */
function reachedSlackFor(userId: string, responseUrl?: string): string[] {
  const texts: string[] = [];
  for (const ephemeral of h.slack.ephemerals) if (ephemeral.user === userId) texts.push(visibleText(ephemeral));
  for (const response of h.slack.responses) {
    if (responseUrl?.endsWith(response.id)) texts.push(JSON.stringify(response.body));
  }
  for (const view of h.slack.views.values()) if (view.userId === userId) texts.push(JSON.stringify(view.view));
  return texts;
}

async function runAll<T>(items: T[], send: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items.length) {
        const index = next++;
        await send(items[index]!, index);
      }
    }),
  );
}

async function timed(send: () => Promise<SlackHttpResult>): Promise<{ result: SlackHttpResult; ms: number }> {
  const started = performance.now();
  const result = await send();
  return { result, ms: performance.now() - started };
}

function newTally(): Tally {
  return { inputs: 0, acked: 0, slowest: 0, waiting: 0, answered: 0, silentDrops: [], leaks: [] };
}

describe('hostile input (seeded fuzz, end to end over signed HTTP)', () => {
  const report: Record<string, Tally> = {};

  it('/hiring: 700 texts — each acknowledged within 3 s with a sentence, no stack trace anywhere', async () => {
    const r = prng(SEED);
    const fixed = [
      ...PROTO_WORDS.flatMap(CASED),
      'weights __proto__=1',
      'weights __proto__=∞',
      'weights constructor=1',
      'weights interview=1e308 match=1e308 price=1e308',
      'proposals __proto__ top __proto__',
      'transcript __proto__',
      'profile constructor',
      'watch toString',
      'unwatch __proto__',
    ];
    const texts = [...fixed, ...Array.from({ length: 700 - fixed.length }, () => commandText(r))];
    const tally = newTally();
    await runAll(texts, async (text, index) => {
      const userId = `U0CMD${index}`;
      const { result, ms } = await timed(() => h.sender.command(text, { userId, channelId: HARNESS_CHANNEL }));
      tally.inputs += 1;
      tally.slowest = Math.max(tally.slowest, ms);
      if (result.status === 200 && ms < ACK_LIMIT_MS) tally.acked += 1;
      await h.bot.idle();
      const said = [result.text, ...reachedSlackFor(userId, result.responseUrl)].filter((t) => t.trim() !== '');
      // `/hiring digest` answers with the digest itself, posted in the channel.
      if (/^\s*digest\b/i.test(text) && digestPosted()) said.push('(the digest)');
      tally.waiting += 1;
      if (said.length > 0) tally.answered += 1;
      else tally.silentDrops.push(JSON.stringify(text.slice(0, 80)));
      if (said.some((t) => LEAK.test(t))) tally.leaks.push(JSON.stringify(text.slice(0, 80)));
    });
    report.commands = tally;
    expect(tally.inputs).toBe(700);
    expect(tally.acked, `slowest ${Math.round(tally.slowest)} ms`).toBe(tally.inputs);
    expect(tally.silentDrops).toEqual([]);
    expect(tally.leaks).toEqual([]);
  });

  it('interactions: 500 payloads (unknown ids, prototype keys, wrong types, missing fields) — acked, answered', async () => {
    const r = prng(SEED + 1);
    const tally = newTally();
    const payloads = Array.from({ length: 500 }, (_, index) => ({
      userId: `U0INT${index}`,
      payload: interactionPayload(r, scene, `U0INT${index}`),
    }));
    // Plus payloads that aren't objects at all.
    const shapeless: unknown[] = [[], 'text', 42, true, [{ type: 'block_actions' }]];
    await runAll(payloads, async ({ userId, payload }) => {
      const { result, ms } = await timed(() => h.sender.interaction(payload));
      tally.inputs += 1;
      tally.slowest = Math.max(tally.slowest, ms);
      if (result.status === 200 && ms < ACK_LIMIT_MS) tally.acked += 1;
      await h.bot.idle();
      const said = [result.text, ...reachedSlackFor(userId)].filter((t) => t.trim() !== '');
      if (personWaits(payload, userId)) {
        tally.waiting += 1;
        if (said.length > 0 || cardEditedFor(payload, userId)) tally.answered += 1;
        else tally.silentDrops.push(JSON.stringify(payload).slice(200, 700));
      }
      if (said.some((t) => LEAK.test(t))) tally.leaks.push(JSON.stringify(payload).slice(0, 200));
    });
    for (const payload of shapeless) {
      const { result, ms } = await timed(() => h.sender.interaction(payload));
      tally.inputs += 1;
      if (result.status === 200 && ms < ACK_LIMIT_MS) tally.acked += 1;
    }
    report.interactions = tally;
    expect(tally.acked, `slowest ${Math.round(tally.slowest)} ms`).toBe(tally.inputs);
    expect(tally.waiting).toBeGreaterThan(200);
    expect(tally.silentDrops).toEqual([]);
    expect(tally.leaks).toEqual([]);
  });

  it('afterwards: no crash, the process and the app are alive and answer normally', async () => {
    expect(crashes).toEqual([]);
    const health = await fetch(`http://127.0.0.1:${h.bot.port}/healthz`);
    expect(health.status).toBe(200);
    const help = await h.sender.command('help', { userId: 'U0AFTER', channelId: HARNESS_CHANNEL });
    expect(visibleText(help.json as { text?: string })).toContain('/hiring');
    // Nothing reached Object.prototype.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const inputs = Object.values(report).reduce((sum, t) => sum + t.inputs, 0);
    expect(inputs).toBeGreaterThanOrEqual(1000);
    console.info(
      `fuzz: ${inputs} inputs, ${crashes.length} crashes, ` +
        Object.entries(report)
          .map(
            ([kind, t]) =>
              `${kind}: ${t.acked}/${t.inputs} acked < 3 s (slowest ${Math.round(t.slowest)} ms), ` +
              `${t.answered}/${t.waiting} answered where a person waits, ${t.silentDrops.length} silent drops, ${t.leaks.length} leaks`,
          )
          .join('; '),
    );
  });
});

/**
 * Whether someone is looking at a place the bot can answer: a click on a message (a channel and a person), any form
 * submission (the modal waits), or a shortcut from a person (an ephemeral or a modal via its trigger).
 */
function personWaits(payload: Record<string, unknown>, userId: string): boolean {
  const user = payload.user as { id?: unknown } | undefined;
  if (typeof user !== 'object' || user === null || user.id !== userId) return false;
  if (payload.type === 'block_actions') {
    const container = payload.container as { channel_id?: unknown } | undefined;
    return typeof container === 'object' && container !== null && typeof container.channel_id === 'string';
  }
  if (payload.type === 'view_submission') return typeof payload.view === 'object' && payload.view !== null;
  return payload.type === 'message_action' && typeof payload.channel === 'object';
}

function digestPosted(): boolean {
  return h.slack
    .callsTo('chat.postMessage')
    .some((args) => args.channel === HARNESS_CHANNEL && !args.thread_ts && !args.metadata);
}

/** A vote on the card answers by editing the card (the voters it names), not with a sentence. */
function cardEditedFor(payload: Record<string, unknown>, userId: string): boolean {
  const action = Array.isArray(payload.actions) ? (payload.actions[0] as { action_id?: unknown } | null) : null;
  if (typeof action?.action_id !== 'string' || !action.action_id.startsWith('vote_')) return false;
  return cardsIn(h.slack.messages(HARNESS_CHANNEL)).some((card) => visibleText(card).includes(`<@${userId}>`));
}
