import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { validateDetailed as explainCron, validate as isValidCron } from 'node-cron';
import { z } from 'zod';
import { type LogFormat, redact } from './logger.js';
import { own, setOwn } from './records.js';

// Over ~300 lines on purpose: each variable's rule sits beside its one-line problem text; splitting would part them.
// The process environment, parsed once at start-up (docs/architecture.md#configuration). Every problem becomes one line
// naming the variable; secret values are never echoed, not even in part.

export type LogLevelName = 'debug' | 'info' | 'warn' | 'error';

export interface Config {
  slack: { botToken: string; signingSecret: string | null; appToken: string | null; apiUrl: string | null };
  port: number;
  openTrain: { apiToken: string; baseUrl: string; jobIds: string[] | null; webhookSecret: string | null };
  /**
   * Optional here on purpose: the design requires it "unless every job is watched" (each watched job has its own
   * channel), which only the running app can tell, so the app checks it when it routes a card or the digest.
   */
  hiringChannel: string | null;
  dataFile: string;
  syncIntervalSeconds: number;
  backfillHours: number;
  /** Slack user ids allowed to take write actions; null = everyone. */
  reviewerIds: string[] | null;
  digest: { cron: string; timezone: string };
  retentionDays: number;
  logLevel: LogLevelName;
  /** Null: chosen by whether stdout is a terminal. */
  logFormat: LogFormat | null;
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] };

export const DEFAULT_OT_API_BASE_URL = 'https://app.opentrain.ai/api/public/v1';
export const DEFAULT_DATA_FILE = './data/hiring-bot.json';

const CHANNEL_ID = /^[CGD][A-Z0-9]{2,}$/;
const USER_ID = /^[UW][A-Z0-9]{2,}$/;
const JOB_ID = /^[A-Za-z0-9_-]+$/;
const LOG_LEVELS: readonly LogLevelName[] = ['debug', 'info', 'warn', 'error'];
const LOG_FORMATS: readonly LogFormat[] = ['json', 'text'];

/**
 * A non-secret value as it may appear in a problem line: redacted in case a token was pasted into the wrong
 * variable, then quoted and shortened.
 */
function quote(value: string): string {
  const redacted = redact(value);
  return JSON.stringify(redacted.length > 80 ? `${redacted.slice(0, 77)}...` : redacted);
}

const SECRET_VARIABLES = [
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'OT_API_TOKEN',
  'OT_WEBHOOK_SECRET',
];

/**
 * Masks the configured secret values wherever they appear, e.g. the signing secret (which has no telltale shape)
 * pasted into another variable.
 */
function hideSecretValues(line: string, env: Record<string, string | undefined>): string {
  let hidden = line;
  for (const name of SECRET_VARIABLES) {
    const secret = blankAsUnset(env[name]);
    if (typeof secret === 'string' && secret.length >= 8) hidden = hidden.split(secret).join('[redacted]');
  }
  return hidden;
}

/** Empty or blank counts as unset; other values are trimmed. */
function blankAsUnset(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

function variable<T extends z.ZodType>(schema: T) {
  return z.preprocess(blankAsUnset, schema);
}

/** A text value; `requiredMessage` given → required. Messages never include the input. */
function text(requiredMessage?: string) {
  return z.string({ error: (issue) => (issue.input === undefined ? requiredMessage : 'must be text') });
}

/** Slack tokens that are often pasted into the wrong variable, by prefix: what they are. */
const SLACK_TOKEN_KINDS: readonly [prefix: string, kind: string][] = [
  ['xoxp-', 'a user token (xoxp-)'],
  ['xoxb-', 'a bot token (xoxb-)'],
  ['xapp-', 'an app-level token (xapp-)'],
  ['xoxe', 'a token-rotation token (xoxe)'],
];

/**
 * A secret shaped like `<prefix>…`. The problem text describes the expected shape (and, for another kind of Slack
 * token, which kind it is and where the right one is), never the value given.
 */
function secretToken(prefix: string, what: string, where = '') {
  return text(`is required (${what}, ${prefix}…)`).refine((value) => value.startsWith(prefix) && !/\s/.test(value), {
    error: (issue) => {
      const value = String(issue.input);
      const kind = SLACK_TOKEN_KINDS.find(([other]) => value.startsWith(other))?.[1];
      const found = kind ? `: it is ${kind}` : `: it must start with ${prefix} and contain no spaces`;
      return `does not look like ${what}${found}${kind && where ? `; ${where}` : ''} (value not shown)`;
    },
  });
}

function wholeNumber(min: number, max: number | null, hint: string) {
  const range = max === null ? `≥ ${min}` : `between ${min} and ${max}`;
  return text().transform((value, ctx) => {
    const parsed = /^\d+$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(parsed) || parsed < min || (max !== null && parsed > max)) {
      ctx.issues.push({
        code: 'custom',
        input: value,
        message: `must be a whole number ${range} (${hint}); got ${quote(value)}`,
      });
      return z.NEVER;
    }
    return parsed;
  });
}

function httpUrl() {
  return text().refine(
    (value) => {
      try {
        const url = new URL(value);
        return url.protocol === 'http:' || url.protocol === 'https:';
      } catch {
        return false;
      }
    },
    { error: (issue) => `must be an http(s) URL; got ${quote(String(issue.input))}` },
  );
}

/** A comma-separated list; blanks between commas are ignored, duplicates dropped; an empty list counts as unset. */
function idList(pattern: RegExp, what: string, example: string) {
  return text().transform((value, ctx) => {
    const entries = [...new Set(value.split(',').map((entry) => entry.trim()))].filter((entry) => entry !== '');
    const invalid = entries.filter((entry) => !pattern.test(entry)).map(quote);
    if (invalid.length > 0) {
      ctx.issues.push({
        code: 'custom',
        input: value,
        message: `must be a comma-separated list of ${what} such as ${example}; not valid: ${invalid.join(', ')}`,
      });
      return z.NEVER;
    }
    return entries.length > 0 ? entries : null;
  });
}

/**
 * An IANA zone name as written in the tz database: `Area/Location` (or `UTC`). Abbreviations such as EST or CET and
 * offsets such as +02:00 are refused even where Intl accepts them: they don't follow daylight saving time.
 */
const IANA_NAME = /^(?:[A-Z][A-Za-z_-]*(?:\/[A-Za-z0-9_+-]+)+|UTC)$/;

function isIanaTimeZone(zone: string): boolean {
  if (!IANA_NAME.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** node-cron also takes a leading seconds field; the digest's schedule is a classic five-field expression. */
function cronProblem(expression: string): string | null {
  const fields = expression.split(/\s+/).length;
  if (fields === 6) return 'has 6 fields: seconds are not supported, use minute hour day-of-month month day-of-week';
  if (!isValidCron(expression)) return explainCron(expression).errors[0]?.message ?? 'invalid';
  if (fields !== 5) return `has ${fields} fields, not 5`;
  return null;
}

/**
 * One entry per variable of docs/architecture.md#configuration, in the table's order (problem lines follow this order).
 */
const environmentSchema = z.object({
  SLACK_BOT_TOKEN: variable(
    secretToken(
      'xoxb-',
      'the Slack bot token',
      "use the Bot User OAuth Token (xoxb-…) from the app's Install App page",
    ),
  ),
  SLACK_SIGNING_SECRET: variable(text().optional()),
  SLACK_APP_TOKEN: variable(
    secretToken(
      'xapp-',
      'the Slack app-level token for Socket Mode',
      'generate an app-level token (xapp-…) with connections:write under Basic Information → App-Level Tokens',
    ).optional(),
  ),
  SLACK_API_URL: variable(
    httpUrl()
      // Bolt's WebClient joins method names onto this base, so it must end with a slash.
      .transform((value) => (value.endsWith('/') ? value : `${value}/`))
      .optional(),
  ),
  PORT: variable(wholeNumber(1, 65535, 'the HTTP port').default(3000)),
  OT_API_TOKEN: variable(secretToken('ot_pat_', 'the OpenTrain personal API token')),
  OT_API_BASE_URL: variable(
    httpUrl()
      // The client appends paths like `/jobs/mine`; keep the base without a trailing slash.
      .transform((value) => value.replace(/\/+$/, ''))
      .default(DEFAULT_OT_API_BASE_URL),
  ),
  HIRING_CHANNEL: variable(
    text()
      .refine((value) => CHANNEL_ID.test(value), {
        error: (issue) =>
          'must be a Slack channel id such as C0123456789 (not a #name; copy it from the channel details); ' +
          `got ${quote(String(issue.input))}`,
      })
      .optional(),
  ),
  OT_JOB_IDS: variable(idList(JOB_ID, 'OpenTrain job ids', 'job_123,job_456').optional()),
  DATA_FILE: variable(
    text()
      .refine((value) => !/[/\\]$/.test(value), {
        error: (issue) => `must be a file path, not a directory; got ${quote(String(issue.input))}`,
      })
      .default(DEFAULT_DATA_FILE),
  ),
  SYNC_INTERVAL_SECONDS: variable(wholeNumber(1, null, 'seconds between ledger polls').default(30)),
  BACKFILL_HOURS: variable(wholeNumber(0, null, 'hours of first-run backfill').default(24)),
  REVIEWER_IDS: variable(idList(USER_ID, 'Slack user ids', 'U0123ABCD,W0456EFGH').optional()),
  DIGEST_CRON: variable(
    text()
      .refine((value) => cronProblem(value) === null, {
        error: (issue) => {
          const expression = String(issue.input);
          const reason = cronProblem(expression) ?? 'invalid';
          const example = 'e.g. "0 9 * * 1-5" for 09:00 on weekdays';
          return `is not a valid cron expression (${reason}); got ${quote(expression)}, ${example}`;
        },
      })
      .default('0 9 * * 1-5'),
  ),
  DIGEST_TIMEZONE: variable(
    text()
      .refine((value) => isIanaTimeZone(value), {
        error: (issue) =>
          `is not a known IANA time zone; got ${quote(String(issue.input))}, ` +
          'use an Area/Location name such as "Europe/Berlin" or "America/New_York", or "UTC"',
      })
      .default('UTC'),
  ),
  OT_WEBHOOK_SECRET: variable(secretToken('whsec_', 'the OpenTrain webhook signing secret').optional()),
  RETENTION_DAYS: variable(wholeNumber(1, null, 'days a card is kept in the store').default(180)),
  LOG_LEVEL: variable(
    text()
      .transform((value) => value.toLowerCase())
      .refine((value): value is LogLevelName => (LOG_LEVELS as readonly string[]).includes(value), {
        error: (issue) => `must be one of ${LOG_LEVELS.join(', ')}; got ${quote(String(issue.input))}`,
      })
      .default('info'),
  ),
  LOG_FORMAT: variable(
    text()
      .transform((value) => value.toLowerCase())
      .refine((value): value is LogFormat => (LOG_FORMATS as readonly string[]).includes(value), {
        error: (issue) =>
          `must be json or text (unset: text on a terminal, JSON lines otherwise); got ${quote(String(issue.input))}`,
      })
      .optional(),
  ),
});

type EnvironmentVariable = keyof typeof environmentSchema.shape;
const VARIABLE_ORDER = Object.keys(environmentSchema.shape) as EnvironmentVariable[];
/** Every variable the bot reads, in the documentation's order (.env.example and the README list them all). */
export const CONFIG_VARIABLES: readonly string[] = VARIABLE_ORDER;

function isUnset(value: string | undefined): boolean {
  return blankAsUnset(value) === undefined;
}

export function parseConfig(env: Record<string, string | undefined>): ConfigResult {
  const problems: { variable: string; line: string }[] = [];
  const result = environmentSchema.safeParse(env);
  if (!result.success) {
    const reported = new Set<string>();
    for (const issue of result.error.issues) {
      const name = String(issue.path[0] ?? 'environment');
      if (reported.has(name)) continue; // one line per variable is enough to fix it
      reported.add(name);
      problems.push({ variable: name, line: `${name} ${issue.message}` });
    }
  }
  // Cross-variable rule, checked on the raw values so it is reported alongside everything else.
  if (isUnset(env.SLACK_APP_TOKEN) && isUnset(env.SLACK_SIGNING_SECRET)) {
    problems.push({
      variable: 'SLACK_SIGNING_SECRET',
      line:
        'SLACK_SIGNING_SECRET is required in HTTP mode (SLACK_APP_TOKEN is unset): ' +
        'set the app signing secret, or set SLACK_APP_TOKEN for Socket Mode',
    });
  }
  if (problems.length > 0 || !result.success) {
    const position = (name: string) => {
      const index = VARIABLE_ORDER.indexOf(name as EnvironmentVariable);
      return index === -1 ? VARIABLE_ORDER.length : index;
    };
    problems.sort((a, b) => position(a.variable) - position(b.variable));
    return { ok: false, problems: problems.map((problem) => hideSecretValues(problem.line, env)) };
  }

  const vars = result.data;
  return {
    ok: true,
    config: {
      slack: {
        botToken: vars.SLACK_BOT_TOKEN,
        signingSecret: vars.SLACK_SIGNING_SECRET ?? null,
        appToken: vars.SLACK_APP_TOKEN ?? null,
        apiUrl: vars.SLACK_API_URL ?? null,
      },
      port: vars.PORT,
      openTrain: {
        apiToken: vars.OT_API_TOKEN,
        baseUrl: vars.OT_API_BASE_URL,
        jobIds: vars.OT_JOB_IDS ?? null,
        webhookSecret: vars.OT_WEBHOOK_SECRET ?? null,
      },
      hiringChannel: vars.HIRING_CHANNEL ?? null,
      dataFile: vars.DATA_FILE,
      syncIntervalSeconds: vars.SYNC_INTERVAL_SECONDS,
      backfillHours: vars.BACKFILL_HOURS,
      reviewerIds: vars.REVIEWER_IDS ?? null,
      digest: { cron: vars.DIGEST_CRON, timezone: vars.DIGEST_TIMEZONE },
      retentionDays: vars.RETENTION_DAYS,
      logLevel: vars.LOG_LEVEL,
      logFormat: vars.LOG_FORMAT ?? null,
    },
  };
}

export interface ConfigIo {
  stderr: (line: string) => void;
  exit: (code: number) => never;
}

const processIo: ConfigIo = {
  stderr: (line) => process.stderr.write(`${line}\n`),
  exit: (code) => process.exit(code),
};

/** Parses the environment or, on any problem, prints one line per problem and exits with status 1. */
export function loadConfig(env: Record<string, string | undefined> = process.env, io: ConfigIo = processIo): Config {
  const result = parseConfig(env);
  if (result.ok) return result.config;
  // redact() again as a last guard: problem lines are built never to contain secrets, and this keeps it so.
  for (const problem of result.problems) io.stderr(redact(problem));
  return io.exit(1);
}

/**
 * Reads `.env` from the working directory when there is one (Node's own parser). Variables already in the environment
 * win, so a deployment can override the file. Returns whether a file was read.
 */
export function loadEnvFile(file = '.env', env: NodeJS.ProcessEnv = process.env): boolean {
  if (!existsSync(file)) return false;
  // Node's parser; an empty variable counts as unset (README: Configuration), so the file fills it as well.
  for (const [name, value] of Object.entries(parseEnv(readFileSync(file, 'utf8')))) {
    if (value !== undefined && !own(env, name)) setOwn(env, name, value);
  }
  return true;
}
