// Replay protection's pure parts (docs/slack.md#replays). Slack signs `v0:<timestamp>:<body>`, so a captured request
// stays valid for as long as its timestamp is accepted: Bolt refuses timestamps more than 5 minutes old but not ones
// in the future, and nothing stops the same signed request from being sent twice within the window.

/** A request timestamp further than this from now, either way, is refused; repeats are remembered this long. */
export const REPLAY_WINDOW_SECONDS = 5 * 60;

/** Keys remembered at most (about 2 MB); beyond that the oldest are forgotten first. */
export const REPLAY_MEMORY_MAX_KEYS = 20_000;

/** True when a request timestamp (seconds) lies outside the window around now; unreadable ones are Bolt's to refuse. */
export function outsideReplayWindow(timestampSeconds: number, nowMs: number): boolean {
  if (!Number.isFinite(timestampSeconds)) return false;
  return Math.abs(nowMs / 1000 - timestampSeconds) > REPLAY_WINDOW_SECONDS;
}

/**
 * What identifies one user action, whatever the transport: the request signature (HTTP), the trigger_id Slack gives
 * every command, click, shortcut and submission (Socket Mode redeliveries carry the same one), and the event id of
 * an Events API delivery (Slack's retries carry a new signature but the same event_id).
 */
export function replayKeys(body: unknown, signature: unknown): string[] {
  const keys: string[] = [];
  if (typeof signature === 'string' && signature !== '') keys.push(`signature:${signature}`);
  if (typeof body !== 'object' || body === null) return keys;
  const fields = body as Record<string, unknown>;
  if (typeof fields.trigger_id === 'string' && fields.trigger_id !== '') keys.push(`trigger:${fields.trigger_id}`);
  if (fields.type === 'event_callback' && typeof fields.event_id === 'string' && fields.event_id !== '') {
    keys.push(`event:${fields.event_id}`);
  }
  return keys;
}
