import { describe, expect, it } from 'vitest';
import { checkOutboundMessage, findContactDetails, MAX_MESSAGE_LENGTH } from '../../src/services/guard.js';

describe('checkOutboundMessage — refuses contact details', () => {
  it.each([
    ['email address', 'Write to me at maria.garcia+jobs@gmail.com please', 'email'],
    ['obfuscated email', 'my address is maria at gmail dot com', 'email'],
    ['bracketed email', 'maria[at]example[dot]org', 'email'],
    ['spaced email', 'maria @ gmail . com', 'email'],
    ['UK phone with +44', 'Ring +44 20 7946 0958 after lunch', 'phone'],
    ['US phone with dashes', 'Call 555-123-4567', 'phone'],
    ['phone with parentheses', 'number (415) 555 0132', 'phone'],
    ['French phone with dots', 'Mon numéro: 06.12.34.56.78', 'phone'],
    ['phone without separators', 'text 07911123456', 'phone'],
    ['short +country phone', 'WA +34 612345', 'phone'],
  ])('%s', (_label, text, finding) => {
    const result = checkOutboundMessage(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.findings).toContain(finding);
  });

  it.each([
    ['WhatsApp link', 'Message me: https://wa.me/447911123456', 'off_platform_link'],
    ['Telegram link', 'join t.me/mariag_labels', 'off_platform_link'],
    ['Discord invite', 'come to discord.gg/abc123', 'off_platform_link'],
    ['Signal link', 'signal.me/#p/+34612345678', 'off_platform_link'],
    ['LinkedIn profile', 'see linkedin.com/in/maria-g', 'off_platform_link'],
    ['WhatsApp by name', "Let's continue on WhatsApp", 'contact_handle'],
    ['Skype handle', 'my skype is maria.g.labels', 'contact_handle'],
    ['Telegram handle', 'Telegram: @mariag', 'contact_handle'],
    ['Signal the app', 'Can we talk on Signal?', 'contact_handle'],
    ['WeChat', 'add me on WeChat', 'contact_handle'],
    ['asking for the email', 'Could you send me your email?', 'contact_handle'],
    ['asking for the number', "What's your phone number?", 'contact_handle'],
    ['email me', 'Just email me the sample', 'contact_handle'],
    ['off platform', "Let's take this off-platform", 'contact_handle'],
  ])('%s', (_label, text, finding) => {
    const result = checkOutboundMessage(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.findings).toContain(finding);
  });

  it('explains why, names what was found, and says the text was kept', () => {
    const result = checkOutboundMessage('Email maria@example.com or call +44 20 7946 0958');
    expect(result).toEqual({
      ok: false,
      findings: ['email', 'phone'],
      message: expect.stringMatching(/^Not sent: the message contains an email address and a phone number\./),
    });
    if (!result.ok) {
      expect(result.message).toContain('OpenTrain keeps hiring conversations on the platform');
      expect(result.message).toContain('Your text was kept');
    }
  });
});

describe('checkOutboundMessage — normal hiring talk passes', () => {
  it.each([
    'We pay $42/hour for this batch.',
    'The job has 5,000 posts to label, about 1,000,000 tokens.',
    'Can you start on 2026-07-01?',
    'Your interview scored 86/100 — great work.',
    'Please take batch 12345 first.',
    'Daily sync at 09:30, ends 17:30-18:00.',
    'We plan the next phase for Q3 2026.',
    'You worked on this 2023-2025, right?',
    'Deadline 01.07.2026, budget $1,500.00 or €12 000.',
    'Accuracy must stay above 98.5% across 3.5 hours.',
    'Timestamps look like 2026-07-01T09:30:00Z in the export.',
    'Hi Maria! Thanks for applying. Could you label 200 more items at $0.06 per label by Friday?',
    "Let's do a quick video call: https://zoom.us/j/123456789 or https://meet.google.com/abc-defg-hij",
    'The signal-to-noise ratio in this dataset is low; strong signal on negation though.',
    'We use Label Studio and check your email notifications from OpenTrain.',
    'Tell us your number of available hours per week.',
    'Reach us on OpenTrain anytime.',
    'I looked at the data and it is clean.',
  ])('%s', (text) => {
    expect(checkOutboundMessage(text)).toEqual({ ok: true });
  });
});

describe('checkOutboundMessage — OpenTrain limits', () => {
  it('refuses an empty message', () => {
    expect(checkOutboundMessage('   \n ')).toEqual({
      ok: false,
      findings: ['empty'],
      message: 'The message is empty — write something to send.',
    });
  });

  it('refuses more than 10,000 characters and keeps the text', () => {
    const result = checkOutboundMessage('a'.repeat(MAX_MESSAGE_LENGTH + 1));
    expect(result).toMatchObject({ ok: false, findings: ['too_long'] });
    if (!result.ok) {
      expect(result.message).toContain('10,001 characters');
      expect(result.message).toContain('up to 10,000');
      expect(result.message).toContain('Your text was kept');
    }
    expect(checkOutboundMessage('a'.repeat(MAX_MESSAGE_LENGTH))).toEqual({ ok: true });
  });

  it('lists each kind once in a stable order', () => {
    expect(findContactDetails('wa.me/447911123456 and whatsapp +44 7911 123456, a@b.co')).toEqual([
      'email',
      'phone',
      'contact_handle',
      'off_platform_link',
    ]);
  });
});
