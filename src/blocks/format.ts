import { TZDate } from '@date-fns/tz';
// One module per function: the package index would load all of date-fns (~10 MB more resident memory).
import { format } from 'date-fns/format';
import { formatDistance } from 'date-fns/formatDistance';
import { isValid } from 'date-fns/isValid';
import { parseISO } from 'date-fns/parseISO';
import type { Bid, Candidate, TalentType } from '../domain.js';

// Small, pure formatters shared by every builder. Anything that came from OpenTrain or a person goes through
// escapeMrkdwn before it lands in a mrkdwn text, so a candidate can't inject `<!channel>` or fake links.

export const MISSING = '—';

/** Escape the three characters Slack's mrkdwn treats as control characters. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Quote every line of a text (mrkdwn block quote). */
export function quote(text: string): string {
  return text
    .split('\n')
    .map((line) => `>${line}`)
    .join('\n');
}

/** A mrkdwn link when there is a URL, else the escaped label. */
export function link(url: string | null | undefined, label: string): string {
  const safeLabel = escapeMrkdwn(label).replace(/\|/g, '¦');
  if (!url || !/^https?:\/\//i.test(url) || /[<>|\s]/.test(url)) return safeLabel;
  return `<${url}|${safeLabel}>`;
}

// Built once: toLocaleString with options builds a new Intl.NumberFormat per call, which dominated card rendering.
const WHOLE_DOLLARS = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const CENTS = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 4 });

/** Exact dollars for prices: `$0.06`, `$42`, `$42.50`, `$1,250`. */
export function formatMoney(amount: number): string {
  const text = (Number.isInteger(amount) ? WHOLE_DOLLARS : CENTS).format(Math.abs(amount));
  return `${amount < 0 ? '-' : ''}$${text}`;
}

/** Compact dollars for totals: `$950`, `$2,400`, `$12k`, `$12.5k`, `$1.2M`; null → '—'. */
export function formatUsd(amount: number | null | undefined): string {
  if (amount === null || amount === undefined || !Number.isFinite(amount)) return MISSING;
  const sign = amount < 0 ? '-' : '';
  const value = Math.abs(amount);
  if (value >= 1_000_000) return `${sign}$${trimZero((value / 1_000_000).toFixed(1))}M`;
  if (value >= 10_000) return `${sign}$${trimZero((value / 1000).toFixed(1))}k`;
  return `${sign}$${WHOLE_DOLLARS.format(Math.round(value))}`;
}

function trimZero(text: string): string {
  return text.endsWith('.0') ? text.slice(0, -2) : text;
}

/** `$0.06 / label`, `$42 / hour`, `$500 fixed`, unknown units raw (`$5 / per_batch`); no amount → '—'. */
export function formatBid(bid: Pick<Bid, 'amountUsd' | 'unit'>): string {
  if (bid.amountUsd === null || !Number.isFinite(bid.amountUsd)) return MISSING;
  const money = formatMoney(bid.amountUsd);
  switch (bid.unit) {
    case 'PER_LABEL':
      return `${money} / label`;
    case 'PER_HOUR':
      return `${money} / hour`;
    case 'FIXED':
      return `${money} fixed`;
    default:
      return bid.unit.trim() === '' ? money : `${money} / ${bid.unit}`;
  }
}

/** `86/100`, or '—' when there is no score. Scores arrive already normalised to 0–100. */
export function formatScore(score: number | null | undefined): string {
  if (score === null || score === undefined || !Number.isFinite(score)) return MISSING;
  return `${Math.round(score)}/100`;
}

/** Parse an ISO timestamp; null when the API sent a placeholder or garbage. */
export function parseDate(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const parsed = parseISO(iso);
  return isValid(parsed) ? parsed : null;
}

/** "about 2 hours ago" (date-fns); an unparsable value is shown as received. */
export function formatRelative(iso: string, now: Date): string {
  const date = parseDate(iso);
  return date ? formatDistance(date, now, { addSuffix: true }) : iso;
}

/** A date in a given IANA time zone (UTC when the zone is unknown), e.g. "Monday 23 November 2026". */
export function formatInZone(date: Date, timeZone: string, pattern: string): string {
  try {
    return format(new TZDate(date, timeZone), pattern);
  } catch {
    return format(new TZDate(date, 'UTC'), pattern);
  }
}

/**
 * A timestamp Slack renders in each viewer's own time zone (`<!date^…^{token}|fallback>`); the fallback, shown by
 * clients that can't, is the UTC time. Unparsable values are shown raw (escaped).
 */
export function slackDate(iso: string, token: '{time}' | '{date_short_pretty} {time}' | '{date_short}'): string {
  const date = parseDate(iso);
  if (!date) return escapeMrkdwn(iso);
  const fallbackPattern = token === '{time}' ? 'HH:mm' : token === '{date_short}' ? 'd MMM yyyy' : 'd MMM yyyy HH:mm';
  const fallback = `${formatInZone(date, 'UTC', fallbackPattern)}${token === '{date_short}' ? '' : ' UTC'}`;
  return `<!date^${Math.floor(date.getTime() / 1000)}^${token}|${fallback}>`;
}

/** "Individual" / "Agency"; other values humanised; null when unknown. */
export function talentTypeLabel(talentType: TalentType | null | undefined): string | null {
  if (!talentType) return null;
  const lower = talentType.toLowerCase();
  if (lower === 'individual' || lower === 'freelancer') return 'Individual';
  if (lower === 'agency') return 'Agency';
  return humanize(talentType);
}

/** `FULL_TIME` → "Full time", `SENTIMENT_ANALYSIS` → "Sentiment analysis"; mixed-case text is left alone. */
export function humanize(value: string): string {
  if (value !== value.toUpperCase()) return value;
  const words = value.toLowerCase().replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** "Maria G." — masked exactly as the API gives it. */
export function candidateName(candidate: Pick<Candidate, 'displayName'>): string {
  return candidate.displayName.trim() === '' ? 'Unnamed candidate' : candidate.displayName;
}

/** mrkdwn headline: "*Maria G.* · Text Annotation Specialist", the name linked when a URL is known. */
export function candidateHeadline(
  candidate: Pick<Candidate, 'displayName' | 'profileTitle'>,
  url?: string | null,
): string {
  const name = `*${link(url, candidateName(candidate))}*`;
  return candidate.profileTitle ? `${name} · ${escapeMrkdwn(candidate.profileTitle)}` : name;
}

/** One plain line about a candidate for lists: "Maria G. · Spain · Individual · 7 reviews". */
export function candidateSummaryLine(candidate: Candidate): string {
  const parts = [candidateName(candidate)];
  if (candidate.country) parts.push(candidate.country);
  const type = talentTypeLabel(candidate.talentType);
  if (type) parts.push(type);
  if (candidate.reviewCount !== null) parts.push(plural(candidate.reviewCount, 'review'));
  return parts.join(' · ');
}

/** "1 review", "7 reviews". */
export function plural(count: number, noun: string, pluralNoun = `${noun}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? noun : pluralNoun}`;
}

/** "2023–2025", "2023–present", "2023", "until 2025", or '' when nothing is known. */
export function formatYears(fromYear: number | null, toYear: number | null, ongoing: boolean): string {
  const end = ongoing ? 'present' : toYear !== null ? String(toYear) : null;
  if (fromYear !== null && end !== null)
    return fromYear === toYear && !ongoing ? String(fromYear) : `${fromYear}–${end}`;
  if (fromYear !== null) return String(fromYear);
  if (end !== null) return ongoing ? 'present' : `until ${end}`;
  return '';
}
