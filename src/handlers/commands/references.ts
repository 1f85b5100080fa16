import { escapeMrkdwn } from '../../blocks/format.js';
import { decodeSlackEntities } from '../../blocks/slack-text.js';

// What `/hiring` arguments refer to on OpenTrain — ids, profile slugs and pasted links (also as Slack's
// `<url|label>`), jobs by id or part of their title — and how a person's input is quoted back in an answer. Pure.

/** The longest piece of someone's input quoted back in an answer. */
const QUOTED_MAX = 80;

/** Input quoted back in an answer: escaped, and at most QUOTED_MAX characters (a pasted essay isn't echoed whole). */
export function quoted(text: string): string {
  const chars = [...text];
  return escapeText(chars.length > QUOTED_MAX ? `${chars.slice(0, QUOTED_MAX).join('')}…` : text);
}

export function collapse(text: string): string {
  return text.trim().replace(/\s+/g, ' ');
}

/** Escaped, and without backticks: the quote sits inside inline code in the answer. */
function escapeText(text: string): string {
  return escapeMrkdwn(text).replace(/`/g, "'");
}

/** `opentrain.ai/…` typed without a scheme (Slack doesn't make it a link). */
export function looksLikeBareOpenTrainUrl(value: string): boolean {
  return /^(?:www\.|app\.)?opentrain\.ai\//i.test(value);
}

/** `<https://…|label>` or `<https://…>` → the URL. */
export function linkTarget(token: string): string | null {
  const match = /^<(https?:\/\/[^|>]+)(?:\|[^>]*)?>$/i.exec(token);
  return match ? match[1]! : null;
}

const PATH_KEYS: Record<'job' | 'proposal' | 'freelancer', string[]> = {
  job: ['jobs', 'job'],
  proposal: ['proposals', 'proposal'],
  freelancer: ['profile', 'profiles', 'freelancers', 'freelancer', 'trainers', 'trainer'],
};

const QUERY_KEYS: Record<'job' | 'proposal' | 'freelancer', string[]> = {
  job: ['jobId', 'job'],
  proposal: ['proposalId', 'proposal'],
  freelancer: ['freelancerId', 'freelancer', 'profile'],
};

/**
 * The OpenTrain id (or profile slug) an argument names: an OpenTrain link of that kind (`…/jobs/<id>`,
 * `…/proposals/<id>`, `…/profile/<slug>`, also wrapped as `<url|label>`, with query strings or trailing slashes),
 * or a bare id/slug. Null when it's a link to something else or not a single token.
 */
export function extractOpenTrainId(arg: string, kind: 'job' | 'proposal' | 'freelancer'): string | null {
  let value = arg.trim();
  if (value.startsWith('<') && value.endsWith('>')) value = linkTarget(value) ?? value.slice(1, -1).split('|')[0]!;
  value = decodeSlackEntities(value).trim();
  if (looksLikeBareOpenTrainUrl(value)) value = `https://${value}`;
  if (/^https?:\/\//i.test(value)) return idFromUrl(value, kind);
  if (value.length === 0 || /\s/.test(value) || value.includes('/')) return null;
  return value.replace(/^@/, '');
}

function idFromUrl(value: string, kind: 'job' | 'proposal' | 'freelancer'): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  const segments = url.pathname.split('/').filter((segment) => segment.length > 0);
  // The last matching key wins: /jobs/<job>/proposals/<proposal> names a proposal when asked for one.
  for (let index = segments.length - 2; index >= 0; index -= 1) {
    if (PATH_KEYS[kind].includes(segments[index]!.toLowerCase())) {
      return safeDecode(segments[index + 1]!);
    }
  }
  for (const key of QUERY_KEYS[kind]) {
    const fromQuery = url.searchParams.get(key);
    if (fromQuery) return fromQuery;
  }
  return null;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export type JobResolution<J> = { ok: true; job: J } | { ok: false; message: string };

/** How many ambiguous matches an answer lists before "and N more". */
const AMBIGUOUS_LISTED = 5;

/**
 * Find the job an argument means: its exact id, the id in a pasted link, else a unique case-insensitive part of
 * its title (an exact title wins over longer titles containing it; words in any order as a last resort).
 */
export function resolveJob<J extends { id: string; title: string }>(arg: string, jobs: J[]): JobResolution<J> {
  const query = collapse(arg);
  if (query.length === 0) return { ok: false, message: 'Which job? Give its id, link, or part of its title.' };

  const id = extractOpenTrainId(query, 'job');
  if (id) {
    const exact = jobs.find((job) => job.id === id) ?? jobs.find((job) => job.id.toLowerCase() === id.toLowerCase());
    if (exact) return { ok: true, job: exact };
    if (/^https?:\/\//i.test(query) || query.startsWith('<')) {
      return { ok: false, message: `None of your jobs has the id \`${quoted(id)}\` from that link.` };
    }
  } else if (/^<?https?:\/\//i.test(query)) {
    return { ok: false, message: "That link doesn't point to an OpenTrain job." };
  }

  const needle = normaliseTitle(query);
  const exactTitle = jobs.filter((job) => normaliseTitle(job.title) === needle);
  if (exactTitle.length === 1) return { ok: true, job: exactTitle[0]! };
  let matches = jobs.filter((job) => normaliseTitle(job.title).includes(needle));
  if (matches.length === 0) {
    const words = needle.split(' ');
    matches = jobs.filter((job) => {
      const title = normaliseTitle(job.title);
      return words.every((word) => title.includes(word));
    });
  }
  if (matches.length === 1) return { ok: true, job: matches[0]! };
  const shown = quoted(query);
  if (matches.length === 0) {
    return { ok: false, message: `No job of yours matches “${shown}”. \`/hiring jobs\` lists them.` };
  }
  const listed = matches
    .slice(0, AMBIGUOUS_LISTED)
    .map((job) => `• ${escapeText(job.title)} (\`${escapeText(job.id)}\`)`)
    .join('\n');
  const more = matches.length > AMBIGUOUS_LISTED ? `\n…and ${matches.length - AMBIGUOUS_LISTED} more` : '';
  return {
    ok: false,
    message: `“${shown}” matches ${matches.length} jobs — use more of the title or the id:\n${listed}${more}`,
  };
}

function normaliseTitle(title: string): string {
  return title.toLowerCase().replace(/[‐-―]/g, '-').replace(/\s+/g, ' ').trim();
}
