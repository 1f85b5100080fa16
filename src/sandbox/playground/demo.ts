// The playground as one unit: the OpenTrain sandbox with scripted activity, the Slack stand-in with its web client,
// and the bot itself, unchanged, as a child process with its production entry (src/main.ts) configured only by
// environment variables that point it at the two. `npm run demo` runs it; the browser tests start it the same way.

import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { freePort, manifestBotScopes } from '../harness.js';
import { type OpenTrainSandbox, SANDBOX_TOKENS, startOpenTrainSandbox } from '../opentrain/index.js';
import { type SlackStandIn, startSlackStandIn } from '../slack/standin.js';
import { type ActivityTimings, DEMO_TIMINGS, ScriptedActivity } from './activity.js';
import { type PlaygroundWeb, startPlaygroundWeb } from './web.js';
import { HIRING_CHANNEL, TEAMMATES } from './workspace.js';

export interface PlaygroundOptions {
  /** The web client's port (default 3000; 0 = any free port). */
  port?: number;
  timings?: ActivityTimings;
  /** Where the bot's log lines go (default: this process's stderr, prefixed). */
  botLog?: (line: string) => void;
  /** The bot's sync interval; the webhook doorbell makes most changes arrive at once anyway. */
  syncIntervalSeconds?: number;
}

export interface Playground {
  readonly url: string;
  readonly sandbox: OpenTrainSandbox;
  readonly slack: SlackStandIn;
  readonly web: PlaygroundWeb;
  readonly activity: ScriptedActivity;
  readonly bot: ChildProcess;
  /** Resolves when the bot process ends (by itself or because the playground closes). */
  readonly botExited: Promise<number | null>;
  close(): Promise<void>;
}

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const TSX_LOADER = import.meta.resolve('tsx');
const BOT_TOKEN = 'xoxb-playground-bot-token';
const APP_TOKEN = 'xapp-1-playground-app-token';
const BOT_STOP_GRACE_MS = 5000;
const BOT_READY_TIMEOUT_MS = 30_000;

/** Reviewers are the first two teammates; the third may vote and read but not act. */
export const REVIEWER_IDS = TEAMMATES.filter((mate) => mate.reviewer).map((mate) => mate.id);

function forwardLines(stream: NodeJS.ReadableStream | null, log: (line: string) => void): void {
  if (stream === null) return;
  createInterface({ input: stream }).on('line', log);
}

async function waitForHealth(port: number, exited: Promise<unknown>): Promise<void> {
  const deadline = Date.now() + BOT_READY_TIMEOUT_MS;
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  while (Date.now() < deadline && !gone) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(gone ? 'the bot exited during start-up (see its log above)' : 'the bot did not start in 30 s');
}

export async function startPlayground(options: PlaygroundOptions = {}): Promise<Playground> {
  const cleanups: (() => Promise<unknown>)[] = [];
  const undo = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  };
  try {
    const sandbox = await startOpenTrainSandbox({ port: 0, webhookRetryDelaysMs: [500, 2000, 5000, 10_000] });
    cleanups.push(() => sandbox.close());
    // Slack as it treats the installed app: the manifest's scopes, its channel membership and rate limits.
    const slack = await startSlackStandIn({
      port: 0,
      botToken: BOT_TOKEN,
      appToken: APP_TOKEN,
      botScopes: manifestBotScopes(),
    });
    cleanups.push(() => slack.close());
    const dataDir = await mkdtemp(join(tmpdir(), 'hiring-playground-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));

    const botPort = await freePort();
    const webhookSecret = `whsec_${randomBytes(16).toString('hex')}`;
    sandbox.addWebhook(`http://127.0.0.1:${botPort}/opentrain/webhook`, webhookSecret);

    const activity = new ScriptedActivity(sandbox, options.timings ?? DEMO_TIMINGS, {
      onError: (what, error) =>
        console.error(`[playground] ${what}: ${error instanceof Error ? error.message : error}`),
    });
    cleanups.push(async () => activity.stop());
    const port = options.port ?? 3000;
    const web = await startPlaygroundWeb({
      port,
      slack,
      deliver: slack.deliver,
      sandbox,
      activity,
    }).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      throw new Error(`port ${port} is in use: set PLAYGROUND_PORT to another port (0 = any free one)`);
    });
    cleanups.push(() => web.close());

    const env: Record<string, string> = {
      SLACK_BOT_TOKEN: BOT_TOKEN,
      // Socket Mode, the production default: the bot opens the connection; nothing is sent to it over HTTP.
      SLACK_APP_TOKEN: APP_TOKEN,
      SLACK_API_URL: slack.url,
      OT_API_TOKEN: SANDBOX_TOKENS.owner,
      OT_API_BASE_URL: sandbox.url,
      OT_WEBHOOK_SECRET: webhookSecret,
      HIRING_CHANNEL: HIRING_CHANNEL.id,
      REVIEWER_IDS: REVIEWER_IDS.join(','),
      DATA_FILE: join(dataDir, 'hiring-bot.json'),
      SYNC_INTERVAL_SECONDS: String(options.syncIntervalSeconds ?? 10),
      PORT: String(botPort),
      LOG_LEVEL: 'info',
    };
    const log = options.botLog ?? ((line: string) => process.stderr.write(`[bot] ${line}\n`));
    // The production entry through tsx's loader. It runs in the data directory, so a `.env` in the repository (real
    // tokens, say) never reaches the demo's bot: only the variables below do.
    const bot = spawn(process.execPath, ['--import', TSX_LOADER, join(REPO_ROOT, 'src/main.ts')], {
      cwd: dataDir,
      // Only what the bot needs, plus PATH/HOME for Node itself: nothing from the launcher's own configuration.
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    forwardLines(bot.stdout, log);
    forwardLines(bot.stderr, log);
    const botExited = new Promise<number | null>((resolve) => bot.once('exit', (code) => resolve(code)));
    // Should this process die without cleaning up, the bot goes with it instead of lingering.
    const stopBotOnExit = () => bot.kill('SIGTERM');
    process.once('exit', stopBotOnExit);
    cleanups.push(async () => {
      process.off('exit', stopBotOnExit);
      if (bot.exitCode === null && bot.signalCode === null) {
        bot.kill('SIGTERM');
        const timer = setTimeout(() => bot.kill('SIGKILL'), BOT_STOP_GRACE_MS);
        await botExited;
        clearTimeout(timer);
      }
    });
    await waitForHealth(botPort, botExited);
    await slack.socket.waitForConnection(1, BOT_READY_TIMEOUT_MS);
    activity.start();

    let closing: Promise<void> | null = null;
    return {
      url: web.url,
      sandbox,
      slack,
      web,
      activity,
      bot,
      botExited,
      close: () => {
        closing ??= undo();
        return closing;
      },
    };
  } catch (error) {
    await undo();
    throw error;
  }
}
