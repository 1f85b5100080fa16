import { HIRING_USAGE, type HiringSubcommand } from '../../blocks/help.js';
import { decodeSlackEntities } from '../../blocks/slack-text.js';
import { isProposalStatus, normaliseProposalStatus, PROPOSAL_STATUSES, type Weights } from '../../domain.js';
import { own } from '../../records.js';
import { ASK_POLICY } from '../../services/ask-plan.js';
import { parseWeightsArgs } from '../../services/ranking.js';
import { collapse, extractOpenTrainId, linkTarget, looksLikeBareOpenTrainUrl, quoted } from './references.js';

// `/hiring …` text → a typed command (docs/architecture.md#hiring-command). Forgiving by design: case and extra spaces
// don't matter; ids, profile slugs and pasted OpenTrain links (also as Slack's `<url|label>`) all work;
// `should_escape: true` delivers channels as `<#C123|name>`. Pure: no I/O, no Bolt.

export type ParsedCommand =
  | { kind: 'help' }
  | { kind: 'jobs' }
  | { kind: 'proposals'; job: string; status?: string; top?: number }
  | { kind: 'shortlist'; job: string; top?: number; here?: boolean }
  | { kind: 'transcript'; proposal: string }
  | { kind: 'profile'; freelancer: string }
  | { kind: 'invite'; freelancer: string; job: string }
  | { kind: 'watch'; job: string; channelId?: string }
  | { kind: 'unwatch'; job: string }
  | { kind: 'watching' }
  | { kind: 'weights'; weights?: Partial<Weights>; job?: string; reset?: boolean }
  | { kind: 'digest' }
  | { kind: 'status' }
  | { kind: 'ask'; job: string; top?: number }
  | { kind: 'invalid'; message: string }
  | { kind: 'unknown'; input: string };

/** The largest `top N` honoured; a job listing beyond that isn't a summary any more. */
export const MAX_TOP = 100;

const ALIASES: Record<string, HiringSubcommand> = {
  help: 'help',
  '?': 'help',
  '-h': 'help',
  '--help': 'help',
  usage: 'help',
  jobs: 'jobs',
  job: 'jobs',
  proposals: 'proposals',
  proposal: 'proposals',
  candidates: 'proposals',
  list: 'proposals',
  rank: 'proposals',
  shortlist: 'shortlist',
  finalists: 'shortlist',
  transcript: 'transcript',
  interview: 'transcript',
  profile: 'profile',
  freelancer: 'profile',
  trainer: 'profile',
  invite: 'invite',
  watch: 'watch',
  unwatch: 'unwatch',
  watching: 'watching',
  watched: 'watching',
  weights: 'weights',
  weight: 'weights',
  digest: 'digest',
  status: 'status',
  health: 'status',
  ask: 'ask',
  question: 'ask',
  questions: 'ask',
};

export function parseHiringCommand(text: string): ParsedCommand {
  const tokens = tokenize(text);
  const first = tokens[0];
  if (first === undefined) return { kind: 'help' };
  const subcommand = own(ALIASES, first.toLowerCase());
  if (!subcommand) return { kind: 'unknown', input: quoted(collapse(decodeSlackEntities(text))) };
  const args = tokens.slice(1);

  switch (subcommand) {
    case 'help':
    case 'jobs':
    case 'watching':
    case 'digest':
    case 'status':
      return { kind: subcommand };
    case 'proposals':
      return parseProposals(args);
    case 'shortlist':
      return parseShortlist(args);
    case 'transcript': {
      const proposal = singleArg(args, 'proposal');
      if (typeof proposal !== 'string') return invalid('transcript', proposal.problem);
      return { kind: 'transcript', proposal };
    }
    case 'profile': {
      const freelancer = singleArg(args, 'freelancer');
      if (typeof freelancer !== 'string') return invalid('profile', freelancer.problem);
      return { kind: 'profile', freelancer };
    }
    case 'invite': {
      const [who, ...rest] = args;
      if (who === undefined || rest.length === 0) {
        return invalid('invite', 'Say who to invite and to which job.');
      }
      if (/^<@/.test(who)) {
        return invalid('invite', "That's a Slack user — give the trainer's OpenTrain id, profile slug or link.");
      }
      const freelancer = extractOpenTrainId(who, 'freelancer');
      const job = jobArg(rest);
      if (!freelancer || !job) return invalid('invite', 'Say who to invite and to which job.');
      return { kind: 'invite', freelancer, job };
    }
    case 'watch': {
      const channelTokens = args.filter(isChannelToken);
      const rawChannel = args.find((arg) => /^#\S+/.test(arg));
      if (channelTokens.length > 1) return invalid('watch', 'Give one channel.');
      if (rawChannel && channelTokens.length === 0) {
        return invalid('watch', `I can't tell which channel \`${quoted(rawChannel)}\` is — pick it from the # list.`);
      }
      const job = jobArg(args.filter((arg) => !isChannelToken(arg)));
      if (!job) return invalid('watch', 'Which job?');
      const channelId = channelTokens[0] ? channelIdOf(channelTokens[0]) : undefined;
      return channelId ? { kind: 'watch', job, channelId } : { kind: 'watch', job };
    }
    case 'unwatch': {
      const job = jobArg(args);
      if (!job) return invalid('unwatch', 'Which job?');
      return { kind: 'unwatch', job };
    }
    case 'weights':
      return parseWeights(args);
    case 'ask': {
      const taken = takeTop(args, 'ask', ASK_POLICY.maxFinalists);
      if ('kind' in taken) return taken;
      const job = jobArg(taken.rest);
      if (!job) return invalid('ask', 'Which job? Give its id, link, or part of its title.');
      return { kind: 'ask', job, ...(taken.top !== undefined ? { top: taken.top } : {}) };
    }
  }
}

/** `top N` (or `topN`, `top=N`) at the end of the arguments, between 1 and `max`. */
function takeTop(
  args: string[],
  subcommand: HiringSubcommand,
  max: number,
): { rest: string[]; top: number | undefined } | ParsedCommand {
  let rest = [...args];
  let top: number | undefined;
  const last = rest.at(-1)?.toLowerCase();
  const beforeLast = rest.at(-2)?.toLowerCase();
  const glued = last ? /^top[=:]?(\d+)$/.exec(last) : null;
  if (glued) {
    top = Number(glued[1]);
    rest = rest.slice(0, -1);
  } else if (beforeLast === 'top' && last !== undefined) {
    if (!/^\d+$/.test(last)) return invalid(subcommand, `\`top\` needs a whole number, e.g. \`top 5\`.`);
    top = Number(last);
    rest = rest.slice(0, -2);
  } else if (last === 'top') {
    return invalid(subcommand, '`top` needs a number, e.g. `top 5`.');
  }
  if (top !== undefined && (top < 1 || top > max)) {
    return invalid(subcommand, `\`top\` must be between 1 and ${max}.`);
  }
  return { rest, top };
}

/** `shortlist <job> [top N] [here]`: `here` and `top N` in either order after the job. */
function parseShortlist(args: string[]): ParsedCommand {
  let rest = [...args];
  let here = false;
  if (rest.at(-1)?.toLowerCase() === 'here') {
    here = true;
    rest = rest.slice(0, -1);
  }
  const taken = takeTop(rest, 'shortlist', ASK_POLICY.maxFinalists);
  if ('kind' in taken) return taken;
  rest = taken.rest;
  if (!here && rest.at(-1)?.toLowerCase() === 'here') {
    here = true;
    rest = rest.slice(0, -1);
  }
  const job = jobArg(rest);
  if (!job) return invalid('shortlist', 'Which job? Give its id, link, or part of its title.');
  return {
    kind: 'shortlist',
    job,
    ...(taken.top !== undefined ? { top: taken.top } : {}),
    ...(here ? { here: true } : {}),
  };
}

function parseProposals(args: string[]): ParsedCommand {
  const taken = takeTop(args, 'proposals', MAX_TOP);
  if ('kind' in taken) return taken;
  let rest = taken.rest;
  const top = taken.top;

  // An explicit `status:x` / `status=x` anywhere; else a known status at the end (it may be several words).
  let status: string | undefined;
  const explicit = rest.findIndex((arg) => /^status[=:]/i.test(arg));
  if (explicit >= 0) {
    const value = normaliseProposalStatus(rest[explicit]!.replace(/^status[=:]/i, ''));
    if (!isProposalStatus(value)) {
      return invalid('proposals', `Unknown status \`${quoted(value)}\`. Use one of: ${statusList()}.`);
    }
    status = value;
    rest = rest.filter((_, index) => index !== explicit);
  } else {
    for (let words = Math.min(3, rest.length - 1); words >= 1; words -= 1) {
      const candidate = normaliseProposalStatus(rest.slice(-words).join(' '));
      if (isProposalStatus(candidate)) {
        status = candidate;
        rest = rest.slice(0, -words);
        break;
      }
    }
  }
  const job = jobArg(rest);
  if (!job) return invalid('proposals', 'Which job? Give its id, link, or part of its title.');
  return { kind: 'proposals', job, ...(status ? { status } : {}), ...(top !== undefined ? { top } : {}) };
}

function parseWeights(args: string[]): ParsedCommand {
  // `weights reset [job]`: back to the defaults (global) or to the global weights (one job).
  if (args[0]?.toLowerCase() === 'reset') {
    const job = jobArg(args.slice(1));
    return { kind: 'weights', reset: true, ...(job ? { job } : {}) };
  }
  // Links stay whole (a label may hold spaces); everything else goes through the weights reader.
  const plain = args.map((arg) => (isLinkToken(arg) ? (linkTarget(arg) ?? arg) : arg));
  const parsed = parseWeightsArgs(plain);
  if ('error' in parsed) return invalid('weights', parsed.error);
  const job = jobArg(parsed.rest);
  const hasWeights = Object.keys(parsed.weights).length > 0;
  return {
    kind: 'weights',
    ...(hasWeights ? { weights: parsed.weights } : {}),
    ...(job ? { job } : {}),
  };
}

function statusList(): string {
  return PROPOSAL_STATUSES.map((status) => status.toLowerCase().replace(/_/g, ' ')).join(', ');
}

function invalid(subcommand: HiringSubcommand, problem: string): ParsedCommand {
  return { kind: 'invalid', message: `${problem} Usage: \`${HIRING_USAGE[subcommand].usage}\`` };
}

// --- tokens ------------------------------------------------------------------------------------------------------

/** Split on whitespace, keeping Slack's `<…>` tokens whole even when their label holds spaces. */
function tokenize(text: string): string[] {
  return (text.match(/<[^<>]*>|[^\s<]+|</g) ?? []).map((token) =>
    token.startsWith('<') ? token : decodeSlackEntities(token),
  );
}

function isLinkToken(token: string): boolean {
  return /^<https?:\/\//i.test(token);
}

function isChannelToken(token: string): boolean {
  return /^<#[A-Z0-9]+(?:\|[^>]*)?>$/i.test(token);
}

function channelIdOf(token: string): string | undefined {
  return /^<#([A-Z0-9]+)/i.exec(token)?.[1];
}

const KIND_WORDS = { job: 'job', proposal: 'proposal', freelancer: 'trainer profile' } as const;

/** One id/slug/link argument of the given kind, or the problem with what was given. */
function singleArg(args: string[], kind: 'proposal' | 'freelancer'): string | { problem: string } {
  const what =
    kind === 'proposal'
      ? 'Which proposal? Give its id or paste its link.'
      : "Whose profile? Give the trainer's id, profile slug or link.";
  if (args.length === 0) return { problem: what };
  if (args.some((arg) => /^<@/.test(arg))) {
    return { problem: "That's a Slack user — give the trainer's OpenTrain id, profile slug or link." };
  }
  if (args.length > 1) return { problem: `Give one ${KIND_WORDS[kind]} id or link (ids have no spaces).` };
  const id = extractOpenTrainId(args[0]!, kind);
  return id ?? { problem: `That link doesn't point to an OpenTrain ${KIND_WORDS[kind]}.` };
}

/** A job reference from the remaining words: a link's id, or the words themselves (an id or part of a title). */
function jobArg(args: string[]): string | null {
  if (args.length === 0) return null;
  if (args.length === 1) {
    const only = args[0]!;
    if (isLinkToken(only) || /^https?:\/\//i.test(only) || looksLikeBareOpenTrainUrl(only)) {
      // A link to something else is passed on as is; resolveJob then says it isn't a job link.
      return extractOpenTrainId(only, 'job') ?? linkTarget(only) ?? only;
    }
  }
  const words = args.map((arg) => (isLinkToken(arg) ? linkLabelOrTarget(arg) : arg));
  const joined = collapse(words.join(' '));
  return joined.length > 0 ? joined : null;
}

function linkLabelOrTarget(token: string): string {
  const match = /^<([^|>]+)(?:\|([^>]*))?>$/.exec(token);
  return match?.[2]?.trim() || match?.[1] || token;
}
