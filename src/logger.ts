import { type Logger, LogLevel } from '@slack/bolt';
import { pino } from 'pino';

// One logger for the bot, Bolt and the Web API client: Bolt's `Logger` interface (variadic parts) in front of pino.
// Lines are JSON for a log platform, or one readable line per record on a terminal (docs/decisions.md#logging).
// Tokens and secrets must never reach logs: every string is masked before pino sees it, and each written line once
// more as a last guard.

const SECRET_PATTERNS = [
  /\bot_(?:pat|clm|cat|ptk)_[A-Za-z0-9_]+/g,
  /\bxox[abposr]-[A-Za-z0-9-]+/g,
  /\bxapp-[A-Za-z0-9-]+/g,
  /\bwhsec_[A-Za-z0-9_]+/g,
  /(Bearer\s+)[^\s"']+/gi,
];

/** The same patterns, safe on a JSON line: a bearer value stops at a backslash so no escape is cut in half. */
const LINE_PATTERNS = [...SECRET_PATTERNS.slice(0, -1), /(Bearer\s+)[^\s"'\\]+/gi];

function mask(text: string, patterns: readonly RegExp[]): string {
  let out = text;
  for (const pattern of patterns) {
    out = out.replace(pattern, (match, prefix?: string) =>
      typeof prefix === 'string' && match.startsWith(prefix) ? `${prefix}[redacted]` : '[redacted]',
    );
  }
  return out;
}

export function redact(text: string): string {
  return mask(text, SECRET_PATTERNS);
}

export type LogFormat = 'json' | 'text';

export interface LoggerOptions {
  /** `json`: one JSON object per line; `text`: one readable line per record. Default: text on a terminal. */
  format?: LogFormat;
}

const PINO_LEVEL: Record<LogLevel, 'debug' | 'info' | 'warn' | 'error'> = {
  [LogLevel.DEBUG]: 'debug',
  [LogLevel.INFO]: 'info',
  [LogLevel.WARN]: 'warn',
  [LogLevel.ERROR]: 'error',
};

/** Keys pino writes itself; a field with one of these names is renamed rather than overwriting it. */
const RESERVED = new Set(['level', 'time', 'msg', 'name', 'pid', 'hostname', 'err']);

type Fields = Record<string, unknown>;

function redactDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redact(value);
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((entry) => redactDeep(entry, depth + 1));
  const out: Fields = {};
  for (const [key, entry] of Object.entries(value)) out[key] = redactDeep(entry, depth + 1);
  return out;
}

/** An error as fields: what it is, its code/status, OpenTrain's `requestId`, and the stack. */
function errorFields(error: Error): Fields {
  const extra = error as Error & { code?: unknown; status?: unknown; requestId?: unknown };
  const fields: Fields = { type: error.name, message: redact(error.message) };
  if (typeof extra.code === 'string' || typeof extra.code === 'number') fields.code = extra.code;
  if (typeof extra.status === 'number') fields.status = extra.status;
  if (typeof extra.requestId === 'string') fields.requestId = extra.requestId;
  if (error.stack) fields.stack = redact(error.stack);
  return fields;
}

function isPlainObject(value: unknown): value is Fields {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function render(part: unknown): string {
  if (typeof part === 'string') return part;
  try {
    return JSON.stringify(part) ?? String(part);
  } catch {
    return String(part);
  }
}

/**
 * Bolt-style parts → pino's (fields, message): text joins into the message, plain objects become fields, the first
 * error becomes `err` (and its `requestId` a top-level field, so every OpenTrain failure line can be searched by it).
 */
export function toRecord(parts: unknown[]): { fields: Fields; message: string } {
  const fields: Fields = Object.create(null);
  const words: string[] = [];
  for (const part of parts) {
    if (part instanceof Error) {
      if (fields.err === undefined) {
        const err = errorFields(part);
        fields.err = err;
        if (err.requestId !== undefined && fields.requestId === undefined) fields.requestId = err.requestId;
      } else words.push(`${part.name}: ${part.message}`);
    } else if (isPlainObject(part)) {
      for (const [key, value] of Object.entries(part)) {
        if (value === undefined) continue;
        fields[RESERVED.has(key) ? `field_${key}` : key] = redactDeep(value);
      }
    } else if (part !== '' && part !== undefined) {
      words.push(render(part));
    }
  }
  return { fields: { ...fields }, message: redact(words.join(' ')) };
}

const TEXT_SKIP = new Set(['level', 'time', 'msg', 'name', 'pid', 'hostname', 'err']);

/**
 * One JSON line from pino → `2026-01-05T09:00:00.000Z WARN [hiring-bot] message key=value`; an error's stack follows
 * on the next lines when `withStack` (at debug level: on a terminal a stack is for whoever is debugging).
 */
export function formatText(line: string, withStack: boolean): string {
  const record = JSON.parse(line) as Fields;
  const pairs = Object.entries(record)
    .filter(([key]) => !TEXT_SKIP.has(key))
    .map(([key, value]) => `${key}=${typeof value === 'string' && !/\s/.test(value) ? value : render(value)}`);
  const err = record.err as Fields | undefined;
  const head = [
    record.time,
    String(record.level).toUpperCase(),
    `[${String(record.name)}]`,
    record.msg,
    err ? `${String(err.type)}: ${String(err.message)}` : '',
    ...pairs,
  ]
    .filter((part) => part !== '' && part !== undefined)
    .join(' ');
  const stack = withStack && typeof err?.stack === 'string' ? err.stack.split('\n').slice(1).join('\n') : '';
  return stack ? `${head}\n${stack}` : head;
}

/** LOG_FORMAT unset: readable text on a terminal, JSON lines for anything else (a pipe, a container's log driver). */
export function defaultLogFormat(): LogFormat {
  return process.stdout.isTTY ? 'text' : 'json';
}

/**
 * A Bolt-compatible logger over pino. Lines go to stdout, or to `sink` (tests), one call each, without the newline.
 * The level set here is kept when Bolt or the Web API client rename the logger.
 */
export function createLogger(
  level: LogLevel | `${LogLevel}` = LogLevel.INFO,
  sink?: (line: string) => void,
  options: LoggerOptions = {},
): Logger {
  const format = options.format ?? (sink ? 'text' : defaultLogFormat());
  const stdout = sink ? null : pino.destination({ dest: 1, sync: true });
  const emit = sink ?? ((line: string) => stdout!.write(`${line}\n`));
  const stream = {
    write(line: string) {
      const safe = mask(line.trimEnd(), LINE_PATTERNS);
      emit(format === 'json' ? safe : formatText(safe, current === LogLevel.DEBUG));
    },
  };
  let current = level as LogLevel;
  const base = pino(
    {
      level: PINO_LEVEL[current],
      base: { name: 'hiring-bot' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // `err` is already plain fields (toRecord); pino's own serializer would rename its type.
      serializers: { err: (value: unknown) => value },
    },
    stream,
  );
  const write = (lvl: LogLevel, parts: unknown[]) => {
    if (!base.isLevelEnabled(PINO_LEVEL[lvl])) return;
    const { fields, message } = toRecord(parts);
    base[PINO_LEVEL[lvl]](fields, message);
  };
  return {
    debug: (...parts) => write(LogLevel.DEBUG, parts),
    info: (...parts) => write(LogLevel.INFO, parts),
    warn: (...parts) => write(LogLevel.WARN, parts),
    error: (...parts) => write(LogLevel.ERROR, parts),
    setLevel: (next) => {
      current = next;
      base.level = PINO_LEVEL[next];
    },
    getLevel: () => current,
    // Bolt and the Web API client rename the logger they are given; one name keeps the log readable.
    setName: () => {},
  };
}

/** A logger that drops everything; handy as a default in services. */
export const silentLogger: Logger = createLogger(LogLevel.ERROR, () => {});

export type { Logger };
