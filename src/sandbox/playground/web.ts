// The playground's web client: a static page plus a small JSON API. What a person does on the page goes to the bot
// the way Slack sends it (slash commands, block_actions, view_submission, message shortcuts through the stand-in's
// delivery); the page learns about changes from a server-sent event and refetches what it shows.

import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { OpenTrainSandbox } from '../opentrain/index.js';
import type { SlackStandIn } from '../slack/standin.js';
import type { ScriptedActivity } from './activity.js';
import { HttpError, readJson } from './http-body.js';
import { hiringSummary, type PostRoute, sandboxKnobRoutes } from './knobs.js';
import { PageActions, type SlackDelivery } from './page-actions.js';
import { Workspace } from './workspace.js';

export type { SlackDelivery } from './page-actions.js';

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
class PlaygroundServer implements PlaygroundWeb {
  readonly workspace: Workspace;
  private readonly server: Server;
  private readonly streams = new Set<ServerResponse>();
  private readonly poll: NodeJS.Timeout;
  private readonly actions: PageActions;
  private readonly postRoutes: ReadonlyMap<string, PostRoute>;
  private lastFingerprint = '';
  private origin = '';

  constructor(private readonly options: PlaygroundWebOptions) {
    this.workspace = new Workspace(options.slack);
    this.actions = new PageActions(options.slack, options.deliver, this.workspace);
    this.postRoutes = new Map([...this.actions.routes(), ...sandboxKnobRoutes(options.sandbox, options.activity)]);
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

  // Runs on a timer: nothing may throw out of it.
  private pushChanges(): void {
    try {
      this.actions.collectResponses();
      const { state } = this.options.sandbox;
      // The ledger and the approvals too: a hire requested or resolved changes the sandbox panel's choices.
      const fingerprint = `${this.workspace.fingerprint()}|${state.messages.length}|${state.events.length}|${state.approvals.size}`;
      if (fingerprint === this.lastFingerprint) return;
      this.lastFingerprint = fingerprint;
      for (const stream of this.streams) stream.write(`event: change\ndata: ${JSON.stringify(fingerprint)}\n\n`);
    } catch (error) {
      console.error(`[playground] pushing changes failed: ${error instanceof Error ? error.message : error}`);
    }
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
    return {
      jobs: this.options.activity.openJobs(),
      conversations: this.options.activity.conversations(),
      ...hiringSummary(this.options.sandbox),
    };
  }
}

export async function startPlaygroundWeb(options: PlaygroundWebOptions): Promise<PlaygroundWeb> {
  const server = new PlaygroundServer(options);
  await server.listen();
  return server;
}
