import { webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.js';
import { SLACK_RATE_LIMITS, type SlackStandIn, startSlackStandIn } from '../../src/sandbox/slack/standin.js';

const { WebClient, WebClientEvent, ErrorCode } = webApi;

const BOT_TOKEN = 'xoxb-test';
const CHANNEL = 'C0HIRING01';
const _SIGNING_SECRET = 'signing-secret-for-tests';

let standIn: SlackStandIn;
let client: webApi.WebClient;

function webClient(token: string | undefined, options: webApi.WebClientOptions = {}): webApi.WebClient {
  return new WebClient(token, {
    slackApiUrl: standIn.url,
    retryConfig: { retries: 0 },
    logger: silentLogger,
    ...options,
  });
}

function section(text: string) {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

const cardMetadata = { event_type: 'opentrain_proposal', event_payload: { proposalId: 'prop_1', jobId: 'job_1' } };

beforeEach(async () => {
  standIn = await startSlackStandIn({ botToken: BOT_TOKEN });
  // Slack answers channel_not_found for a channel that doesn't exist; this one does, with the bot in it.
  standIn.addChannel(CHANNEL, 'hiring');
  client = webClient(BOT_TOKEN);
});

afterEach(async () => {
  await standIn.close();
});

describe('Slack stand-in: auth and routing', () => {
  it('answers auth.test with the workspace identity', async () => {
    const result = await client.auth.test();
    expect(standIn.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/$/);
    expect(result).toMatchObject({
      ok: true,
      team_id: standIn.identity.teamId,
      user_id: standIn.identity.botUserId,
      bot_id: standIn.identity.botId,
      url: 'https://example.slack.com/',
    });
  });

  it('rejects a wrong token, a missing token and unknown methods like Slack', async () => {
    await expect(webClient('xoxb-wrong').auth.test()).rejects.toMatchObject({
      code: ErrorCode.PlatformError,
      data: { error: 'invalid_auth' },
    });
    await expect(webClient(undefined).auth.test()).rejects.toMatchObject({ data: { error: 'not_authed' } });
    await expect(client.apiCall('chat.notAMethod', {})).rejects.toMatchObject({ data: { error: 'unknown_method' } });
    expect(standIn.calls.map((call) => [call.method, call.error])).toEqual([
      ['auth.test', 'invalid_auth'],
      ['auth.test', 'not_authed'],
      ['chat.notAMethod', 'unknown_method'],
    ]);
  });

  it('accepts any token when no botToken is configured', async () => {
    const open = await startSlackStandIn();
    try {
      const anyClient = new WebClient('xoxb-anything', { slackApiUrl: open.url, retryConfig: { retries: 0 } });
      await expect(anyClient.auth.test()).resolves.toMatchObject({ ok: true });
    } finally {
      await open.close();
    }
  });
});

describe('Slack stand-in: messages', () => {
  it('posts with metadata, updates in place and reads history back with metadata only when asked', async () => {
    const blocks = [{ type: 'header', text: { type: 'plain_text', text: 'Maria G.' } }, section('*Scores* 80 / 70')];
    const posted = await client.chat.postMessage({
      channel: CHANNEL,
      text: 'Maria G. applied',
      blocks,
      metadata: cardMetadata,
    });
    expect(posted.ok).toBe(true);
    expect(posted.channel).toBe(CHANNEL);
    expect(posted.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(posted.message).toMatchObject({ text: 'Maria G. applied', bot_id: standIn.identity.botId, blocks });

    // Recorded args have the JSON-string fields parsed back to objects.
    expect(standIn.callsTo('chat.postMessage')).toEqual([
      expect.objectContaining({ channel: CHANNEL, blocks, metadata: cardMetadata }),
    ]);
    const second = await client.chat.postMessage({ channel: CHANNEL, text: 'second' });
    expect(Number(second.ts)).toBeGreaterThan(Number(posted.ts));

    const ts = posted.ts as string;
    const newBlocks = [section('👍 1 — Ana')];
    const updated = await client.chat.update({ channel: CHANNEL, ts, text: 'Maria G. (1 vote)', blocks: newBlocks });
    expect(updated).toMatchObject({ ok: true, channel: CHANNEL, ts, text: 'Maria G. (1 vote)' });
    const stored = standIn.findMessage(CHANNEL, ts);
    expect(stored).toMatchObject({ text: 'Maria G. (1 vote)', blocks: newBlocks, edited: true, updates: 1 });
    // Left out of chat.update → kept, as Slack does.
    expect(stored?.metadata).toEqual(cardMetadata);

    const plain = await client.conversations.history({ channel: CHANNEL });
    expect(plain.messages?.map((m) => m.ts)).toEqual([second.ts, ts]);
    expect(plain.messages?.[1]?.metadata).toBeUndefined();
    const withMetadata = await client.conversations.history({ channel: CHANNEL, include_all_metadata: true });
    expect(withMetadata.messages?.[1]).toMatchObject({
      ts,
      metadata: cardMetadata,
      edited: { user: standIn.identity.botUserId },
    });
  });

  it('pages history newest first with cursors and honours oldest / latest', async () => {
    const tss: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const posted = await client.chat.postMessage({ channel: CHANNEL, text: `message ${i}` });
      tss.push(posted.ts as string);
    }
    const first = await client.conversations.history({ channel: CHANNEL, limit: 2 });
    expect(first.messages?.map((m) => m.text)).toEqual(['message 4', 'message 3']);
    expect(first.has_more).toBe(true);
    const cursor = first.response_metadata?.next_cursor as string;
    const second = await client.conversations.history({ channel: CHANNEL, limit: 2, cursor });
    expect(second.messages?.map((m) => m.text)).toEqual(['message 2', 'message 1']);

    const pages: string[] = [];
    for await (const page of client.paginate('conversations.history', { channel: CHANNEL, limit: 2 })) {
      pages.push(...(page as unknown as { messages: { text: string }[] }).messages.map((m) => m.text));
    }
    expect(pages).toEqual(['message 4', 'message 3', 'message 2', 'message 1', 'message 0']);

    const window = await client.conversations.history({ channel: CHANNEL, oldest: tss[1], latest: tss[4] });
    expect(window.messages?.map((m) => m.text)).toEqual(['message 3', 'message 2']);
    const inclusive = await client.conversations.history({ channel: CHANNEL, oldest: tss[1], inclusive: true });
    expect(inclusive.messages).toHaveLength(4);
  });

  it('keeps threads: replies, seeded human messages, permalinks and who may be edited', async () => {
    const parent = await client.chat.postMessage({ channel: CHANNEL, text: 'card' });
    const parentTs = parent.ts as string;
    const human = standIn.addMessage(CHANNEL, { user: 'U0ANA', text: 'looks good', thread_ts: parentTs });
    const reply = await client.chat.postMessage({ channel: CHANNEL, thread_ts: parentTs, text: 'Conversation opened' });
    expect(reply.message).toMatchObject({ thread_ts: parentTs, parent_user_id: standIn.identity.botUserId });

    expect(standIn.thread(CHANNEL, parentTs).map((m) => m.text)).toEqual(['card', 'looks good', 'Conversation opened']);
    expect(human.bot_id).toBeUndefined();

    const replies = await client.conversations.replies({ channel: CHANNEL, ts: parentTs });
    expect(replies.messages?.map((m) => m.text)).toEqual(['card', 'looks good', 'Conversation opened']);
    expect(replies.messages?.[0]).toMatchObject({ thread_ts: parentTs, reply_count: 2 });
    const history = await client.conversations.history({ channel: CHANNEL });
    expect(history.messages?.map((m) => m.text)).toEqual(['card']);

    const top = await client.chat.getPermalink({ channel: CHANNEL, message_ts: parentTs });
    expect(top.permalink).toBe(`https://example.slack.com/archives/${CHANNEL}/p${parentTs.replace('.', '')}`);
    const threaded = await client.chat.getPermalink({ channel: CHANNEL, message_ts: reply.ts as string });
    expect(threaded.permalink).toBe(
      `https://example.slack.com/archives/${CHANNEL}/p${(reply.ts as string).replace('.', '')}?thread_ts=${parentTs}&cid=${CHANNEL}`,
    );

    await expect(client.chat.update({ channel: CHANNEL, ts: human.ts, text: 'edited' })).rejects.toMatchObject({
      data: { error: 'cant_update_message' },
    });
    await expect(client.chat.update({ channel: CHANNEL, ts: '1.000001', text: 'x' })).rejects.toMatchObject({
      data: { error: 'message_not_found' },
    });
    await expect(
      client.chat.postMessage({ channel: CHANNEL, thread_ts: '1.000001', text: 'orphan' }),
    ).rejects.toMatchObject({ data: { error: 'thread_not_found' } });
    await expect(client.chat.postMessage({ channel: CHANNEL, text: '' })).rejects.toMatchObject({
      data: { error: 'no_text' },
    });
  });

  it('sorts later posts after seeded history with explicit timestamps', async () => {
    const seeded = standIn.addMessage(CHANNEL, {
      ts: '4102444800.000100',
      text: 'card from a crashed run',
      metadata: cardMetadata,
    });
    expect(seeded.bot_id).toBe(standIn.identity.botId);
    const posted = await client.chat.postMessage({ channel: CHANNEL, text: 'after' });
    expect(Number(posted.ts)).toBeGreaterThan(Number(seeded.ts));
    expect(() => standIn.addMessage(CHANNEL, { ts: seeded.ts, text: 'dup' })).toThrow(/already has a message/);
  });

  it('records ephemerals and response_url posts', async () => {
    const ephemeral = await client.chat.postEphemeral({
      channel: CHANNEL,
      user: 'U0ANA',
      text: 'Only reviewers may invite',
    });
    expect(ephemeral.message_ts).toMatch(/^\d+\.\d{6}$/);
    expect(standIn.ephemerals).toEqual([
      expect.objectContaining({ channel: CHANNEL, user: 'U0ANA', text: 'Only reviewers may invite' }),
    ]);
    expect(standIn.messages(CHANNEL)).toEqual([]);

    const responseUrl = standIn.makeResponseUrl();
    const answer = await fetch(responseUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ response_type: 'ephemeral', text: 'usage' }),
    });
    expect(answer.status).toBe(200);
    expect(await answer.text()).toBe('ok');
    expect(standIn.responses).toEqual([
      expect.objectContaining({ body: { response_type: 'ephemeral', text: 'usage' } }),
    ]);
    expect(responseUrl.startsWith(standIn.url.replace('/api/', '/response/'))).toBe(true);
  });

  it('answers users.info and conversations.info', async () => {
    standIn.addUser({ id: 'U0ANA', real_name: 'Ana Reviewer', name: 'ana' });
    const user = await client.users.info({ user: 'U0ANA' });
    expect(user.user).toMatchObject({ id: 'U0ANA', real_name: 'Ana Reviewer', name: 'ana' });
    const unknown = await client.users.info({ user: 'U0SOMEONE' });
    expect(unknown.user?.real_name).toBe('User U0SOMEONE');
    standIn.addChannel(CHANNEL, 'hiring');
    const channel = await client.conversations.info({ channel: CHANNEL });
    expect(channel.channel).toMatchObject({ id: CHANNEL, name: 'hiring', is_member: true });
  });
});

describe('Slack stand-in: Block Kit validation', () => {
  it('accepts Block Kit at its limits', async () => {
    const atLimits = [
      { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(150) } },
      section('s'.repeat(3000)),
      {
        type: 'actions',
        elements: [{ type: 'button', action_id: 'vote_up', text: { type: 'plain_text', text: 'b'.repeat(75) } }],
      },
      ...Array.from({ length: 47 }, (_, i) => section(`line ${i}`)),
    ];
    expect(atLimits).toHaveLength(50);
    await expect(client.chat.postMessage({ channel: CHANNEL, text: 'ok', blocks: atLimits })).resolves.toMatchObject({
      ok: true,
    });
  });

  it.each([
    ['51 blocks', Array.from({ length: 51 }, (_, i) => section(`line ${i}`)), '/blocks'],
    ['section text over 3000', [section('s'.repeat(3001))], '/blocks/0/text/text'],
    [
      'header text over 150',
      [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }],
      '/blocks/0/text/text',
    ],
    [
      'button text over 75',
      [
        {
          type: 'actions',
          elements: [{ type: 'button', action_id: 'a', text: { type: 'plain_text', text: 'b'.repeat(76) } }],
        },
      ],
      '/blocks/0/elements/0/text/text',
    ],
    ['mrkdwn header', [{ type: 'header', text: { type: 'mrkdwn', text: 'h' } }], '/blocks/0/text/type'],
    [
      'input block in a message',
      [{ type: 'input', label: { type: 'plain_text', text: 'x' }, element: { type: 'plain_text_input' } }],
      '/blocks/0/type',
    ],
    [
      'duplicate action_id in a block',
      [
        {
          type: 'actions',
          elements: [
            { type: 'button', action_id: 'vote', text: { type: 'plain_text', text: '👍' } },
            { type: 'button', action_id: 'vote', text: { type: 'plain_text', text: '👎' } },
          ],
        },
      ],
      '/blocks/0/elements/1/action_id',
    ],
  ])('rejects %s with invalid_blocks naming the field', async (_name, blocks, pointer) => {
    const error = await client.chat.postMessage({ channel: CHANNEL, text: 'x', blocks }).catch((e: unknown) => e);
    expect(error).toMatchObject({ data: { error: 'invalid_blocks' } });
    const problems = (error as { data: { errors: string[] } }).data.errors;
    expect(problems.some((p) => p.includes(`[json-pointer:${pointer}]`))).toBe(true);
    expect(standIn.messages(CHANNEL)).toEqual([]);
  });

  it('validates chat.update and views too', async () => {
    const posted = await client.chat.postMessage({ channel: CHANNEL, text: 'card' });
    await expect(
      client.chat.update({ channel: CHANNEL, ts: posted.ts as string, blocks: [section('x'.repeat(3001))] }),
    ).rejects.toMatchObject({ data: { error: 'invalid_blocks' } });
    expect(standIn.findMessage(CHANNEL, posted.ts as string)).toMatchObject({ text: 'card', updates: 0 });

    const tooMany = Array.from({ length: 101 }, (_, i) => section(`line ${i}`));
    const view = { type: 'modal' as const, title: { type: 'plain_text' as const, text: 'Profile' }, blocks: tooMany };
    await expect(client.views.open({ trigger_id: standIn.makeTriggerId(), view })).rejects.toMatchObject({
      data: { error: 'invalid_blocks' },
    });
    const longTitle = {
      type: 'modal' as const,
      title: { type: 'plain_text' as const, text: 'A title that is far too long' },
      blocks: [],
    };
    await expect(client.views.open({ trigger_id: standIn.makeTriggerId(), view: longTitle })).rejects.toMatchObject({
      data: { error: 'invalid_arguments' },
    });
  });
});

describe('Slack stand-in: modals', () => {
  const loading = {
    type: 'modal' as const,
    callback_id: 'transcript',
    title: { type: 'plain_text' as const, text: 'Transcript' },
    blocks: [section('Loading…')],
  };

  it('opens a modal within the trigger window and updates it by id, hash or external_id', async () => {
    const triggerId = standIn.makeTriggerId('U0ANA');
    const opened = await client.views.open({
      trigger_id: triggerId,
      view: { ...loading, external_id: 'transcript-prop_1' },
    });
    const viewId = opened.view?.id as string;
    expect(viewId).toMatch(/^V[0-9A-Z]+$/);
    expect(opened.view).toMatchObject({
      callback_id: 'transcript',
      team_id: standIn.identity.teamId,
      hash: expect.any(String),
    });
    expect(standIn.views.get(viewId)).toMatchObject({
      userId: 'U0ANA',
      updates: 0,
      view: { callback_id: 'transcript' },
    });

    // A trigger opens one view.
    await expect(client.views.open({ trigger_id: triggerId, view: loading })).rejects.toMatchObject({
      data: { error: 'expired_trigger_id' },
    });

    const hash = opened.view?.hash as string;
    const content = { ...loading, blocks: [section('Interviewer: hello')] };
    const updated = await client.views.update({ view_id: viewId, hash, view: content });
    expect(updated.view?.hash).not.toBe(hash);
    await expect(client.views.update({ view_id: viewId, hash, view: content })).rejects.toMatchObject({
      data: { error: 'hash_conflict' },
    });
    await client.views.update({ external_id: 'transcript-prop_1', view: loading });
    expect(standIn.views.get(viewId)).toMatchObject({ updates: 2, view: { blocks: loading.blocks } });
    await expect(client.views.update({ view_id: 'V404', view: content })).rejects.toMatchObject({
      data: { error: 'not_found' },
    });

    const pushed = await client.views.push({ trigger_id: standIn.makeTriggerId(), view: content });
    expect(pushed.view?.id).not.toBe(viewId);
  });

  it('makes the trigger_id window observable: unknown, expired and used triggers are refused', async () => {
    await expect(client.views.open({ trigger_id: '123.456.abc', view: loading })).rejects.toMatchObject({
      data: { error: 'invalid_trigger_id' },
    });
    const quick = await startSlackStandIn({ botToken: BOT_TOKEN, triggerTtlMs: 40 });
    try {
      const quickClient = new WebClient(BOT_TOKEN, { slackApiUrl: quick.url, retryConfig: { retries: 0 } });
      const triggerId = quick.makeTriggerId();
      await new Promise((resolve) => setTimeout(resolve, 60));
      await expect(quickClient.views.open({ trigger_id: triggerId, view: loading })).rejects.toMatchObject({
        data: { error: 'expired_trigger_id' },
      });
      expect(quick.views.size).toBe(0);
      const fresh = quick.makeTriggerId();
      await expect(quickClient.views.open({ trigger_id: fresh, view: loading })).resolves.toMatchObject({ ok: true });
      // A trigger opens one view: the second use is refused even within the window.
      await expect(quickClient.views.open({ trigger_id: fresh, view: loading })).rejects.toMatchObject({
        data: { error: 'expired_trigger_id' },
      });
      expect(quick.views.size).toBe(1);
    } finally {
      await quick.close();
    }
  });
});

describe('Slack stand-in: failures, latency and waiting', () => {
  it('turns failNext 429 + Retry-After into a rate limit the client sees', async () => {
    standIn.failNext('chat.postMessage', { error: 'ratelimited', status: 429, retryAfterSeconds: 7 });
    const strict = webClient(BOT_TOKEN, { rejectRateLimitedCalls: true });
    await expect(strict.chat.postMessage({ channel: CHANNEL, text: 'card' })).rejects.toMatchObject({
      code: ErrorCode.RateLimitedError,
      retryAfter: 7,
    });
    expect(standIn.messages(CHANNEL)).toEqual([]);
    // The failure was used up.
    await expect(strict.chat.postMessage({ channel: CHANNEL, text: 'card' })).resolves.toMatchObject({ ok: true });
  });

  it('lets a retrying client wait out the rate limit and succeed', async () => {
    standIn.failNext('chat.postMessage', { error: 'ratelimited', status: 429, retryAfterSeconds: 0 });
    const retrying = webClient(BOT_TOKEN, { retryConfig: { retries: 2, minTimeout: 5, maxTimeout: 5 } });
    const rateLimited: number[] = [];
    retrying.on(WebClientEvent.RATE_LIMITED, (seconds: number) => rateLimited.push(seconds));
    const posted = await retrying.chat.postMessage({ channel: CHANNEL, text: 'card' });
    expect(posted.ok).toBe(true);
    expect(rateLimited).toEqual([0]);
    expect(standIn.calls.map((call) => [call.method, call.ok, call.error])).toEqual([
      ['chat.postMessage', false, 'ratelimited'],
      ['chat.postMessage', true, undefined],
    ]);
    expect(standIn.messages(CHANNEL)).toHaveLength(1);
  });

  it('fails the given number of calls with a platform error, then recovers', async () => {
    standIn.failNext('chat.update', { error: 'internal_error' }, 2);
    const posted = await client.chat.postMessage({ channel: CHANNEL, text: 'card' });
    const ts = posted.ts as string;
    await expect(client.chat.update({ channel: CHANNEL, ts, text: 'a' })).rejects.toMatchObject({
      data: { error: 'internal_error' },
    });
    await expect(client.chat.update({ channel: CHANNEL, ts, text: 'b' })).rejects.toMatchObject({
      data: { error: 'internal_error' },
    });
    await expect(client.chat.update({ channel: CHANNEL, ts, text: 'c' })).resolves.toMatchObject({ ok: true });
    expect(standIn.callsTo('chat.update').map((args) => args.text)).toEqual(['a', 'b', 'c']);
    standIn.clearCalls();
    expect(standIn.calls).toEqual([]);
  });

  it('delays answers with setLatency', async () => {
    standIn.setLatency('auth.test', 120);
    const started = Date.now();
    await client.auth.test();
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    standIn.setLatency('auth.test', 0);
  });

  it('waitFor resolves with the probe value and times out with the recent calls', async () => {
    setTimeout(() => void client.chat.postMessage({ channel: CHANNEL, text: 'later' }), 20);
    const message = await standIn.waitFor(() => standIn.messages(CHANNEL)[0]);
    expect(message.text).toBe('later');
    await expect(standIn.waitFor(() => standIn.messages('C0EMPTY')[0], 50)).rejects.toThrow(
      /not met within 50 ms; last Web API calls: chat\.postMessage/,
    );
  });
});

describe('Slack stand-in: channels and membership, as Slack enforces them for a bot', () => {
  const PUBLIC = 'C0PUBLIC';
  const PRIVATE = 'G0PRIVATE';
  const ARCHIVED = 'C0ARCHIVED';

  beforeEach(() => {
    standIn.addChannel(PUBLIC, 'public', { botIsMember: false });
    standIn.addChannel(PRIVATE, 'private', { botIsMember: false });
    standIn.addChannel(ARCHIVED, 'old', { archived: true });
  });

  const errorOf = (call: Promise<unknown>) =>
    call.then(
      () => 'ok',
      (error: { data?: { error?: string } }) => error.data?.error,
    );

  it('answers channel_not_found for a channel that does not exist', async () => {
    expect(await errorOf(client.chat.postMessage({ channel: 'C0NOWHERE', text: 'hi' }))).toBe('channel_not_found');
    expect(await errorOf(client.conversations.history({ channel: 'C0NOWHERE' }))).toBe('channel_not_found');
    expect(await errorOf(client.conversations.info({ channel: 'C0NOWHERE' }))).toBe('channel_not_found');
  });

  it('posts to a public channel the bot never joined (chat:write.public) but reads it only as a member', async () => {
    const posted = await client.chat.postMessage({ channel: PUBLIC, text: 'card' });
    expect(await errorOf(client.conversations.history({ channel: PUBLIC }))).toBe('not_in_channel');
    expect(await errorOf(client.conversations.replies({ channel: PUBLIC, ts: posted.ts as string }))).toBe(
      'not_in_channel',
    );
    await expect(
      client.chat.update({ channel: PUBLIC, ts: posted.ts as string, text: 'edited' }),
    ).resolves.toMatchObject({ ok: true });
    expect((await client.conversations.info({ channel: PUBLIC })).channel).toMatchObject({
      is_member: false,
      is_private: false,
    });

    const joined = await client.conversations.join({ channel: PUBLIC });
    expect(joined.channel).toMatchObject({ id: PUBLIC, is_member: true });
    expect(joined.warning).toBeUndefined();
    const history = await client.conversations.history({ channel: PUBLIC });
    expect(history.messages?.map((m) => m.text)).toEqual(['edited']);
    // Joining again is harmless: Slack warns already_in_channel.
    expect((await client.conversations.join({ channel: PUBLIC })).warning).toBe('already_in_channel');
  });

  it('keeps private channels closed until someone invites the bot: no post, no read, no join', async () => {
    expect(await errorOf(client.chat.postMessage({ channel: PRIVATE, text: 'card' }))).toBe('not_in_channel');
    expect(await errorOf(client.conversations.history({ channel: PRIVATE }))).toBe('not_in_channel');
    // Slack hides a private channel from a bot that isn't in it.
    expect(await errorOf(client.conversations.join({ channel: PRIVATE }))).toBe('channel_not_found');
    expect(await errorOf(client.conversations.info({ channel: PRIVATE }))).toBe('channel_not_found');
    expect(standIn.messages(PRIVATE)).toEqual([]);

    standIn.setBotMembership(PRIVATE, true); // someone typed /invite @bot
    await expect(client.chat.postMessage({ channel: PRIVATE, text: 'card' })).resolves.toMatchObject({ ok: true });
    expect((await client.conversations.history({ channel: PRIVATE })).messages).toHaveLength(1);
    expect((await client.conversations.info({ channel: PRIVATE })).channel).toMatchObject({
      is_private: true,
      is_member: true,
    });
    expect(await errorOf(client.conversations.join({ channel: PRIVATE }))).toBe(
      'method_not_supported_for_channel_type',
    );
  });

  it('refuses posts and joins in an archived channel but still lets a member read it', async () => {
    expect(await errorOf(client.chat.postMessage({ channel: ARCHIVED, text: 'card' }))).toBe('is_archived');
    expect(await errorOf(client.conversations.join({ channel: ARCHIVED }))).toBe('is_archived');
    await expect(client.conversations.history({ channel: ARCHIVED })).resolves.toMatchObject({ ok: true });
    expect((await client.conversations.info({ channel: ARCHIVED })).channel).toMatchObject({ is_archived: true });
  });

  it('answers missing_scope when the bot token lacks the scope a method needs', async () => {
    const scoped = await startSlackStandIn({ botToken: BOT_TOKEN, botScopes: ['chat:write', 'channels:history'] });
    try {
      scoped.addChannel(PUBLIC, 'public', { botIsMember: false });
      const scopedClient = new WebClient(BOT_TOKEN, { slackApiUrl: scoped.url, retryConfig: { retries: 0 } });
      await expect(scopedClient.conversations.join({ channel: PUBLIC })).rejects.toMatchObject({
        data: { error: 'missing_scope', needed: 'channels:join' },
      });
      // Without chat:write.public a bot posts only where it is a member.
      await expect(scopedClient.chat.postMessage({ channel: PUBLIC, text: 'card' })).rejects.toMatchObject({
        data: { error: 'not_in_channel' },
      });
    } finally {
      await scoped.close();
    }
  });
});

describe('Slack stand-in: per-method rate limits', () => {
  const strict = () => webClient(BOT_TOKEN, { rejectRateLimitedCalls: true });

  it('lets chat.postMessage burst a little per channel, then answers 429 with Retry-After; other channels are unaffected', async () => {
    standIn.addChannel('C0OTHER', 'other');
    const posts = await Promise.allSettled(
      Array.from({ length: 7 }, (_, i) => strict().chat.postMessage({ channel: CHANNEL, text: `card ${i}` })),
    );
    const refused = posts.filter((p) => p.status === 'rejected');
    expect(posts.filter((p) => p.status === 'fulfilled')).toHaveLength(SLACK_RATE_LIMITS['chat.postMessage']!.burst);
    expect(refused).toHaveLength(2);
    expect((refused[0] as PromiseRejectedResult).reason).toMatchObject({
      code: ErrorCode.RateLimitedError,
      retryAfter: 1,
    });
    expect(standIn.messages(CHANNEL)).toHaveLength(5);
    await expect(strict().chat.postMessage({ channel: 'C0OTHER', text: 'elsewhere' })).resolves.toMatchObject({
      ok: true,
    });
    expect(standIn.rateLimited.get('chat.postMessage')).toBe(2);
  });

  it('limits chat.update and conversations.history per workspace at Tier 3', async () => {
    const posted = await client.chat.postMessage({ channel: CHANNEL, text: 'card' });
    const tier3 = SLACK_RATE_LIMITS['chat.update']!;
    expect(tier3).toMatchObject({ per: 'workspace', perMinute: 50 });
    const updates = await Promise.allSettled(
      Array.from({ length: tier3.burst + 1 }, (_, i) =>
        strict().chat.update({ channel: CHANNEL, ts: posted.ts as string, text: `v${i}` }),
      ),
    );
    expect(updates.filter((u) => u.status === 'rejected')).toHaveLength(1);
    const reads = await Promise.allSettled(
      Array.from({ length: 11 }, () => strict().conversations.history({ channel: CHANNEL })),
    );
    expect(reads.filter((r) => r.status === 'rejected')).toHaveLength(1);
  });

  it('a client with retries waits the 429 out and every call succeeds', async () => {
    standIn.setRateLimits({ overrides: { 'chat.postMessage': { per: 'channel', perMinute: 600, burst: 1 } } });
    const retrying = webClient(BOT_TOKEN, { retryConfig: { retries: 5, minTimeout: 5, maxTimeout: 5 } });
    const waited: number[] = [];
    retrying.on(WebClientEvent.RATE_LIMITED, (seconds: number) => waited.push(seconds));
    await Promise.all([1, 2, 3].map((i) => retrying.chat.postMessage({ channel: CHANNEL, text: `card ${i}` })));
    expect(standIn.messages(CHANNEL)).toHaveLength(3);
    expect(waited.length).toBeGreaterThan(0);
    expect(waited.every((seconds) => seconds === 1)).toBe(true);
  });

  it('can be turned off or scaled for a test or benchmark', async () => {
    standIn.setRateLimits('off');
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => strict().chat.postMessage({ channel: CHANNEL, text: `card ${i}` })),
    );
    expect(standIn.messages(CHANNEL)).toHaveLength(20);
    standIn.setRateLimits({ scale: 2 });
    const posts = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) => strict().chat.postMessage({ channel: 'C0HIRING01', text: `more ${i}` })),
    );
    expect(posts.filter((p) => p.status === 'fulfilled')).toHaveLength(10);
  });
});
