import { randomUUID } from 'node:crypto';

/** Error codes of the public API envelope (docs/opentrain.md#error-envelope). */
export type ErrorCode =
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'INTERNAL_ERROR';

export function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 400:
      return 'BAD_REQUEST';
    case 401:
      return 'UNAUTHORIZED';
    case 403:
      return 'FORBIDDEN';
    case 404:
      return 'NOT_FOUND';
    case 409:
      return 'CONFLICT';
    case 429:
      return 'RATE_LIMITED';
    default:
      // The documented enum has no dedicated code for other 4xx; 5xx map to INTERNAL_ERROR [assumed].
      return status >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST';
  }
}

/**
 * An API failure that becomes the documented `{error, code, requestId, details}` envelope. Sandbox knobs throw it too,
 * so programmatic callers get a descriptive Error and the HTTP knobs can reuse the envelope.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get code(): ErrorCode {
    return codeForStatus(this.status);
  }
}

export function newRequestId(): string {
  return `req_${randomUUID()}`;
}

export function errorEnvelope(error: ApiError, requestId: string): Record<string, unknown> {
  const body: Record<string, unknown> = { error: error.message, code: error.code, requestId };
  if (error.details !== undefined) body.details = error.details;
  return body;
}

export const badRequest = (message: string, details?: Record<string, unknown>) => new ApiError(400, message, details);
export const forbidden = (message: string, details?: Record<string, unknown>) => new ApiError(403, message, details);
export const notFound = (message: string, details?: Record<string, unknown>) => new ApiError(404, message, details);
export const conflict = (message: string, reason: string, extra: Record<string, unknown> = {}) =>
  new ApiError(409, message, { reason, ...extra });

/** A zod-like issue list for 400 `details.issues` (the docs say "zod details"). */
export interface ValidationIssue {
  code: string;
  path: (string | number)[];
  message: string;
  [key: string]: unknown;
}

export const invalidBody = (issues: ValidationIssue[]) => badRequest('Invalid request body', { issues });
