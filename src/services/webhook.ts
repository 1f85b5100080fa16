import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../logger.js';
import type { Store } from '../store/index.js';

// The OpenTrain webhook is only a doorbell (docs/architecture.md#sync): a verified delivery triggers an immediate
// ledger poll; its body is never trusted as data. Signature: `X-OpenTrain-Signature: t=<unix s>,v1=<hex
// HMAC-SHA256(secret, "<t>.<raw body>")>` (docs/opentrain.md#webhooks).

export const WEBHOOK_TOLERANCE_SECONDS = 300;
const MAX_BODY_BYTES = 1024 * 1024;

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

export function signWebhookBody(secret: string, timestampSeconds: number, rawBody: string | Buffer): string {
  return createHmac('sha256', secret).update(`${timestampSeconds}.`).update(rawBody).digest('hex');
}

export function verifyWebhookSignature(input: {
  secret: string;
  header: string | undefined;
  rawBody: Buffer;
  nowSeconds: number;
  toleranceSeconds?: number;
}): SignatureCheck {
  if (!input.header) return { ok: false, reason: 'missing X-OpenTrain-Signature' };
  const parts = new Map<string, string[]>();
  for (const piece of input.header.split(',')) {
    const at = piece.indexOf('=');
    if (at <= 0) continue;
    const key = piece.slice(0, at).trim();
    parts.set(key, [...(parts.get(key) ?? []), piece.slice(at + 1).trim()]);
  }
  const t = Number(parts.get('t')?.[0]);
  const candidates = parts.get('v1') ?? [];
  if (!Number.isInteger(t) || candidates.length === 0) return { ok: false, reason: 'malformed signature header' };
  if (Math.abs(input.nowSeconds - t) > (input.toleranceSeconds ?? WEBHOOK_TOLERANCE_SECONDS)) {
    return { ok: false, reason: 'stale signature timestamp' };
  }
  const expected = Buffer.from(signWebhookBody(input.secret, t, input.rawBody), 'hex');
  const matches = candidates.some((candidate) => {
    const given = Buffer.from(candidate, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  return matches ? { ok: true } : { ok: false, reason: 'signature mismatch' };
}

async function readBody(req: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function reply(res: ServerResponse, status: number, body: Record<string, unknown>): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** `POST /opentrain/webhook`: verify, dedupe on X-OpenTrain-Delivery, answer 2xx at once, then ring the doorbell. */
export async function handleWebhookRequest(
  req: IncomingMessage,
  res: ServerResponse,
  opts: { secret: string | null; store: Store; logger: Logger; onVerified: () => void; nowSeconds?: () => number },
): Promise<void> {
  if (!opts.secret) {
    reply(res, 404, { error: 'webhooks are not enabled (OT_WEBHOOK_SECRET is unset)' });
    return;
  }
  try {
    const rawBody = await readBody(req);
    if (!rawBody) {
      reply(res, 413, { error: 'body too large' });
      return;
    }
    const header = req.headers['x-opentrain-signature'];
    const check = verifyWebhookSignature({
      secret: opts.secret,
      header: Array.isArray(header) ? header[0] : header,
      rawBody,
      nowSeconds: opts.nowSeconds?.() ?? Math.floor(Date.now() / 1000),
    });
    if (!check.ok) {
      opts.logger.warn(`rejected an OpenTrain webhook delivery: ${check.reason}`);
      reply(res, 401, { error: 'invalid signature' });
      return;
    }
    const deliveryHeader = req.headers['x-opentrain-delivery'];
    const deliveryId = Array.isArray(deliveryHeader) ? deliveryHeader[0] : deliveryHeader;
    if (deliveryId && !opts.store.webhooks.remember(deliveryId)) {
      reply(res, 200, { ok: true, duplicate: true });
      return;
    }
    reply(res, 200, { ok: true });
    opts.onVerified();
  } catch (error) {
    opts.logger.error('webhook handling failed', error);
    if (!res.headersSent) reply(res, 500, { error: 'internal error' });
  }
}
