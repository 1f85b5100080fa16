import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LogLevel } from '@slack/bolt';
import { type AppDeps, createApp, type HiringBot } from '../app.js';
import { type Config, parseConfig } from '../config.js';
import { createLogger, type Logger } from '../logger.js';
import { type OpenTrainSandbox, SANDBOX_TOKENS, startOpenTrainSandbox } from './opentrain/index.js';
import type { SlackRequestSender } from './slack/signed-requests.js';
import { type SlackStandIn, type SlackStandInOptions, startSlackStandIn } from './slack/standin.js';

// A whole playground on 127.0.0.1: the OpenTrain sandbox, the Slack stand-in and the real Bolt app wired to both,
// in HTTP mode or Socket Mode. `slack.deliver` (also `harness.sender`) reaches the app either way. End-to-end tests
// and benchmarks build on it.

export const HARNESS_SIGNING_SECRET = 'harness-signing-secret';
export const HARNESS_BOT_TOKEN = 'xoxb-harness-token';
export const HARNESS_APP_TOKEN = 'xapp-1-A0HARNESS-1-harness';
export const HARNESS_CHANNEL = 'C0HIRING';

export type ConnectionMode = 'http' | 'socket';

export interface HarnessOptions {
  /** How Slack reaches the bot: signed HTTP requests (default) or Socket Mode. */
  mode?: ConnectionMode;
  /** Extra environment for the bot (e.g. REVIEWER_IDS, OT_WEBHOOK_SECRET, SYNC_INTERVAL_SECONDS). */
  env?: Record<string, string | undefined>;
  deps?: AppDeps;
  /** Use an existing sandbox / stand-in (restarts reuse them). */
  sandbox?: OpenTrainSandbox;
  slack?: SlackStandIn;
  dataDir?: string;
  /** Log lines land here (default: dropped). */
  logSink?: (line: string) => void;
}

export interface Harness {
  sandbox: OpenTrainSandbox;
  slack: SlackStandIn;
  bot: HiringBot;
  mode: ConnectionMode;
  /** `slack.deliver`: delivers to the bot over its Socket Mode connection or as signed HTTP requests. */
  sender: SlackRequestSender;
  config: Config;
  dataDir: string;
  logger: Logger;
  /** Stop the bot (flushing the store) and start a new one on the same data file, sandbox and stand-in. */
  restart(overrides?: Pick<HarnessOptions, 'env' | 'deps'>): Promise<Harness>;
  /** Stop everything and remove the data directory. */
  close(): Promise<void>;
}

export function harnessEnv(sandbox: OpenTrainSandbox, slack: SlackStandIn, dataDir: string) {
  return {
    SLACK_BOT_TOKEN: HARNESS_BOT_TOKEN,
    SLACK_SIGNING_SECRET: HARNESS_SIGNING_SECRET,
    SLACK_API_URL: slack.url,
    OT_API_TOKEN: SANDBOX_TOKENS.owner,
    OT_API_BASE_URL: sandbox.url,
    HIRING_CHANNEL: HARNESS_CHANNEL,
    DATA_FILE: join(dataDir, 'hiring-bot.json'),
    SYNC_INTERVAL_SECONDS: '3600',
    LOG_LEVEL: 'debug',
  };
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const sandbox =
    options.sandbox ?? (await startOpenTrainSandbox({ port: 0, webhookRetryDelaysMs: [50, 100, 200, 400] }));
  const slack = options.slack ?? (await startHarnessSlack());
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'hiring-bot-')));
  const mode = options.mode ?? 'http';
  const modeEnv = mode === 'socket' ? { SLACK_APP_TOKEN: HARNESS_APP_TOKEN, SLACK_SIGNING_SECRET: undefined } : {};
  const parsed = parseConfig({ ...harnessEnv(sandbox, slack, dataDir), ...modeEnv, ...options.env });
  if (!parsed.ok) throw new Error(`harness configuration is invalid:\n${parsed.problems.join('\n')}`);
  // HTTP mode binds an ephemeral port so test files can run side by side; Socket Mode's side server (webhook,
  // /healthz) is told its port up front.
  const config: Config = { ...parsed.config, port: mode === 'socket' ? await freePort() : 0 };
  const logger = createLogger(LogLevel.DEBUG, options.logSink ?? (() => {}));
  const bot = await createApp(config, {
    logger,
    postIntervalMs: 0,
    autoSync: false,
    slackRetryConfig: { retries: 3, factor: 1, minTimeout: 10, maxTimeout: 50 },
    openTrainOptions: { timeoutMs: 5000, retry: { baseDelayMs: 10 } },
    socketPingTimeoutMs: 1500,
    ...options.deps,
  });
  await bot.start();
  if (mode === 'http') {
    slack.setAppEndpoint({ url: `http://127.0.0.1:${bot.port}/slack/events`, signingSecret: HARNESS_SIGNING_SECRET });
  }
  const harness: Harness = {
    sandbox,
    slack,
    bot,
    mode,
    sender: slack.deliver,
    config,
    dataDir,
    logger,
    async restart(overrides = {}) {
      await bot.stop();
      slack.setAppEndpoint(null);
      return startHarness({
        ...options,
        ...overrides,
        env: { ...options.env, ...overrides.env },
        deps: { ...options.deps, ...overrides.deps },
        sandbox,
        slack,
        dataDir,
      });
    },
    async close() {
      await bot.stop().catch(() => {});
      await Promise.allSettled([sandbox.close(), slack.close()]);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return harness;
}

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The bot scopes manifest.yml asks for: the stand-in refuses methods needing others (missing_scope). */
export function manifestBotScopes(): string[] {
  const manifest = readFileSync(join(REPO_ROOT, 'manifest.yml'), 'utf8');
  const bot = manifest.split(/^\s*bot:\s*$/m)[1] ?? '';
  const scopes: string[] = [];
  for (const line of bot.split('\n').slice(1)) {
    if (/^\s*#/.test(line) || line.trim() === '') continue;
    const item = line.match(/^\s*-\s*([\w:.]+)\s*$/);
    if (!item) break;
    scopes.push(item[1]!);
  }
  return scopes;
}

/**
 * Slack's rate limits, ten times as generous: the harness runs the bot with posting unpaced (time compressed), so a
 * first run's backfill would otherwise wait a second per card. Tests about the limits set Slack's own table or
 * tighter ones (`slack.setRateLimits`).
 */
export const HARNESS_RATE_LIMITS = { scale: 10 } as const;

/**
 * The stand-in as the harness uses it: the harness tokens, the manifest's scopes, rate limits, and the cards channel
 * declared public with the bot invited (as the README's setup has it).
 */
export async function startHarnessSlack(options: SlackStandInOptions = {}): Promise<SlackStandIn> {
  const slack = await startSlackStandIn({
    port: 0,
    botToken: HARNESS_BOT_TOKEN,
    appToken: HARNESS_APP_TOKEN,
    botScopes: manifestBotScopes(),
    rateLimits: HARNESS_RATE_LIMITS,
    ...options,
  });
  slack.addChannel(HARNESS_CHANNEL, 'hiring');
  return slack;
}

/** A TCP port free right now on 127.0.0.1 (for a child process that must be told its port up front). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export interface BotProcess {
  child: ChildProcess;
  port: number;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  /** What the bot wrote to stderr so far (when `stderr: 'pipe'`). */
  stderr(): string;
  /** Everything the bot wrote so far, log lines (stdout) and stderr, in arrival order (when `stderr: 'pipe'`). */
  output(): string;
}

/**
 * The bot's entry point (src/main.ts, under tsx so no build is needed; `npm start` runs the same file compiled),
 * configured by the environment, in a child process on a free port: for tests that really kill or signal it, and
 * for benchmarks that keep it off the load generator's event loop.
 */
export async function spawnBot(
  env: Record<string, string>,
  options: { nodeArgs?: string[]; stderr?: 'inherit' | 'pipe' } = {},
): Promise<BotProcess> {
  const port = await freePort();
  // Run outside the repository (in the data directory) so a developer's `.env` there never configures a test's bot.
  const entry = [...(options.nodeArgs ?? []), '--import', import.meta.resolve('tsx'), join(REPO_ROOT, 'src/main.ts')];
  const child = spawn(process.execPath, entry, {
    cwd: env.DATA_FILE ? dirname(env.DATA_FILE) : tmpdir(),
    env: { ...process.env, ...env, PORT: String(port) },
    // Log lines go to stdout (JSON, as stdout is no terminal); they follow the stderr choice.
    stdio: ['ignore', options.stderr ?? 'inherit', options.stderr ?? 'inherit'],
  });
  let stderr = '';
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, port, exited, stderr: () => stderr, output: () => output };
}
