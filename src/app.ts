import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App, LogLevel } from '@slack/bolt';
import type { RetryOptions } from '@slack/web-api';
import { OpenTrainClient, type OpenTrainClientOptions } from './api/index.js';
import type { Config } from './config.js';
import { followUps } from './follow-ups.js';
import type { BotContext } from './handlers/context.js';
import { registerHandlers } from './handlers/index.js';
import { installRequestGuard } from './handlers/requests/index.js';
import { createLogger, type Logger } from './logger.js';
import { createBoltApp, type ReceiverState } from './receiver.js';
import { channelFor, watchedJobs } from './services/jobs.js';
import type { ProposalRetryPolicy } from './services/proposal-retries.js';
import type { SchedulingPolicy } from './services/slack-budgets.js';
import type { SchedulerClock } from './services/slack-scheduler.js';
import { checkBotToken, explainListenError, explainSocketModeError, StartupError } from './startup.js';
import { Store } from './store/index.js';
import { buildServices } from './wiring.js';

// The composition root: the store and the OpenTrain client, the Bolt app and its receiver (src/receiver.ts), the
// services (src/wiring.ts), the listeners on the app, and the order of start and stop.

export interface AppDeps {
  logger?: Logger;
  clock?: () => Date;
  store?: Store;
  openTrain?: OpenTrainClient;
  /** Extra OpenTrain client options (tests shorten timeouts and backoff). */
  openTrainOptions?: Partial<OpenTrainClientOptions>;
  /** Slack Web API retry policy; tests turn it down. 429s are still waited out and retried. */
  slackRetryConfig?: RetryOptions;
  /** 0 turns Slack's rate limits off in the scheduler (tests, some benchmarks); classes and order stay. */
  postIntervalMs?: number;
  /** The scheduling policy (default SLACK_POLICY: Slack's real limits); tests tighten it to watch the order. */
  slackPolicy?: SchedulingPolicy;
  /** The scheduler's clock and timers. */
  schedulerClock?: SchedulerClock;
  /** Run the sync loop on start (default true). Tests may drive `bot.sync.runOnce()` themselves. */
  autoSync?: boolean;
  /**
   * Socket Mode: how long a pong may take before the socket counts as dead, which is also the pause before a
   * reconnect (default 5000, Bolt's). Tests shorten it so a dropped socket comes back quickly.
   */
  socketPingTimeoutMs?: number;
  /** Retries of a proposal whose detail can't be read (default PROPOSAL_RETRY_POLICY); tests shorten it. */
  proposalRetryPolicy?: ProposalRetryPolicy;
}

export interface HiringBot {
  app: App;
  ctx: BotContext;
  /** The HTTP port actually bound (HTTP mode, or the Socket Mode side server), once started. */
  port: number | null;
  start(): Promise<void>;
  stop(): Promise<void>;
  /**
   * Resolves when every acknowledged request's follow-up work and every queued Slack post has finished (a Home
   * refresh round waiting for its time starts at once).
   */
  idle(): Promise<void>;
}

/** Builds the Bolt app and the services around it. Tests build the app through this too. */
export async function createApp(config: Config, deps: AppDeps = {}): Promise<HiringBot> {
  const logger = deps.logger ?? createLogger(config.logLevel as LogLevel);
  const clock = deps.clock ?? (() => new Date());
  const store = deps.store ?? (await Store.open({ file: config.dataFile, logger }));
  const openTrain =
    deps.openTrain ??
    new OpenTrainClient({
      baseUrl: config.openTrain.baseUrl,
      token: config.openTrain.apiToken,
      logger,
      ...deps.openTrainOptions,
    });
  const rules = { jobIds: config.openTrain.jobIds, hiringChannel: config.hiringChannel };

  const state: ReceiverState = { started: false, stopping: false, socketConnected: false, startedAt: null };
  const socketMode = config.slack.appToken !== null;
  const app = createBoltApp(config, {
    logger,
    clock,
    store,
    state,
    // `sync` is built below (it needs the app's Slack client); routes are served only after start().
    onWebhook: () => sync.trigger(),
    ...(deps.slackRetryConfig ? { slackRetryConfig: deps.slackRetryConfig } : {}),
    ...(deps.socketPingTimeoutMs === undefined ? {} : { socketPingTimeoutMs: deps.socketPingTimeoutMs }),
  });
  const services = buildServices({ config, deps, logger, clock, store, openTrain, rules, client: app.client });
  const { slack, scheduler, access, cards, shortlists, relay, ask, digest, reviewers, home, hires, recovery, sync } =
    services;
  const { track, tracked } = followUps(logger);

  const ctx: BotContext = {
    config,
    store,
    openTrain,
    slack,
    cards,
    access,
    sync,
    relay,
    digest,
    shortlists,
    hires,
    ask,
    home,
    reviewers,
    rules,
    logger,
    clock,
    track,
  };
  registerHandlers(app, ctx);
  // Replays are ignored and requests nobody acknowledges are answered (src/handlers/requests/).
  installRequestGuard(app, ctx);
  app.error(async (error) => {
    logger.error('unhandled listener error', error);
  });

  const bot: HiringBot = {
    app,
    ctx,
    port: null,
    async start() {
      await checkBotToken(config, logger);
      await app.init();
      try {
        if (socketMode) {
          await app.start();
          bot.port = config.port;
        } else {
          const server = (await app.start(config.port)) as Server;
          bot.port = (server.address() as AddressInfo).port;
        }
      } catch (error) {
        const why =
          explainListenError(error, config.port) ??
          (socketMode ? explainSocketModeError(error, config) : `the HTTP server could not start: ${String(error)}`);
        throw new StartupError(why, { cause: error });
      }
      if (!config.hiringChannel && !Object.values(store.data.jobs).some((job) => job.channelId)) {
        logger.warn('HIRING_CHANNEL is not set and no job has a watch channel yet: cards wait for /hiring watch');
      }
      // Join the public channels cards go to (reading them back needs membership); a private one the bot isn't in
      // is reported, and never stops start-up or the other channels.
      const routed = new Set([config.hiringChannel, ...watchedJobs(store, rules).map((job) => channelFor(job, rules))]);
      for (const channel of routed) {
        if (channel)
          await access.ensureReadable(channel).catch((error) => logger.warn(`checking <#${channel}>`, error));
      }
      // A damaged store or a first run: the bot's cards already in Slack are found before anything is posted.
      await recovery.run();
      const { recovered, reposting, waiting } = await cards.resolveOpenIntents();
      if (recovered + reposting + waiting > 0) {
        logger.info(
          `open card intents: ${recovered} found in channel history, ${reposting} to post, ${waiting} waiting for a channel the bot can read`,
        );
      }
      const shortlisted = await shortlists.resolveOpenIntents();
      if (shortlisted.found + shortlisted.posted + shortlisted.dropped > 0) {
        logger.info(
          `open shortlist intents: ${shortlisted.found} found in channel history, ${shortlisted.posted} posted, ${shortlisted.dropped} too old to post`,
        );
      }
      shortlists.sweep();
      if (deps.autoSync !== false) sync.start(config.syncIntervalSeconds);
      digest.start(config.digest.cron);
      state.started = true;
      state.startedAt = clock();
      logger.info(`hiring bot started (${socketMode ? 'Socket Mode' : `HTTP on port ${bot.port}`})`);
    },
    async stop() {
      state.stopping = true;
      digest.stop();
      services.stopListening();
      await sync.stop();
      await Promise.allSettled([...tracked]);
      scheduler.stop();
      // What was already running (an edit in flight) finishes and records its result before the store closes.
      await scheduler.idle();
      await app.stop().catch(() => {});
      await store.close();
    },
    async idle() {
      // Follow-up work can queue more work (a sync posts cards; a click updates a card): wait until quiet.
      for (let round = 0; round < 50; round += 1) {
        if (tracked.size === 0 && scheduler.pending === 0 && !home.roundWaiting) return;
        await Promise.allSettled([...tracked]);
        home.hurryRound();
        await scheduler.idle();
      }
    },
  };
  return bot;
}
