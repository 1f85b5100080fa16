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

/** Every text and link in some blocks, in order (buttons' labels and URLs included). */
export function textAndLinks(blocks: unknown): string {
  const parts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) for (const item of node) walk(item);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if ((key === 'text' || key === 'url') && typeof value === 'string') parts.push(value);
        else walk(value);
      }
    }
  };
  walk(blocks);
  return parts.join('\n');
}

/** One list of an App Home tab: its header ("Title (N)") up to the next divider, as text and links. */
export function homeList(view: { view: { blocks?: unknown } } | undefined, title: string): string {
  const blocks = (Array.isArray(view?.view.blocks) ? view.view.blocks : []) as {
    type: string;
    text?: { text?: string };
  }[];
  const start = blocks.findIndex((b) => b.type === 'header' && b.text?.text?.startsWith(`${title} (`));
  if (start < 0) return '';
  const end = blocks.findIndex((b, i) => i > start && b.type === 'divider');
  return textAndLinks(blocks.slice(start, end < 0 ? undefined : end));
}
