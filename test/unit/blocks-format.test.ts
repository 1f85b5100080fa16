import { describe, expect, it } from 'vitest';
import {
  candidateHeadline,
  escapeMrkdwn,
  formatBid,
  formatInZone,
  formatMoney,
  formatRelative,
  formatScore,
  formatUsd,
  formatYears,
  humanize,
  link,
  slackDate,
  talentTypeLabel,
} from '../../src/blocks/format.js';

describe('formatBid', () => {
  it('shows each known unit the way a reviewer reads it', () => {
    expect(formatBid({ amountUsd: 0.06, unit: 'PER_LABEL' })).toBe('$0.06 / label');
    expect(formatBid({ amountUsd: 42, unit: 'PER_HOUR' })).toBe('$42 / hour');
    expect(formatBid({ amountUsd: 500, unit: 'FIXED' })).toBe('$500 fixed');
  });

  it('shows unknown units raw and a missing amount as a dash', () => {
    expect(formatBid({ amountUsd: 5, unit: 'per_batch' })).toBe('$5 / per_batch');
    expect(formatBid({ amountUsd: null, unit: 'PER_HOUR' })).toBe('—');
  });
});

describe('money', () => {
  it('formats exact prices with cents only when there are cents', () => {
    expect(formatMoney(42.5)).toBe('$42.50');
    expect(formatMoney(1250)).toBe('$1,250');
    expect(formatMoney(0.005)).toBe('$0.005');
  });

  it('formats totals compactly', () => {
    expect(formatUsd(2400)).toBe('$2,400');
    expect(formatUsd(12_000)).toBe('$12k');
    expect(formatUsd(12_500)).toBe('$12.5k');
    expect(formatUsd(1_200_000)).toBe('$1.2M');
    expect(formatUsd(null)).toBe('—');
  });
});

describe('scores and dates', () => {
  it('shows scores out of 100', () => {
    expect(formatScore(86)).toBe('86/100');
    expect(formatScore(86.4)).toBe('86/100');
    expect(formatScore(null)).toBe('—');
  });

  it('says how long ago, and shows unparsable dates raw', () => {
    const now = new Date('2026-06-12T12:00:00Z');
    expect(formatRelative('2026-06-12T10:00:00Z', now)).toBe('about 2 hours ago');
    expect(formatRelative('...', now)).toBe('...');
  });

  it('formats a date in a time zone, falling back to UTC for an unknown zone', () => {
    const at = new Date('2026-11-23T23:30:00Z');
    expect(formatInZone(at, 'Europe/Madrid', 'EEEE d MMMM yyyy')).toBe('Tuesday 24 November 2026');
    expect(formatInZone(at, 'Not/AZone', 'EEEE d MMMM yyyy')).toBe('Monday 23 November 2026');
  });

  it('lets Slack localise times, with a UTC fallback', () => {
    expect(slackDate('2026-06-12T10:02:00Z', '{time}')).toBe('<!date^1781258520^{time}|10:02 UTC>');
    expect(slackDate('not a date', '{time}')).toBe('not a date');
  });

  it('formats year ranges', () => {
    expect(formatYears(2023, 2025, false)).toBe('2023–2025');
    expect(formatYears(2023, null, true)).toBe('2023–present');
    expect(formatYears(null, null, false)).toBe('');
  });
});

describe('text helpers', () => {
  it('escapes mrkdwn control characters so nobody can @channel through a name', () => {
    expect(escapeMrkdwn('<!channel> & co')).toBe('&lt;!channel&gt; &amp; co');
  });

  it('links only real URLs', () => {
    expect(link('https://x.test/a', 'Maria G.')).toBe('<https://x.test/a|Maria G.>');
    expect(link(null, 'Maria G.')).toBe('Maria G.');
    expect(link('javascript:alert(1)', 'x')).toBe('x');
  });

  it('labels talent types and humanises enums', () => {
    expect(talentTypeLabel('individual')).toBe('Individual');
    expect(talentTypeLabel('agency')).toBe('Agency');
    expect(talentTypeLabel(null)).toBeNull();
    expect(humanize('FULL_TIME')).toBe('Full time');
    expect(humanize('Social media')).toBe('Social media');
  });

  it('builds a candidate headline with the masked name and title', () => {
    expect(candidateHeadline({ displayName: 'Maria G.', profileTitle: 'Annotator' })).toBe('*Maria G.* · Annotator');
  });
});
