import { describe, expect, it } from 'vitest';
import { slackTextToPlain } from '../../src/blocks/slack-text.js';
import { checkOutboundMessage } from '../../src/services/guard.js';

describe('slackTextToPlain (Send to candidate)', () => {
  it('decodes the three entities Slack escapes, ampersand last', () => {
    expect(slackTextToPlain('5 &lt; 6 &amp;&amp; 7 &gt; 6, &amp;lt; stays literal')).toBe(
      '5 < 6 && 7 > 6, &lt; stays literal',
    );
  });

  it('writes links out: label with its URL, a bare URL once', () => {
    expect(slackTextToPlain('See <https://example.com/guide|the guide>.')).toBe(
      'See the guide (https://example.com/guide).',
    );
    expect(slackTextToPlain('See <https://example.com/guide>.')).toBe('See https://example.com/guide.');
    expect(slackTextToPlain('See <https://example.com|example.com>.')).toBe('See https://example.com.');
  });

  it('turns mentions into words, never raw ids', () => {
    expect(slackTextToPlain('<@U0ANNA> and <@U0BOB|bob> will review; ask <!here> in <#C0HIRING|hiring>')).toBe(
      '@teammate and @bob will review; ask @here in #hiring',
    );
    expect(slackTextToPlain('<!subteam^S123|@reviewers> on <!date^1700000000^{date}|Nov 14>')).toBe(
      '@reviewers on Nov 14',
    );
  });

  it('unwraps mailto links so the guard still sees the address', () => {
    const plain = slackTextToPlain('Write to <mailto:anna@example.com|anna@example.com>');
    expect(plain).toBe('Write to anna@example.com');
    expect(checkOutboundMessage(plain)).toMatchObject({ ok: false, findings: ['email'] });
  });

  it('a WhatsApp link hidden behind a label is still refused', () => {
    const plain = slackTextToPlain('Join <https://chat.whatsapp.com/AbC123|our group>');
    expect(checkOutboundMessage(plain).ok).toBe(false);
  });

  it('leaves plain text alone', () => {
    const text = 'Could you start Monday at 09:30? The rate is $0.06 / label.';
    expect(slackTextToPlain(text)).toBe(text);
  });
});
