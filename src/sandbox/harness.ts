import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LogLevel } from '@slack/bolt';
import { type AppDeps, createApp, type HiringBot } from '../app.js';
import { type Config, parseConfig } from '../config.js';
import { createLogger, type Logger } from '../logger.js';
import { type OpenTrainSandbox, SANDBOX_TOKENS, startOpenTrainSandbox } from './opentrain/index.js';
import { SlackRequestSender } from './slack/signed-requests.js';
import { type SlackStandIn, startSlackStandIn } from './slack/standin.js';

// A whole playground on 127.0.0.1: the OpenTrain sandbox, the Slack Web API stand-in and the real Bolt app (HTTP
// mode) wired to both, plus a sender of signed Slack requests. End-to-end tests and benchmarks build on it.

export const HARNESS_SIGNING_SECRET = 'harness-signing-secret';
export const HARNESS_BOT_TOKEN = 'xoxb-harness-token';
export const HARNESS_CHANNEL = 'C0HIRING';

export interface HarnessOptions {
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
  const slack = options.slack ?? (await startSlackStandIn({ port: 0, botToken: HARNESS_BOT_TOKEN }));
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'hiring-bot-')));
  const parsed = parseConfig({ ...harnessEnv(sandbox, slack, dataDir), ...options.env });
  if (!parsed.ok) throw new Error(`harness configuration is invalid:\n${parsed.problems.join('\n')}`);
  // Port 0: an ephemeral port, so test files can run side by side.
  const config: Config = { ...parsed.config, port: 0 };
  const logger = createLogger(LogLevel.DEBUG, options.logSink ?? (() => {}));
  const bot = await createApp(config, {
    logger,
    postIntervalMs: 0,
    autoSync: false,
    slackRetryConfig: { retries: 3, factor: 1, minTimeout: 10, maxTimeout: 50 },
    openTrainOptions: { timeoutMs: 5000, retry: { baseDelayMs: 10 } },
    ...options.deps,
  });
  await bot.start();
  const sender = new SlackRequestSender({
    appUrl: `http://127.0.0.1:${bot.port}/slack/events`,
    signingSecret: HARNESS_SIGNING_SECRET,
    standIn: slack,
  });
  const harness: Harness = {
    sandbox,
    slack,
    bot,
    sender,
    config,
    dataDir,
    logger,
    async restart(overrides = {}) {
      await bot.stop();
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
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', 'src/main.ts'], {
    cwd: REPO_ROOT,
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
