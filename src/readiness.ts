// What `/readyz` answers (docs/architecture.md#health-and-readiness): ready when Slack is connected, the store is open
// and the sync loop has not been failing for longer than a few intervals. `/healthz` only says the process is alive.

/** A sync failing for this many intervals in a row makes the bot not ready (one failure is a blip, retried). */
export const FAILING_SYNC_INTERVALS = 3;

export interface ReadinessInput {
  /** `start()` finished: auth.test passed and, in Socket Mode, the socket opened. */
  started: boolean;
  /** `stop()` began: the store is being flushed and closed. */
  stopping: boolean;
  socketMode: boolean;
  /** Socket Mode only: the socket is connected now (Slack's `hello` seen, no disconnect since). */
  socketConnected: boolean;
  health: { lastSyncAt: string | null; lastError: string | null; lastErrorAt: string | null };
  startedAt: Date | null;
  now: Date;
  syncIntervalSeconds: number;
}

export interface Readiness {
  ready: boolean;
  /** Why not, one sentence each; empty when ready. */
  reasons: string[];
}

export function readiness(input: ReadinessInput): Readiness {
  const reasons: string[] = [];
  if (input.stopping) reasons.push('shutting down: the store is being flushed and closed');
  else if (!input.started) reasons.push('starting: Slack authentication and the connection are not done yet');
  else if (input.socketMode && !input.socketConnected) {
    reasons.push('the Socket Mode connection to Slack is down (reconnecting)');
  }
  if (input.started && !input.stopping && input.health.lastError !== null) {
    // Failing since the last success, or since start-up when this process has not synced yet.
    const lastGood = Math.max(Date.parse(input.health.lastSyncAt ?? '') || 0, input.startedAt?.getTime() ?? 0);
    const failingMs = input.now.getTime() - lastGood;
    if (failingMs > FAILING_SYNC_INTERVALS * input.syncIntervalSeconds * 1000) {
      reasons.push(`OpenTrain sync has been failing for ${Math.round(failingMs / 1000)} s: ${input.health.lastError}`);
    }
  }
  return { ready: reasons.length === 0, reasons };
}
