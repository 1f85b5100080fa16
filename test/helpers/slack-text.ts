import type { StoredSlackMessage } from '../../src/sandbox/slack/standin.js';

/** Every piece of text a person can read in a message or view: the fallback text plus all block texts. */
export function visibleText(message: { text?: string; blocks?: unknown[] } | undefined): string {
  if (!message) return '';
  const parts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) for (const item of node) walk(item);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'text' && typeof value === 'string') parts.push(value);
        else walk(value);
      }
    }
  };
  walk(message.blocks ?? []);
  return [message.text ?? '', ...parts].join('\n');
}

/** The proposal cards in a channel (top-level messages carrying the card metadata). */
export function cardsIn(messages: StoredSlackMessage[]): StoredSlackMessage[] {
  return messages.filter((m) => m.metadata?.event_type === 'opentrain_proposal' && !m.thread_ts);
}

export function cardFor(messages: StoredSlackMessage[], proposalId: string): StoredSlackMessage | undefined {
  return cardsIn(messages).find((m) => m.metadata?.event_payload.proposal_id === proposalId);
}
