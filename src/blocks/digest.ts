import { askFinalistsActions } from './ask.js';
import { escapeMrkdwn, formatInZone, formatScore, link, plural, slackDate } from './format.js';
import { fitMessage, type KnownBlock, LIMITS, type MessageContent, splitText } from './limits.js';

// The daily digest (docs/architecture.md#digest): one message per watched channel, one section per job.

export interface DigestJob {
  jobId: string;
  title: string;
  newCount: number;
  unreviewedCount: number;
  /** Best first; the digest shows the first three. */
  top: { proposalId: string; name: string; score: number | null; partial: boolean; permalink: string | null }[];
  awaitingReply: { name: string; needsReply: number; permalink: string | null }[];
  splitVotes: { name: string; up: number; down: number; maybe: number; permalink: string | null }[];
  /** Hires waiting for a person's approval on OpenTrain, soonest expiry first (docs/opentrain.md#hiring). */
  approvals?: DigestApproval[];
}

export interface DigestApproval {
  name: string;
  permalink: string | null;
  approvalUrl: string | null;
  expiresAt: string | null;
  /** Slack user who asked; null when asked outside Slack. */
  requestedBy: string | null;
  /** Expires within APPROVAL_POLICY.expiringSoonMs. */
  expiringSoon: boolean;
}

export interface DigestInput {
  generatedAt: Date;
  timeZone: string;
  jobs: DigestJob[];
}

const TOP_SHOWN = 3;
/** Long lists inside a job are cut with a count; the cards themselves hold the rest. */
const LIST_SHOWN = 10;

export function digestMessage(input: DigestInput): MessageContent {
  const date = formatInZone(input.generatedAt, input.timeZone, 'EEEE d MMMM yyyy');
  const title = `Daily hiring digest — ${date}`;
  const totalNew = input.jobs.reduce((sum, job) => sum + job.newCount, 0);
  const blocks: KnownBlock[] = [
    { type: 'header', block_id: 'digest_header', text: { type: 'plain_text', text: title } },
  ];

  if (input.jobs.length === 0) {
    blocks.push({
      type: 'context',
      block_id: 'digest_empty',
      elements: [{ type: 'mrkdwn', text: 'Nothing new on your watched jobs.' }],
    });
    return fitMessage({ text: `${title}: nothing new.`, blocks });
  }

  input.jobs.forEach((job, index) => {
    if (index > 0) blocks.push({ type: 'divider' });
    const pieces = splitText(jobText(job), LIMITS.sectionText);
    pieces.forEach((piece, part) => {
      blocks.push({
        type: 'section',
        block_id: `digest_job_${index}${part > 0 ? `_${part}` : ''}`,
        text: { type: 'mrkdwn', text: piece },
      });
    });
    if (job.top.length > 0) blocks.push(askFinalistsActions(job.jobId, `digest_ask_${index}`));
  });

  const text = `${title}: ${plural(totalNew, 'new proposal')} across ${plural(input.jobs.length, 'job')}.`;
  return fitMessage({ text, blocks });
}

function jobText(job: DigestJob): string {
  const lines = [
    `*${escapeMrkdwn(job.title)}*`,
    `${plural(job.newCount, 'new proposal')} in the last 24 h · ${job.unreviewedCount.toLocaleString('en-US')} unreviewed`,
  ];
  if (job.top.length > 0) {
    lines.push('', '*Top candidates*');
    job.top.slice(0, TOP_SHOWN).forEach((entry, index) => {
      const partial = entry.partial && entry.score !== null ? ' _(partial)_' : '';
      lines.push(`${index + 1}. ${link(entry.permalink, entry.name)} — ${formatScore(entry.score)}${partial}`);
    });
  }
  if (job.awaitingReply.length > 0) {
    lines.push('', '*Awaiting our reply*');
    for (const entry of job.awaitingReply.slice(0, LIST_SHOWN)) {
      lines.push(`• ${link(entry.permalink, entry.name)} — ${plural(entry.needsReply, 'message')} to answer`);
    }
    if (job.awaitingReply.length > LIST_SHOWN) lines.push(`…and ${job.awaitingReply.length - LIST_SHOWN} more`);
  }
  if (job.splitVotes.length > 0) {
    lines.push('', '*Split votes*');
    for (const entry of job.splitVotes.slice(0, LIST_SHOWN)) {
      lines.push(`• ${link(entry.permalink, entry.name)} — 👍 ${entry.up} · 👎 ${entry.down} · 🤔 ${entry.maybe}`);
    }
    if (job.splitVotes.length > LIST_SHOWN) lines.push(`…and ${job.splitVotes.length - LIST_SHOWN} more`);
  }
  const approvals = job.approvals ?? [];
  if (approvals.length > 0) {
    lines.push('', '*Hires waiting for approval*');
    for (const entry of approvals.slice(0, LIST_SHOWN)) lines.push(`• ${approvalLine(entry)}`);
    if (approvals.length > LIST_SHOWN) lines.push(`…and ${approvals.length - LIST_SHOWN} more`);
  }
  return lines.join('\n');
}

/** "Maria G. — requested by @alice · ⚠️ expires within a day (3 Dec 10:00) · Open the approval". */
export function approvalLine(entry: DigestApproval): string {
  const who = entry.requestedBy ? `requested by <@${entry.requestedBy}>` : 'requested on OpenTrain';
  const when = entry.expiresAt ? slackDate(entry.expiresAt, '{date_short_pretty} {time}') : null;
  const expiry = when ? (entry.expiringSoon ? `⚠️ expires within a day (${when})` : `expires ${when}`) : null;
  const parts = [`${link(entry.permalink, entry.name)} — ${who}`, expiry, link(entry.approvalUrl, 'Open the approval')];
  return parts.filter((part): part is string => part !== null).join(' · ');
}
