import { candidateName } from '../blocks/format.js';
import {
  type CardRef,
  HOME_LIST_SHOWN,
  type HomeJob,
  type HomeList,
  type HomeOverview,
  type HomeProposalItem,
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
  const awaiting: Timed[] = [];
  const finalists: (Timed & { ask: AskView })[] = [];
  const approvals: Timed[] = [];
  for (const stored of Object.values(data.proposals)) {
    const list = byJob.get(stored.proposal.jobId);
    if (list) list.push(stored);
    else byJob.set(stored.proposal.jobId, [stored]);
    const conversation = stored.conversation;
    if (conversation?.awaitingReply) awaiting.push({ stored, at: timeOrLast(conversation.lastInboundAt) });
    const ask = unansweredAsk(stored);
    if (ask) finalists.push({ stored, ask, at: timeOrLast(ask.at) });
    if (stored.hire?.status === 'pending') approvals.push({ stored, at: timeOrLast(stored.hire.expiresAt) });
  }
  const jobs = Object.values(data.jobs)
    .filter((job) => isWatched(job as Parameters<typeof isWatched>[0], rules))
    .map((job) => homeJob(job, byJob.get(job.id) ?? [], userId))
    .sort((a, b) => b.unreviewed - a.unreviewed || b.notVotedByYou - a.notVotedByYou || a.title.localeCompare(b.title));
  // Waiting longest first; approvals about to expire first (unknown expiry last); ties by id so the order is stable.
  // Only the items shown are built (a list can hold thousands; the tab shows a few and counts the rest).
  return {
    userId,
    canAct,
    jobs: { items: jobs.slice(0, HOME_LIST_SHOWN), total: jobs.length },
    awaitingReply: firstByTime(awaiting, ({ stored }) => {
      const conversation = stored.conversation!;
      return {
        ...proposalItem(stored),
        toAnswer: Math.max(1, conversation.unread),
        lastInboundAt: conversation.lastInboundAt,
      };
    }),
    unansweredFinalists: firstByTime(finalists, ({ stored, ask }) => ({
      ...proposalItem(stored),
      askedBy: ask.by,
      askedAt: ask.at,
      questions: ask.questions.length,
    })),
    pendingApprovals: firstByTime(approvals, ({ stored }) => {
      const hire = stored.hire!;
      return {
        ...proposalItem(stored),
        amountUsd: hire.terms?.amountUsd ?? null,
        requestedBy: hire.requestedBy,
        expiresAt: hire.expiresAt,
        approvalUrl: hire.approvalUrl,
      };
    }),
  };
}

/** A proposal in a list with the time it is ordered by (parsed once: lists can hold thousands). */
interface Timed {
  stored: ProposalView;
  at: number;
}

function firstByTime<E extends Timed, T>(entries: E[], item: (entry: E) => T): HomeList<T> {
  entries.sort((a, b) => a.at - b.at || (a.stored.proposal.id < b.stored.proposal.id ? -1 : 1));
  return { items: entries.slice(0, HOME_LIST_SHOWN).map(item), total: entries.length };
}

function homeJob(job: JobView, proposals: ProposalView[], userId: string): HomeJob {
  let unreviewed = 0;
  let notVotedByYou = 0;
  let next: Timed | null = null;
  for (const stored of proposals) {
    if (cardOf(stored) === null || isClosed(stored)) continue;
    let voters = 0;
    for (const _ in stored.votes) voters += 1;
    if (voters === 0) unreviewed += 1;
    if (!Object.hasOwn(stored.votes, userId)) {
      notVotedByYou += 1;
      const at = timeOrLast(stored.proposal.createdAt);
      if (next === null || at < next.at || (at === next.at && stored.proposal.id < next.stored.proposal.id)) {
        next = { stored, at };
      }
    }
  }
  return {
    jobId: job.id,
    title: job.title,
    unreviewed,
    notVotedByYou,
    next: next === null ? null : cardOf(next.stored),
  };
}

/**
 * The newest ask round that reached the candidate, when the candidate has written nothing since (their latest
 * message is older than the ask, or there is none). Finalists out of the running are left out.
 */
function unansweredAsk(stored: ProposalView): AskView | null {
  if (stored.asked === undefined || stored.asked.length === 0 || isClosed(stored)) return null;
  const sent = stored.asked.filter((ask) => ask.state === 'sent');
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

/** Missing or unreadable times sort last. */
function timeOrLast(iso: string | null): number {
  const time = iso === null ? Number.NaN : Date.parse(iso);
  return Number.isNaN(time) ? Number.MAX_VALUE : time;
}
