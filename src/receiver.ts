import type { IncomingMessage, ServerResponse } from 'node:http';
import { App, HTTPReceiver, SocketModeReceiver } from '@slack/bolt';
import type { RetryOptions } from '@slack/web-api';
import type { Config } from './config.js';
import { requestSignature } from './handlers/requests/index.js';
import { libraryLogger } from './library-logger.js';
import type { Logger } from './logger.js';
import { readiness } from './readiness.js';
import { handleWebhookRequest } from './services/webhook.js';
import type { Store } from './store/index.js';

// The Bolt app and what it listens on: Slack requests over HTTP (`POST /slack/events`) or Socket Mode, and the HTTP
// routes beside them (`/healthz`, `/readyz`, the OpenTrain webhook), served in Socket Mode too. The listeners
// themselves are registered by createApp (src/app.ts).

/** What /readyz reports (src/readiness.ts); createApp updates it as it starts and stops. */
export interface ReceiverState {
  started: boolean;
  stopping: boolean;
  socketConnected: boolean;
  startedAt: Date | null;
}

export interface ReceiverOptions {
  logger: Logger;
  clock: () => Date;
  store: Store;
  state: ReceiverState;
  /** A verified OpenTrain webhook delivery: read the ledger now. */
  onWebhook: () => void;
  /** Slack Web API retry policy. */
  slackRetryConfig?: RetryOptions;
  /** Socket Mode: how long a pong may take before the socket counts as dead (default: Bolt's). */
  socketPingTimeoutMs?: number;
}

// Ten retries over several minutes, like the Web API client's own default: a 429 is waited out (Retry-After, during
// which the client holds every call) and counts as one retry, so a burst against a Tier 3 limit never fails a call.
const DEFAULT_SLACK_RETRY: RetryOptions = { retries: 10, factor: 2, minTimeout: 1000, maxTimeout: 60_000 };

/** The Bolt app, with the receiver the configuration asks for (Socket Mode when an app token is set, else HTTP). */
export function createBoltApp(config: Config, opts: ReceiverOptions): App {
  const { logger, clock, store, state } = opts;
  const socketMode = config.slack.appToken !== null;
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
          onVerified: opts.onWebhook,
        });
      },
    },
  ];

  const clientOptions = {
    ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}),
    retryConfig: opts.slackRetryConfig ?? DEFAULT_SLACK_RETRY,
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
          ...(opts.socketPingTimeoutMs === undefined ? {} : { clientPingTimeout: opts.socketPingTimeoutMs }),
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
  return app;
}
