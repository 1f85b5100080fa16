import type { Logger } from './logger.js';

// Bolt, the Web API client and the Socket Mode client log whole payloads at debug level: request and response
// bodies, acknowledgements, WebSocket frames. Those carry what people typed — a message to a candidate appears in
// the modal submission, the "sending" view, the thread post and Slack's answers. The libraries get this logger,
// which keeps their lines but replaces any payload in them by its size; the app's own lines name ids and lengths.

/** Where a library line starts dumping a payload: the first JSON object/array, or a `body:`/`data:` value. */
const PAYLOAD_START = /(?:[{[]|(?:body|data|payload|message): (?!\()|WebSocket: )/;

/** A library's log line with any payload replaced by its length. */
export function withoutPayload(line: string): string {
  const match = PAYLOAD_START.exec(line);
  if (!match) return line;
  const cut = match.index + (match[0].startsWith('{') || match[0].startsWith('[') ? 0 : match[0].length);
  const payload = line.slice(cut);
  if (payload.length === 0) return line;
  return `${line.slice(0, cut)}(${payload.length} characters, not logged)`;
}

function scrub(parts: unknown[]): unknown[] {
  return parts.map((part) =>
    typeof part === 'string' ? withoutPayload(part) : part instanceof Error ? part : '(an object, not logged)',
  );
}

/** The logger handed to Bolt and the Slack clients: the same sink and level, payloads removed from every line. */
export function libraryLogger(logger: Logger): Logger {
  return {
    debug: (...parts) => logger.debug(...scrub(parts)),
    info: (...parts) => logger.info(...scrub(parts)),
    warn: (...parts) => logger.warn(...scrub(parts)),
    error: (...parts) => logger.error(...scrub(parts)),
    setLevel: (level) => logger.setLevel(level),
    getLevel: () => logger.getLevel(),
    setName: (name) => logger.setName(name),
  };
}
