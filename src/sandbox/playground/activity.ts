// Scripted life in the OpenTrain sandbox for the playground: new proposals now and then, candidates who answer the
// team's messages within seconds, an occasional status change made on OpenTrain's side. Timings are data so tests
// run the same script fast.

import type { OpenTrainSandbox } from '../opentrain/index.js';

/** [min, max] in milliseconds; each wait is drawn uniformly from the range. */
export type MsRange = readonly [number, number];

export interface ActivityTimings {
  proposalEvery: MsRange;
  candidateReplyAfter: MsRange;
  statusChangeEvery: MsRange;
  /** How often the script looks for new messages from the team. */
  watchEveryMs: number;
}

export const DEMO_TIMINGS: ActivityTimings = {
  proposalEvery: [20_000, 30_000],
  candidateReplyAfter: [2_000, 5_000],
  statusChangeEvery: [60_000, 120_000],
  watchEveryMs: 500,
};

/** What candidates say back, in turn. None of it holds contact details (the relay would be right to refuse it). */
export const CANDIDATE_REPLIES = [
  'Thanks for reaching out! Yes, I can start this week and keep about 20 hours a week for it.',
  "Happy to. I've labelled around 15,000 social-media posts for sentiment, sarcasm included.",
  'Good question: I flag anything ambiguous instead of guessing, and note why in the comment field.',
  'That rate works for me. Would you like me to do a short paid sample batch first?',
] as const;

/** Status changes the script makes, from → to (what an employer might do in OpenTrain's own UI). */
const STATUS_STEPS: ReadonlyMap<string, string> = new Map([
  ['UNREVIEWED', 'SHORTLISTED'],
  ['SHORTLISTED', 'MAYBE'],
  ['MAYBE', 'NOT_A_FIT'],
]);

export interface ActivityEvents {
  onProposal?(proposalId: string): void;
  onCandidateReply?(conversationId: string): void;
  onStatusChange?(proposalId: string, status: string): void;
  onError?(what: string, error: unknown): void;
}

export class ScriptedActivity {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly seenMessages = new Set<string>();
  private repliesSent = 0;
  private running = false;

  constructor(
    private readonly sandbox: OpenTrainSandbox,
    private readonly timings: ActivityTimings = DEMO_TIMINGS,
    private readonly events: ActivityEvents = {},
    private readonly random: () => number = Math.random,
  ) {}

  /** The jobs new proposals go to: the open, published ones. */
  openJobs(): { id: string; title: string }[] {
    return [...this.sandbox.state.jobs.values()]
      .filter((job) => job.status === 'OPEN' && job.published && job.organizationId === this.sandbox.ids.organizationId)
      .map((job) => ({ id: job.id, title: job.title }));
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    // What the team wrote before the script started is not answered again.
    for (const message of this.sandbox.state.messages) this.seenMessages.add(message.id);
    this.every(this.timings.proposalEvery, () => this.addProposal());
    this.every(this.timings.statusChangeEvery, () => this.changeAStatus());
    this.every([this.timings.watchEveryMs, this.timings.watchEveryMs], () => this.answerNewMessages());
  }

  stop(): void {
    this.running = false;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  /** A new application from a new candidate, with scores and a bid that vary. */
  addProposal(jobId?: string): string {
    const jobs = this.openJobs();
    const job = jobId ?? jobs[Math.floor(this.random() * jobs.length)]?.id;
    if (job === undefined) throw new Error('no open job to apply to');
    const { proposalId } = this.sandbox.addProposal(job, {
      interviewScore: 55 + Math.round(this.random() * 43),
      matchScore: 50 + Math.round(this.random() * 48),
      bid: { amountUsd: Math.round((0.04 + this.random() * 0.08) * 100) / 100, unit: 'PER_LABEL' },
    });
    this.events.onProposal?.(proposalId);
    return proposalId;
  }

  /** The candidate of a conversation answers now (throws when the team has not written first, like OpenTrain). */
  candidateReply(conversationId: string): void {
    const text = CANDIDATE_REPLIES[this.repliesSent % CANDIDATE_REPLIES.length]!;
    this.sandbox.addCandidateMessage(conversationId, text);
    this.repliesSent += 1;
    this.events.onCandidateReply?.(conversationId);
  }

  /** Conversations a candidate can answer in (the team wrote first), newest first, for the page's knob. */
  conversations(): { id: string; proposalId: string | null; candidate: string }[] {
    return [...this.sandbox.state.conversations.values()]
      .filter(
        (conversation) =>
          conversation.organizationId === this.sandbox.ids.organizationId &&
          !conversation.readOnly &&
          conversation.messages.some((message) => message.senderUserId === conversation.employerUserId),
      )
      .reverse()
      .map((conversation) => ({
        id: conversation.id,
        proposalId: conversation.proposalId,
        candidate: this.sandbox.state.freelancers.get(conversation.freelancerId)?.displayName ?? conversation.id,
      }));
  }

  private changeAStatus(): void {
    const openJobIds = new Set(this.openJobs().map((job) => job.id));
    const candidates = [...this.sandbox.state.proposals.values()].filter(
      (proposal) => openJobIds.has(proposal.jobId) && STATUS_STEPS.has(proposal.status),
    );
    const proposal = candidates[Math.floor(this.random() * candidates.length)];
    if (proposal === undefined) return;
    const next = STATUS_STEPS.get(proposal.status)!;
    this.sandbox.setProposalStatus(proposal.id, next);
    this.events.onStatusChange?.(proposal.id, next);
  }

  /** Each new message from the team gets one answer from the candidate a few seconds later. */
  private answerNewMessages(): void {
    for (const message of this.sandbox.state.messages) {
      if (this.seenMessages.has(message.id)) continue;
      this.seenMessages.add(message.id);
      const conversation = this.sandbox.state.conversations.get(message.conversationId);
      if (conversation === undefined || message.senderUserId !== conversation.employerUserId) continue;
      this.once(this.timings.candidateReplyAfter, () => this.candidateReply(conversation.id));
    }
  }

  private delay([min, max]: MsRange): number {
    return min + this.random() * Math.max(0, max - min);
  }

  private once(range: MsRange, action: () => void): void {
    if (!this.running) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.run(action);
    }, this.delay(range));
    this.timers.add(timer);
  }

  private every(range: MsRange, action: () => void): void {
    this.once(range, () => {
      this.every(range, action);
      action();
    });
  }

  // A scripted step that fails (a knob left the sandbox odd) is reported, never thrown out of a timer.
  private run(action: () => void): void {
    try {
      action();
    } catch (error) {
      this.events.onError?.('scripted activity', error);
    }
  }
}
