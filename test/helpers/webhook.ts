import type { EventRecord } from '../../src/sandbox/opentrain/types.js';
import { signWebhookBody } from '../../src/services/webhook.js';

/**
 * Delivers a ledger event to the bot's webhook endpoint as OpenTrain would (signed now, under `deliveryId`): a
 * redelivery when the id was used before, a duplicate under a fresh one. Resolves with the HTTP status.
 */
export async function deliverWebhook(
  port: number,
  secret: string,
  event: EventRecord,
  deliveryId: string,
): Promise<number> {
  const { organizationId: _account, ...record } = event;
  const body = JSON.stringify(record);
  const at = Math.floor(Date.now() / 1000);
  const answer = await fetch(`http://127.0.0.1:${port}/opentrain/webhook`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-opentrain-signature': `t=${at},v1=${signWebhookBody(secret, at, body)}`,
      'x-opentrain-delivery': deliveryId,
    },
    body,
  });
  return answer.status;
}
