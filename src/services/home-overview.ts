import { candidateName } from '../blocks/format.js';
import type {
  CardRef,
  HomeApprovalItem,
  HomeConversationItem,
  HomeFinalistItem,
  HomeJob,
  HomeOverview,
  HomeProposalItem,
} from '../blocks/home.js';
import { CLOSED_PROPOSAL_STATUSES } from '../domain.js';
import type { AskView, JobView, ProposalView, StoreView } from '../store/index.js';
import { isWatched, type WatchRules } from './jobs.js';

// What one person's App Home shows, computed from the store alone (no clock, no Slack): the open jobs with what is
// left to review, conversations awaiting our reply, finalists who haven't answered our questions and hire approvals
// waiting for a human. Pure, so the Home tab's fingerprint changes only when one of these does. See
// docs/slack.md#app-home.

export interface HomeOverviewInput {
  data: StoreView;
  userId: string;
  canAct: boolean;
  rules: WatchRules;
}

export function buildHomeOverview({ data, userId, canAct, rules }: HomeOverviewInput): HomeOverview {
  const byJob = new Map<string, ProposalView[]>();
  const awaitingReply: HomeConversationItem[] = [];
  const unansweredFinalists: HomeFinalistItem[] = [];
  const pendingApprovals: HomeApprovalItem[] = [];
  for (const stored of Object.values(data.proposals)) {
    const list = byJob.get(stored.proposal.jobId);
    if (list) list.push(stored);
    else byJob.set(stored.proposal.jobId, [stored]);
    const item = proposalItem(stored);
    const conversation = stored.conversation;
    if (conversation?.awaitingReply) {
      awaitingReply.push({
        ...item,
        toAnswer: Math.max(1, conversation.unread),
        lastInboundAt: conversation.lastInboundAt,
      });
    }
    const ask = unansweredAsk(stored);
    if (ask) {
      unansweredFinalists.push({ ...item, askedBy: ask.by, askedAt: ask.at, questions: ask.questions.length });
    }
    const hire = stored.hire;
    if (hire?.status === 'pending') {
      pendingApprovals.push({
        ...item,
        amountUsd: hire.terms?.amountUsd ?? null,
        requestedBy: hire.requestedBy,
        expiresAt: hire.expiresAt,
        approvalUrl: hire.approvalUrl,
      });
    }
  }
  const jobs = Object.values(data.jobs)
    .filter((job) => isWatched(job as Parameters<typeof isWatched>[0], rules))
    .map((job) => homeJob(job, byJob.get(job.id) ?? [], userId))
    .sort((a, b) => b.unreviewed - a.unreviewed || b.notVotedByYou - a.notVotedByYou || a.title.localeCompare(b.title));
  // Waiting longest first; approvals about to expire first (unknown expiry last); ties by id so the order is stable.
  awaitingReply.sort((a, b) => compareIso(a.lastInboundAt, b.lastInboundAt) || byId(a, b));
  unansweredFinalists.sort((a, b) => compareIso(a.askedAt, b.askedAt) || byId(a, b));
  pendingApprovals.sort((a, b) => compareIso(a.expiresAt, b.expiresAt) || byId(a, b));
  return { userId, canAct, jobs, awaitingReply, unansweredFinalists, pendingApprovals };
}

function homeJob(job: JobView, proposals: ProposalView[], userId: string): HomeJob {
  let unreviewed = 0;
  let notVotedByYou = 0;
  let next: ProposalView | null = null;
  for (const stored of proposals) {
    if (cardOf(stored) === null || isClosed(stored)) continue;
    if (Object.keys(stored.votes).length === 0) unreviewed += 1;
    if (!Object.hasOwn(stored.votes, userId)) {
      notVotedByYou += 1;
      if (next === null || olderThan(stored, next)) next = stored;
    }
  }
  return { jobId: job.id, title: job.title, unreviewed, notVotedByYou, next: next === null ? null : cardOf(next) };
}

/**
 * The newest ask round that reached the candidate, when the candidate has written nothing since (their latest
 * message is older than the ask, or there is none). Finalists out of the running are left out.
 */
function unansweredAsk(stored: ProposalView): AskView | null {
  if (isClosed(stored)) return null;
  const sent = (stored.asked ?? []).filter((ask) => ask.state === 'sent');
  const latest = sent.reduce<AskView | null>((newest, ask) => (newest && newest.at >= ask.at ? newest : ask), null);
  if (latest === null) return null;
  const lastInbound = stored.conversation?.lastInboundAt ?? null;
  return lastInbound !== null && Date.parse(lastInbound) >= Date.parse(latest.at) ? null : latest;
}

function proposalItem(stored: ProposalView): HomeProposalItem {
  return {
    proposalId: stored.proposal.id,
    name: candidateName(stored.proposal.candidate),
    jobTitle: stored.proposal.jobTitle,
    card: cardOf(stored),
  };
}

function cardOf(stored: ProposalView): CardRef | null {
  const card = stored.card;
  return card?.state === 'posted' && card.ts ? { channel: card.channel, ts: card.ts } : null;
}

function isClosed(stored: ProposalView): boolean {
  return CLOSED_PROPOSAL_STATUSES.has(stored.proposal.status.raw.trim().toUpperCase());
}

function olderThan(a: ProposalView, b: ProposalView): boolean {
  const order = compareIso(a.proposal.createdAt, b.proposal.createdAt);
  return order < 0 || (order === 0 && a.proposal.id < b.proposal.id);
}

/** Earlier first; missing or unreadable times last. */
function compareIso(a: string | null, b: string | null): number {
  const left = a === null ? Number.NaN : Date.parse(a);
  const right = b === null ? Number.NaN : Date.parse(b);
  if (Number.isNaN(left) || Number.isNaN(right)) return Number.isNaN(left) ? (Number.isNaN(right) ? 0 : 1) : -1;
  return left - right;
}

function byId(a: HomeProposalItem, b: HomeProposalItem): number {
  return a.proposalId < b.proposalId ? -1 : a.proposalId > b.proposalId ? 1 : 0;
}
