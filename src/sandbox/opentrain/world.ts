import { normaliseProposalStatus, PROPOSAL_STATUSES } from '../../domain.js';
import type { ApprovalOutcome } from '../../hiring.js';
import { ContractBook } from './contracts.js';
import { ApiError, conflict, notFound } from './errors.js';
import { Ledger } from './ledger.js';
import { buildTranscript, type InterviewTopic, interviewSummary } from './transcripts.js';
import type {
  AccountRecord,
  ApprovalRecord,
  BidRecord,
  ConversationRecord,
  EventRecord,
  FreelancerRecord,
  InterviewRecord,
  InviteRecord,
  JobRecord,
  MessageRecord,
  ProposalInit,
  ProposalRecord,
  SandboxState,
} from './types.js';

export const APP_ORIGIN = 'https://app.opentrain.ai';
const APPROVAL_TTL_MS = 72 * 3_600_000;

export function statusLabel(raw: string): string {
  const words = raw.toLowerCase().replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Small deterministic PRNG so generated candidates are the same on every run. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const GENERATED_CANDIDATES: { first: string; initial: string; country: string; countryCode: string; city: string }[] = [
  { first: 'Valentina', initial: 'C', country: 'Colombia', countryCode: 'CO', city: 'Medellín' },
  { first: 'Mateo', initial: 'S', country: 'Argentina', countryCode: 'AR', city: 'Córdoba' },
  { first: 'Ana', initial: 'B', country: 'Portugal', countryCode: 'PT', city: 'Porto' },
  { first: 'Kwame', initial: 'A', country: 'Ghana', countryCode: 'GH', city: 'Accra' },
  { first: 'Mei', initial: 'L', country: 'Singapore', countryCode: 'SG', city: 'Singapore' },
  { first: 'Oskar', initial: 'N', country: 'Sweden', countryCode: 'SE', city: 'Uppsala' },
  { first: 'Fatima', initial: 'Z', country: 'Morocco', countryCode: 'MA', city: 'Rabat' },
  { first: 'Rohan', initial: 'D', country: 'India', countryCode: 'IN', city: 'Pune' },
  { first: 'Isabel', initial: 'M', country: 'Spain', countryCode: 'ES', city: 'Valencia' },
  { first: 'Tomás', initial: 'V', country: 'Chile', countryCode: 'CL', city: 'Valparaíso' },
  { first: 'Hana', initial: 'K', country: 'Czechia', countryCode: 'CZ', city: 'Brno' },
  { first: 'Samuel', initial: 'O', country: 'Kenya', countryCode: 'KE', city: 'Nairobi' },
];

const TOPIC_KEYWORDS: [RegExp, InterviewTopic][] = [
  [/sentiment|spanish|text/i, 'sentiment'],
  [/medical|x-ray|image|radiolog/i, 'medical'],
];

export function topicForJob(job: JobRecord): InterviewTopic {
  return TOPIC_KEYWORDS.find(([pattern]) => pattern.test(job.title))?.[1] ?? 'general';
}

export interface CreateProposalInput extends ProposalInit {
  freelancerId?: string;
  status?: string;
  updatedAt?: Date;
  messagingReady?: boolean;
  transcriptAvailable?: boolean;
  longTranscript?: boolean;
  interviewSummary?: string;
}

/**
 * The sandbox's model: records plus the operations the API routes, the seed and the knobs all share, so every change
 * lands in the ledger the same way. Lookups are Map-based; per-job proposal lists stay sorted for cursor paging.
 */
export class SandboxWorld {
  readonly state: SandboxState;
  readonly ledger: Ledger;
  readonly contracts: ContractBook;
  private readonly counters = new Map<string, number>();
  private readonly proposalsByJob = new Map<string, ProposalRecord[]>();
  private readonly freelancersBySlug = new Map<string, FreelancerRecord>();
  private readonly messagePositions = new Map<string, { conversation: ConversationRecord; index: number }>();
  private readonly conversationsByProposal = new Map<string, ConversationRecord>();
  private readonly random = mulberry32(20_260_612);
  private proposalSeq = 0;

  constructor(
    readonly now: () => Date,
    onEvent: (event: EventRecord) => void,
  ) {
    this.state = {
      accounts: new Map(),
      users: new Map(),
      freelancers: new Map(),
      jobs: new Map(),
      proposals: new Map(),
      conversations: new Map(),
      messages: [],
      invites: [],
      approvals: new Map(),
      contracts: new Map(),
      invoices: new Map(),
      events: [],
      webhooks: new Map(),
      tokens: new Map(),
    };
    this.ledger = new Ledger(this.state.events, onEvent);
    this.contracts = new ContractBook(this.state.contracts, this.state.invoices, {
      ledger: this.ledger,
      newId: (prefix) => this.newId(prefix),
      now: () => this.now(),
    });
  }

  /** Deterministic ids (`prop_00000a`, `job_000002`, …) so demo links stay the same from run to run. */
  newId(prefix: string): string {
    const next = (this.counters.get(prefix) ?? 0) + 1;
    this.counters.set(prefix, next);
    return `${prefix}_${next.toString(36).padStart(6, '0')}`;
  }

  // ---- lookups -----------------------------------------------------------------------------------------------

  account(organizationId: string): AccountRecord {
    const account = this.state.accounts.get(organizationId);
    if (!account) throw new Error(`unknown account ${organizationId}`);
    return account;
  }

  freelancerByIdOrSlug(idOrSlug: string): FreelancerRecord | undefined {
    return this.state.freelancers.get(idOrSlug) ?? this.freelancersBySlug.get(idOrSlug);
  }

  /** The job's proposals, oldest first (by createdAt, then insertion). */
  proposalsOf(jobId: string): readonly ProposalRecord[] {
    return this.proposalsByJob.get(jobId) ?? [];
  }

  /** Index of `proposal` in its job's sorted list, by binary search. */
  proposalIndex(proposal: ProposalRecord): number {
    const list = this.proposalsOf(proposal.jobId);
    const index = lowerBound(list, proposal);
    return list[index] === proposal ? index : -1;
  }

  messagePosition(messageId: string): { conversation: ConversationRecord; index: number } | undefined {
    return this.messagePositions.get(messageId);
  }

  conversationForProposal(proposalId: string): ConversationRecord | undefined {
    return this.conversationsByProposal.get(proposalId);
  }

  // ---- creation ----------------------------------------------------------------------------------------------

  addAccount(account: AccountRecord): AccountRecord {
    this.state.accounts.set(account.organizationId, account);
    return account;
  }

  addFreelancer(freelancer: FreelancerRecord): FreelancerRecord {
    this.state.freelancers.set(freelancer.id, freelancer);
    this.freelancersBySlug.set(freelancer.profileSlug, freelancer);
    return freelancer;
  }

  addJob(job: JobRecord): JobRecord {
    this.state.jobs.set(job.id, job);
    this.proposalsByJob.set(job.id, []);
    return job;
  }

  /** Creates a proposal (and, unless `freelancerId` is given, its candidate) and emits `proposal.received`. */
  createProposal(jobId: string, input: CreateProposalInput = {}): ProposalRecord {
    const job = this.state.jobs.get(jobId);
    if (!job) throw notFound('Job not found', { jobId });
    const createdAt = input.createdAt ?? this.now();
    const freelancer = input.freelancerId
      ? this.state.freelancers.get(input.freelancerId)
      : this.generateCandidate(input.candidate ?? {}, createdAt);
    if (!freelancer) throw notFound('Freelancer not found', { freelancerId: input.freelancerId });
    const variant = input.variant ?? 'reference';
    const interviewScore =
      input.interviewScore !== undefined ? input.interviewScore : Math.round(55 + this.random() * 42);
    const withInterview = input.withInterview ?? true;
    const id = this.newId('prop');
    const proposal: ProposalRecord = {
      id,
      jobId,
      freelancerId: freelancer.id,
      variant,
      status: input.status ?? 'UNREVIEWED',
      createdAt: createdAt.toISOString(),
      updatedAt: (input.updatedAt ?? createdAt).toISOString(),
      seq: ++this.proposalSeq,
      bid: this.bidFor(job, freelancer, input.bid),
      interviewScore,
      matchScore: input.matchScore !== undefined ? input.matchScore : Math.round(50 + this.random() * 48),
      interview: withInterview ? this.buildInterview(job, interviewScore, createdAt, input) : null,
      verification: {
        location: {
          status: freelancer.identityVerified ? 'PASSED' : 'PENDING',
          method: 'GPS',
          checkedAt: new Date(createdAt.getTime() - 120_000).toISOString(),
        },
        identity: { verified: freelancer.identityVerified },
      },
      contract: null,
      messagingReady: input.messagingReady ?? true,
      conversationId: null,
    };
    this.state.proposals.set(id, proposal);
    const list = this.proposalsByJob.get(jobId)!;
    list.splice(lowerBound(list, proposal), 0, proposal);
    this.ledger.append({
      organizationId: job.organizationId,
      type: 'proposal.received',
      createdAt: proposal.createdAt,
      resourceId: id,
      jobId,
      data: { proposalId: id, jobId },
    });
    return proposal;
  }

  setProposalStatus(proposalId: string, raw: string, at: Date = this.now()): ProposalRecord {
    const proposal = this.state.proposals.get(proposalId);
    if (!proposal) throw notFound('Proposal not found', { proposalId });
    const normalised = normaliseProposalStatus(raw);
    // Known statuses are stored canonically; anything else is kept raw so clients' tolerance can be exercised.
    proposal.status = (PROPOSAL_STATUSES as readonly string[]).includes(normalised) ? normalised : raw;
    proposal.updatedAt = at.toISOString();
    const job = this.state.jobs.get(proposal.jobId)!;
    this.ledger.append({
      organizationId: job.organizationId,
      type: 'proposal.status_changed',
      createdAt: proposal.updatedAt,
      resourceId: proposal.id,
      jobId: proposal.jobId,
      data: { proposalId: proposal.id, status: proposal.status },
    });
    return proposal;
  }

  /** Get-or-create the pre-hire thread of a proposal. Ownership and gates are the caller's business. */
  startConversation(
    proposal: ProposalRecord,
    at: Date = this.now(),
  ): { conversation: ConversationRecord; created: boolean } {
    const existing = this.conversationsByProposal.get(proposal.id);
    if (existing) return { conversation: existing, created: false };
    if (!proposal.messagingReady) {
      throw conflict('Proposal is not ready for messaging', 'proposal_not_ready_for_messaging');
    }
    const job = this.state.jobs.get(proposal.jobId)!;
    const account = this.account(job.organizationId);
    const conversation = this.addConversation({
      bucket: 'proposal',
      jobId: null,
      ownerJobId: job.id,
      proposalId: proposal.id,
      employerUserId: account.ownerUserId,
      freelancerId: proposal.freelancerId,
      organizationId: job.organizationId,
      createdAt: at.toISOString(),
    });
    proposal.conversationId = conversation.id;
    return { conversation, created: true };
  }

  addConversation(
    init: Omit<ConversationRecord, 'id' | 'type' | 'readOnly' | 'messages'> & { readOnly?: boolean },
  ): ConversationRecord {
    const conversation: ConversationRecord = {
      id: this.newId('conv'),
      type: 'DIRECT_MESSAGE',
      readOnly: false,
      messages: [],
      ...init,
    };
    this.state.conversations.set(conversation.id, conversation);
    if (conversation.proposalId && conversation.bucket === 'proposal') {
      this.conversationsByProposal.set(conversation.proposalId, conversation);
    }
    return conversation;
  }

  /** The employer writes; answering clears the unread flags of what the candidate wrote. No event for our own feed. */
  sendEmployerMessage(conversation: ConversationRecord, content: string, at: Date = this.now()): MessageRecord {
    for (const message of conversation.messages) message.unread = false;
    return this.appendMessage(conversation, conversation.employerUserId, content, at, false);
  }

  /** The candidate replies; refused until the employer has written first. Emits `message.received` to the employer. */
  addCandidateMessage(conversationId: string, content: string, at: Date = this.now()): MessageRecord {
    const conversation = this.state.conversations.get(conversationId);
    if (!conversation) throw notFound('Conversation not found', { conversationId });
    if (!conversation.messages.some((message) => message.senderUserId === conversation.employerUserId)) {
      throw new ApiError(409, 'The employer must send the first message before the candidate can reply.', {
        reason: 'employer_first_message_required',
      });
    }
    const message = this.appendMessage(conversation, conversation.freelancerId, content, at, true);
    this.ledger.append({
      organizationId: conversation.organizationId,
      type: 'message.received',
      createdAt: message.createdAt,
      resourceId: message.id,
      jobId: conversation.jobId,
      data: { conversationId: conversation.id, messageId: message.id },
    });
    return message;
  }

  private appendMessage(
    conversation: ConversationRecord,
    senderUserId: string,
    content: string,
    at: Date,
    unread: boolean,
  ): MessageRecord {
    const message: MessageRecord = {
      id: this.newId('msg'),
      conversationId: conversation.id,
      senderUserId,
      content,
      createdAt: at.toISOString(),
      unread,
    };
    this.messagePositions.set(message.id, { conversation, index: conversation.messages.length });
    conversation.messages.push(message);
    this.state.messages.push(message);
    return message;
  }

  /**
   * Idempotent per (job, freelancer): a repeat or an existing application answers `created: false`. An invite is kept
   * in `state.invites` only — it becomes a listed proposal when the freelancer applies, which the sandbox never does.
   */
  invite(job: JobRecord, freelancerId: string, invitedByUserId: string): { proposalId: string; created: boolean } {
    const applied = this.proposalsOf(job.id).find((proposal) => proposal.freelancerId === freelancerId);
    if (applied) return { proposalId: applied.id, created: false };
    const previous = this.state.invites.find(
      (invite) => invite.jobId === job.id && invite.freelancerId === freelancerId,
    );
    if (previous) return { proposalId: previous.proposalId, created: false };
    const invite: InviteRecord = {
      proposalId: this.newId('prop'),
      jobId: job.id,
      freelancerId,
      invitedByUserId,
      createdAt: this.now().toISOString(),
    };
    this.state.invites.push(invite);
    return { proposalId: invite.proposalId, created: true };
  }

  /** Same terms while pending → the same approval; different terms supersede the pending one. */
  requestHire(
    proposal: ProposalRecord,
    terms: Record<string, unknown>,
  ): { approval: ApprovalRecord; created: boolean } {
    const job = this.state.jobs.get(proposal.jobId)!;
    const termsKey = JSON.stringify(terms, Object.keys(terms).sort());
    for (const approval of this.state.approvals.values()) {
      if (approval.proposalId !== proposal.id || approval.type !== 'proposal_hire') continue;
      this.expireIfDue(approval);
      if (approval.status !== 'pending') continue;
      if (approval.terms === termsKey) return { approval, created: false };
      approval.status = 'expired';
      approval.resolvedAt = this.now().toISOString();
    }
    const approval = this.#openApproval({
      organizationId: job.organizationId,
      type: 'proposal_hire',
      contractId: null,
      milestoneId: null,
      jobId: job.id,
      proposalId: proposal.id,
      terms: termsKey,
    });
    return { approval, created: true };
  }

  /**
   * A pending `milestone_fund` approval for the contract's first milestone (what POST /milestones/{id}/fund answers;
   * the sandbox has no such route, this stands in for it). `proposalId` is null as documented, unless given.
   */
  requestMilestoneFunding(contractId: string, options: { proposalId?: string | null } = {}): ApprovalRecord {
    const contract = this.state.contracts.get(contractId);
    if (!contract) throw notFound('Contract not found', { resource: 'contracts', contractId });
    return this.#openApproval({
      organizationId: contract.organizationId,
      type: 'milestone_fund',
      contractId,
      milestoneId: contract.milestones[0]?.id ?? null,
      jobId: contract.jobId,
      proposalId: options.proposalId ?? null,
      terms: '',
    });
  }

  /** A new pending approval: its id and link, and the ~72 h a human has to confirm it. */
  #openApproval(
    fields: Omit<ApprovalRecord, 'id' | 'status' | 'approvalUrl' | 'expiresAt' | 'resolvedAt' | 'result' | 'createdAt'>,
  ): ApprovalRecord {
    const now = this.now();
    const id = this.newId('appr');
    const approval: ApprovalRecord = {
      id,
      ...fields,
      status: 'pending',
      approvalUrl: `${APP_ORIGIN}/approvals/${id}`,
      expiresAt: new Date(now.getTime() + APPROVAL_TTL_MS).toISOString(),
      resolvedAt: null,
      result: null,
      createdAt: now.toISOString(),
    };
    this.state.approvals.set(id, approval);
    return approval;
  }

  /** A pending approval read after `expiresAt` flips to expired and announces it. */
  expireIfDue(approval: ApprovalRecord): void {
    if (approval.status === 'pending' && this.now().getTime() > Date.parse(approval.expiresAt)) {
      this.resolveApproval(approval.id, 'expired', new Date(approval.expiresAt));
    }
  }

  /** What the human does in the app. Confirming a hire marks the proposal HIRED and creates its contract. */
  resolveApproval(approvalId: string, status: ApprovalOutcome, at: Date = this.now()): ApprovalRecord {
    const approval = this.state.approvals.get(approvalId);
    if (!approval) throw notFound('Approval not found', { resource: 'approvals', approvalId });
    if (approval.status !== 'pending') throw conflict('Approval is already resolved', 'approval_not_pending');
    approval.status = status;
    approval.resolvedAt = at.toISOString();
    const proposal = approval.proposalId ? this.state.proposals.get(approval.proposalId) : undefined;
    if (status === 'confirmed' && approval.type === 'milestone_fund') {
      approval.result = { invoiceId: this.newId('inv'), paymentIntentId: this.newId('pi') };
    }
    if (status === 'confirmed' && proposal && approval.type === 'proposal_hire') {
      const contractId = this.newId('ctr');
      approval.contractId = contractId;
      approval.result = {
        hired: true,
        contractId,
        jobId: approval.jobId,
        freelancerUserId: proposal.freelancerId,
      };
      proposal.contract = { id: contractId, status: 'active' };
      const job = this.state.jobs.get(proposal.jobId)!;
      this.contracts.createFromHire({ contractId, approval, proposal, job, at: approval.resolvedAt });
      this.setProposalStatus(proposal.id, 'HIRED', at);
      this.ledger.append({
        organizationId: approval.organizationId,
        type: 'contract.created',
        createdAt: approval.resolvedAt,
        resourceId: contractId,
        jobId: approval.jobId,
        data: { contractId, jobId: approval.jobId, proposalId: proposal.id },
      });
    }
    this.ledger.append({
      organizationId: approval.organizationId,
      type: 'approval.confirmed',
      createdAt: approval.resolvedAt,
      resourceId: approval.id,
      jobId: approval.jobId,
      data: { approvalId: approval.id, status },
    });
    return approval;
  }

  // ---- generated candidates ------------------------------------------------------------------------------------

  private bidFor(job: JobRecord, freelancer: FreelancerRecord, bid: ProposalInit['bid']): BidRecord {
    if (bid) {
      return { amountUsd: bid.amountUsd, unit: bid.unit, labelerHourlyRateUsd: bid.labelerHourlyRateUsd ?? null };
    }
    switch (job.paymentType) {
      case 'PAY_PER_HOUR':
        return {
          amountUsd: Math.round(24 + this.random() * 40),
          unit: 'PER_HOUR',
          labelerHourlyRateUsd: freelancer.hourlyRateUsd,
        };
      case 'FIXED_PRICE':
        return { amountUsd: Math.round(300 + this.random() * 500), unit: 'FIXED', labelerHourlyRateUsd: null };
      default:
        return {
          amountUsd: Math.round((0.04 + this.random() * 0.05) * 1000) / 1000,
          unit: 'PER_LABEL',
          labelerHourlyRateUsd: null,
        };
    }
  }

  private buildInterview(
    job: JobRecord,
    score: number | null,
    createdAt: Date,
    input: CreateProposalInput,
  ): InterviewRecord {
    const topic = topicForJob(job);
    const transcriptAvailable = input.transcriptAvailable ?? true;
    const turns = transcriptAvailable
      ? buildTranscript(
          topic,
          input.transcriptTurns ?? 6,
          new Date(createdAt.getTime() - 10 * 60_000),
          () => this.newId('itm'),
          { longAnswers: input.longTranscript ?? false },
        )
      : [];
    return {
      id: this.newId('intv'),
      score,
      summary: input.interviewSummary ?? interviewSummary(topic, score),
      transcriptAvailable,
      turns,
    };
  }

  private generateCandidate(overrides: NonNullable<ProposalInit['candidate']>, createdAt: Date): FreelancerRecord {
    const seq = this.proposalSeq + 1;
    const base = GENERATED_CANDIDATES[seq % GENERATED_CANDIDATES.length]!;
    const isAgency = overrides.talentType !== undefined && /agency/i.test(overrides.talentType);
    const firstName = overrides.firstName ?? base.first;
    const initial = (overrides.lastNameInitial ?? base.initial).replace(/\.$/, '');
    const displayName = overrides.displayName ?? (isAgency ? `${firstName} Labeling Co.` : `${firstName} ${initial}.`);
    const id = this.newId('usr');
    const slugBase = displayName
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '');
    const earnings = Math.round(this.random() * 9000);
    const reviewCount = Math.round(this.random() * 15);
    const country = overrides.country ?? base.country;
    return this.addFreelancer({
      id,
      profileSlug: `${slugBase}-${id.slice(4)}`,
      displayName,
      firstName,
      lastNameInitial: initial,
      talentType: isAgency ? 'Agency' : 'Individual',
      agency: isAgency
        ? { name: displayName, website: null, headcount: 12, industryExperience: ['Technology', 'E-commerce'] }
        : null,
      title: overrides.profileTitle ?? 'Data Annotation Specialist',
      bio: `${isAgency ? 'Annotation team' : 'Annotator'} based in ${country} with experience in text and image labeling.`,
      city: base.city,
      country,
      countryCode: overrides.countryCode ?? (overrides.country ? null : base.countryCode),
      profilePhotoUrl: `${APP_ORIGIN}/avatars/${id}.jpg`,
      hourlyRateUsd: Math.round(15 + this.random() * 45),
      availability: 'PART_TIME',
      expertiseLevel: 'INTERMEDIATE',
      englishLevel: 'FLUENT',
      memberSince: new Date(createdAt.getTime() - (60 + Math.round(this.random() * 600)) * 86_400_000).toISOString(),
      identityVerified: this.random() > 0.3,
      skills: {
        subjectMatter: ['General'],
        tags: ['TEXT_CLASSIFICATION'],
        software: [],
        dataTypes: ['TEXT'],
        labelTypes: ['CLASSIFICATION'],
      },
      languages: [{ language: 'English', proficiency: 'FLUENT' }],
      stats: {
        totalEarnedUsd: earnings,
        billedHours: Math.round(earnings / 20),
        jobSuccessScore: reviewCount > 0 ? Math.round(80 + this.random() * 20) : null,
        reviewCount,
        averageRating: reviewCount > 0 ? Math.round((4 + this.random()) * 10) / 10 : null,
      },
      highestEarningsUsd: Math.round(earnings * 0.6),
      labelExperience: [],
      workExperience: [],
      education: [],
      reviews: [],
      hidden: false,
      unavailable: false,
    });
  }
}

function compareProposals(a: ProposalRecord, b: ProposalRecord): number {
  return Date.parse(a.createdAt) - Date.parse(b.createdAt) || a.seq - b.seq;
}

/** First index whose proposal sorts at or after `target`. */
function lowerBound(list: readonly ProposalRecord[], target: ProposalRecord): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (compareProposals(list[mid]!, target) < 0) low = mid + 1;
    else high = mid;
  }
  return low;
}
