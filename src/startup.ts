import { type Logger, WebClient } from '@slack/web-api';
import type { Config } from './config.js';

// Start-up failures as one sentence naming the variable to fix and how (docs/slack.md#start-up-checks). main.ts prints
// `message` and exits 1; the original error (with its stack) is logged at debug level only.

export class StartupError extends Error {
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
    this.name = 'StartupError';
  }
}

/** Slack's answers that mean "this token is no good": wrong, revoked, expired, or its workspace/user is gone. */
const REFUSED_TOKEN = new Set([
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'token_expired',
  'account_inactive',
  'user_removed_from_team',
  'team_disabled',
  'not_allowed_token_type',
]);

/** Time to wait for Slack's answer to the start-up check; it is one call, made once, without retries. */
export const STARTUP_CHECK_TIMEOUT_MS = 10_000;

interface SlackCallError {
  code?: string;
  data?: { error?: string };
  original?: { code?: string; message?: string; cause?: { code?: string; message?: string } };
  statusCode?: number;
  message?: string;
}

function asSlackError(error: unknown): SlackCallError {
  return typeof error === 'object' && error !== null ? (error as SlackCallError) : {};
}

function apiDescription(config: Config): string {
  return config.slack.apiUrl ? `SLACK_API_URL (${config.slack.apiUrl})` : "Slack's Web API (https://slack.com/api/)";
}

/** The network or HTTP failure of a call to the Web API base URL, or null when the error is something else. */
function unreachable(error: SlackCallError, config: Config, method: string): string | null {
  const api = apiDescription(config);
  const fix = config.slack.apiUrl
    ? "check the address (it ends in /api/), or unset SLACK_API_URL to use Slack's own API"
    : 'check this host can reach slack.com (network, DNS, proxy)';
  if (error.code === 'slack_webapi_request_error') {
    // fetch reports the socket error (ECONNREFUSED, ENOTFOUND…) as its cause.
    const cause = error.original?.cause;
    const reason = cause?.code ?? cause?.message ?? error.original?.code ?? error.original?.message ?? 'no answer';
    return `${api} is unreachable (${reason} on ${method}): ${fix}.`;
  }
  if (error.code === 'slack_webapi_http_error') {
    return `${api} answered HTTP ${error.statusCode ?? '?'} to ${method}: ${fix}.`;
  }
  return null;
}

/** Why auth.test with the bot token failed, as one sentence. */
export function explainBotTokenError(error: unknown, config: Config): string {
  const slack = asSlackError(error);
  const network = unreachable(slack, config, 'auth.test');
  if (network) return network;
  const answer = slack.data?.error ?? slack.message ?? String(error);
  if (REFUSED_TOKEN.has(answer)) {
    return (
      `Slack refused SLACK_BOT_TOKEN (${answer}): it is wrong or was revoked; copy the Bot User OAuth Token ` +
      "(xoxb-…) again from the app's Install App page, reinstalling the app if it was removed."
    );
  }
  return `Slack's auth.test failed for SLACK_BOT_TOKEN (${answer}): check the token and SLACK_API_URL.`;
}

/** Why opening the Socket Mode connection with the app-level token failed, as one sentence. */
export function explainSocketModeError(error: unknown, config: Config): string {
  const slack = asSlackError(error);
  const network = unreachable(slack, config, 'apps.connections.open');
  if (network) return network;
  const answer = slack.data?.error ?? slack.message ?? String(error);
  const fix = REFUSED_TOKEN.has(answer)
    ? 'SLACK_APP_TOKEN is wrong or was revoked; generate an app-level token with connections:write under ' +
      'Basic Information → App-Level Tokens'
    : "turn Socket Mode on in the app's settings (Socket Mode) and check SLACK_APP_TOKEN";
  return `Slack refused the Socket Mode connection (${answer}): ${fix}, or unset SLACK_APP_TOKEN to use HTTP mode.`;
}

/** Why the HTTP server could not listen on PORT, as one sentence (or null for another kind of error). */
export function explainListenError(error: unknown, port: number): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'EADDRINUSE')
    return `PORT ${port} is already in use: stop the other process or set PORT to a free port.`;
  if (code === 'EACCES') return `PORT ${port} needs privileges this process doesn't have: set PORT above 1023.`;
  return null;
}

/**
 * One auth.test with the bot token, without retries: a wrong token or an unreachable Slack stops start-up in seconds
 * with a sentence that names the variable, instead of the Web API client's retries (about 30 s) and a stack trace.
 */
export async function checkBotToken(config: Config, logger: Logger): Promise<void> {
  const client = new WebClient(config.slack.botToken, {
    ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}),
    retryConfig: { retries: 0 },
    timeout: STARTUP_CHECK_TIMEOUT_MS,
    // The client warns about the failed request itself; the sentence below says it better, so that is debug detail.
    logger: { ...logger, warn: logger.debug },
  });
  try {
    await client.auth.test();
  } catch (error) {
    throw new StartupError(explainBotTokenError(error, config), { cause: error });
  }
}
