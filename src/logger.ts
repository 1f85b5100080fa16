import { type Logger, LogLevel } from '@slack/bolt';

// Tokens and secrets must never reach logs: anything shaped like one is masked before a line is written.
const SECRET_PATTERNS = [
  /\bot_(?:pat|clm|cat|ptk)_[A-Za-z0-9_]+/g,
  /\bxox[abposr]-[A-Za-z0-9-]+/g,
  /\bxapp-[A-Za-z0-9-]+/g,
  /\bwhsec_[A-Za-z0-9_]+/g,
  /(Bearer\s+)[^\s"']+/gi,
];

export function redact(text: string): string {
  let out = text;
  for (const pattern of SECRET_PATTERNS) {
    out = out.replace(pattern, (match, prefix?: string) =>
      typeof prefix === 'string' && match.startsWith(prefix) ? `${prefix}[redacted]` : '[redacted]',
    );
  }
  return out;
}

const LEVEL_ORDER: Record<LogLevel, number> = {
  [LogLevel.DEBUG]: 10,
  [LogLevel.INFO]: 20,
  [LogLevel.WARN]: 30,
  [LogLevel.ERROR]: 40,
};

function render(part: unknown): string {
  if (part instanceof Error) return part.stack ?? `${part.name}: ${part.message}`;
  if (typeof part === 'string') return part;
  try {
    return JSON.stringify(part);
  } catch {
    return String(part);
  }
}

/** A Bolt-compatible logger that writes one redacted line per call to stderr (or a sink, for tests). */
export function createLogger(
  level: LogLevel | `${LogLevel}` = LogLevel.INFO,
  sink: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Logger {
  let current = level as LogLevel;
  const name = 'hiring-bot';
  const write = (lvl: LogLevel, parts: unknown[]) => {
    if (LEVEL_ORDER[lvl] < LEVEL_ORDER[current]) return;
    sink(redact(`${new Date().toISOString()} ${lvl.toUpperCase()} [${name}] ${parts.map(render).join(' ')}`));
  };
  return {
    debug: (...parts) => write(LogLevel.DEBUG, parts),
    info: (...parts) => write(LogLevel.INFO, parts),
    warn: (...parts) => write(LogLevel.WARN, parts),
    error: (...parts) => write(LogLevel.ERROR, parts),
    setLevel: (next) => {
      current = next;
    },
    getLevel: () => current,
    // Bolt and the Web API client rename the logger they are given; one name keeps the log readable.
    setName: () => {},
  };
}

/** A logger that drops everything; handy as a default in services. */
export const silentLogger: Logger = createLogger(LogLevel.ERROR, () => {});

export type { Logger };
