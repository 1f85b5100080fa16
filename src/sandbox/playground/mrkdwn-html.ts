// Slack mrkdwn → safe HTML for the playground page. Pure: names for mentions come from the caller.
// Everything that came from a message is HTML-escaped; markup is only ever produced by this module.

export interface MentionNames {
  userName(userId: string): string;
  channelName(channelId: string): string;
}

/** The shortcodes the bot writes (and a few common ones); anything else stays as `:name:`. */
export const EMOJI: ReadonlyMap<string, string> = new Map([
  ['warning', '⚠️'],
  ['white_check_mark', '✅'],
  ['hourglass_flowing_sand', '⏳'],
  ['hourglass', '⌛'],
  ['leftwards_arrow_with_hook', '↩️'],
  ['information_source', 'ℹ️'],
  ['inbox_tray', '📥'],
  ['see_no_evil', '🙈'],
  ['no_entry', '⛔'],
  ['eyes', '👀'],
  ['envelope_with_arrow', '📩'],
  ['+1', '👍'],
  ['thumbsup', '👍'],
  ['-1', '👎'],
  ['thumbsdown', '👎'],
  ['thinking_face', '🤔'],
  ['star', '⭐'],
  ['tada', '🎉'],
  ['x', '❌'],
  ['speech_balloon', '💬'],
]);

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

/** Slack escapes only these three in message text. */
function decodeSlackEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

export function replaceEmoji(escaped: string): string {
  return escaped.replace(/:([a-z0-9_+-]+):/g, (whole, name: string) => EMOJI.get(name) ?? whole);
}

/** Only these schemes become links; anything else (javascript:, data:) is shown as text. */
export function safeUrl(url: string): string | null {
  return /^(https?:|mailto:)/i.test(url.trim()) ? url.trim() : null;
}

// Private-use characters mark where already-rendered HTML goes back in; they are stripped from the input first.
const SLOT_OPEN = '\uE000';
const SLOT_CLOSE = '\uE001';
const SLOT = new RegExp(`${SLOT_OPEN}(\\d+)${SLOT_CLOSE}`, 'g');

class Slots {
  private readonly html: string[] = [];
  put(html: string): string {
    this.html.push(html);
    return `${SLOT_OPEN}${this.html.length - 1}${SLOT_CLOSE}`;
  }
  fill(text: string): string {
    return text.replace(SLOT, (_, index: string) => this.html[Number(index)] ?? '');
  }
}

function renderAngle(inner: string, names: MentionNames): string {
  const bar = inner.indexOf('|');
  const target = bar === -1 ? inner : inner.slice(0, bar);
  const label = bar === -1 ? undefined : decodeSlackEntities(inner.slice(bar + 1));
  if (target.startsWith('@')) {
    const name = label ?? names.userName(target.slice(1));
    return `<span class="mention">@${escapeHtml(name)}</span>`;
  }
  if (target.startsWith('#')) {
    const name = label ?? names.channelName(target.slice(1));
    return `<span class="mention">#${escapeHtml(name)}</span>`;
  }
  if (target.startsWith('!')) {
    // <!here>, <!channel>, <!date^…^format|fallback>, <!subteam^ID|@team>
    const special = target.slice(1);
    if (special.startsWith('date^')) return `<time>${escapeHtml(label ?? special)}</time>`;
    return `<span class="mention">${escapeHtml(label ?? `@${special}`)}</span>`;
  }
  const url = safeUrl(decodeSlackEntities(target));
  const text = escapeHtml(label ?? decodeSlackEntities(target));
  if (url === null) return text;
  return `<a href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer">${text}</a>`;
}

function inlineFormat(escaped: string): string {
  // Slack's rule of thumb: a marker opens after a boundary and closes before one, with no spaces just inside.
  const span = (marker: string) =>
    new RegExp(
      `(^|[\\s(>${SLOT_CLOSE}])\\${marker}(?=\\S)([^${marker}\\n]*?\\S)\\${marker}(?=$|[\\s.,;:!?)<${SLOT_OPEN}])`,
      'g',
    );
  return escaped.replace(span('*'), '$1<b>$2</b>').replace(span('_'), '$1<i>$2</i>').replace(span('~'), '$1<s>$2</s>');
}

/** Renders one mrkdwn text object's text. */
export function mrkdwnToHtml(raw: string, names: MentionNames): string {
  const slots = new Slots();
  let text = raw.replace(/[\uE000\uE001]/g, '');
  text = text.replace(/```([\s\S]*?)```/g, (_, code: string) =>
    slots.put(`<pre>${escapeHtml(decodeSlackEntities(code.replace(/^\n/, '')))}</pre>`),
  );
  text = text.replace(/`([^`\n]+)`/g, (_, code: string) =>
    slots.put(`<code>${escapeHtml(decodeSlackEntities(code))}</code>`),
  );
  text = text.replace(/<([^<>\n]+)>/g, (_, inner: string) => slots.put(renderAngle(inner, names)));

  const lines = text.split('\n');
  const out: string[] = [];
  let quoted: string[] = [];
  const flushQuote = () => {
    if (quoted.length > 0) out.push(`<blockquote>${quoted.join('<br>')}</blockquote>`);
    quoted = [];
  };
  for (const line of lines) {
    const quote = /^(?:&gt;|>) ?(.*)$/.exec(line);
    const body = inlineFormat(replaceEmoji(escapeHtml(decodeSlackEntities(quote ? (quote[1] ?? '') : line))));
    if (quote) quoted.push(body);
    else {
      flushQuote();
      out.push(body);
    }
  }
  flushQuote();
  // A blockquote is a block of its own: no <br> right before or after it.
  const html = out.reduce((acc, part, index) => {
    if (index === 0) return part;
    const joinsBlock = part.startsWith('<blockquote>') || out[index - 1]?.startsWith('<blockquote>');
    return acc + (joinsBlock ? '' : '<br>') + part;
  }, '');
  return slots.fill(html);
}

/** plain_text objects: escaped, emoji shortcodes replaced when `emoji` is not false. */
export function plainToHtml(text: string, emoji = true): string {
  const escaped = escapeHtml(text);
  return emoji ? replaceEmoji(escaped) : escaped;
}
