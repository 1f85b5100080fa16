// Outbound guard (docs/architecture.md#outbound-guard): refuse a message to a candidate before it leaves Slack when it
// shares or asks for contact details or tries to move the conversation off OpenTrain. OpenTrain runs its own policy
// check (403 message_policy_blocked); this one answers at once, in words, and the caller keeps the person's text.
//
// How: normalise first (guard/normalise.ts: HTML/percent escapes, NFKC, zero-width and bidi controls, look-alike
// letters, any digit system, spelled-out and bracketed "at"/"dot"), then match e-mail addresses and phone numbers
// (guard/contact-details.ts), messenger/social handles and links (guard/channels.ts), and requests for contact details
// and invitations to leave OpenTrain (guard/requests.ts).
// Decisions:
// - A channel's name alone passes ("the signal in the data", "we label Telegram posts"); with a handle, an id, a
//   possessive, an invitation or a question it is refused.
// - Video-meeting links (Zoom /j/, Google Meet, Teams) pass: a call is a normal hiring step and the link carries no
//   personal contact detail. Personal rooms and booking pages (zoom.us/my/…, Calendly, cal.com) are refused.
// - Never mistaken for phones: prices, counts, dates, ranges, scores, ids, times, versions, percentages, decimals.
// - A refusal names the kind of detail and the channel ("a Telegram handle"), never the detail itself: the
//   explanation is shown in Slack, where candidate contact details must not appear.
// - Every pattern has bounded quantifiers: linear time in the (at most 10,000-character) text.
// The corpus that measures both rates is test/fixtures/guard/ (disguised.json, ordinary.json).
// Pure: no I/O, no Bolt.

import { findChannels } from './guard/channels.js';
import { hasEmail, hasPhone } from './guard/contact-details.js';
import { normalise } from './guard/normalise.js';
import { findRequests } from './guard/requests.js';

export type GuardFinding = 'email' | 'phone' | 'contact_handle' | 'off_platform_link' | 'empty' | 'too_long';

export type GuardResult = { ok: true } | { ok: false; findings: GuardFinding[]; message: string };

/** OpenTrain's POST /messages accepts 1–10,000 characters. */
export const MAX_MESSAGE_LENGTH = 10_000;

const KEPT = 'Your text was kept — edit it and send again.';
const ORDER: GuardFinding[] = ['email', 'phone', 'contact_handle', 'off_platform_link'];

export function checkOutboundMessage(text: string): GuardResult {
  if (text.trim().length === 0) {
    return { ok: false, findings: ['empty'], message: 'The message is empty — write something to send.' };
  }
  if (text.length > MAX_MESSAGE_LENGTH) {
    return {
      ok: false,
      findings: ['too_long'],
      message: `The message is ${text.length.toLocaleString('en-US')} characters; OpenTrain accepts up to ${MAX_MESSAGE_LENGTH.toLocaleString('en-US')}. ${KEPT}`,
    };
  }
  const found = inspect(text);
  if (found.length === 0) return { ok: true };
  const findings = ORDER.filter((kind) => found.some((finding) => finding.kind === kind));
  return { ok: false, findings, message: refusalMessage(found.map((finding) => finding.what)) };
}

/** Every kind of contact detail or off-platform channel found in the text, in a stable order. */
export function findContactDetails(text: string): GuardFinding[] {
  const found = inspect(text);
  return ORDER.filter((kind) => found.some((finding) => finding.kind === kind));
}

interface Finding {
  kind: GuardFinding;
  what: string;
}

function inspect(text: string): Finding[] {
  const view = normalise(text);
  const found: Finding[] = [];
  if (hasEmail(view)) found.push({ kind: 'email', what: 'an email address' });
  if (hasPhone(view)) found.push({ kind: 'phone', what: 'a phone number' });
  found.push(...findChannels(view), ...findRequests(view));
  return found;
}

function refusalMessage(whats: string[]): string {
  const listed = [...new Set(whats)];
  const what = listed.length > 1 ? `${listed.slice(0, -1).join(', ')} and ${listed.at(-1)}` : listed[0];
  return (
    `Not sent: the message contains ${what}. OpenTrain keeps hiring conversations on the platform, so contact ` +
    `details and off-platform channels can't be shared or asked for. ${KEPT}`
  );
}
