import { createHash } from 'node:crypto';

/**
 * What identifies content sent to Slack (a card, a shortlist, a Home tab): a short hash of it as sent. The same
 * content always has the same fingerprint, so a re-render Slack already shows is never sent again.
 */
export function contentFingerprint(content: unknown): string {
  return createHash('sha256').update(JSON.stringify(content)).digest('base64url').slice(0, 22);
}

/** A message's fingerprint (a card, a shortlist): its text, blocks and metadata (the votes and notes ride there). */
export function fingerprint(message: { text: string; blocks: readonly unknown[]; metadata?: unknown }): string {
  return contentFingerprint([message.text, message.blocks, message.metadata]);
}
