import type { types } from '@slack/bolt';
import { askFinalistsActions } from './ask.js';
import { escapeMrkdwn, formatRelative, formatScore, humanize, link, plural } from './format.js';
import { fitMessage, type KnownBlock, LIMITS, type MessageContent, splitText } from './limits.js';

// Over ~300 lines on purpose: the wording of every /hiring answer in one place, so the answers read alike.
// Ephemeral answers to `/hiring …` (docs/architecture.md#hiring-command): usage, errors, lists and the health report.

export type HiringSubcommand =
  | 'help'
  | 'jobs'
  | 'proposals'
  | 'transcript'
  | 'profile'
  | 'invite'
  | 'watch'
  | 'unwatch'
  | 'watching'
  | 'weights'
  | 'digest'
  | 'status'
  | 'ask';

/** One usage line per subcommand; the parser quotes the same lines when an argument is missing or malformed. */
export const HIRING_USAGE: Record<HiringSubcommand, { usage: string; does: string }> = {
  jobs: { usage: '/hiring jobs', does: 'your jobs with status, proposal counts and where their cards go' },
  proposals: {
    usage: '/hiring proposals <job> [status] [top N]',
    does: 'a job’s proposals ranked by composite score, with links to their cards',
  },
  transcript: { usage: '/hiring transcript <proposal>', does: 'the AI-interview transcript of a proposal' },
  profile: {
    usage: '/hiring profile <freelancer id, slug or URL>',
    does: 'a trainer’s masked public profile: skills, stats, experience, reviews',
  },
  invite: { usage: '/hiring invite <freelancer> <job>', does: 'invite a trainer to one of your published jobs' },
  ask: {
    usage: '/hiring ask <job> [top N]',
    does: 'ask the top finalists (default 3) one or two questions in their OpenTrain conversations',
  },
  watch: { usage: '/hiring watch <job> [#channel]', does: 'post a job’s cards in a channel (default: this one)' },
  unwatch: { usage: '/hiring unwatch <job>', does: 'stop posting a job’s cards' },
  watching: { usage: '/hiring watching', does: 'the watched jobs and their channels' },
  weights: {
    usage: '/hiring weights [interview=0.5 match=0.3 price=0.2] [job]',
    does: 'show or set the ranking weights, for one job or for all (`/hiring weights reset [job]` undoes a change)',
  },
  digest: { usage: '/hiring digest', does: 'post the daily digest to this channel now' },
  status: { usage: '/hiring status', does: 'health: token and claim, features, watched jobs, last sync, errors' },
  help: { usage: '/hiring help', does: 'this message' },
};

const HELP_GROUPS: [string, HiringSubcommand[]][] = [
  ['Review', ['jobs', 'proposals', 'transcript', 'profile', 'invite', 'ask']],
  ['Route cards', ['watch', 'unwatch', 'watching']],
  ['Rank and report', ['weights', 'digest', 'status', 'help']],
];

export function helpMessage(): MessageContent {
  const blocks: KnownBlock[] = [
    {
      type: 'header',
      block_id: 'help_header',
      text: { type: 'plain_text', text: '/hiring — review OpenTrain proposals' },
    },
  ];
  for (const [group, commands] of HELP_GROUPS) {
    const lines = commands.map((command) => {
      const { usage, does } = HIRING_USAGE[command];
      return `\`${escapeMrkdwn(usage)}\` — ${does}`;
    });
    blocks.push({
      type: 'section',
      block_id: `help_${group.toLowerCase().replace(/\W+/g, '_')}`,
      text: { type: 'mrkdwn', text: `*${group}*\n${lines.join('\n')}` },
    });
  }
  blocks.push({
    type: 'context',
    block_id: 'help_arguments',
    elements: [
      {
        type: 'mrkdwn',
        text:
          'A job can be its id, its OpenTrain link, or a unique part of its title; a trainer an id, profile slug or link. ' +
          'Statuses: unreviewed, shortlisted, maybe, hired, declined, not a fit, resume sent. Case and spaces don’t matter.',
      },
    ],
  });
  return fitMessage({ text: 'How to use /hiring — try `/hiring jobs` to start.', blocks });
}

/** A short ephemeral answer to input we couldn't use, pointing at the usage. */
export function usageError(message: string): MessageContent {
  return fitMessage({
    text: message,
    blocks: [
      { type: 'section', block_id: 'usage_error', text: { type: 'mrkdwn', text: `:warning: ${message}` } },
      {
        type: 'context',
        block_id: 'usage_hint',
        elements: [{ type: 'mrkdwn', text: '`/hiring help` lists every command.' }],
      },
    ],
  });
}

export interface JobRow {
  id: string;
  title: string;
  status: string;
  total: number;
  unreviewed: number;
  channelId: string | null;
  watched: boolean;
}

export function jobsMessage(rows: JobRow[]): MessageContent {
  const header = headerBlock('jobs_header', 'Your OpenTrain jobs');
  if (rows.length === 0) {
    return fitMessage({
      text: 'You have no jobs on OpenTrain yet.',
      blocks: [header, contextBlock('jobs_empty', 'You have no jobs on OpenTrain yet — post one there first.')],
    });
  }
  const lines = rows.map((row) => {
    const counts = `${plural(row.total, 'proposal')} (${row.unreviewed.toLocaleString('en-US')} unreviewed)`;
    return `• *${escapeMrkdwn(row.title)}* \`${escapeMrkdwn(row.id)}\`\n   ${escapeMrkdwn(humanize(row.status))} · ${counts} · ${routeText(row)}`;
  });
  const blocks = [header, ...sections('jobs_list', lines)];
  blocks.push(contextBlock('jobs_hint', 'Route a job’s cards with `/hiring watch <job> [#channel]`.'));
  return fitMessage({ text: `Your OpenTrain jobs (${rows.length})`, blocks });
}

function routeText(row: { watched: boolean; channelId: string | null }): string {
  if (!row.watched) return 'not watched';
  return row.channelId ? `cards → <#${row.channelId}>` : 'watched, but no channel is set';
}

export interface WatchingRow {
  id: string;
  title: string;
  channelId: string | null;
}

export function watchingMessage(rows: WatchingRow[]): MessageContent {
  const header = headerBlock('watching_header', 'Watched jobs');
  if (rows.length === 0) {
    const text = 'No job is watched. Start with `/hiring watch <job> [#channel]`.';
    return fitMessage({ text, blocks: [header, contextBlock('watching_empty', text)] });
  }
  const lines = rows.map(
    (row) => `• *${escapeMrkdwn(row.title)}* → ${row.channelId ? `<#${row.channelId}>` : '_no channel set_'}`,
  );
  return fitMessage({ text: `Watched jobs (${rows.length})`, blocks: [header, ...sections('watching_list', lines)] });
}

export interface ProposalRow {
  rank: number;
  name: string;
  score: number | null;
  partial: boolean;
  status: string;
  /** Already formatted, e.g. "$0.06 / label". */
  bid: string;
  permalink: string | null;
}

/** With `jobId`, the answer offers "Ask finalists…" for the job. */
export function proposalsMessage(input: { jobTitle: string; jobId?: string; rows: ProposalRow[] }): MessageContent {
  const header = headerBlock('proposals_header', `Proposals — ${input.jobTitle}`);
  if (input.rows.length === 0) {
    const text = `No proposals on ${escapeMrkdwn(input.jobTitle)} match.`;
    return fitMessage({ text, blocks: [header, contextBlock('proposals_empty', text)] });
  }
  const lines = input.rows.map((row) => {
    const partial = row.partial && row.score !== null ? ' _(partial)_' : '';
    return `${row.rank}. *${link(row.permalink, row.name)}* — ${formatScore(row.score)}${partial} · ${escapeMrkdwn(row.status)} · ${escapeMrkdwn(row.bid)}`;
  });
  const blocks = [header, ...sections('proposals_list', lines)];
  blocks.push(
    contextBlock(
      'proposals_hint',
      'Ranked by composite score (interview, match, price fit); _partial_ means a signal was missing. Names link to the cards.',
    ),
  );
  if (input.jobId) blocks.push(askFinalistsActions(input.jobId, 'proposals_ask'));
  return fitMessage({ text: `${plural(input.rows.length, 'proposal')} on ${escapeMrkdwn(input.jobTitle)}`, blocks });
}

export interface StatusReport {
  claimed: boolean;
  scopes: string[];
  features: Record<string, boolean>;
  watched: { title: string; channelId: string | null }[];
  lastSyncAt: string | null;
  cursor: string | null;
  lastError: string | null;
  mode: string | null;
  openTrainReachable: boolean;
  /** Channels the bot can't post to or read, each with what someone must do. */
  channelProblems: string[];
  now: Date;
  /** The last salvage of a damaged store file, if any. */
  storeRecovery?: {
    at: string;
    quarantined: number;
    quarantineFile: string | null;
    missing: number;
    headerFieldsLost: readonly string[];
    cardsReconciledAt: string | null;
  } | null;
  /** Proposals whose detail could not be read: retrying, or set aside until their next event. */
  failingProposals?: { id: string; attempts: number; setAside: boolean; reason: string; requestId: string | null }[];
}

/** The store section of `/hiring status`: what a damaged file cost (lines), or nothing when it never was. */
function storeRecoveryLines(r: NonNullable<StatusReport['storeRecovery']>, now: Date): string[] {
  const lines = [
    `Recovered a damaged data file ${escapeMrkdwn(formatRelative(r.at, now))}: ` +
      `${plural(r.quarantined, 'unreadable record')} quarantined` +
      (r.quarantineFile ? ` in \`${escapeMrkdwn(r.quarantineFile)}\`` : ''),
  ];
  if (r.missing > 0) lines.push(`${plural(r.missing, 'record')} missing (the file was cut short)`);
  if (r.headerFieldsLost.includes('*'))
    lines.push('the header line was unreadable: cursor, jobs and settings were reset');
  else if (r.headerFieldsLost.length > 0) {
    lines.push(`header fields reset: ${r.headerFieldsLost.map((field) => `\`${escapeMrkdwn(field)}\``).join(', ')}`);
  }
  lines.push(
    r.cardsReconciledAt
      ? 'cards of lost records were looked up in channel history (none re-posted)'
      : 'cards of lost records are still being looked up in channel history; posting waits for it',
  );
  return lines;
}

export function statusMessage(s: StatusReport): MessageContent {
  const fields: [string, string][] = [
    ['OpenTrain', s.openTrainReachable ? '✅ reachable' : '❌ not reachable'],
    ['Account', s.claimed ? '✅ claimed' : '⚠️ not claimed — invites and messages need a claimed account'],
    ['Last sync', s.lastSyncAt ? escapeMrkdwn(formatRelative(s.lastSyncAt, s.now)) : 'never'],
    ['Sync mode', s.mode ? escapeMrkdwn(humanize(s.mode)) : '—'],
    ['Event cursor', s.cursor ? `\`${escapeMrkdwn(s.cursor)}\`` : 'none yet'],
    ['Watched jobs', String(s.watched.length)],
  ];
  const blocks: KnownBlock[] = [
    headerBlock('status_header', 'Hiring bot status'),
    {
      type: 'section',
      block_id: 'status_facts',
      fields: fields.map(([label, value]): types.MrkdwnElement => ({ type: 'mrkdwn', text: `*${label}*\n${value}` })),
    },
  ];
  const scopes = s.scopes.length > 0 ? s.scopes.map((scope) => `\`${escapeMrkdwn(scope)}\``).join(' ') : '_none_';
  blocks.push(sectionBlock('status_scopes', `*Token scopes*\n${scopes}`));
  const features = Object.entries(s.features).sort(([a], [b]) => a.localeCompare(b));
  const featureText =
    features.length > 0
      ? features.map(([name, on]) => `${on ? '✅' : '❌'} \`${escapeMrkdwn(name)}\``).join('\n')
      : '_unknown_';
  blocks.push(sectionBlock('status_features', `*Features*\n${featureText}`));
  if (s.watched.length > 0) {
    const lines = s.watched.map(
      (job) => `• ${escapeMrkdwn(job.title)} → ${job.channelId ? `<#${job.channelId}>` : '_no channel set_'}`,
    );
    blocks.push(...sections('status_watched', lines, '*Watched jobs*'));
  }
  if (s.channelProblems.length > 0) {
    blocks.push(
      ...sections(
        'status_channels',
        s.channelProblems.map((line) => `• ${line}`),
        '*Channels*',
      ),
    );
  }
  if (s.storeRecovery) {
    blocks.push(
      ...sections(
        'status_store',
        storeRecoveryLines(s.storeRecovery, s.now).map((line) => `• ${line}`),
        '*Data file*',
      ),
    );
  }
  if (s.failingProposals && s.failingProposals.length > 0) {
    const lines = s.failingProposals.map(
      (p) =>
        `• \`${escapeMrkdwn(p.id)}\` ` +
        `${p.setAside ? 'set aside until its next event' : `retrying (attempt ${p.attempts})`}: ` +
        `${escapeMrkdwn(p.reason)}${p.requestId ? ` (request ID \`${escapeMrkdwn(p.requestId)}\`)` : ''}`,
    );
    blocks.push(...sections('status_failing', lines, '*Proposals that could not be read*'));
  }
  blocks.push(
    sectionBlock('status_error', s.lastError ? `*Last error*\n${escapeMrkdwn(s.lastError)}` : '*Last error*\nnone'),
  );
  const summary = `Hiring bot status: OpenTrain ${s.openTrainReachable ? 'reachable' : 'not reachable'}, account ${
    s.claimed ? 'claimed' : 'not claimed'
  }, ${plural(s.watched.length, 'watched job')}.`;
  return fitMessage({ text: summary, blocks });
}

function headerBlock(blockId: string, text: string): KnownBlock {
  return { type: 'header', block_id: blockId, text: { type: 'plain_text', text } };
}

function sectionBlock(blockId: string, text: string): KnownBlock {
  return { type: 'section', block_id: blockId, text: { type: 'mrkdwn', text } };
}

function contextBlock(blockId: string, text: string): KnownBlock {
  return { type: 'context', block_id: blockId, elements: [{ type: 'mrkdwn', text }] };
}

/** Lines as as few sections as fit (each ≤ 3000 characters), never splitting a line unless it alone is too long. */
function sections(blockId: string, lines: string[], title?: string): KnownBlock[] {
  const text = title ? [title, ...lines].join('\n') : lines.join('\n');
  return splitText(text, LIMITS.sectionText).map((piece, index) =>
    sectionBlock(index === 0 ? blockId : `${blockId}_${index}`, piece),
  );
}
