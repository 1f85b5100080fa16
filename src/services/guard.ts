// Outbound guard (docs/architecture.md#outbound-guard): refuse a message to a candidate before it leaves Slack when it
// shares or asks for contact details or tries to move the conversation off OpenTrain. OpenTrain runs its own policy
// check (403 message_policy_blocked); this one answers at once, in words, and keeps the person's text.
//
// Decisions:
// - Refused: email addresses (also "name at domain dot com", "name [at] domain [dot] com"), phone numbers (7–15
//   digits grouped with spaces, dots, dashes or parentheses, optional +country; 10+ digits in one run), links and
//   handles for messengers and social networks (WhatsApp/wa.me, Telegram/t.me, Skype, Discord/discord.gg,
//   Signal/signal.me, WeChat, Viber, LINE, Messenger/m.me, Snapchat, Kik, LinkedIn/Facebook/Instagram profiles),
//   and explicit requests to take contact elsewhere ("send me your email", "call me", "my number is").
// - Allowed: video-meeting links (Zoom, Google Meet, Teams). A call is a normal hiring step and the link carries
//   no personal contact detail; OpenTrain's own policy still applies and its refusal is explained when it comes.
// - Never mistaken for phones: prices ("$42/hour", "$1,500"), counts ("5,000 posts", "1,000,000"), dates
//   ("2026-07-01", "01.07.2026"), ranges ("2023-2025"), scores ("86/100"), ids ("batch 12345"), times ("09:30"),
//   quarters ("Q3 2026"), percentages, decimals.
// Pure: no I/O, no Bolt.

export type GuardFinding = 'email' | 'phone' | 'contact_handle' | 'off_platform_link' | 'empty' | 'too_long';

export type GuardResult = { ok: true } | { ok: false; findings: GuardFinding[]; message: string };

/** OpenTrain's POST /messages accepts 1–10,000 characters. */
export const MAX_MESSAGE_LENGTH = 10_000;

const KEPT = 'Your text was kept — edit it and send again.';

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
  const findings = findContactDetails(text);
  if (findings.length === 0) return { ok: true };
  return { ok: false, findings, message: refusalMessage(findings) };
}

/** Every kind of contact detail or off-platform channel found in the text, in a stable order. */
export function findContactDetails(text: string): GuardFinding[] {
  const found = new Set<GuardFinding>();
  if (hasEmail(text)) found.add('email');
  if (hasPhone(text)) found.add('phone');
  if (OFF_PLATFORM_LINKS.some((pattern) => pattern.test(text))) found.add('off_platform_link');
  if (CONTACT_HANDLES.some((pattern) => pattern.test(text))) found.add('contact_handle');
  const order: GuardFinding[] = ['email', 'phone', 'contact_handle', 'off_platform_link'];
  return order.filter((finding) => found.has(finding));
}

function refusalMessage(findings: GuardFinding[]): string {
  const words: Record<GuardFinding, string> = {
    email: 'an email address',
    phone: 'a phone number',
    contact_handle: 'a messenger handle or a request to take the conversation elsewhere',
    off_platform_link: 'a link to a messenger or social profile',
    empty: 'no text',
    too_long: 'too much text',
  };
  const listed = findings.map((finding) => words[finding]);
  const what = listed.length > 1 ? `${listed.slice(0, -1).join(', ')} and ${listed.at(-1)}` : listed[0];
  return (
    `Not sent: the message contains ${what}. OpenTrain keeps hiring conversations on the platform, so contact ` +
    `details and off-platform channels (WhatsApp, Telegram, Skype, Discord, Signal…) can't be shared or asked for. ${KEPT}`
  );
}

// --- email -------------------------------------------------------------------------------------------------------

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/u;
/** "maria at gmail dot com", "maria [at] gmail [dot] com", "maria(at)gmail(dot)com". */
const OBFUSCATED_EMAIL =
  /[\p{L}\p{N}._%+-]+\s*(?:\s+at\s+|[[({]\s*at\s*[\])}])\s*[\p{L}\p{N}-]+(?:\s*(?:\s+dot\s+|[[({]\s*dot\s*[\])}]|\.)\s*[\p{L}\p{N}-]+)*\s*(?:\s+dot\s+|[[({]\s*dot\s*[\])}])\s*(?:com|net|org|io|ai|co|me|info|biz|edu|gov|app|dev|xyz|[a-z]{2})\b/iu;
/** "maria @ gmail . com" with spaces around the separators. */
const SPACED_EMAIL = /[\p{L}\p{N}._%+-]+\s+@\s*[\p{L}\p{N}-]+\s*\.\s*\p{L}{2,}\b/u;

function hasEmail(text: string): boolean {
  return EMAIL.test(text) || OBFUSCATED_EMAIL.test(text) || SPACED_EMAIL.test(text);
}

// --- phone -------------------------------------------------------------------------------------------------------

/** Numbers in normal hiring talk that would otherwise look like digit groups; blanked before looking for phones. */
const NOT_PHONES: RegExp[] = [
  // ISO dates and timestamps: 2026-07-01, 2026-07-01T09:30:00Z
  /(?<![\d.\-/])\d{4}([-./])\d{1,2}\1\d{1,2}(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?(?![\d]|[-./]\d)/g,
  // Day-first or month-first dates: 01.07.2026, 7/1/26
  /(?<![\d.\-/])\d{1,2}([-./])\d{1,2}\1(?:\d{4}|\d{2})(?![\d]|[-./]\d)/g,
  // Year ranges: 2023-2025, 2023 – 2025
  /(?<!\d)(?:19|20)\d{2}\s*[-–—]\s*(?:19|20)\d{2}(?!\d)/g,
  // Money: $42, $1,500.00, €12 000, 2.5k USD
  /[$€£]\s?\d{1,3}(?:[,. ]\d{3})*(?:\.\d+)?(?:\s?[km]\b)?|[$€£]\s?\d+(?:\.\d+)?/gi,
  // Grouped thousands: 5,000  1,000,000
  /\d{1,3}(?:,\d{3})+(?:\.\d+)?/g,
  // Scores, ratios and rates: 86/100, 4/5
  /\d+\s*\/\s*\d+/g,
  // Times: 09:30, 9:30:15
  /\d{1,2}:\d{2}(?::\d{2})?/g,
  // Percentages and decimals: 98%, 3.5
  /\d+(?:\.\d+)?\s?%/g,
];

/** A run of digits joined by phone-style separators, with an optional leading "+". */
const DIGIT_RUN = /(?:\+\s?)?\(?\d(?:[\d]|[ .\-()]{1,2}(?=[\d(]))*\d/g;

function hasPhone(text: string): boolean {
  let masked = text;
  for (const pattern of NOT_PHONES) masked = masked.replace(pattern, (match) => ' '.repeat(match.length));
  for (const match of masked.matchAll(DIGIT_RUN)) {
    const run = match[0];
    const digits = run.replace(/\D/g, '').length;
    if (digits < 7 || digits > 15) continue;
    const international = run.trimStart().startsWith('+');
    const grouped = /[ .\-()]/.test(run.replace(/^\+\s?/, ''));
    // An unseparated run is an id or a count unless it's long enough to be a phone number (or has a +country).
    if (international || grouped || digits >= 10) return true;
  }
  return false;
}

// --- messengers, social profiles, requests -----------------------------------------------------------------------

const OFF_PLATFORM_LINKS: RegExp[] = [
  /\b(?:wa\.me|api\.whatsapp\.com|chat\.whatsapp\.com|whatsapp\.com\/)/i,
  /\b(?:t\.me|telegram\.me|telegram\.dog)\/\S/i,
  /\b(?:join\.skype\.com|skype:)/i,
  /\b(?:discord\.gg|discord(?:app)?\.com\/(?:invite|users))\/?\S*/i,
  /\b(?:signal\.me|signal\.group)\b/i,
  /\b(?:u\.wechat\.com|weixin\.qq\.com)\b/i,
  /\b(?:line\.me|viber\.me|invite\.viber\.com|m\.me\/|messenger\.com\/t)\S*/i,
  /\b(?:linkedin\.com\/in|facebook\.com|fb\.com|instagram\.com|snapchat\.com\/add|kik\.me)\//i,
];

const CONTACT_HANDLES: RegExp[] = [
  // Messengers whose names are never ordinary words.
  /\b(?:whats\s?app|telegram|skype|discord|wechat|weixin|viber|snapchat|kik messenger|imessage|facetime)\b/i,
  // "Signal" and "LINE" only when clearly the app.
  /\b(?:on|via|over|through|using|add me on|text me on|message me on)\s+signal(?=\s*(?:$|[.,;:!?)]|app\b|messenger\b))/i,
  /\bsignal\s+(?:app|messenger|number|handle|username|id)\b/i,
  /\bline\s+(?:app|id)\b/i,
  // Requests to take contact elsewhere.
  /\b(?:send|share|give|drop|leave|provide|text|dm|tell)\s+(?:me|us)\s+(?:your|ur)\s+(?:personal\s+|private\s+|direct\s+)?(?:e-?mail|email address|phone|phone number|mobile|cell|number(?!\s+of\b)|contact(?:\s+(?:details|info))?|handle|socials?)\b/i,
  /\b(?:what'?s|what is|can i (?:get|have))\s+(?:your|ur)\s+(?:personal\s+|private\s+)?(?:e-?mail|email address|phone|phone number|mobile|cell|number(?!\s+of\b)|contact(?:\s+(?:details|info))?)\b/i,
  /\b(?:your|ur)\s+(?:personal|private)\s+(?:e-?mail|phone|number|contact)/i,
  /\b(?:e-?mail|call|phone|ring|text|sms)\s+me\b/i,
  /\bmy\s+(?:personal\s+|private\s+)?(?:e-?mail|email address|phone|phone number|mobile|cell|number)\s+is\b/i,
  /\b(?:reach|contact)\s+(?:me|us)\s+(?:directly|privately|outside\b|(?:at|on|via)\s+(?!opentrain\b|here\b|this\b))/i,
  /\b(?:off[- ]platform|outside (?:of )?(?:opentrain|the platform))\b/i,
];
