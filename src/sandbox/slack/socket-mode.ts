// Socket Mode as Slack runs it, on the stand-in's HTTP server: apps.connections.open hands out a single-use
// ws:// URL, the socket opens with `hello`, deliveries travel as envelopes the app must ack within 3 s (an ack may
// carry a response payload), un-acked events are redelivered with retry_attempt / retry_reason, and Slack may ask
// the app to reconnect (`disconnect`) or simply lose the socket. See docs/slack.md#socket-mode.

import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';

export type EnvelopeType = 'events_api' | 'interactive' | 'slash_commands';

export interface SocketEnvelope {
  envelope_id: string;
  type: EnvelopeType;
  payload: Record<string, unknown>;
  accepts_response_payload: boolean;
  retry_attempt: number;
  retry_reason: string;
}

export interface SocketAck {
  envelopeId: string;
  /** The ack's payload; absent or `{}` for a plain ack. */
  payload?: Record<string, unknown>;
  at: number;
  /** The envelope had already timed out (Slack ignores such acks). */
  late: boolean;
}

export type SocketOutcome = { acked: true; payload: Record<string, unknown> | undefined } | { acked: false };

export type DisconnectReason = 'refresh_requested' | 'warning' | 'link_disabled' | 'too_many_websockets';

export interface SocketModeOptions {
  appId: string;
  /** How long the app has to ack an envelope (Slack: 3 s). */
  ackTimeoutMs?: number;
  /** Delays before each redelivery of an un-acked event (Slack: at once, after 1 min, after 5 min). */
  eventRetryDelaysMs?: readonly number[];
}

export const SLACK_EVENT_RETRY_DELAYS_MS = [0, 60_000, 300_000] as const;
const SOCKET_PATH = '/link/';
const MAX_CONNECTIONS = 10;

interface PendingAck {
  resolve: (payload: Record<string, unknown> | undefined) => void;
  timer: NodeJS.Timeout;
  socket: WebSocket;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The stand-in's Socket Mode endpoint: connections, envelopes, acks, redelivery, refresh and drops. */
export class SocketModeHub {
  /** Every envelope sent, redeliveries included, in order. */
  readonly envelopes: SocketEnvelope[] = [];
  readonly acks: SocketAck[] = [];
  /** Successful apps.connections.open calls. */
  opened = 0;
  /** Sockets that completed the handshake (each got `hello`). */
  connects = 0;

  private readonly server = new WebSocketServer({ noServer: true });
  private readonly tickets = new Set<string>();
  private readonly sockets: WebSocket[] = [];
  private readonly pending = new Map<string, PendingAck>();
  private readonly connectionWaiters: (() => void)[] = [];
  private readonly ackTimeoutMs: number;
  private readonly retryDelaysMs: readonly number[];
  private closed = false;

  constructor(private readonly options: SocketModeOptions) {
    this.ackTimeoutMs = options.ackTimeoutMs ?? 3000;
    this.retryDelaysMs = options.eventRetryDelaysMs ?? SLACK_EVENT_RETRY_DELAYS_MS;
  }

  /** Open sockets right now. */
  get connected(): number {
    return this.sockets.length;
  }

  /** A single-use URL for apps.connections.open, like Slack's wss://…/link/?ticket=…&app_id=… */
  issueUrl(httpOrigin: string): string {
    const ticket = randomBytes(16).toString('hex');
    this.tickets.add(ticket);
    this.opened += 1;
    return `${httpOrigin.replace(/^http/, 'ws')}${SOCKET_PATH}?ticket=${ticket}&app_id=${this.options.appId}`;
  }

  /** Takes the HTTP upgrade when it is for Socket Mode; false → not ours. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    if (url.pathname !== SOCKET_PATH) return false;
    const ticket = url.searchParams.get('ticket') ?? '';
    if (this.closed || !this.tickets.delete(ticket) || this.sockets.length >= MAX_CONNECTIONS) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nconnection: close\r\n\r\n');
      return true;
    }
    this.server.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
    return true;
  }

  /**
   * Sends one delivery and waits for its ack. Events are redelivered (retry_attempt + 1, retry_reason 'timeout')
   * while un-acked, waiting for the app to reconnect if needed; interactive payloads and commands are not retried:
   * the person sees an error instead, and the outcome is `{ acked: false }`.
   */
  async deliver(type: EnvelopeType, payload: Record<string, unknown>): Promise<SocketOutcome> {
    const attempts = type === 'events_api' ? this.retryDelaysMs.length + 1 : 1;
    for (let attempt = 0; attempt < attempts; attempt += 1) {
      if (attempt > 0) await sleep(this.retryDelaysMs[attempt - 1] ?? 0);
      const socket = type === 'events_api' ? await this.anySocket() : this.sockets.at(-1);
      if (socket === undefined || this.closed) return { acked: false };
      const envelope: SocketEnvelope = {
        envelope_id: this.envelopeId(),
        type,
        payload,
        accepts_response_payload: acceptsResponsePayload(type, payload),
        retry_attempt: attempt,
        retry_reason: attempt === 0 ? '' : 'timeout',
      };
      const ack = await this.send(socket, envelope);
      if (ack !== null) return { acked: true, payload: ack };
    }
    return { acked: false };
  }

  /** Asks every connected app to reconnect, the way Slack does before recycling a server. */
  disconnect(reason: DisconnectReason = 'refresh_requested'): void {
    for (const socket of this.sockets) {
      socket.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'applink-stand-in' } }));
    }
  }

  /** Loses every socket without a close handshake (a network drop). */
  drop(): void {
    for (const socket of [...this.sockets]) {
      socket.terminate();
      this.forget(socket);
    }
  }

  /** Resolves once at least `count` sockets are open. */
  async waitForConnection(count = 1, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.sockets.length < count) {
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`Socket Mode: ${this.sockets.length} of ${count} connections after ${timeoutMs} ms`);
      await Promise.race([new Promise<void>((resolve) => this.connectionWaiters.push(resolve)), sleep(left)]);
    }
  }

  close(): void {
    this.closed = true;
    for (const socket of [...this.sockets]) socket.terminate();
    for (const wake of this.connectionWaiters.splice(0)) wake();
    this.server.close();
  }

  private accept(socket: WebSocket): void {
    this.sockets.push(socket);
    this.connects += 1;
    socket.on('message', (data: RawData) => this.onMessage(data));
    socket.on('close', () => this.forget(socket));
    socket.on('error', () => this.forget(socket));
    socket.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.sockets.length,
        debug_info: { host: 'applink-stand-in', build_number: 1, approximate_connection_time: 18_060 },
        connection_info: { app_id: this.options.appId },
      }),
    );
    for (const wake of this.connectionWaiters.splice(0)) wake();
  }

  private forget(socket: WebSocket): void {
    const index = this.sockets.indexOf(socket);
    if (index >= 0) this.sockets.splice(index, 1);
    // Envelopes in flight on a lost socket will never be acked there.
    for (const [id, entry] of this.pending) {
      if (entry.socket !== socket) continue;
      clearTimeout(entry.timer);
      this.pending.delete(id);
      entry.resolve(undefined);
    }
  }

  private onMessage(data: RawData): void {
    let message: unknown;
    try {
      message = JSON.parse(data.toString());
    } catch {
      return; // Slack ignores what it cannot parse
    }
    if (!isRecord(message) || typeof message.envelope_id !== 'string') return;
    const payload = isRecord(message.payload) && Object.keys(message.payload).length > 0 ? message.payload : undefined;
    const entry = this.pending.get(message.envelope_id);
    this.acks.push({
      envelopeId: message.envelope_id,
      ...(payload === undefined ? {} : { payload }),
      at: Date.now(),
      late: entry === undefined,
    });
    if (entry === undefined) return;
    clearTimeout(entry.timer);
    this.pending.delete(message.envelope_id);
    entry.resolve(payload ?? {});
  }

  /** The ack payload (`{}` for a plain ack), or null when none came in time. */
  private send(socket: WebSocket, envelope: SocketEnvelope): Promise<Record<string, unknown> | null> {
    this.envelopes.push(envelope);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(envelope.envelope_id);
        resolve(null);
      }, this.ackTimeoutMs);
      this.pending.set(envelope.envelope_id, {
        socket,
        timer,
        resolve: (payload) => resolve(payload === undefined ? null : payload),
      });
      socket.send(JSON.stringify(envelope));
    });
  }

  private async anySocket(): Promise<WebSocket | undefined> {
    // Slack holds events while the app is away and delivers them once it is back.
    if (this.sockets.length === 0 && !this.closed) await this.waitForConnection(1, 60_000).catch(() => {});
    return this.sockets.at(-1);
  }

  private envelopeId(): string {
    const hex = randomBytes(16).toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }
}

/** Slack accepts a response payload in the ack of slash commands and view submissions / block suggestions. */
function acceptsResponsePayload(type: EnvelopeType, payload: Record<string, unknown>): boolean {
  if (type === 'slash_commands') return true;
  return type === 'interactive' && (payload.type === 'view_submission' || payload.type === 'block_suggestion');
}
