import { type Logger, silentLogger } from '../logger.js';
import { codeForStatus, OpenTrainError } from './errors.js';
import { errorEnvelopeSchema } from './schemas.js';

// The single HTTP path to OpenTrain: bearer auth, JSON bodies, a per-attempt timeout, the error envelope turned
// into OpenTrainError, and retries modelled on OpenTrain's own CLI. Reads (GET) are retried on 502/503/504,
// network errors and 429; writes only when the request provably never reached the server, because a write whose
// response was lost may already have happened (POST /messages has no idempotency key).

export interface RetryOptions {
  /** Total HTTP attempts for a request (first try included). Default 3. */
  attempts?: number;
  /** Backoff before retry n is baseDelayMs · 2^(n−1): 500 ms, then 1 s. Default 500. */
  baseDelayMs?: number;
  /** A 429 asking to wait longer than this is thrown to the caller instead of waited out. Default 60 000. */
  maxRetryAfterMs?: number;
}

export interface RequestAttemptInfo {
  method: HttpMethod;
  /** Path without query string, e.g. `/jobs/abc/proposals`. */
  path: string;
  /** 1-based attempt number. */
  attempt: number;
}

export interface OpenTrainHttpOptions {
  /** API base URL, e.g. `https://app.opentrain.ai/api/public/v1`. */
  baseUrl: string;
  /** `ot_pat_…` personal API token; sent as a bearer, never logged. */
  token: string;
  /** Per-attempt timeout. Default 30 000. */
  timeoutMs?: number;
  retry?: RetryOptions;
  logger?: Logger;
  /** Called once per HTTP attempt (benchmarks and tests count calls with it). */
  onRequest?: (info: RequestAttemptInfo) => void;
  /** Injectable wait used between retries. */
  sleep?: (ms: number) => Promise<void>;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type QueryValue = string | number | boolean | null | undefined;

export interface HttpRequest {
  method: HttpMethod;
  /** Path below the base URL, with segments already URL-encoded. */
  path: string;
  /** Undefined and null values are left out. */
  query?: Record<string, QueryValue>;
  /** Serialised as JSON when present. */
  body?: unknown;
  /** Feature flag the endpoint needs; explains a 403 that names nothing else. */
  feature?: string;
}

export interface HttpResponse {
  status: number;
  /** Parsed JSON body; null for an empty body. */
  data: unknown;
  requestId: string | null;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_RETRY: Required<RetryOptions> = { attempts: 3, baseDelayMs: 500, maxRetryAfterMs: 60_000 };

/** Connection-level failures that mean the request was never sent, so even a write may be retried. */
const NEVER_REACHED_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);
const RETRYABLE_READ_STATUSES = new Set([502, 503, 504]);

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The first `code` found on an error's cause chain (undici wraps socket errors, sometimes in an AggregateError). */
function networkCodeOf(err: unknown, depth = 0): string | null {
  if (!err || typeof err !== 'object' || depth > 5) return null;
  const { code, cause, errors } = err as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string') return code;
  if (Array.isArray(errors)) {
    for (const inner of errors) {
      const found = networkCodeOf(inner, depth + 1);
      if (found) return found;
    }
  }
  return networkCodeOf(cause, depth + 1);
}

/** `Retry-After` is either delta-seconds or an HTTP date. */
function parseRetryAfterHeader(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - now) / 1000));
}

const NOT_JSON = Symbol('not-json');

function parseBody(text: string): unknown {
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export class OpenTrainHttp {
  private readonly baseUrl: string;
  private readonly token: string;
  private readonly timeoutMs: number;
  private readonly retry: Required<RetryOptions>;
  private readonly logger: Logger;
  private readonly onRequest: ((info: RequestAttemptInfo) => void) | undefined;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(options: OpenTrainHttpOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.token = options.token;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.retry = {
      attempts: Math.max(1, options.retry?.attempts ?? DEFAULT_RETRY.attempts),
      baseDelayMs: options.retry?.baseDelayMs ?? DEFAULT_RETRY.baseDelayMs,
      maxRetryAfterMs: options.retry?.maxRetryAfterMs ?? DEFAULT_RETRY.maxRetryAfterMs,
    };
    this.logger = options.logger ?? silentLogger;
    this.onRequest = options.onRequest;
    this.sleep = options.sleep ?? defaultSleep;
  }

  buildUrl(path: string, query?: Record<string, QueryValue>): string {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value === undefined || value === null) continue;
      params.append(key, String(value));
    }
    const search = params.toString();
    return `${this.baseUrl}${path.startsWith('/') ? path : `/${path}`}${search ? `?${search}` : ''}`;
  }

  async request(req: HttpRequest): Promise<HttpResponse> {
    const isRead = req.method === 'GET';
    const url = this.buildUrl(req.path, req.query);
    const headers: Record<string, string> = {
      Authorization: `Bearer ${this.token}`,
      Accept: 'application/json',
    };
    let body: string | undefined;
    if (req.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(req.body);
    }

    for (let attempt = 1; ; attempt++) {
      const attemptsLeft = attempt < this.retry.attempts;
      this.onRequest?.({ method: req.method, path: req.path, attempt });

      let response: Response;
      let text: string;
      const signal = AbortSignal.timeout(this.timeoutMs);
      try {
        response = await fetch(url, { method: req.method, headers, body, signal });
        text = await response.text();
      } catch (err) {
        const error = this.transportError(err, req, signal.aborted);
        // Timeouts are not retried: the server may still be working on it (and for reads, retrying triples the wait).
        const retry = attemptsLeft && error.code === 'NETWORK_ERROR' && (isRead || !error.reachedServer);
        this.logFailure(req, error, attempt, retry);
        if (!retry) throw error;
        await this.sleep(this.backoffMs(attempt));
        continue;
      }

      const headerRequestId = response.headers.get('x-request-id');
      const data = parseBody(text);
      if (response.ok) {
        if (data === NOT_JSON) {
          const error = new OpenTrainError({
            status: response.status,
            code: 'INVALID_RESPONSE',
            message: `${req.method} ${req.path} answered ${response.status} with a body that is not JSON`,
            requestId: headerRequestId,
            method: req.method,
            path: req.path,
          });
          this.logFailure(req, error, attempt, false);
          throw error;
        }
        return { status: response.status, data, requestId: headerRequestId };
      }

      const error = this.httpError(response, data, headerRequestId, req);
      let waitMs: number | null = null;
      if (isRead && attemptsLeft) {
        if (RETRYABLE_READ_STATUSES.has(response.status)) waitMs = this.backoffMs(attempt);
        else if (response.status === 429) {
          const seconds = error.retryAfterSeconds;
          const wanted = seconds !== null ? seconds * 1000 : this.backoffMs(attempt);
          // A long wait is the caller's decision (e.g. tell the reviewer), not something to block on silently.
          if (wanted <= this.retry.maxRetryAfterMs) waitMs = wanted;
        }
      }
      this.logFailure(req, error, attempt, waitMs !== null);
      if (waitMs === null) throw error;
      await this.sleep(waitMs);
    }
  }

  private backoffMs(attempt: number): number {
    return this.retry.baseDelayMs * 2 ** (attempt - 1);
  }

  private transportError(err: unknown, req: HttpRequest, timedOut: boolean): OpenTrainError {
    const name = (err as { name?: unknown } | null)?.name;
    if (timedOut || name === 'TimeoutError' || name === 'AbortError') {
      return new OpenTrainError({
        status: 0,
        code: 'TIMEOUT',
        message: `${req.method} ${req.path} timed out after ${this.timeoutMs} ms`,
        timeoutMs: this.timeoutMs,
        // Unknown whether the server got it: assume it did, so writes are not repeated.
        reachedServer: true,
        method: req.method,
        path: req.path,
        cause: err,
      });
    }
    const networkCode = networkCodeOf(err);
    const neverReached = networkCode !== null && NEVER_REACHED_CODES.has(networkCode);
    return new OpenTrainError({
      status: 0,
      code: 'NETWORK_ERROR',
      message: `${req.method} ${req.path} failed before a response arrived (${networkCode ?? 'unknown network error'})`,
      details: networkCode ? { networkCode } : {},
      reachedServer: !neverReached,
      method: req.method,
      path: req.path,
      cause: err,
    });
  }

  private httpError(response: Response, data: unknown, headerRequestId: string | null, req: HttpRequest) {
    const envelope = errorEnvelopeSchema.safeParse(data);
    const retryAfterHeaderSeconds = parseRetryAfterHeader(response.headers.get('retry-after'));
    const common = {
      status: response.status,
      retryAfterHeaderSeconds,
      endpointFeature: req.feature ?? null,
      method: req.method,
      path: req.path,
    };
    if (envelope.success) {
      return new OpenTrainError({
        ...common,
        code: envelope.data.code,
        message: envelope.data.error,
        requestId: envelope.data.requestId ?? headerRequestId,
        details: envelope.data.details ?? {},
      });
    }
    // Not an envelope (e.g. the 404 `{id, status:"closed"}` body, an HTML proxy page, or an empty body): keep
    // whatever is usable and fall back to the status.
    const loose = isRecord(data) ? data : {};
    return new OpenTrainError({
      ...common,
      code: typeof loose.code === 'string' ? loose.code : codeForStatus(response.status),
      message: typeof loose.error === 'string' ? loose.error : `HTTP ${response.status}`,
      requestId: typeof loose.requestId === 'string' ? loose.requestId : headerRequestId,
      details: isRecord(loose.details) ? loose.details : {},
    });
  }

  private logFailure(req: HttpRequest, error: OpenTrainError, attempt: number, retrying: boolean): void {
    // Only the method, path (no query) and error facts: never headers, bodies or the token.
    this.logger.warn('OpenTrain request failed', {
      method: req.method,
      path: req.path,
      status: error.status,
      code: error.code,
      reason: error.reason,
      requestId: error.requestId,
      attempt,
      retrying,
    });
  }
}
