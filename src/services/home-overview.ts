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
  const awaiting = new Earliest<ProposalView>();
  const finalists = new Earliest<{ stored: ProposalView; ask: AskView }>();
  const approvals = new Earliest<ProposalView>();
  for (const stored of Object.values(data.proposals)) {
    const list = byJob.get(stored.proposal.jobId);
    if (list) list.push(stored);
    else byJob.set(stored.proposal.jobId, [stored]);
    const conversation = stored.conversation;
    if (conversation?.awaitingReply) awaiting.offer(stored, conversation.lastInboundAt, stored.proposal.id);
    const ask = unansweredAsk(stored);
    if (ask) finalists.offer({ stored, ask }, ask.at, stored.proposal.id);
    if (stored.hire?.status === 'pending') approvals.offer(stored, stored.hire.expiresAt, stored.proposal.id);
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
    awaitingReply: awaiting.list((stored) => {
      const conversation = stored.conversation!;
      return {
        ...proposalItem(stored),
        toAnswer: Math.max(1, conversation.unread),
        lastInboundAt: conversation.lastInboundAt,
      };
    }),
    unansweredFinalists: finalists.list(({ stored, ask }) => ({
      ...proposalItem(stored),
      askedBy: ask.by,
      askedAt: ask.at,
      questions: ask.questions.length,
    })),
    pendingApprovals: approvals.list((stored) => {
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

/**
 * Keeps the HOME_LIST_SHOWN earliest of what it is offered (unknown times last, ties by id) and counts them all,
 * without sorting or holding the whole list: a list can hold thousands.
 */
class Earliest<T> {
  private readonly kept: { value: T; at: number; id: string }[] = [];
  total = 0;

  offer(value: T, iso: string | null, id: string): void {
    this.total += 1;
    const at = timeOrLast(iso);
    const kept = this.kept;
    if (kept.length === HOME_LIST_SHOWN) {
      const last = kept[kept.length - 1]!;
      if (at > last.at || (at === last.at && id > last.id)) return;
      kept.pop();
    }
    let index = kept.length;
    while (index > 0 && (kept[index - 1]!.at > at || (kept[index - 1]!.at === at && kept[index - 1]!.id > id))) {
      index -= 1;
    }
    kept.splice(index, 0, { value, at, id });
  }

  list<U>(item: (value: T) => U): HomeList<U> {
    return { items: this.kept.map((entry) => item(entry.value)), total: this.total };
  }
}

function homeJob(job: JobView, proposals: ProposalView[], userId: string): HomeJob {
  let unreviewed = 0;
  let notVotedByYou = 0;
  let next: ProposalView | null = null;
  let nextAt = 0;
  for (const stored of proposals) {
    if (!hasPostedCard(stored) || isClosed(stored)) continue;
    let voters = 0;
    for (const _ in stored.votes) voters += 1;
    if (voters === 0) unreviewed += 1;
    if (!Object.hasOwn(stored.votes, userId)) {
      notVotedByYou += 1;
      const at = timeOrLast(stored.proposal.createdAt);
      if (next === null || at < nextAt || (at === nextAt && stored.proposal.id < next.proposal.id)) {
        next = stored;
        nextAt = at;
      }
    }
  }
  return {
    jobId: job.id,
    title: job.title,
    unreviewed,
    notVotedByYou,
    next: next === null ? null : cardOf(next),
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

function hasPostedCard(stored: ProposalView): boolean {
  return stored.card?.state === 'posted' && Boolean(stored.card.ts);
}

function cardOf(stored: ProposalView): CardRef | null {
  const card = stored.card;
  return card && hasPostedCard(stored) ? { channel: card.channel, ts: card.ts! } : null;
}

function isClosed(stored: ProposalView): boolean {
  return CLOSED_PROPOSAL_STATUSES.has(stored.proposal.status.raw.trim().toUpperCase());
}

/** Missing or unreadable times sort last. */
function timeOrLast(iso: string | null): number {
  const time = iso === null ? Number.NaN : Date.parse(iso);
  return Number.isNaN(time) ? Number.MAX_VALUE : time;
}
