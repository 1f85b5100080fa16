// Slack message text read back as plain text (docs/slack.md#message-text): Slack sends `<@U123>`,
// `<https://x|label>` and the three HTML entities `&lt;` `&gt;` `&amp;` in message text. The inverse of
// `escapeMrkdwn` (format.ts).

/** Decodes the three entities Slack escapes, ampersand last so `&amp;lt;` stays a literal `&lt;`. */
export function decodeSlackEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * A Slack message's text as plain text for the candidate: user and channel mentions, special mentions and links
 * written out, HTML entities decoded. Never a raw user or channel id.
 */
export function slackTextToPlain(text: string): string {
  const written = text.replace(/<([^<>]*)>/g, (_match, inner: string) => {
    const bar = inner.indexOf('|');
    const target = bar === -1 ? inner : inner.slice(0, bar);
    const label = bar === -1 ? '' : inner.slice(bar + 1);
    if (target.startsWith('@')) return label ? `@${label.replace(/^@/, '')}` : '@teammate';
    if (target.startsWith('#')) return label ? `#${label.replace(/^#/, '')}` : '#channel';
    if (target.startsWith('!')) {
      const special = target.slice(1).split('^')[0] ?? '';
      if (['here', 'channel', 'everyone'].includes(special)) return `@${special}`;
      return label || '';
    }
    if (target.startsWith('mailto:')) return label || target.slice('mailto:'.length);
    if (!label || label === target || `http://${label}` === target || `https://${label}` === target) return target;
    return `${label} (${target})`;
  });
  return decodeSlackEntities(written);
}
