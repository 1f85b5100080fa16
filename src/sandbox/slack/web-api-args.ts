// The Web API's plumbing, shared by the stand-in's methods: Slack's error answers, argument parsing (form or JSON
// bodies with JSON-string fields), opaque cursors and page limits.

import type { IncomingMessage } from 'node:http';
import { type BlockSurface, findBlockProblems } from './block-rules.js';
import { tsToMicros } from './wire.js';

export class SlackApiError extends Error {
  constructor(
    readonly code: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(code);
  }
}

export type Args = Record<string, unknown>;
export type MethodHandler = (args: Args) => Record<string, unknown>;

// Fields the WebClient JSON-encodes inside form bodies.
const JSON_STRING_FIELDS = ['blocks', 'attachments', 'metadata', 'view'] as const;
const DEFAULT_PAGE_LIMIT = 100;
const MAX_PAGE_LIMIT = 999;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function optionalString(args: Args, key: string): string | undefined {
  const value = args[key];
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : String(value);
}

export function requiredString(args: Args, key: string, errorCode: string): string {
  const value = optionalString(args, key);
  if (value === undefined || value === '') throw new SlackApiError(errorCode);
  return value;
}

export function flag(args: Args, key: string): boolean {
  const value = args[key];
  return value === true || value === 'true' || value === '1' || value === 1;
}

export function pageLimit(args: Args): number {
  const raw = Number(optionalString(args, 'limit') ?? DEFAULT_PAGE_LIMIT);
  if (!Number.isFinite(raw) || raw <= 0) return DEFAULT_PAGE_LIMIT;
  return Math.min(Math.floor(raw), MAX_PAGE_LIMIT);
}

// Slack's cursors are opaque base64; ours encode the ts the next page starts at, so paging survives new posts.
export function encodeCursor(ts: string): string {
  return Buffer.from(`next_ts:${ts}`).toString('base64');
}

export function decodeCursor(cursor: string): number {
  const decoded = Buffer.from(cursor, 'base64').toString('utf8');
  const micros = decoded.startsWith('next_ts:') ? tsToMicros(decoded.slice('next_ts:'.length)) : undefined;
  if (micros === undefined) throw new SlackApiError('invalid_cursor');
  return micros;
}

export function withoutUndefined<T extends object>(value: T): T {
  for (const [key, field] of Object.entries(value)) if (field === undefined) Reflect.deleteProperty(value, key);
  return value;
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function parseArgs(contentType: string, rawBody: string, query: URLSearchParams): Args {
  const args: Args = {};
  for (const [key, value] of query) args[key] = value;
  if (rawBody.trim() !== '') {
    if (contentType.startsWith('application/json')) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(rawBody);
      } catch {
        throw new SlackApiError('invalid_json');
      }
      if (!isRecord(parsed)) throw new SlackApiError('json_not_object');
      Object.assign(args, parsed);
    } else {
      for (const [key, value] of new URLSearchParams(rawBody)) args[key] = value;
    }
  }
  for (const field of JSON_STRING_FIELDS) {
    const value = args[field];
    if (typeof value !== 'string') continue;
    try {
      args[field] = JSON.parse(value);
    } catch {
      // Left as a string: the method reports it as malformed, like Slack does.
    }
  }
  return args;
}

/** Slack's invalid_blocks answer, naming each problem by its JSON pointer. */
export function assertValidBlocks(blocks: unknown[], surface: BlockSurface, pointer: string): void {
  const problems = findBlockProblems(blocks, surface, pointer);
  if (problems.length > 0) {
    throw new SlackApiError('invalid_blocks', { errors: problems, response_metadata: { messages: problems } });
  }
}
