import type { AddressInfo } from 'node:net';
import { App, LogLevel, SocketModeReceiver, verifySlackRequest, webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { silentLogger } from '../../src/logger.js';
import { SlackRequestSender, signSlackRequest } from '../../src/sandbox/slack/signed-requests.js';
import { type SlackStandIn, startSlackStandIn } from '../../src/sandbox/slack/standin.js';

// How the stand-in delivers what people do to a real Bolt app: signed HTTP requests, or Socket Mode envelopes with
// acks, redelivery, refresh and drops. `standIn.deliver` must reach the app the same way in both modes.

const { WebClient } = webApi;

const BOT_TOKEN = 'xoxb-test';
const APP_TOKEN = 'xapp-1-A0TEST-1-secret';
const CHANNEL = 'C0HIRING01';
const SIGNING_SECRET = 'signing-secret-for-tests';

type Mode = 'http' | 'socket';

let standIn: SlackStandIn;
let client: webApi.WebClient;

function section(text: string) {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

const replyModal = {
  type: 'modal' as const,
  callback_id: 'reply_modal',
  private_metadata: 'prop_1',
  title: { type: 'plain_text' as const, text: 'Reply' },
  submit: { type: 'plain_text' as const, text: 'Send' },
  blocks: [
    {
      type: 'input' as const,
      block_id: 'message',
      label: { type: 'plain_text' as const, text: 'Message' },
      element: { type: 'plain_text_input' as const, action_id: 'text' },
    },
  ],
};

interface TestApp {
  app: App;
  /** The HTTP endpoint (HTTP mode). */
  url: string;
  received: { kind: string; body: Record<string, unknown> }[];
  stop(): Promise<void>;
}

/** A Bolt app with one listener of each kind, in the given mode, wired to the stand-in. */
async function startApp(mode: Mode): Promise<TestApp> {
  const received: { kind: string; body: Record<string, unknown> }[] = [];
  const common = {
    token: BOT_TOKEN,
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: standIn.url, retryConfig: { retries: 0 } },
    // Otherwise the constructor fires auth.test without awaiting it; init() awaits it (once).
    deferInitialization: true,
  };
  const app =
    mode === 'http'
      ? new App({ ...common, signingSecret: SIGNING_SECRET })
      : new App({
          ...common,
          socketMode: true,
          receiver: new SocketModeReceiver({
            appToken: APP_TOKEN,
            // A dropped socket is logged as an error; this test drops them on purpose.
            logger: silentLogger,
            // Reconnects after ~0.6 s instead of Bolt's 5 s.
            clientPingTimeout: 600,
            installerOptions: { clientOptions: { slackApiUrl: standIn.url } },
          }),
        });
  await app.init();
  app.command('/hiring', async ({ ack, body, respond, client: boltClient }) => {
    received.push({ kind: 'command', body });
    await ack(`got: ${body.text}`);
    if (body.text === 'transcript') await boltClient.views.open({ trigger_id: body.trigger_id, view: replyModal });
    else if (body.response_url) await respond({ response_type: 'ephemeral', text: 'usage' });
  });
  app.action('vote_up', async ({ ack, body }) => {
    received.push({ kind: 'action', body: body as unknown as Record<string, unknown> });
    await ack();
  });
  app.view('reply_modal', async ({ ack, body, view }) => {
    received.push({ kind: 'view', body: body as unknown as Record<string, unknown> });
    const text = view.state.values.message?.text?.value ?? '';
    if (text.includes('@')) await ack({ response_action: 'errors', errors: { message: 'No contact details' } });
    else if (text === 'next') await ack({ response_action: 'update', view: { ...replyModal, callback_id: 'sent' } });
    else await ack();
  });
  app.view('sent', async ({ ack }) => {
    await ack();
  });
  app.shortcut('send_to_candidate', async ({ ack, body }) => {
    received.push({ kind: 'shortcut', body: body as unknown as Record<string, unknown> });
    await ack();
  });
  app.event('app_mention', async ({ event }) => {
    received.push({ kind: 'event', body: event as unknown as Record<string, unknown> });
  });
  app.event('app_home_opened', async ({ event }) => {
    received.push({ kind: 'home', body: event as unknown as Record<string, unknown> });
  });
  app.action('home_refresh', async ({ ack, body }) => {
    received.push({ kind: 'home action', body: body as unknown as Record<string, unknown> });
    await ack();
  });
  let url = '';
  if (mode === 'http') {
    const server = await app.start({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
    standIn.setAppEndpoint({ url, signingSecret: SIGNING_SECRET });
  } else {
    await app.start();
  }
  return {
    app,
    url,
    received,
    async stop() {
      standIn.setAppEndpoint(null);
      await app.stop();
    },
  };
}

beforeEach(async () => {
  standIn = await startSlackStandIn({ botToken: BOT_TOKEN, appToken: APP_TOKEN });
  // Slack answers channel_not_found for a channel that doesn't exist; this one does, with the bot in it.
  standIn.addChannel(CHANNEL, 'hiring');
  client = new WebClient(BOT_TOKEN, { slackApiUrl: standIn.url, retryConfig: { retries: 0 } });
});

afterEach(async () => {
  await standIn.close();
});

describe.each(['http', 'socket'] as const)('standIn.deliver reaches a real Bolt app (%s)', (mode) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startApp(mode);
  });
  afterEach(async () => {
    await t.stop();
  });

  it('delivers a slash command that reaches the listener; its answer shows to the person, and respond() works', async () => {
    const text = 'proposals  "Medical+imaging" & <#C0OTHER|other> ünïcode=1';
    const result = await standIn.deliver.command(text, { userId: 'U0ANA', channelId: CHANNEL });
    expect(result).toMatchObject({ status: 200, via: mode, answer: { text: `got: ${text}` } });
    expect(t.received).toHaveLength(1);
    expect(t.received[0]?.body).toMatchObject({
      command: '/hiring',
      text,
      user_id: 'U0ANA',
      channel_id: CHANNEL,
      team_id: standIn.identity.teamId,
      response_url: result.responseUrl,
      trigger_id: result.triggerId,
    });
    // Slack shows a command's answer to whoever ran it.
    expect(standIn.ephemerals).toMatchObject([{ channel: CHANNEL, user: 'U0ANA', text: `got: ${text}` }]);
    const response = await standIn.waitFor(() => standIn.responses[0]);
    expect(response.body).toEqual({ response_type: 'ephemeral', text: 'usage' });
    expect(standIn.callsTo('auth.test')).toHaveLength(1);
  });

  it('clicks a button on a stored card with its real block_id, value and message', async () => {
    const blocks = [
      section('Maria G.'),
      {
        type: 'actions',
        block_id: 'votes:prop_1',
        elements: [
          { type: 'button', action_id: 'vote_up', value: 'prop_1', text: { type: 'plain_text', text: '👍 0' } },
        ],
      },
    ];
    const card = await client.chat.postMessage({ channel: CHANNEL, text: 'card', blocks });
    const result = await standIn.deliver.blockAction({
      actionId: 'vote_up',
      userId: 'U0ANA',
      channelId: CHANNEL,
      messageTs: card.ts as string,
    });
    expect(result).toMatchObject({ status: 200, via: mode, answer: null });
    expect(t.received[0]?.body).toMatchObject({
      type: 'block_actions',
      user: { id: 'U0ANA', team_id: standIn.identity.teamId },
      container: { type: 'message', message_ts: card.ts, channel_id: CHANNEL },
      message: { ts: card.ts, text: 'card', blocks },
      actions: [
        { type: 'button', action_id: 'vote_up', block_id: 'votes:prop_1', value: 'prop_1', text: { text: '👍 0' } },
      ],
      response_url: result.responseUrl,
      trigger_id: result.triggerId,
    });
  });

  it('opens a modal from a command; "errors" keeps it open with the message, "update" replaces it, a plain ack closes it', async () => {
    await standIn.deliver.command('transcript', { userId: 'U0ANA', channelId: CHANNEL });
    const view = await standIn.waitFor(() => [...standIn.views.values()][0]);
    expect(view.userId).toBe('U0ANA');
    const submit = (value: string) =>
      standIn.deliver.viewSubmission({
        callbackId: 'reply_modal',
        userId: 'U0ANA',
        values: { message: { text: { type: 'plain_text_input', value } } },
      });

    const refused = await submit('mail me at a@b.co');
    expect(refused.answer).toEqual({ response_action: 'errors', errors: { message: 'No contact details' } });
    expect(view.closed).toBeUndefined();
    expect(view.errors).toEqual({ message: 'No contact details' });
    expect(t.received.at(-1)?.body).toMatchObject({
      type: 'view_submission',
      view: { id: view.id, callback_id: 'reply_modal', private_metadata: 'prop_1', hash: view.hash },
    });

    const updated = await submit('next');
    expect(updated.status).toBe(200);
    expect(view).toMatchObject({ updates: 1, view: { callback_id: 'sent' } });
    expect(view.closed).toBeUndefined();
    expect(view.errors).toBeUndefined();

    await standIn.deliver.viewSubmission({
      callbackId: 'sent',
      viewId: view.id,
      userId: 'U0ANA',
      values: { message: { text: { type: 'plain_text_input', value: 'Thanks' } } },
    });
    expect(view.closed).toBe(true);
  });

  it('delivers message shortcuts and events', async () => {
    const parent = await client.chat.postMessage({ channel: CHANNEL, text: 'card' });
    const note = standIn.addMessage(CHANNEL, { user: 'U0ANA', text: 'Can you start Monday?', thread_ts: parent.ts });
    const shortcut = await standIn.deliver.messageShortcut({
      callbackId: 'send_to_candidate',
      userId: 'U0ANA',
      channelId: CHANNEL,
      message: { ts: note.ts, thread_ts: note.thread_ts, text: note.text as string, user: 'U0ANA' },
    });
    expect(shortcut).toMatchObject({ status: 200, via: mode });
    expect(t.received[0]?.body).toMatchObject({
      type: 'message_action',
      callback_id: 'send_to_candidate',
      message: { type: 'message', ts: note.ts, thread_ts: parent.ts, text: 'Can you start Monday?' },
      trigger_id: shortcut.triggerId,
    });

    const event = await standIn.deliver.event({
      type: 'app_mention',
      user: 'U0ANA',
      text: '<@U0HIRINGBOT> hi',
      ts: '1700000001.000100',
      channel: CHANNEL,
    });
    expect(event).toMatchObject({ status: 200, via: mode });
    await standIn.waitFor(() => t.received.find((r) => r.kind === 'event'));
    expect(t.received.at(-1)?.body).toMatchObject({ type: 'app_mention', event_ts: '1700000001.000100' });
  });

  it('delivers app_home_opened (with the published Home tab once there is one) and clicks in the Home tab', async () => {
    const first = await standIn.deliver.appHomeOpened('U0ANA');
    expect(first).toMatchObject({ status: 200, via: mode });
    const before = await standIn.waitFor(() => t.received.find((r) => r.kind === 'home'));
    // Nothing published yet: Slack sends no view.
    expect(before.body).toMatchObject({ type: 'app_home_opened', user: 'U0ANA', tab: 'home' });
    expect(before.body.view).toBeUndefined();

    const home = {
      type: 'home' as const,
      blocks: [
        section('Your overview'),
        {
          type: 'actions' as const,
          elements: [
            {
              type: 'button' as const,
              action_id: 'home_refresh',
              text: { type: 'plain_text' as const, text: 'Refresh' },
            },
          ],
        },
      ],
    };
    const published = await client.views.publish({ user_id: 'U0ANA', view: home });
    await standIn.deliver.appHomeOpened('U0ANA');
    const after = await standIn.waitFor(() => t.received.filter((r) => r.kind === 'home')[1]);
    expect(after.body).toMatchObject({
      type: 'app_home_opened',
      user: 'U0ANA',
      tab: 'home',
      view: { id: published.view?.id, type: 'home', hash: published.view?.hash, blocks: home.blocks },
    });
    expect(String(after.body.channel)).toMatch(/^D/);

    // The Messages tab: the event says so and carries no Home view.
    await standIn.deliver.appHomeOpened('U0ANA', { tab: 'messages' });
    const messages = await standIn.waitFor(() => t.received.filter((r) => r.kind === 'home')[2]);
    expect(messages.body).toMatchObject({ tab: 'messages' });
    expect(messages.body.view).toBeUndefined();

    const click = await standIn.deliver.blockAction({
      actionId: 'home_refresh',
      userId: 'U0ANA',
      view: { id: String(published.view?.id) },
    });
    expect(click).toMatchObject({ status: 200, via: mode });
    const action = await standIn.waitFor(() => t.received.find((r) => r.kind === 'home action'));
    expect(action.body).toMatchObject({
      type: 'block_actions',
      container: { type: 'view', view_id: published.view?.id },
      view: { id: published.view?.id, type: 'home', hash: published.view?.hash },
      actions: [{ action_id: 'home_refresh', type: 'button' }],
    });
  });
});

describe('signed HTTP requests', () => {
  let t: TestApp;
  let sender: SlackRequestSender;
  beforeEach(async () => {
    t = await startApp('http');
    sender = new SlackRequestSender({ appUrl: t.url, signingSecret: SIGNING_SECRET, standIn });
  });
  afterEach(async () => {
    await t.stop();
  });

  it('signs the way Bolt verifies', () => {
    const body = 'token=x&text=hello';
    const now = 1_700_000_000;
    const signature = signSlackRequest(SIGNING_SECRET, now, body);
    expect(signature).toMatch(/^v0=[0-9a-f]{64}$/);
    const verify = (sig: string) =>
      verifySlackRequest({
        signingSecret: SIGNING_SECRET,
        body,
        headers: { 'x-slack-signature': sig, 'x-slack-request-timestamp': now },
        nowMilliseconds: now * 1000,
      });
    expect(() => verify(signature)).not.toThrow();
    expect(() => verify(signSlackRequest('other', now, body))).toThrow(/signature mismatch/);
  });

  const commandBody = new URLSearchParams({ command: '/hiring', text: 'jobs', user_id: 'U0ANA', channel_id: CHANNEL });

  it.each(['bad', 'stale', 'missing'] as const)(
    'answers 401 to a %s signature and never runs a listener',
    async (signature) => {
      const result = await sender.raw(commandBody.toString(), {
        contentType: 'application/x-www-form-urlencoded',
        signature,
      });
      expect(result.status).toBe(401);
      expect(t.received).toEqual([]);
    },
  );

  it('accepts a correctly signed raw body', async () => {
    const result = await sender.raw(commandBody.toString(), { contentType: 'application/x-www-form-urlencoded' });
    expect(result.status).toBe(200);
    expect(t.received.map((r) => r.kind)).toEqual(['command']);
  });
});

/** A bare Socket Mode client: the messages it got, and a way to ack. */
async function rawSocket(url: string) {
  const socket = new WebSocket(url);
  const messages: Record<string, unknown>[] = [];
  socket.on('message', (data) => messages.push(JSON.parse(data.toString()) as Record<string, unknown>));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  await standIn.waitFor(() => messages.find((m) => m.type === 'hello'));
  return { socket, messages, envelopes: () => messages.filter((m) => typeof m.envelope_id === 'string') };
}

async function openConnection(token = APP_TOKEN): Promise<string> {
  const answer = await new WebClient(token, {
    slackApiUrl: standIn.url,
    retryConfig: { retries: 0 },
  }).apps.connections.open({});
  return answer.url as string;
}

describe('Socket Mode like Slack', () => {
  it('opens connections with the app-level token only; bot methods refuse it', async () => {
    await expect(openConnection(BOT_TOKEN)).rejects.toMatchObject({ data: { error: 'not_allowed_token_type' } });
    await expect(openConnection('xapp-1-A0TEST-1-wrong')).rejects.toMatchObject({ data: { error: 'invalid_auth' } });
    const appClient = new WebClient(APP_TOKEN, { slackApiUrl: standIn.url, retryConfig: { retries: 0 } });
    await expect(appClient.chat.postMessage({ channel: CHANNEL, text: 'hi' })).rejects.toMatchObject({
      data: { error: 'not_allowed_token_type' },
    });
    const url = await openConnection();
    expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/link\/\?ticket=[0-9a-f]+&app_id=A\w+$/);
    expect(standIn.messages(CHANNEL)).toEqual([]);
  });

  it('greets with hello; a connection URL works once', async () => {
    const url = await openConnection();
    const first = await rawSocket(url);
    expect(first.messages[0]).toEqual({
      type: 'hello',
      num_connections: 1,
      debug_info: expect.objectContaining({ host: expect.any(String) }),
      connection_info: { app_id: standIn.identity.appId },
    });
    await expect(rawSocket(url)).rejects.toThrow(/401/);
    expect(standIn.socket.connected).toBe(1);
    first.socket.close();
  });

  it('sends envelopes and takes acks with a response payload for commands', async () => {
    const raw = await rawSocket(await openConnection());
    raw.socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as { envelope_id?: string };
      if (message.envelope_id) {
        raw.socket.send(JSON.stringify({ envelope_id: message.envelope_id, payload: { text: 'Working on it' } }));
      }
    });
    const result = await standIn.deliver.command('jobs', { userId: 'U0ANA', channelId: CHANNEL });
    expect(result).toMatchObject({ status: 200, via: 'socket', answer: { text: 'Working on it' } });
    expect(raw.envelopes()).toEqual([
      {
        envelope_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        type: 'slash_commands',
        payload: expect.objectContaining({ command: '/hiring', text: 'jobs', user_id: 'U0ANA', channel_id: CHANNEL }),
        accepts_response_payload: true,
        retry_attempt: 0,
        retry_reason: '',
      },
    ]);
    expect(standIn.ephemerals).toMatchObject([{ user: 'U0ANA', text: 'Working on it' }]);
    raw.socket.close();
  });

  it('redelivers an un-acked event with retry_attempt and retry_reason; an un-acked click is not retried', async () => {
    await standIn.close();
    standIn = await startSlackStandIn({
      botToken: BOT_TOKEN,
      appToken: APP_TOKEN,
      socketAckTimeoutMs: 100,
      eventRetryDelaysMs: [0, 50],
    });
    const raw = await rawSocket(await openConnection());
    let seen = 0;
    raw.socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as { envelope_id?: string; type?: string };
      // The app misses the first delivery of the event, then acks.
      if (message.type === 'events_api' && ++seen === 2) {
        raw.socket.send(JSON.stringify({ envelope_id: message.envelope_id }));
      }
    });
    const event = await standIn.deliver.event({ type: 'app_mention', user: 'U0ANA', text: 'hi', channel: CHANNEL });
    expect(event).toMatchObject({ status: 200, via: 'socket', answer: null });
    const deliveries = raw.envelopes().filter((m) => m.type === 'events_api');
    expect(deliveries.map((m) => [m.retry_attempt, m.retry_reason])).toEqual([
      [0, ''],
      [1, 'timeout'],
    ]);
    expect(deliveries[0]?.envelope_id).not.toBe(deliveries[1]?.envelope_id);
    expect(deliveries[1]?.payload).toEqual(deliveries[0]?.payload);

    const click = await standIn.deliver.blockAction({
      actionId: 'vote_up',
      userId: 'U0ANA',
      channelId: CHANNEL,
      messageTs: '1700000000.000100',
    });
    expect(click).toMatchObject({ status: 408, via: 'socket', answer: null });
    expect(raw.envelopes().filter((m) => m.type === 'interactive')).toHaveLength(1);
    raw.socket.close();
  });

  it('Bolt reconnects after a disconnect request and after a dropped socket; an event sent meanwhile arrives once', async () => {
    const t = await startApp('socket');
    try {
      expect(standIn.socket).toMatchObject({ connected: 1, opened: 1 });
      standIn.socket.disconnect('refresh_requested');
      await standIn.waitFor(() => standIn.socket.opened === 2 && standIn.socket.connected === 1, 5000);

      standIn.socket.drop();
      expect(standIn.socket.connected).toBe(0);
      // Slack holds the event until the app is back.
      const event = standIn.deliver.event({ type: 'app_mention', user: 'U0ANA', text: 'while away', channel: CHANNEL });
      await standIn.waitFor(() => standIn.socket.opened === 3 && standIn.socket.connected === 1, 5000);
      expect(await event).toMatchObject({ status: 200, via: 'socket' });
      await standIn.waitFor(() => t.received.find((r) => r.kind === 'event'));

      const command = await standIn.deliver.command('jobs', { userId: 'U0ANA', channelId: CHANNEL });
      expect(command).toMatchObject({ status: 200, answer: { text: 'got: jobs' } });
      await standIn.waitFor(() => standIn.responses[0]);
      expect(t.received.map((r) => r.kind)).toEqual(['event', 'command']);
      expect(standIn.socket.envelopes.map((e) => e.retry_attempt)).toEqual([0, 0]);
    } finally {
      await t.stop();
    }
  });
});
