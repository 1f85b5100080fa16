import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { LogLevel } from '@slack/bolt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OpenTrainClient } from '../../src/api/client.js';
import { describeError, OpenTrainError } from '../../src/api/errors.js';
import { OpenTrainHttp, type OpenTrainHttpOptions, type RequestAttemptInfo } from '../../src/api/http.js';
import { createLogger } from '../../src/logger.js';

// A deliberately plain token: it matches none of the logger's redaction patterns, so if the client ever logged
// it, it would show up verbatim in the captured lines.
const TOKEN = 'plain-secret-token-7f3a9';
const API_PATH = '/api/public/v1';

interface SeenRequest {
  method: string;
  url: string;
  authorization: string | undefined;
  contentType: string | undefined;
  body: string;
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, seen: SeenRequest) => void;

let handler: Handler = (_req, res) => json(res, 200, {});
let seen: SeenRequest[] = [];
const servers: http.Server[] = [];
let baseUrl = '';

function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function envelope(code: string, error: string, requestId: string | null, details?: Record<string, unknown>) {
  return { error, code, requestId, ...(details ? { details } : {}) };
}

function createServer(): http.Server {
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    req.on('end', () => {
      const record: SeenRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        authorization: req.headers.authorization,
        contentType: req.headers['content-type'],
        body,
      };
      seen.push(record);
      handler(req, res, record);
    });
  });
  servers.push(server);
  return server;
}

function listen(server: http.Server, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function close(server: http.Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** A port that was just in use and is now closed, so connecting to it is refused. */
async function refusedPort(): Promise<number> {
  const probe = http.createServer();
  const port = await listen(probe);
  await close(probe);
  return port;
}

interface Harness {
  sleeps: number[];
  attempts: RequestAttemptInfo[];
  lines: string[];
  options: OpenTrainHttpOptions;
}

function harness(overrides: Partial<OpenTrainHttpOptions> = {}): Harness {
  const sleeps: number[] = [];
  const attempts: RequestAttemptInfo[] = [];
  const lines: string[] = [];
  return {
    sleeps,
    attempts,
    lines,
    options: {
      baseUrl,
      token: TOKEN,
      logger: createLogger(LogLevel.DEBUG, (line) => lines.push(line)),
      onRequest: (info) => attempts.push(info),
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      ...overrides,
    },
  };
}

async function caught(promise: Promise<unknown>): Promise<OpenTrainError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof OpenTrainError) return err;
    throw err;
  }
  throw new Error('expected the request to fail');
}

beforeAll(async () => {
  const port = await listen(createServer());
  baseUrl = `http://127.0.0.1:${port}${API_PATH}`;
});

afterAll(async () => {
  await Promise.all(servers.filter((server) => server.listening).map(close));
});

beforeEach(() => {
  seen = [];
  handler = (_req, res) => json(res, 200, {});
});

describe('GET retries', () => {
  it('retries 503 with 500 ms then 1 s backoff and returns the eventual success', async () => {
    handler = (_req, res) =>
      seen.length < 3 ? json(res, 503, envelope('INTERNAL_ERROR', 'busy', 'r-503')) : json(res, 200, { ok: true });
    const h = harness();
    const response = await new OpenTrainHttp(h.options).request({ method: 'GET', path: '/auth/me' });
    expect(response).toEqual({ status: 200, data: { ok: true }, requestId: null });
    expect(seen).toHaveLength(3);
    expect(h.attempts.map((info) => info.attempt)).toEqual([1, 2, 3]);
    expect(h.sleeps).toEqual([500, 1000]);
  });

  it('gives up after 3 attempts and reports the last failure', async () => {
    handler = (_req, res) => json(res, 502, envelope('INTERNAL_ERROR', 'bad gateway', 'r-502'));
    const h = harness();
    const error = await caught(new OpenTrainHttp(h.options).request({ method: 'GET', path: '/auth/me' }));
    expect(seen).toHaveLength(3);
    expect(h.sleeps).toEqual([500, 1000]);
    expect(error.status).toBe(502);
    expect(error.requestId).toBe('r-502');
    expect(error.userMessage).toBe('OpenTrain is having trouble right now (request ID r-502); try again shortly.');
  });

  it('does not retry a plain 500 or a 4xx', async () => {
    handler = (_req, res) => json(res, 500, envelope('INTERNAL_ERROR', 'boom', 'r-500'));
    const h = harness();
    await caught(new OpenTrainHttp(h.options).request({ method: 'GET', path: '/auth/me' }));
    expect(seen).toHaveLength(1);

    handler = (_req, res) => json(res, 404, envelope('NOT_FOUND', 'nope', 'r-404'));
    await caught(new OpenTrainHttp(h.options).request({ method: 'GET', path: '/auth/me' }));
    expect(seen).toHaveLength(2);
    expect(h.sleeps).toEqual([]);
  });

  it('retries a GET whose connection was dropped', async () => {
    handler = (req, res) => (seen.length === 1 ? req.socket.destroy() : json(res, 200, { ok: 1 }));
    const h = harness();
    const response = await new OpenTrainHttp(h.options).request({ method: 'GET', path: '/auth/me' });
    expect(response.data).toEqual({ ok: 1 });
    expect(h.attempts).toHaveLength(2);
  });
});

describe('429 handling', () => {
  it('waits details.retryAfterSeconds (over the Retry-After header) before retrying a GET', async () => {
    handler = (_req, res) =>
      seen.length === 1
        ? json(res, 429, envelope('RATE_LIMITED', 'slow down', 'r-429', { retryAfterSeconds: 7 }), {
            'retry-after': '3',
          })
        : json(res, 200, { ok: true });
    const h = harness();
    await new OpenTrainHttp(h.options).request({ method: 'GET', path: '/updates' });
    expect(h.sleeps).toEqual([7000]);
    expect(seen).toHaveLength(2);
  });

  it('falls back to the Retry-After header, then to backoff', async () => {
    handler = (_req, res) => {
      if (seen.length === 1) json(res, 429, envelope('RATE_LIMITED', 'slow down', 'r-a'), { 'retry-after': '3' });
      else if (seen.length === 2) json(res, 429, { error: 'slow down' });
      else json(res, 200, { ok: true });
    };
    const h = harness();
    await new OpenTrainHttp(h.options).request({ method: 'GET', path: '/updates' });
    expect(h.sleeps).toEqual([3000, 1000]);
    expect(seen).toHaveLength(3);
  });

  it('throws instead of waiting longer than maxRetryAfterMs', async () => {
    handler = (_req, res) =>
      json(res, 429, envelope('RATE_LIMITED', 'slow down', 'r-long', { retryAfterSeconds: 120 }));
    const h = harness();
    const error = await caught(new OpenTrainHttp(h.options).request({ method: 'GET', path: '/updates' }));
    expect(seen).toHaveLength(1);
    expect(h.sleeps).toEqual([]);
    expect(error.retryAfterSeconds).toBe(120);
    expect(error.userMessage).toBe('OpenTrain is rate limiting; try again in 120 seconds.');
  });

  it('never retries a POST that was rate limited, but reports the wait', async () => {
    handler = (_req, res) =>
      json(res, 429, envelope('RATE_LIMITED', 'Messaging rate limit reached', 'r-msg', { retryAfterSeconds: 30 }));
    const h = harness();
    const client = new OpenTrainClient(h.options);
    const error = await caught(client.sendMessage('c1', 'hello'));
    expect(seen).toHaveLength(1);
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.userMessage).toBe('OpenTrain is rate limiting; try again in 30 seconds.');
  });
});

describe('POST retries', () => {
  it('does not retry after a 500', async () => {
    handler = (_req, res) => json(res, 500, envelope('INTERNAL_ERROR', 'boom', 'r-post-500'));
    const h = harness();
    const error = await caught(new OpenTrainClient(h.options).sendMessage('c1', 'hello'));
    expect(seen).toHaveLength(1);
    expect(h.attempts).toHaveLength(1);
    expect(error.status).toBe(500);
    expect(error.reachedServer).toBe(true);
  });

  it('does not retry after the connection was dropped mid-request', async () => {
    handler = (req) => req.socket.destroy();
    const h = harness();
    const error = await caught(new OpenTrainClient(h.options).sendMessage('c1', 'hello'));
    expect(seen).toHaveLength(1);
    expect(h.attempts).toHaveLength(1);
    expect(error.code).toBe('NETWORK_ERROR');
    expect(error.status).toBe(0);
    expect(error.reachedServer).toBe(true);
  });

  it('retries when the port refuses connections, and succeeds once a server is listening', async () => {
    const port = await refusedPort();
    const late = createServer();
    const h = harness({ baseUrl: `http://127.0.0.1:${port}${API_PATH}` });
    h.options.sleep = async (ms) => {
      h.sleeps.push(ms);
      if (!late.listening) await listen(late, port);
    };
    handler = (_req, res, request) =>
      request.url === `${API_PATH}/messages`
        ? json(res, 201, {
            ok: true,
            message: { id: 'm1', conversationId: 'c1', createdAt: '2026-06-12T09:15:00.000Z', content: 'hello' },
          })
        : json(res, 404, {});
    const message = await new OpenTrainClient(h.options).sendMessage('c1', 'hello');
    expect(message).toMatchObject({ id: 'm1', conversationId: 'c1', content: 'hello' });
    expect(h.attempts.map((info) => [info.method, info.path, info.attempt])).toEqual([
      ['POST', '/messages', 1],
      ['POST', '/messages', 2],
    ]);
    expect(seen).toHaveLength(1);
    expect(JSON.parse(seen[0]!.body)).toEqual({ conversationId: 'c1', content: 'hello' });
    await close(late);
  });

  it('gives up after 3 refused attempts with a NETWORK_ERROR that never reached the server', async () => {
    const port = await refusedPort();
    const h = harness({ baseUrl: `http://127.0.0.1:${port}${API_PATH}` });
    const error = await caught(new OpenTrainHttp(h.options).request({ method: 'POST', path: '/messages', body: {} }));
    expect(h.attempts).toHaveLength(3);
    expect(h.sleeps).toEqual([500, 1000]);
    expect(error.code).toBe('NETWORK_ERROR');
    expect(error.reachedServer).toBe(false);
    expect(error.userMessage).toBe("Couldn't reach OpenTrain; check the network connection and try again in a moment.");
  });
});

describe('timeouts', () => {
  it('turns a slow answer into a TIMEOUT error without retrying', async () => {
    handler = (_req, res) => {
      const timer = setTimeout(() => json(res, 200, { late: true }), 400);
      res.on('close', () => clearTimeout(timer));
    };
    const h = harness({ timeoutMs: 40 });
    const error = await caught(new OpenTrainHttp(h.options).request({ method: 'GET', path: '/auth/me' }));
    expect(error.code).toBe('TIMEOUT');
    expect(error.status).toBe(0);
    expect(h.attempts).toHaveLength(1);
    expect(error.userMessage).toBe("OpenTrain didn't answer within 1 second; try again in a moment.");
  });
});

describe('error envelope parsing', () => {
  it('exposes code, requestId and the claim details', async () => {
    handler = (_req, res) =>
      json(
        res,
        403,
        envelope('FORBIDDEN', 'A human must claim this agent account before it can hire AI trainers.', 'r-claim', {
          reason: 'account_claim_required',
          action: 'hire AI trainers',
          claimUrl: 'https://app.opentrain.ai/claim',
        }),
      );
    const error = await caught(new OpenTrainClient(harness().options).inviteToJob('j1', 'f1'));
    expect(error).toBeInstanceOf(OpenTrainError);
    expect(error.status).toBe(403);
    expect(error.code).toBe('FORBIDDEN');
    expect(error.requestId).toBe('r-claim');
    expect(error.reason).toBe('account_claim_required');
    expect(error.claimUrl).toBe('https://app.opentrain.ai/claim');
    expect(error.action).toBe('hire AI trainers');
    expect(error.featureKey).toBeNull();
    expect(OpenTrainError.isReason(error, 'account_claim_required')).toBe(true);
    expect(error.userMessage).toBe(
      'A human must claim this OpenTrain account before the bot can hire AI trainers. Claim it at https://app.opentrain.ai/claim.',
    );
  });

  it('reads supportedStatuses from a 400', async () => {
    handler = (_req, res) =>
      json(
        res,
        400,
        envelope('BAD_REQUEST', 'Invalid status', 'r-400', { supportedStatuses: ['UNREVIEWED', 'MAYBE'] }),
      );
    const error = await caught(new OpenTrainClient(harness().options).listProposals('j1', { status: 'nope' }));
    expect(error.supportedStatuses).toEqual(['UNREVIEWED', 'MAYBE']);
    expect(error.userMessage).toBe("OpenTrain doesn't accept that status; use one of UNREVIEWED, MAYBE.");
  });

  it('reads retryAfterSeconds from the header when details lack it', async () => {
    handler = (_req, res) => json(res, 429, envelope('RATE_LIMITED', 'slow', 'r-h'), { 'retry-after': '90' });
    const error = await caught(new OpenTrainClient(harness().options).sendMessage('c1', 'x'));
    expect(error.retryAfterSeconds).toBe(90);
  });

  it('tolerates non-envelope bodies, taking the request id from x-request-id', async () => {
    handler = (_req, res) => json(res, 404, { id: 'j1', status: 'closed' }, { 'x-request-id': 'hdr-1' });
    const error = await caught(new OpenTrainHttp(harness().options).request({ method: 'GET', path: '/jobs/j1' }));
    expect(error.status).toBe(404);
    expect(error.code).toBe('NOT_FOUND');
    expect(error.requestId).toBe('hdr-1');
    expect(error.details).toEqual({});

    handler = (_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html>Bad gateway</html>');
    };
    const htmlError = await caught(
      new OpenTrainHttp(harness({ retry: { attempts: 1 } }).options).request({ method: 'GET', path: '/auth/me' }),
    );
    expect(htmlError.status).toBe(502);
    expect(htmlError.code).toBe('INTERNAL_ERROR');
    expect(htmlError.userMessage).toBe('OpenTrain is having trouble right now; try again shortly.');
  });

  it('names the endpoint’s feature for a bare 403 on a hiring or messaging write', async () => {
    handler = (_req, res) => json(res, 403, envelope('FORBIDDEN', 'Forbidden', 'r-f'));
    const client = new OpenTrainClient(harness().options);
    const hiring = await caught(client.hire('p1', { name: 'Batch 1', amount: 300 }));
    expect(hiring.featureKey).toBe('public_api_hiring');
    expect(hiring.userMessage).toContain(
      "OpenTrain's hiring feature (public_api_hiring) isn't enabled for this account.",
    );
    const messaging = await caught(client.startConversation('p1'));
    expect(messaging.featureKey).toBe('public_api_messaging_writes');
    const read = await caught(client.getProposal('p1'));
    expect(read.featureKey).toBeNull();
  });

  it('turns a 2xx body of the wrong shape into INVALID_RESPONSE quoting the request id', async () => {
    handler = (_req, res) => json(res, 200, { proposal: { jobId: 'j1' } }, { 'x-request-id': 'r-bad' });
    const h = harness();
    const error = await caught(new OpenTrainClient(h.options).getProposal('p1'));
    expect(error.code).toBe('INVALID_RESPONSE');
    expect(error.requestId).toBe('r-bad');
    expect(error.userMessage).toContain('quote request ID r-bad');
    expect(h.lines.some((line) => line.includes('r-bad'))).toBe(true);
  });
});

describe('userMessage sentences', () => {
  const make = (status: number, code: string, details: Record<string, unknown> = {}, extra = {}) =>
    new OpenTrainError({ status, code, message: 'server text', requestId: 'r-1', details, ...extra });

  it.each([
    [
      make(401, 'UNAUTHORIZED'),
      "OpenTrain rejected the bot's API token; check OT_API_TOKEN (it may be expired or revoked).",
    ],
    [
      make(403, 'FORBIDDEN', { reason: 'account_claim_required' }),
      'A human must claim this OpenTrain account before the bot can do this. Claim it in the OpenTrain app.',
    ],
    [
      make(403, 'FORBIDDEN', { requiredScopes: ['messages:write'], grantedScopes: ['messages:read'] }),
      "The bot's OpenTrain token is missing the messages:write scope; create a token that includes it and update OT_API_TOKEN.",
    ],
    [
      make(403, 'FORBIDDEN', { featureKey: 'public_api_credits' }),
      "OpenTrain's credits feature (public_api_credits) isn't enabled for this account. Ask OpenTrain to turn it on.",
    ],
    [
      make(403, 'FORBIDDEN', { reason: 'message_policy_blocked', policy: 'contact_info' }),
      'OpenTrain blocked this message under its contact_info policy; remove contact details and off-platform links, then send it again.',
    ],
    [
      make(404, 'NOT_FOUND', { resource: 'freelancers', idOrSlug: 'x' }),
      "That profile doesn't exist or isn't visible to you.",
    ],
    [make(404, 'NOT_FOUND', { proposalId: 'p1' }), 'No AI interview was recorded for this proposal.'],
    [
      make(404, 'NOT_FOUND'),
      "OpenTrain couldn't find that item; it may have been removed or belong to another account.",
    ],
    [
      make(409, 'CONFLICT', { reason: 'job_not_published' }),
      "That job isn't published on OpenTrain, so nobody can be invited yet; publish it first.",
    ],
    [
      make(409, 'CONFLICT', { reason: 'read_only_conversation' }),
      'This OpenTrain conversation is read-only, so no new messages can be sent to it.',
    ],
    [
      make(409, 'CONFLICT', { reason: 'payment_method_required', billingUrl: 'https://app.opentrain.ai/billing' }),
      'OpenTrain needs a payment method or enough credits before hiring; a human can add one at https://app.opentrain.ai/billing.',
    ],
    [
      make(429, 'RATE_LIMITED', {}, { retryAfterHeaderSeconds: 1 }),
      'OpenTrain is rate limiting; try again in 1 second.',
    ],
  ])('%#: %s', (error, expected) => {
    expect(error.userMessage).toBe(expected);
  });

  it('covers the remaining 403/409 reasons with a sentence each', () => {
    const reasons: [number, string][] = [
      [403, 'employer_first_message_required'],
      [409, 'employer_first_message_required'],
      [409, 'not_a_freelancer'],
      [409, 'freelancer_unavailable'],
      [409, 'proposal_not_ready_for_messaging'],
      [409, 'message_blocked'],
    ];
    const messages = reasons.map(([status, reason]) => make(status, 'X', { reason }).userMessage);
    for (const message of messages) expect(message).toMatch(/^[A-Z].*[.]$/);
    expect(new Set(messages.slice(2)).size).toBe(4);
  });

  it('describeError gives the userMessage or a generic sentence', () => {
    expect(describeError(make(401, 'UNAUTHORIZED'))).toContain('OT_API_TOKEN');
    expect(describeError(new Error('at Object.<anonymous> (/secret/path.ts:1:1)'))).toBe(
      'Something went wrong while talking to OpenTrain; please try again.',
    );
  });
});

describe('client paging and parsing', () => {
  it('skips a malformed proposal in a page and logs it with the request id', async () => {
    handler = (_req, res) =>
      json(
        res,
        200,
        {
          proposals: [
            { jobId: 'j1', jobTitle: 'no id here' },
            { id: 'p2', metrics: { interviewScore: 8.6, matchScore: 0.5 }, candidate: { firstName: 'Ana' } },
          ],
          nextCursor: null,
        },
        { 'x-request-id': 'req-page-1' },
      );
    const h = harness();
    const page = await new OpenTrainClient(h.options).listProposals('j1');
    expect(page.proposals.map((proposal) => [proposal.id, proposal.jobId, proposal.interviewScore])).toEqual([
      ['p2', 'j1', 86],
    ]);
    const skipLines = h.lines.filter((line) => line.includes('skipped a malformed proposal'));
    expect(skipLines).toHaveLength(1);
    expect(skipLines[0]).toContain('req-page-1');
    expect(skipLines[0]).toContain('WARN');
  });

  it('pages through proposals with an explicit limit and encoded path segments', async () => {
    handler = (req, res) => {
      const url = new URL(req.url ?? '', 'http://x');
      const cursor = url.searchParams.get('cursor');
      json(res, 200, {
        proposals: cursor ? [{ id: 'p1' }] : [{ id: 'p3' }, { id: 'p2' }],
        nextCursor: cursor ? null : 'p2',
      });
    };
    const ids: string[] = [];
    for await (const proposal of new OpenTrainClient(harness().options).proposals('job/1 a', {
      status: 'UNREVIEWED',
    })) {
      ids.push(proposal.id);
    }
    expect(ids).toEqual(['p3', 'p2', 'p1']);
    expect(seen.map((request) => request.url)).toEqual([
      `${API_PATH}/jobs/job%2F1%20a/proposals?status=UNREVIEWED&limit=100`,
      `${API_PATH}/jobs/job%2F1%20a/proposals?status=UNREVIEWED&cursor=p2&limit=100`,
    ]);
  });

  it('stops fetching when the caller breaks out early', async () => {
    handler = (_req, res) => json(res, 200, { proposals: [{ id: 'a' }, { id: 'b' }], nextCursor: 'b' });
    for await (const proposal of new OpenTrainClient(harness().options).proposals('j1')) {
      if (proposal.id === 'a') break;
    }
    expect(seen).toHaveLength(1);
  });

  it('sorts a message page oldest → newest and tolerates an extra conversation key', async () => {
    handler = (_req, res) =>
      json(res, 200, {
        conversation: { id: 'c1' },
        messages: [
          { id: 'm2', createdAt: '2026-06-12T08:31:00.000Z', content: 'second', isFromViewer: false },
          { id: 'm1', createdAt: '2026-06-12T08:30:00.000Z', content: 'first', isFromViewer: true },
        ],
        nextCursor: null,
      });
    const page = await new OpenTrainClient(harness().options).listMessages('c1', { direction: 'newer', cursor: 'm0' });
    expect(page.messages.map((message) => [message.id, message.conversationId])).toEqual([
      ['m1', 'c1'],
      ['m2', 'c1'],
    ]);
    expect(seen[0]?.url).toBe(`${API_PATH}/messages?conversationId=c1&cursor=m0&direction=newer&limit=100`);
  });

  it('echoes the cursor on an empty /updates page and asks for 200 events', async () => {
    handler = (_req, res) => json(res, 200, { events: [], hasMore: false });
    const page = await new OpenTrainClient(harness().options).getUpdates({ cursor: '1043' });
    expect(page).toEqual({ events: [], nextCursor: '1043', hasMore: false });
    expect(seen[0]?.url).toBe(`${API_PATH}/updates?cursor=1043&limit=200`);
  });

  it('reports a repeat invite and infers the claim from /auth/me scopes', async () => {
    handler = (req, res) =>
      req.url?.startsWith(`${API_PATH}/auth/me`)
        ? json(res, 200, {
            actor: { userId: 'u1', firstName: 'Mira', lastName: 'Chen' },
            token: { scopes: ['proposals:read', 'messages:write'] },
            account: { organizationId: 'o1' },
          })
        : json(res, 200, { ok: true, proposalId: 'p9', jobId: 'j1', freelancerId: 'f1', alreadyInvited: true });
    const client = new OpenTrainClient(harness().options);
    expect(await client.inviteToJob('j1', 'f1')).toEqual({
      proposalId: 'p9',
      jobId: 'j1',
      freelancerId: 'f1',
      alreadyInvited: true,
      status: 200,
    });
    expect(JSON.parse(seen[0]!.body)).toEqual({ freelancerId: 'f1' });
    expect(seen[0]?.contentType).toBe('application/json');
    expect(await client.authMe()).toEqual({
      userId: 'u1',
      fullName: 'Mira Chen',
      scopes: ['proposals:read', 'messages:write'],
      organizationId: 'o1',
      claimed: true,
    });
  });
});

describe('logging', () => {
  it('never writes the token, while still sending it as a bearer', async () => {
    handler = (_req, res) => json(res, 503, envelope('INTERNAL_ERROR', 'busy', 'r-log'));
    const h = harness();
    const client = new OpenTrainClient(h.options);
    await caught(client.getProposal('p1'));
    handler = (req) => req.socket.destroy();
    await caught(client.sendMessage('c1', 'hi'));
    handler = (_req, res) => json(res, 200, { proposals: [{ nope: true }], nextCursor: null });
    await client.listProposals('j1');

    expect(seen.every((request) => request.authorization === `Bearer ${TOKEN}`)).toBe(true);
    expect(h.lines.length).toBeGreaterThanOrEqual(5);
    expect(h.lines.some((line) => line.includes('r-log') && line.includes('/proposals/p1'))).toBe(true);
    for (const line of h.lines) expect(line).not.toContain(TOKEN);
  });
});
