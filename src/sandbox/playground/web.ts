// The playground's web client: a static page plus a small JSON API. What a person does on the page goes to the bot
// the way Slack sends it (slash commands, block_actions, view_submission, message shortcuts through the stand-in's
// delivery); the page learns about changes from a server-sent event and refetches what it shows.

import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { escapeMrkdwn } from '../../blocks/format.js';
import { SEND_TO_CANDIDATE_CALLBACK } from '../../handlers/shortcuts/send-to-candidate.js';
import type { OpenTrainSandbox } from '../opentrain/index.js';
import type { SlackHttpResult, SlackRequestSender } from '../slack/signed-requests.js';
import type { SlackStandIn } from '../slack/standin.js';
import type { ScriptedActivity } from './activity.js';
import { type SubmittedInput, submittedValues } from './view-state.js';
import { Workspace } from './workspace.js';

/** How the page's actions reach the app: the stand-in's delivery (Socket Mode, or signed HTTP). */
export type SlackDelivery = Pick<SlackRequestSender, 'command' | 'blockAction' | 'viewSubmission' | 'messageShortcut'>;

export interface PlaygroundWebOptions {
  port: number;
  host?: string;
  slack: SlackStandIn;
  deliver: SlackDelivery;
  sandbox: OpenTrainSandbox;
  activity: ScriptedActivity;
  /** How often the server looks for changes to push to open pages. */
  pollMs?: number;
}

export interface PlaygroundWeb {
  readonly url: string;
  readonly workspace: Workspace;
  close(): Promise<void>;
}

const PAGE_DIR = fileURLToPath(new URL('./page/', import.meta.url));
const STATIC_FILES: ReadonlyMap<string, { file: string; type: string }> = new Map([
  ['/', { file: 'index.html', type: 'text/html; charset=utf-8' }],
  ['/app.js', { file: 'app.js', type: 'text/javascript; charset=utf-8' }],
  ['/app.css', { file: 'app.css', type: 'text/css; charset=utf-8' }],
]);
const MAX_BODY_BYTES = 256 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

type Body = Record<string, unknown>;

function field(body: Body, name: string): string {
  const value = body[name];
  if (typeof value !== 'string' || value === '') throw new HttpError(400, `${name} is required`);
  return value;
}

function optional(body: Body, name: string): string | undefined {
  const value = body[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

async function readJson(req: IncomingMessage): Promise<Body> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'request too large');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'body is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new HttpError(400, 'not an object');
  return parsed as Body;
}

/** What Slack shows when an app doesn't ack in time. */
function ackProblem(result: SlackHttpResult): string | null {
  if (result.status === 200) return null;
  if (result.status === 408) return "The app didn't respond in time (Slack waits 3 seconds).";
  return `The app answered with HTTP ${result.status}.`;
}

class PlaygroundServer implements PlaygroundWeb {
  readonly workspace: Workspace;
  private readonly server: Server;
  private readonly streams = new Set<ServerResponse>();
  private readonly poll: NodeJS.Timeout;
  private readonly responseTargets = new Map<string, { user: string; channel: string; thread_ts?: string }>();
  private seenResponses = 0;
  private lastFingerprint = '';
  private origin = '';

  constructor(private readonly options: PlaygroundWebOptions) {
    this.workspace = new Workspace(options.slack);
    this.server = createServer((req, res) => {
      this.route(req, res).catch((error: unknown) => {
        const status = error instanceof HttpError ? error.status : 500;
        const message = error instanceof Error ? error.message : String(error);
        if (!res.headersSent) res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: false, error: message }));
      });
    });
    this.poll = setInterval(() => this.pushChanges(), options.pollMs ?? 150);
  }

  get url(): string {
    return this.origin;
  }

  async listen(): Promise<void> {
    const host = this.options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, host, () => resolve());
    });
    this.origin = `http://${host}:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    clearInterval(this.poll);
    for (const stream of this.streams) stream.end();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  // ---- changes ------------------------------------------------------------------------------------------------

  private pushChanges(): void {
    this.collectResponses();
    const fingerprint = `${this.workspace.fingerprint()}|${this.options.sandbox.state.messages.length}`;
    if (fingerprint === this.lastFingerprint) return;
    this.lastFingerprint = fingerprint;
    for (const stream of this.streams) stream.write(`event: change\ndata: ${JSON.stringify(fingerprint)}\n\n`);
  }

  /** response_url posts become notices for whoever the URL was issued to. */
  private collectResponses(): void {
    const responses = this.options.slack.responses;
    for (; this.seenResponses < responses.length; this.seenResponses += 1) {
      const response = responses[this.seenResponses]!;
      const target = this.responseTargets.get(response.id);
      if (target === undefined) continue;
      const { body } = response;
      if (body.delete_original === true) continue;
      this.workspace.addNotice({
        ...target,
        ...(typeof body.text === 'string' ? { text: body.text } : {}),
        ...(Array.isArray(body.blocks) ? { blocks: body.blocks } : {}),
      });
    }
  }

  private remember(result: SlackHttpResult, target: { user: string; channel: string; thread_ts?: string }): void {
    const id = result.responseUrl?.split('/response/')[1];
    if (id !== undefined) this.responseTargets.set(id, target);
  }

  // ---- routes -------------------------------------------------------------------------------------------------

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://playground');
    const file = req.method === 'GET' ? STATIC_FILES.get(url.pathname) : undefined;
    if (file !== undefined) {
      const content = await readFile(`${PAGE_DIR}${file.file}`);
      res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' });
      res.end(content);
      return;
    }
    if (req.method === 'GET' && url.pathname === '/api/events') return this.openStream(res);
    if (req.method === 'GET' && url.pathname === '/api/state') {
      const user = url.searchParams.get('user') ?? '';
      const channel = url.searchParams.get('channel') ?? '';
      const thread = url.searchParams.get('thread') || null;
      return this.json(res, { ...this.workspace.snapshot(user, channel, thread), sandbox: this.sandboxSummary() });
    }
    if (req.method !== 'POST') throw new HttpError(404, 'not found');
    const body = await readJson(req);
    const handler = this.postRoutes.get(url.pathname);
    if (handler === undefined) throw new HttpError(404, 'not found');
    this.json(res, await handler(body));
  }

  private json(res: ServerResponse, body: unknown): void {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  }

  private openStream(res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write('retry: 1000\n\n');
    this.streams.add(res);
    res.on('close', () => this.streams.delete(res));
  }

  private sandboxSummary() {
    return { jobs: this.options.activity.openJobs(), conversations: this.options.activity.conversations() };
  }

  private readonly postRoutes = new Map<string, (body: Body) => Promise<Record<string, unknown>>>([
    ['/api/post', (body) => this.post(body)],
    ['/api/action', (body) => this.action(body)],
    ['/api/submit', (body) => this.submit(body)],
    ['/api/close', async (body) => this.closeView(body)],
    ['/api/shortcut', (body) => this.shortcut(body)],
    [
      '/api/knobs/proposal',
      async (body) => ({ ok: true, proposalId: this.options.activity.addProposal(optional(body, 'jobId')) }),
    ],
    [
      '/api/knobs/candidate-reply',
      async (body) => {
        this.options.activity.candidateReply(field(body, 'conversationId'));
        return { ok: true };
      },
    ],
    [
      '/api/knobs/latency',
      async (body) => {
        const ms = Number(body.ms);
        if (!Number.isFinite(ms) || ms < 0 || ms > 60_000) throw new HttpError(400, 'ms must be 0–60000');
        this.options.sandbox.setLatency(ms);
        return { ok: true };
      },
    ],
    [
      '/api/knobs/errors',
      async (body) => {
        const count = Number(body.count ?? 3);
        if (!Number.isInteger(count) || count < 1 || count > 100) throw new HttpError(400, 'count must be 1–100');
        this.options.sandbox.injectFaults({ status: 503, count, reason: 'injected from the playground' });
        return { ok: true };
      },
    ],
    [
      '/api/knobs/clear',
      async () => {
        this.options.sandbox.clearFaults();
        return { ok: true };
      },
    ],
  ]);

  /** The composer: `/command …` goes to the app; anything else is a message from you in the channel or thread. */
  private async post(body: Body): Promise<Record<string, unknown>> {
    const user = this.workspace.teammate(field(body, 'user')).id;
    const channel = field(body, 'channel');
    const threadTs = optional(body, 'threadTs');
    const text = field(body, 'text').trim();
    const slash = /^(\/\S+)\s*([\s\S]*)$/.exec(text);
    if (slash === null) {
      this.options.slack.addMessage(channel, {
        user,
        text: escapeMrkdwn(text),
        ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
      });
      return { ok: true };
    }
    const [, command, args] = slash;
    if (command !== '/hiring') {
      this.workspace.addNotice({ user, channel, text: `\`${command}\` is not a valid command. Try \`/hiring help\`.` });
      return { ok: true };
    }
    const result = await this.options.deliver.command(args ?? '', { userId: user, channelId: channel });
    this.remember(result, { user, channel });
    const problem = ackProblem(result);
    // An answer in the ack itself is shown by the stand-in's delivery, only to you (like Slack).
    return problem === null ? { ok: true } : { ok: false, error: `/hiring failed: ${problem}` };
  }

  /** A button, select or overflow on a message or in a modal. */
  private async action(body: Body): Promise<Record<string, unknown>> {
    const user = this.workspace.teammate(field(body, 'user')).id;
    const actionId = field(body, 'actionId');
    const kind = field(body, 'kind');
    const value = optional(body, 'value');
    const blockId = optional(body, 'blockId');
    const selection = kind === 'button' ? {} : { selectedOption: value ?? '' };
    const viewId = optional(body, 'viewId');
    let result: SlackHttpResult;
    if (viewId !== undefined) {
      result = await this.options.deliver.blockAction({
        actionId,
        userId: user,
        view: { id: viewId },
        ...(kind === 'button' && value !== undefined ? { value } : {}),
        ...(blockId === undefined ? {} : { blockId }),
        ...selection,
      });
    } else {
      const channel = field(body, 'channel');
      const messageTs = field(body, 'ts');
      const threadTs = optional(body, 'threadTs');
      result = await this.options.deliver.blockAction({
        actionId,
        userId: user,
        channelId: channel,
        messageTs,
        ...(threadTs === undefined ? {} : { threadTs }),
        ...(kind === 'button' && value !== undefined ? { value } : {}),
        ...(blockId === undefined ? {} : { blockId }),
        ...selection,
      });
      this.remember(result, { user, channel, ...(threadTs === undefined ? {} : { thread_ts: threadTs }) });
    }
    const problem = ackProblem(result);
    return problem === null ? { ok: true } : { ok: false, error: problem };
  }

  /** A modal's submit; the stand-in's delivery applies the answer (errors, update, push, clear) as Slack does. */
  private async submit(body: Body): Promise<Record<string, unknown>> {
    const user = this.workspace.teammate(field(body, 'user')).id;
    const viewId = field(body, 'viewId');
    const entry = this.options.slack.views.get(viewId);
    if (entry === undefined || entry.userId !== user || entry.closed) throw new HttpError(409, 'that modal is closed');
    const inputs = Array.isArray(body.inputs) ? (body.inputs as SubmittedInput[]) : [];
    const callbackId = typeof entry.view.callback_id === 'string' ? entry.view.callback_id : '';
    delete entry.errors;
    const result = await this.options.deliver.viewSubmission({
      callbackId,
      userId: user,
      viewId,
      values: submittedValues(entry.view, inputs),
    });
    const problem = ackProblem(result);
    if (problem !== null) return { ok: false, error: problem };
    return { ok: true, errors: entry.errors ?? {} };
  }

  private closeView(body: Body): Record<string, unknown> {
    const user = this.workspace.teammate(field(body, 'user')).id;
    const entry = this.options.slack.views.get(field(body, 'viewId'));
    if (entry !== undefined && entry.userId === user) entry.closed = true;
    return { ok: true };
  }

  /** The *Send to candidate* message shortcut on a message. */
  private async shortcut(body: Body): Promise<Record<string, unknown>> {
    const user = this.workspace.teammate(field(body, 'user')).id;
    const channel = field(body, 'channel');
    const ts = field(body, 'ts');
    const stored = this.options.slack.findMessage(channel, ts);
    if (stored === undefined) throw new HttpError(404, 'no such message');
    const result = await this.options.deliver.messageShortcut({
      callbackId: SEND_TO_CANDIDATE_CALLBACK,
      userId: user,
      channelId: channel,
      message: {
        ts,
        text: stored.text ?? '',
        ...(stored.thread_ts === undefined ? {} : { thread_ts: stored.thread_ts }),
        ...(stored.user === undefined ? {} : { user: stored.user }),
        ...(stored.bot_id === undefined ? {} : { bot_id: stored.bot_id }),
      },
    });
    this.remember(result, {
      user,
      channel,
      ...(stored.thread_ts === undefined ? {} : { thread_ts: stored.thread_ts }),
    });
    const problem = ackProblem(result);
    return problem === null ? { ok: true } : { ok: false, error: problem };
  }
}

export async function startPlaygroundWeb(options: PlaygroundWebOptions): Promise<PlaygroundWeb> {
  const server = new PlaygroundServer(options);
  await server.listen();
  return server;
}
