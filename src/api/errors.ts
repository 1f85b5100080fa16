import { HIRE_CONFLICT_REASONS } from '../hiring.js';
import { type Logger, redact } from '../logger.js';
import { own } from '../records.js';

// Over ~300 lines on purpose: most of it is the registry of documented error codes and their sentences, kept whole.
// One error class for everything that can go wrong talking to OpenTrain. It carries what callers branch on
// (status, code, details.reason, retry time, claim link…) and a one-sentence `userMessage` a hiring reviewer
// understands, with the next step. Technical detail stays in `message` (for logs), never in `userMessage`.

export type OpenTrainErrorCode =
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'INTERNAL_ERROR'
  | 'NETWORK_ERROR'
  | 'TIMEOUT'
  | 'INVALID_RESPONSE'
  | (string & {});

export interface OpenTrainErrorInit {
  /** HTTP status; 0 when no response arrived (network error, timeout). */
  status: number;
  code: OpenTrainErrorCode;
  /** Technical message for logs (the envelope's `error` text, or what failed). */
  message: string;
  requestId?: string | null;
  details?: Record<string, unknown> | null;
  /** Seconds from a `Retry-After` header, when one came with the response. */
  retryAfterHeaderSeconds?: number | null;
  /** False only when the request certainly never reached the server (connection refused, DNS failure). */
  reachedServer?: boolean;
  /** The feature flag the calling endpoint needs; explains a bare 403. */
  endpointFeature?: string | null;
  /** The timeout in force, for TIMEOUT errors. */
  timeoutMs?: number | null;
  method?: string | null;
  path?: string | null;
  cause?: unknown;
}

const STATUS_CODES: Record<number, OpenTrainErrorCode> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  429: 'RATE_LIMITED',
  500: 'INTERNAL_ERROR',
};

/** The envelope code OpenTrain uses for a status, for bodies that carry no envelope. */
export function codeForStatus(status: number): OpenTrainErrorCode {
  return STATUS_CODES[status] ?? (status >= 500 ? 'INTERNAL_ERROR' : `HTTP_${status}`);
}

const FEATURE_NAMES: Record<string, string> = {
  public_api_hiring: 'hiring',
  public_api_messaging_writes: 'messaging',
  public_api_job_drafting: 'job drafting',
  public_api_job_publishing: 'job publishing',
  public_api_team: 'team',
  public_api_payments_write: 'payments',
  public_api_credits: 'credits',
  public_api_webhooks: 'webhooks',
};

function stringOf(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

function stringsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === 'string') : [];
}

function quoteRequestId(requestId: string | null): string {
  return requestId ? ` (request ID ${requestId})` : '';
}

function plural(count: number, one: string, many: string): string {
  return count === 1 ? one : many;
}

const employerFirstMessage =
  'On OpenTrain the employer has to send the first message in this conversation; open it from the proposal and write first.';

export class OpenTrainError extends Error {
  override readonly name = 'OpenTrainError';
  readonly status: number;
  readonly code: OpenTrainErrorCode;
  readonly requestId: string | null;
  readonly details: Record<string, unknown>;
  readonly reachedServer: boolean;
  readonly timeoutMs: number | null;
  readonly method: string | null;
  readonly path: string | null;
  private readonly retryAfterHeaderSeconds: number | null;
  private readonly endpointFeature: string | null;

  constructor(init: OpenTrainErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status;
    this.code = init.code;
    this.requestId = init.requestId ?? null;
    this.details = init.details ?? {};
    this.reachedServer = init.reachedServer ?? true;
    this.timeoutMs = init.timeoutMs ?? null;
    this.method = init.method ?? null;
    this.path = init.path ?? null;
    this.retryAfterHeaderSeconds = init.retryAfterHeaderSeconds ?? null;
    this.endpointFeature = init.endpointFeature ?? null;
  }

  /** `details.reason`, e.g. `account_claim_required`, `job_not_published`. */
  get reason(): string | null {
    return stringOf(this.details.reason);
  }

  get claimUrl(): string | null {
    return stringOf(this.details.claimUrl);
  }

  /** Human phrase naming the claim-gated action, e.g. "hire AI trainers". */
  get action(): string | null {
    return stringOf(this.details.action);
  }

  get billingUrl(): string | null {
    return stringOf(this.details.billingUrl);
  }

  /** `details.retryAfterSeconds`, else the `Retry-After` header, else null. */
  get retryAfterSeconds(): number | null {
    const fromDetails = this.details.retryAfterSeconds;
    if (typeof fromDetails === 'number' && Number.isFinite(fromDetails) && fromDetails >= 0) return fromDetails;
    return this.retryAfterHeaderSeconds;
  }

  get supportedStatuses(): string[] {
    return stringsOf(this.details.supportedStatuses);
  }

  get requiredScopes(): string[] {
    return stringsOf(this.details.requiredScopes);
  }

  get grantedScopes(): string[] {
    return stringsOf(this.details.grantedScopes);
  }

  /**
   * The feature flag that is off: `details.featureKey`, else — for a 403 that names neither a reason nor missing
   * scopes — the feature the calling endpoint needs (the docs leave that 403's details undocumented).
   */
  get featureKey(): string | null {
    const fromDetails = stringOf(this.details.featureKey);
    if (fromDetails) return fromDetails;
    if (this.status === 403 && !this.reason && this.requiredScopes.length === 0) return this.endpointFeature;
    return null;
  }

  /** Content policy named by a `message_policy_blocked` 403. */
  get policy(): string | null {
    return stringOf(this.details.policy);
  }

  /** Which lookup failed on a 404 (`freelancers`, `approvals`, …). */
  get resource(): string | null {
    return stringOf(this.details.resource);
  }

  /** Validation issues from a 400 (zod issue objects as OpenTrain sends them). */
  get issues(): unknown[] {
    return Array.isArray(this.details.issues) ? this.details.issues : [];
  }

  /** One sentence (two at most when a link is the next step) for a hiring reviewer. Never a stack or a token. */
  get userMessage(): string {
    return redact(this.composeUserMessage());
  }

  static is(err: unknown): err is OpenTrainError {
    return err instanceof OpenTrainError;
  }

  /** True when `err` is an OpenTrainError whose `details.reason` is `reason`. */
  static isReason(err: unknown, reason: string): err is OpenTrainError {
    return err instanceof OpenTrainError && err.reason === reason;
  }

  /** True when `err` is an OpenTrainError with this HTTP status. */
  static isStatus(err: unknown, status: number): err is OpenTrainError {
    return err instanceof OpenTrainError && err.status === status;
  }

  /** True when `err` is an OpenTrainError with this code (envelope code or NETWORK_ERROR/TIMEOUT/INVALID_RESPONSE). */
  static isCode(err: unknown, code: OpenTrainErrorCode): err is OpenTrainError {
    return err instanceof OpenTrainError && err.code === code;
  }

  private serverText(): string | null {
    const text = this.message.trim();
    return text && !text.startsWith('HTTP ') ? text.replace(/[.\s]+$/, '') : null;
  }

  private composeUserMessage(): string {
    switch (this.code) {
      case 'NETWORK_ERROR':
        return "Couldn't reach OpenTrain; check the network connection and try again in a moment.";
      case 'TIMEOUT': {
        const seconds = this.timeoutMs !== null ? Math.max(1, Math.round(this.timeoutMs / 1000)) : null;
        return seconds !== null
          ? `OpenTrain didn't answer within ${seconds} ${plural(seconds, 'second', 'seconds')}; try again in a moment.`
          : "OpenTrain didn't answer in time; try again in a moment.";
      }
      case 'INVALID_RESPONSE':
        return this.requestId
          ? `OpenTrain sent an unexpected answer; try again, and if it keeps happening quote request ID ${this.requestId} to OpenTrain support.`
          : 'OpenTrain sent an unexpected answer; try again, and report it to OpenTrain support if it keeps happening.';
    }
    const status = this.status;
    if (status === 400) return this.badRequestMessage();
    if (status === 401)
      return "OpenTrain rejected the bot's API token; check OT_API_TOKEN (it may be expired or revoked).";
    if (status === 403) return this.forbiddenMessage();
    if (status === 404) return this.notFoundMessage();
    if (status === 409) return this.conflictMessage();
    if (status === 429) {
      const seconds = this.retryAfterSeconds;
      return seconds !== null
        ? `OpenTrain is rate limiting; try again in ${Math.ceil(seconds)} ${plural(Math.ceil(seconds), 'second', 'seconds')}.`
        : 'OpenTrain is rate limiting; try again in a minute.';
    }
    if (status >= 500) {
      return `OpenTrain is having trouble right now${quoteRequestId(this.requestId)}; try again shortly.`;
    }
    return `OpenTrain returned an unexpected error (HTTP ${status})${quoteRequestId(this.requestId)}; try again shortly.`;
  }

  private badRequestMessage(): string {
    const supported = this.supportedStatuses;
    if (supported.length > 0) return `OpenTrain doesn't accept that status; use one of ${supported.join(', ')}.`;
    const firstIssue = this.issues[0];
    if (firstIssue && typeof firstIssue === 'object') {
      const issue = firstIssue as { path?: unknown; message?: unknown };
      const field = Array.isArray(issue.path) ? issue.path.join('.') : '';
      const problem = typeof issue.message === 'string' ? issue.message : 'is invalid';
      return `OpenTrain rejected the request (${field ? `${field}: ` : ''}${problem}); fix it and try again.`;
    }
    const field = stringOf(this.details.field);
    if (field) return `OpenTrain rejected the value of "${field}"; fix it and try again.`;
    const text = this.serverText();
    return `OpenTrain rejected the request${text ? ` (${text})` : ''}; check the input and try again.`;
  }

  private forbiddenMessage(): string {
    const reason = this.reason;
    if (reason === 'account_claim_required') {
      const claim = this.claimUrl ? `Claim it at ${this.claimUrl}.` : 'Claim it in the OpenTrain app.';
      return `A human must claim this OpenTrain account before the bot can ${this.action ?? 'do this'}. ${claim}`;
    }
    if (reason === 'message_policy_blocked') {
      const policy = this.policy ? `its ${this.policy} policy` : 'its content policy';
      return `OpenTrain blocked this message under ${policy}; remove contact details and off-platform links, then send it again.`;
    }
    if (reason === 'employer_first_message_required') return employerFirstMessage;
    if (reason === 'teams_not_enabled') return "OpenTrain's team feature isn't enabled for this account.";
    if (reason === 'moderation_blocked') {
      return "OpenTrain's moderation blocked this change; edit the job in the OpenTrain app and try again.";
    }
    const required = this.requiredScopes;
    if (required.length > 0) {
      return `The bot's OpenTrain token is missing the ${required.join(', ')} ${plural(
        required.length,
        'scope',
        'scopes',
      )}; create a token that includes ${plural(required.length, 'it', 'them')} and update OT_API_TOKEN.`;
    }
    const feature = this.featureKey;
    if (feature) {
      const name = own(FEATURE_NAMES, feature);
      const sentence = name
        ? `OpenTrain's ${name} feature (${feature}) isn't enabled for this account.`
        : `OpenTrain's ${feature} feature isn't enabled for this account.`;
      return `${sentence} Ask OpenTrain to turn it on.`;
    }
    return "OpenTrain refused this request; check that the job belongs to this account and the bot's token has the needed scopes.";
  }

  private notFoundMessage(): string {
    const resource = this.resource;
    if (resource === 'freelancers') return "That profile doesn't exist or isn't visible to you.";
    if (resource === 'approvals') return "That approval doesn't exist or isn't visible to this account.";
    if (stringOf(this.details.proposalId)) return 'No AI interview was recorded for this proposal.';
    return "OpenTrain couldn't find that item; it may have been removed or belong to another account.";
  }

  private conflictMessage(): string {
    switch (this.reason) {
      case 'job_not_published':
        return "That job isn't published on OpenTrain, so nobody can be invited yet; publish it first.";
      case 'not_a_freelancer':
        return "That person isn't an OpenTrain freelancer, so they can't be invited to a job.";
      case 'freelancer_unavailable':
        return "That freelancer isn't available for invitations right now; try someone else or ask again later.";
      case 'proposal_not_ready_for_messaging':
        return "OpenTrain can't open a conversation for this proposal yet; try again later or message them in the OpenTrain app.";
      case 'read_only_conversation':
        return 'This OpenTrain conversation is read-only, so no new messages can be sent to it.';
      case 'message_blocked':
        return 'OpenTrain blocked messages in this conversation; continue in the OpenTrain app if needed.';
      case 'employer_first_message_required':
        return employerFirstMessage;
      case 'payment_method_required': {
        const where = this.billingUrl ? `at ${this.billingUrl}` : "in OpenTrain's billing settings";
        return `OpenTrain needs a payment method or enough credits before hiring; a human can add one ${where}.`;
      }
      case 'contract_ended':
        return 'That OpenTrain contract has already ended.';
      case HIRE_CONFLICT_REASONS.alreadyHired:
        return 'OpenTrain says this proposal is already hired, so there is nothing to approve; the contract is in the OpenTrain app.';
      case HIRE_CONFLICT_REASONS.notAFit:
        return 'This proposal is marked Not a fit on OpenTrain; confirm that you want to hire them anyway.';
    }
    const text = this.serverText();
    return `OpenTrain reported a conflict${text ? ` (${text})` : ''}; refresh and try again.`;
  }
}

/** The reviewer-facing sentence for any error: OpenTrainError's userMessage, else a generic sentence. */
/** The request may have been carried out although no usable answer came back (lost answer, timeout, 5xx). */
export function outcomeUnknown(error: unknown): boolean {
  if (!(error instanceof OpenTrainError)) return false;
  if (error.status === 0) return error.reachedServer;
  if (error.code === 'INVALID_RESPONSE') return true;
  return error.status >= 500;
}

export function describeError(err: unknown): string {
  if (err instanceof OpenTrainError) return err.userMessage;
  return 'Something went wrong while talking to OpenTrain; please try again.';
}

/**
 * Log fields for an OpenTrain failure (its `requestId`, code, status and `details.reason`), so every line about one
 * can be found by the request ID OpenTrain support asks for. Empty for other errors.
 */
export function errorLogFields(err: unknown): { requestId?: string; code?: string; status?: number; reason?: string } {
  if (!(err instanceof OpenTrainError)) return {};
  const { requestId, reason } = err;
  return { ...(requestId ? { requestId } : {}), code: err.code, status: err.status, ...(reason ? { reason } : {}) };
}

/**
 * The one way to log a failed OpenTrain call: an answer from OpenTrain (404, 403, 429, 5xx…) at `level`, as
 * "what: the error's text" with errorLogFields; anything else is a bug, logged as an error with its stack.
 */
export function logOpenTrainFailure(
  logger: Logger,
  what: string,
  error: unknown,
  level: 'debug' | 'warn' | 'error' = 'warn',
): void {
  if (error instanceof OpenTrainError) logger[level](`${what}: ${error.message}`, errorLogFields(error));
  else logger.error(what, error);
}
