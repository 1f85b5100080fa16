import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logger.js';
import { type BotProcess, HARNESS_BOT_TOKEN, harnessEnv, spawnBot } from '../../src/sandbox/harness.js';
import { type OpenTrainSandbox, startOpenTrainSandbox } from '../../src/sandbox/opentrain/index.js';
import { type SlackStandIn, startSlackStandIn } from '../../src/sandbox/slack/standin.js';

// The real entry point (src/main.ts) in a child process, started the wrong way: what the operator reads, the exit
// code, and how long it took to say so.

interface LogLine {
  level: string;
  msg: string;
}

/** The JSON log lines (stdout is a pipe, so the bot writes JSON) and any other text, such as config problems. */
function readOutput(output: string): { logs: LogLine[]; other: string[] } {
  const logs: LogLine[] = [];
  const other: string[] = [];
  for (const line of output.split('\n').filter((entry) => entry.trim() !== '')) {
    try {
      logs.push(JSON.parse(line) as LogLine);
    } catch {
      other.push(line);
    }
  }
  return { logs, other };
}

describe('start-up failures: one sentence naming the variable, exit code 1', () => {
  let sandbox: OpenTrainSandbox | undefined;
  let slack: SlackStandIn | undefined;
  let fakeSlack: Server | undefined;
  let bot: BotProcess | undefined;
  let dataDir: string | undefined;

  afterEach(async () => {
    bot?.child.kill('SIGKILL');
    fakeSlack?.closeAllConnections();
    await Promise.allSettled([
      sandbox?.close(),
      slack?.close(),
      new Promise((resolve) => (fakeSlack ? fakeSlack.close(resolve) : resolve(undefined))),
    ]);
    fakeSlack = undefined;
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  async function run(extraEnv: Record<string, string>, prepare?: (standIn: SlackStandIn) => void) {
    sandbox = await startOpenTrainSandbox({ port: 0 });
    slack = await startSlackStandIn({ port: 0, botToken: HARNESS_BOT_TOKEN });
    prepare?.(slack);
    dataDir = await mkdtemp(join(tmpdir(), 'hiring-startup-'));
    const startedAt = Date.now();
    bot = await spawnBot(
      { ...harnessEnv(sandbox, slack, dataDir), LOG_LEVEL: 'info', ...extraEnv },
      { stderr: 'pipe' },
    );
    const code = await bot.exited;
    return { code, seconds: (Date.now() - startedAt) / 1000, output: bot.output(), ...readOutput(bot.output()) };
  }

  function expectOneSentence(result: Awaited<ReturnType<typeof run>>, pattern: RegExp) {
    expect(result.code, result.output).toBe(1);
    const errors = result.logs.filter((line) => line.level === 'error');
    expect(errors.map((line) => line.msg)).toEqual([expect.stringMatching(pattern)]);
    expect(result.output).not.toMatch(/\n\s+at /);
  }

  it('a wrong bot token: Slack refused SLACK_BOT_TOKEN, and where to copy the right one', async () => {
    const result = await run({ SLACK_BOT_TOKEN: 'xoxb-not-the-installed-token' });
    expectOneSentence(result, /^Slack refused SLACK_BOT_TOKEN \(invalid_auth\): .*Bot User OAuth Token \(xoxb-…\)/);
    expect(result.output).not.toContain('xoxb-not-the-installed-token');
  });

  it('a revoked bot token says so the same way', async () => {
    const result = await run({}, (standIn) => standIn.failNext('auth.test', { error: 'token_revoked' }, 10));
    expectOneSentence(result, /^Slack refused SLACK_BOT_TOKEN \(token_revoked\): it is wrong or was revoked/);
  });

  it('an unreachable SLACK_API_URL fails within seconds (no 30 s of retries) and names the variable', async () => {
    const closed = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const url = `http://127.0.0.1:${closed}/api/`;
    const result = await run({ SLACK_API_URL: url });
    expectOneSentence(result, new RegExp(`^SLACK_API_URL \\(${url}\\) is unreachable \\(ECONNREFUSED on auth.test\\)`));
    // Process start-up (tsx compiling on the fly) included; the Web API client's retries alone would take ~31 s.
    expect(result.seconds).toBeLessThan(10);
  });

  it('a user token (xoxp-) is refused before anything starts, naming the right kind of token', async () => {
    const result = await run({ SLACK_BOT_TOKEN: 'xoxp-1234-user-token' });
    expect(result.code).toBe(1);
    expect(result.other).toEqual([
      expect.stringMatching(/^SLACK_BOT_TOKEN .*it is a user token \(xoxp-\); use the Bot/),
    ]);
    expect(result.output).not.toContain('xoxp-1234');
  });

  it('a seconds field in DIGEST_CRON and a time-zone abbreviation are refused, one line each', async () => {
    const result = await run({ DIGEST_CRON: '0 0 9 * * 1-5', DIGEST_TIMEZONE: 'EST' });
    expect(result.code).toBe(1);
    expect(result.other).toEqual([
      expect.stringMatching(/^DIGEST_CRON is not a valid cron expression \(has 6 fields/),
      expect.stringMatching(/^DIGEST_TIMEZONE is not a known IANA time zone; got "EST"/),
    ]);
  });

  it('Socket Mode refused (apps.connections.open answers invalid_auth): names SLACK_APP_TOKEN, exit 1', async () => {
    // A minimal Web API: the bot token is fine, the app-level token is not.
    fakeSlack = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      if (req.url?.endsWith('/auth.test')) {
        res.end(JSON.stringify({ ok: true, user_id: 'U0BOT', team_id: 'T0TEAM', bot_id: 'B0BOT' }));
      } else if (req.url?.endsWith('/apps.connections.open'))
        res.end(JSON.stringify({ ok: false, error: 'invalid_auth' }));
      else res.end(JSON.stringify({ ok: true, messages: [], has_more: false }));
    });
    await new Promise<void>((resolve) => fakeSlack!.listen(0, '127.0.0.1', resolve));
    const apiUrl = `http://127.0.0.1:${(fakeSlack.address() as AddressInfo).port}/api/`;
    const result = await run({ SLACK_API_URL: apiUrl, SLACK_APP_TOKEN: 'xapp-1-A0-1-revoked' });
    expectOneSentence(
      result,
      /^Slack refused the Socket Mode connection \(invalid_auth\): SLACK_APP_TOKEN is wrong or was revoked; .*connections:write/,
    );
  });

  it('PORT already in use: names PORT and the fix', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, resolve));
    try {
      const port = (taken.address() as AddressInfo).port;
      sandbox = await startOpenTrainSandbox({ port: 0 });
      slack = await startSlackStandIn({ port: 0, botToken: HARNESS_BOT_TOKEN });
      dataDir = await mkdtemp(join(tmpdir(), 'hiring-startup-'));
      const parsed = parseConfig({ ...harnessEnv(sandbox, slack, dataDir), PORT: String(port) });
      if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
      const inProcess = await createApp(parsed.config, { logger: silentLogger, autoSync: false });
      await expect(inProcess.start()).rejects.toMatchObject({
        name: 'StartupError',
        message: `PORT ${port} is already in use: stop the other process or set PORT to a free port.`,
      });
      await inProcess.stop();
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it('at LOG_LEVEL=debug the same failure comes with the error and its stack', async () => {
    const result = await run({ SLACK_BOT_TOKEN: 'xoxb-not-the-installed-token', LOG_LEVEL: 'debug' });
    expect(result.code).toBe(1);
    const detail = result.logs.find((line) => line.msg === 'start-up failure in detail') as
      | (LogLine & { err?: { stack?: string } })
      | undefined;
    expect(detail?.err?.stack).toMatch(/\n\s+at /);
  });
});
