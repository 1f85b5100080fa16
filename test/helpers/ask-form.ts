import { HARNESS_CHANNEL, type Harness } from '../../src/sandbox/harness.js';
import type { StoredSlackView } from '../../src/sandbox/slack/standin.js';
import { cardFor, visibleText } from './slack-text.js';

// The Ask finalists form as the tests drive it: what Slack sends when it is submitted, the open form, who it
// pre-selected, and what each candidate received in their OpenTrain conversation.

/** The form's `view.state.values` as Slack sends them on submit. */
export function askValues(finalists: readonly string[], first: string, second = '') {
  return {
    ask_finalists: {
      value: {
        type: 'multi_static_select',
        selected_options: finalists.map((value) => ({ value, text: { type: 'plain_text', text: value } })),
      },
    },
    ask_q1: { value: { type: 'plain_text_input', value: first } },
    ask_q2: { value: { type: 'plain_text_input', value: second || null } },
  };
}

/** The newest Ask finalists form still open in Slack. */
export function openAskView(h: Pick<Harness, 'slack'>): StoredSlackView | undefined {
  return [...h.slack.views.values()].reverse().find((v) => !v.closed && v.view.callback_id === 'ask_submit');
}

/** The proposal ids the form pre-selected. */
export function askPreselected(view: StoredSlackView | undefined): string[] {
  const blocks = (view?.view.blocks ?? []) as {
    block_id?: string;
    element?: { initial_options?: { value: string }[] };
  }[];
  return (blocks.find((b) => b.block_id === 'ask_finalists')?.element?.initial_options ?? []).map((o) => o.value);
}

/** Our messages in the proposal's OpenTrain conversation: what the candidate received. */
export function receivedBy(h: Pick<Harness, 'sandbox'>, proposalId: string): string[] {
  const conversation = [...h.sandbox.state.conversations.values()].find((c) => c.proposalId === proposalId);
  if (!conversation) return [];
  return conversation.messages.filter((m) => m.senderUserId === conversation.employerUserId).map((m) => m.content);
}

/** The card's thread replies that say someone (`userId`, or anyone) asked the candidate, in the harness channel. */
export function askedNotesIn(h: Pick<Harness, 'slack'>, proposalId: string, userId?: string): string[] {
  const card = cardFor(h.slack.messages(HARNESS_CHANNEL), proposalId);
  if (!card) return [];
  const marker = userId ? `<@${userId}> asked:` : '> asked:';
  return h.slack
    .thread(HARNESS_CHANNEL, card.ts)
    .filter((m) => m.ts !== card.ts)
    .map((m) => visibleText(m))
    .filter((text) => text.includes(marker));
}
