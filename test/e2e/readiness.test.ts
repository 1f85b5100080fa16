import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { createApp, type HiringBot } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logger.js';
import { freePort, type Harness, startHarness } from '../../src/sandbox/harness.js';
import { type OpenTrainSandbox, SANDBOX_TOKENS, startOpenTrainSandbox } from '../../src/sandbox/opentrain/index.js';

async function get(port: number | null, path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('/healthz and /readyz', () => {
  let h: Harness | undefined;
  let bot: HiringBot | undefined;
  let sandbox: OpenTrainSandbox | undefined;
  let slackApi: Server | undefined;
  let sockets: WebSocketServer | undefined;
  let dataDir: string | undefined;

  afterEach(async () => {
    await h?.close();
    await bot?.stop().catch(() => {});
    for (const client of sockets?.clients ?? []) client.terminate();
    slackApi?.closeAllConnections();
    await Promise.allSettled([
      sandbox?.close(),
      new Promise((resolve) => (sockets ? sockets.close(resolve) : resolve(undefined))),
      new Promise((resolve) => (slackApi ? slackApi.close(resolve) : resolve(undefined))),
    ]);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    h = bot = sandbox = slackApi = sockets = dataDir = undefined;
  });

  it('HTTP mode: ready once started; 503 with the reason when the sync has failed for three intervals', async () => {
    let now = new Date();
    h = await startHarness({ env: { SYNC_INTERVAL_SECONDS: '30' }, deps: { clock: () => now } });
    await h.bot.ctx.sync.runOnce();
    expect(await get(h.bot.port, '/readyz')).toMatchObject({ status: 200, body: { ready: true, reasons: [] } });

    h.sandbox.injectFaults({ status: 500, count: 1000 });
    now = new Date(now.getTime() + 60_000);
    await h.bot.ctx.sync.runOnce();
    // Two intervals of failure: a blip, still ready.
    expect((await get(h.bot.port, '/readyz')).status).toBe(200);

    now = new Date(now.getTime() + 60_000);
    await h.bot.ctx.sync.runOnce();
    const notReady = await get(h.bot.port, '/readyz');
    expect(notReady.status).toBe(503);
    expect(notReady.body.ready).toBe(false);
    expect(notReady.body.reasons).toEqual([expect.stringMatching(/^OpenTrain sync has been failing for 120 s: /)]);
    // Alive all the same: /healthz is for "restart me", /readyz for "send me traffic".
    expect((await get(h.bot.port, '/healthz')).status).toBe(200);

    h.sandbox.clearFaults();
    await h.bot.ctx.sync.runOnce();
    expect((await get(h.bot.port, '/readyz')).status).toBe(200);
  });

  it('Socket Mode: ready while the socket is connected, 503 while it reconnects, ready again after', async () => {
    // A minimal Slack: auth.test and apps.connections.open over HTTP, and a socket that says hello.
    sockets = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((resolve) => sockets!.once('listening', resolve));
    const socketUrl = `ws://127.0.0.1:${(sockets.address() as AddressInfo).port}/`;
    sockets.on('connection', (socket) => socket.send(JSON.stringify({ type: 'hello', num_connections: 1 })));
    slackApi = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      if (req.url?.endsWith('/apps.connections.open')) res.end(JSON.stringify({ ok: true, url: socketUrl }));
      else if (req.url?.endsWith('/auth.test')) res.end(JSON.stringify({ ok: true, user_id: 'U0BOT', bot_id: 'B0' }));
      else res.end(JSON.stringify({ ok: true, messages: [], has_more: false }));
    });
    await new Promise<void>((resolve) => slackApi!.listen(0, '127.0.0.1', resolve));
    sandbox = await startOpenTrainSandbox({ port: 0 });
    dataDir = await mkdtemp(join(tmpdir(), 'hiring-readyz-'));
    const parsed = parseConfig({
      SLACK_BOT_TOKEN: 'xoxb-socket',
      SLACK_APP_TOKEN: 'xapp-1-A0-1-socket',
      SLACK_API_URL: `http://127.0.0.1:${(slackApi.address() as AddressInfo).port}/api/`,
      OT_API_TOKEN: SANDBOX_TOKENS.owner,
      OT_API_BASE_URL: sandbox.url,
      HIRING_CHANNEL: 'C0HIRING',
      DATA_FILE: join(dataDir, 'store.json'),
      PORT: String(await freePort()),
    });
    if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
    bot = await createApp(parsed.config, { logger: silentLogger, autoSync: false });
    await bot.start();
    expect(await get(bot.port, '/readyz')).toMatchObject({ status: 200, body: { ready: true } });

    // Slack drops the socket: not ready until the client has reconnected (it waits a few seconds first).
    for (const client of sockets.clients) client.terminate();
    await expect.poll(async () => (await get(bot!.port, '/readyz')).status, { timeout: 2000 }).toBe(503);
    expect((await get(bot.port, '/readyz')).body.reasons).toEqual([
      'the Socket Mode connection to Slack is down (reconnecting)',
    ]);
    await expect
      .poll(async () => (await get(bot!.port, '/readyz')).status, { timeout: 15_000, interval: 250 })
      .toBe(200);
  }, 30_000);
});
