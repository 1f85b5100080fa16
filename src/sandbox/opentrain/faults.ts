import { ApiError } from './errors.js';
import type { FaultSpec } from './types.js';

const FAULT_MESSAGES: Record<number, string> = {
  400: 'Bad request',
  401: 'Invalid or missing API token',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  429: 'Rate limit reached',
  500: 'Internal server error',
  502: 'Bad gateway',
  503: 'Service temporarily unavailable',
  504: 'Gateway timeout',
};

interface ActiveFault extends FaultSpec {
  remaining: number;
}

export type FaultOutcome = { kind: 'drop' } | { kind: 'drop-response' } | { kind: 'error'; error: ApiError };

/** Injected latency and failures for API requests (never for the /__sandbox knobs). */
export class FaultInjector {
  private latency: { ms: number; match: RegExp | undefined } | null = null;
  private faults: ActiveFault[] = [];

  setLatency(ms: number, match?: RegExp): void {
    this.latency = ms > 0 ? { ms, match } : null;
  }

  inject(spec: FaultSpec): void {
    if (!Number.isInteger(spec.count) || spec.count < 1) throw new RangeError('fault count must be a positive integer');
    this.faults.push({ ...spec, remaining: spec.count });
  }

  clear(): void {
    this.faults = [];
    this.latency = null;
  }

  latencyFor(url: string): number {
    if (!this.latency) return 0;
    return testMatch(this.latency.match, url) ? this.latency.ms : 0;
  }

  /** Consumes one use of the first matching fault, if any. */
  take(method: string, url: string): FaultOutcome | null {
    const fault = this.faults.find(
      (f) =>
        f.remaining > 0 && (!f.method || f.method.toUpperCase() === method.toUpperCase()) && testMatch(f.match, url),
    );
    if (!fault) return null;
    fault.remaining -= 1;
    if (fault.remaining === 0) this.faults = this.faults.filter((f) => f !== fault);
    if (fault.dropConnection) return { kind: 'drop' };
    if (fault.dropResponse) return { kind: 'drop-response' };
    return { kind: 'error', error: faultError(fault) };
  }
}

function testMatch(match: RegExp | undefined, url: string): boolean {
  if (!match) return true;
  // A global/sticky RegExp keeps state between test() calls; start each test from the beginning.
  match.lastIndex = 0;
  return match.test(url);
}

function faultError(fault: FaultSpec): ApiError {
  const details: Record<string, unknown> = {};
  const headers: Record<string, string> = {};
  const retryAfterSeconds = fault.retryAfterSeconds ?? (fault.status === 429 ? 1 : undefined);
  if (fault.reason) details.reason = fault.reason;
  if (retryAfterSeconds !== undefined) {
    details.retryAfterSeconds = retryAfterSeconds;
    headers['retry-after'] = String(retryAfterSeconds);
  }
  const message = FAULT_MESSAGES[fault.status] ?? `Injected failure (${fault.status})`;
  return new ApiError(fault.status, message, Object.keys(details).length > 0 ? details : undefined, headers);
}
