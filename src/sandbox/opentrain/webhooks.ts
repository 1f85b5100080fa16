import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { publicEvent } from './ledger.js';
import type { EventRecord, SandboxDelivery, WebhookRecord } from './types.js';

export const DEFAULT_WEBHOOK_RETRY_DELAYS_MS = [60_000, 300_000, 1_800_000, 7_200_000];
const MAX_ATTEMPTS = 5;
const DELIVERY_TIMEOUT_MS = 10_000;
/** Platform-API number; the public delivery lifecycle section was not captured [assumed]. */
const DISABLE_AFTER_FAILED_DELIVERIES = 10;

/** `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<rawBody>")>` (docs/opentrain.md#webhooks). */
export function signWebhookPayload(secret: string, timestampSeconds: number, rawBody: string): string {
  const v1 = createHmac('sha256', secret).update(`${timestampSeconds}.${rawBody}`).digest('hex');
  return `t=${timestampSeconds},v1=${v1}`;
}

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('hex')}`;
}

interface PendingDelivery {
  deliveryId: string;
  event: EventRecord;
  webhook: WebhookRecord;
  rawBody: string;
}

/** Posts signed event records to subscriptions, retrying failures on the configured schedule with the same delivery id. */
export class WebhookDispatcher {
  readonly deliveries: SandboxDelivery[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<AbortController>();
  private closed = false;

  constructor(
    private readonly subscriptions: Map<string, WebhookRecord>,
    private readonly now: () => Date,
    private readonly retryDelaysMs: number[],
  ) {}

  dispatch(event: EventRecord): void {
    if (this.closed) return;
    const rawBody = JSON.stringify(publicEvent(event));
    for (const webhook of this.subscriptions.values()) {
      if (webhook.organizationId !== event.organizationId || webhook.status !== 'ACTIVE') continue;
      if (!webhook.eventTypes.includes(event.type)) continue;
      void this.attempt({ deliveryId: `dlv_${randomUUID()}`, event, webhook, rawBody }, 1);
    }
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const controller of this.inFlight) controller.abort();
    this.inFlight.clear();
  }

  private async attempt(delivery: PendingDelivery, attempt: number): Promise<void> {
    const { webhook } = delivery;
    // A deleted subscription stops receiving at once, retries included.
    if (this.closed || this.subscriptions.get(webhook.id) !== webhook || webhook.status !== 'ACTIVE') return;
    const timestamp = Math.floor(this.now().getTime() / 1000);
    const controller = new AbortController();
    this.inFlight.add(controller);
    let status: number | null = null;
    try {
      const response = await fetch(webhook.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'OpenTrain-Webhooks/1.0',
          'X-OpenTrain-Event': delivery.event.type,
          'X-OpenTrain-Delivery': delivery.deliveryId,
          'X-OpenTrain-Signature': signWebhookPayload(webhook.secret, timestamp, delivery.rawBody),
        },
        body: delivery.rawBody,
        signal: AbortSignal.any([controller.signal, AbortSignal.timeout(DELIVERY_TIMEOUT_MS)]),
      });
      status = response.status;
      await response.arrayBuffer().catch(() => undefined);
    } catch {
      status = null;
    } finally {
      this.inFlight.delete(controller);
    }
    if (this.closed) return;
    this.deliveries.push({
      deliveryId: delivery.deliveryId,
      eventId: delivery.event.id,
      webhookId: webhook.id,
      url: webhook.url,
      attempt,
      status,
      at: this.now(),
    });
    if (status !== null && status >= 200 && status < 300) {
      webhook.consecutiveFailedDeliveries = 0;
      return;
    }
    const delay = this.retryDelaysMs[attempt - 1];
    if (attempt < MAX_ATTEMPTS && delay !== undefined) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        void this.attempt(delivery, attempt + 1);
      }, delay);
      timer.unref();
      this.timers.add(timer);
      return;
    }
    webhook.consecutiveFailedDeliveries += 1;
    if (webhook.consecutiveFailedDeliveries >= DISABLE_AFTER_FAILED_DELIVERIES) {
      webhook.status = 'DISABLED';
      webhook.disabledAt = this.now().toISOString();
      webhook.disabledReason = 'Disabled after repeated delivery failures';
    }
  }
}
