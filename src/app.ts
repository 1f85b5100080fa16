import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, type LogLevel, SocketModeReceiver } from '@slack/bolt';
import type { RetryOptions } from '@slack/web-api';
import { OpenTrainClient, type OpenTrainClientOptions } from './api/index.js';
import { askedMessage } from './blocks/relay.js';
import type { Config } from './config.js';
import type { BotContext } from './handlers/context.js';
import { registerHandlers } from './handlers/index.js';
import { installRequestGuard, requestSignature } from './handlers/requests/index.js';
import { libraryLogger } from './library-logger.js';
import { createLogger, type Logger } from './logger.js';
import { readiness } from './readiness.js';
import { AskService } from './services/ask.js';
import { type GuardedTask, runGuarded } from './services/background.js';
import { CardRecovery } from './services/card-recovery.js';
import { CardService } from './services/cards.js';
import { ChannelAccess } from './services/channel-access.js';
import { DigestService } from './services/digest.js';
import { HireService } from './services/hire/service.js';
import { HomeService } from './services/home.js';
import { channelFor, watchedJobs, weightsFor } from './services/jobs.js';
import { reviewerPolicy } from './services/permissions.js';
import { PostHireNotices } from './services/post-hire-notices.js';
import type { ProposalRetryPolicy } from './services/proposal-retries.js';
import { RelayService } from './services/relay.js';
import { ShortlistService } from './services/shortlist.js';
import { type SchedulingPolicy, SLACK_POLICY, unlimitedPolicy } from './services/slack-budgets.js';
import { webClientHomePublisher, webClientSlackPort } from './services/slack-port.js';
import { type SchedulerClock, SlackScheduler } from './services/slack-scheduler.js';
import { SyncService } from './services/sync.js';
import { handleWebhookRequest } from './services/webhook.js';
import { checkBotToken, explainListenError, explainSocketModeError, StartupError } from './startup.js';
import { Store } from './store/index.js';

// The composition root: builds every service, wires them to Bolt and the HTTP routes, and owns start/stop order.
// Over ~300 lines on purpose: each piece is a few lines, and the order they are built and stopped in reads best whole.

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
  /** Resolves when every acknowledged request's follow-up work and every queued Slack post has finished. */
  idle(): Promise<void>;
}

// Ten retries over several minutes, like the Web API client's own default: a 429 is waited out (Retry-After, during
// which the client holds every call) and counts as one retry, so a burst against a Tier 3 limit never fails a call.
const DEFAULT_SLACK_RETRY: RetryOptions = { retries: 10, factor: 2, minTimeout: 1000, maxTimeout: 60_000 };

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

  const socketMode = config.slack.appToken !== null;
  // What /readyz reports (src/readiness.ts).
  const state = { started: false, stopping: false, socketConnected: false, startedAt: null as Date | null };
  const customRoutes = [
    {
      path: '/healthz',
      method: ['GET'],
      handler: (_req: IncomingMessage, res: ServerResponse) => {
        const health = store.data.health;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: true, lastSyncAt: health.lastSyncAt, lastError: health.lastError }));
      },
    },
    {
      path: '/readyz',
      method: ['GET'],
      handler: (_req: IncomingMessage, res: ServerResponse) => {
        const health = store.data.health;
        const now = clock();
        const { ready, reasons } = readiness({
          ...state,
          socketMode,
          health,
          now,
          syncIntervalSeconds: config.syncIntervalSeconds,
        });
        res.writeHead(ready ? 200 : 503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ready, reasons, lastSyncAt: health.lastSyncAt, lastError: health.lastError }));
      },
    },
    {
      path: '/opentrain/webhook',
      method: ['POST'],
      handler: (req: IncomingMessage, res: ServerResponse) => {
        void handleWebhookRequest(req, res, {
          secret: config.openTrain.webhookSecret,
          store,
          logger,
          // `sync` is built below (it needs the app's Slack client); routes are served only after start().
          onVerified: () => sync.trigger(),
        });
      },
    },
  ];

  const clientOptions = {
    ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}),
    retryConfig: deps.slackRetryConfig ?? DEFAULT_SLACK_RETRY,
  };
  // Until start() finishes, a failure is reported once, as the sentence main.ts prints; the libraries' own error
  // lines about it (e.g. the socket's "Failed to retrieve a new WSS URL") are detail for debug level.
  // Bolt and the Slack clients log payloads at debug level; theirs drops them (message texts), see library-logger.ts.
  const boltLogger: Logger = libraryLogger({
    ...logger,
    error: (...parts) => (state.started ? logger.error(...parts) : logger.debug(...parts)),
  });
  const common = {
    token: config.slack.botToken,
    logger: boltLogger,
    // Without it Bolt resets the logger to INFO.
    logLevel: logger.getLevel(),
    clientOptions,
    // No listener uses conversation context; skipping it saves work on every request.
    convoStore: false as const,
    // auth.test runs in start() (app.init), where a failure stops start-up with a clear error.
    deferInitialization: true,
  };
  const app = socketMode
    ? new App({
        ...common,
        socketMode: true,
        receiver: new SocketModeReceiver({
          appToken: config.slack.appToken!,
          logger: boltLogger,
          logLevel: logger.getLevel(),
          // Socket Mode still serves /healthz and the OpenTrain webhook over HTTP on PORT.
          customRoutes,
          // The socket's own Web API client (apps.connections.open) uses SLACK_API_URL too; it keeps its default
          // retries, which carry reconnects over network blips.
          installerOptions: {
            port: config.port,
            clientOptions: config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {},
          },
          ...(deps.socketPingTimeoutMs === undefined ? {} : { clientPingTimeout: deps.socketPingTimeoutMs }),
        }),
      })
    : new App({
        ...common,
        receiver: new HTTPReceiver({
          signingSecret: config.slack.signingSecret ?? '',
          endpoints: '/slack/events',
          customRoutes,
          logger: boltLogger,
          processBeforeResponse: false,
          // Hands each verified signature to the request guard, which ignores a repeat of it.
          customPropertiesExtractor: requestSignature,
        }),
      });

  const receiver = (app as unknown as { receiver: unknown }).receiver;
  if (receiver instanceof SocketModeReceiver) {
    receiver.client.on('connected', () => {
      state.socketConnected = true;
    });
    for (const lost of ['close', 'disconnected', 'reconnecting'] as const) {
      receiver.client.on(lost, () => {
        state.socketConnected = false;
      });
    }
  }

  const slack = webClientSlackPort(app.client);
  const policy = deps.slackPolicy ?? (deps.postIntervalMs === 0 ? unlimitedPolicy() : SLACK_POLICY);
  const scheduler = new SlackScheduler(policy, deps.schedulerClock);
  const access = new ChannelAccess({ slack, logger });
  const cards = new CardService({
    slack,
    store,
    scheduler,
    access,
    logger,
    clock,
    weightsFor: (jobId) => weightsFor(store, jobId),
  });
  const shortlists = new ShortlistService({ store, slack, scheduler, cards, access, logger, clock });
  // A shortlist shows what cards show: a card's change makes the shortlists holding it due (background, coalesced).
  cards.watch({ proposalChanged: (id) => shortlists.proposalChanged(id), pendingChecked: () => shortlists.sweep() });
  const relay = new RelayService({ client: openTrain, store, slack, cards, scheduler, logger, clock });
  const ask = new AskService({
    store,
    relay,
    ranksFor: (jobId) => cards.ranksFor(jobId),
    askedNote: askedMessage,
    logger,
    clock,
  });
  const digest = new DigestService({ store, slack, cards, logger, clock, rules, timeZone: config.digest.timezone });
  const reviewers = reviewerPolicy(config.reviewerIds);
  const home = new HomeService({
    store,
    slack: { ...webClientHomePublisher(app.client), permalink: (channel, ts) => slack.permalink(channel, ts) },
    scheduler,
    canAct: (userId) => reviewers.canAct(userId),
    rules,
    logger,
    clock,
  });
  // Every change may alter what someone's Home tab shows; the service re-publishes only the tabs that differ.
  const stopHomeRefresh = store.onChange(() => home.changed());
  // Questions asked reach the shortlists holding those finalists (the ask service writes them; no card announces it).
  const stopShortlistRefresh = store.onChange(() => shortlists.storeChanged());
  const notices = new PostHireNotices({ store, client: openTrain, slack, scheduler, access, logger, clock });
  let hireLines = 0;
  const hires = new HireService({
    client: openTrain,
    store,
    cards,
    slack,
    // Thread lines share the card channel's posting budget, like the relay's.
    post: (priority, message) => {
      hireLines += 1;
      return scheduler.schedule(
        { priority, channel: message.channel, key: `hire-line:${hireLines}`, call: 'post' },
        () => slack.postMessage(message),
      );
    },
    access,
    logger,
    clock,
  });
  let announcements = 0;
  const recovery = new CardRecovery({ store, cards, logger, clock, rules, retentionDays: config.retentionDays });
  const sync = new SyncService({
    client: openTrain,
    store,
    cards,
    recovery,
    ...(deps.proposalRetryPolicy ? { retryPolicy: deps.proposalRetryPolicy } : {}),
    logger,
    clock,
    rules,
    backfillHours: config.backfillHours,
    retentionDays: config.retentionDays,
    announce: async (channel, text) => {
      announcements += 1;
      await scheduler.schedule({ priority: 'arrival', channel, key: `announce:${announcements}`, call: 'post' }, () =>
        slack.postMessage({ channel, text }),
      );
    },
    relay,
    notices,
    hires,
  });

  // Follow-up work starts one piece per event-loop turn, after pending I/O: under a burst of clicks every request
  // that has arrived is acknowledged before more OpenTrain work is started.
  const starts: (() => void)[] = [];
  const startNext = () => {
    const start = starts.shift();
    if (starts.length > 0) setImmediate(startNext);
    start?.();
  };
  const tracked = new Set<Promise<unknown>>();
  const track = <T>(work: () => Promise<T>, task: Partial<GuardedTask> = {}): Promise<T | undefined> => {
    // runGuarded catches a synchronous throw from `work` too: thrown inside setImmediate it would end the process.
    const guarded = new Promise<T | undefined>((resolve) => {
      starts.push(() => {
        void runGuarded(
          logger,
          { label: task.label ?? 'follow-up work of a Slack request', tell: task.tell },
          work,
        ).then(resolve);
      });
      if (starts.length === 1) setImmediate(startNext);
    });
    tracked.add(guarded);
    void guarded.finally(() => tracked.delete(guarded));
    return guarded;
  };

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
      stopHomeRefresh();
      stopShortlistRefresh();
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
        if (tracked.size === 0 && scheduler.pending === 0) return;
        await Promise.allSettled([...tracked]);
        await scheduler.idle();
      }
    },
  };
  return bot;
}
