// Plain typed objects the whole bot shares. API payloads are parsed and normalised into these at the boundary
// (src/api/normalize.ts); nothing past that boundary sees raw OpenTrain variants.

/** Bid units after normalisation; anything else is kept as the raw string and shown raw. */
export type KnownBidUnit = 'PER_HOUR' | 'PER_LABEL' | 'FIXED';

export interface Bid {
  amountUsd: number | null;
  /** Normalised unit (`PER_HOUR`, `PER_LABEL`, `FIXED`) or the raw value when unknown. */
  unit: KnownBidUnit | string;
  /** Profile hourly rate as the API gives it; its relation to `amountUsd` is undocumented, so show, never compute. */
  labelerHourlyRateUsd: number | null;
}

export type TalentType = 'individual' | 'agency' | (string & {});

export interface Candidate {
  id: string;
  profileSlug: string | null;
  /** Masked, exactly as the API composes it ("Maria G."), or composed from first name + initial. */
  displayName: string;
  profileTitle: string | null;
  country: string | null;
  countryCode: string | null;
  talentType: TalentType | null;
  highestEarningsUsd: number | null;
  reviewCount: number | null;
}

export interface Verification {
  identityVerified: boolean | null;
  location: { status: string | null; method: string | null } | null;
}

export interface AiInterview {
  /** 0–100. */
  score: number | null;
  summary: string | null;
  transcriptAvailable: boolean;
}

export interface Proposal {
  id: string;
  jobId: string;
  jobTitle: string;
  /** ISO string as received; may be unparsable on some doc variants (shown raw then). */
  createdAt: string;
  updatedAt: string;
  status: { raw: string; label: string };
  bid: Bid;
  candidate: Candidate;
  /** Both on 0–100 after normalisation; null when missing. */
  interviewScore: number | null;
  matchScore: number | null;
  /** Only present when the proposal detail was fetched. */
  aiInterview: AiInterview | null;
  verification: Verification | null;
}

export interface Job {
  id: string;
  title: string;
  /** Upper-cased job status (OPEN, DRAFT, …); unknown values kept. */
  status: string;
  published: boolean;
  acceptingApplicants: boolean;
  jobUrl: string | null;
  proposalCounts: { total: number; unreviewed: number } | null;
}

export type VoteKind = 'up' | 'down' | 'maybe';

/** Proposal statuses OpenTrain knows and filters by (docs/opentrain.md#endpoints). */
export const PROPOSAL_STATUSES = [
  'UNREVIEWED',
  'SHORTLISTED',
  'MAYBE',
  'HIRED',
  'DECLINED',
  'NOT_A_FIT',
  'RESUME_SENT',
] as const;

export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];

/** Proposals out of the running: no longer ranked in the digest nor counted as waiting for review on App Home. */
export const CLOSED_PROPOSAL_STATUSES: ReadonlySet<string> = new Set<ProposalStatus>([
  'DECLINED',
  'NOT_A_FIT',
  'HIRED',
]);

/** "not a fit", "Not-A-Fit", "not_a_fit" → NOT_A_FIT: how OpenTrain reads a status filter. */
export function normaliseProposalStatus(value: string): string {
  return value
    .trim()
    .toUpperCase()
    .replace(/[\s-]+/g, '_')
    .replace(/_+/g, '_');
}

export function isProposalStatus(value: string): value is ProposalStatus {
  return (PROPOSAL_STATUSES as readonly string[]).includes(value);
}

export interface Weights {
  interview: number;
  match: number;
  price: number;
}

export const DEFAULT_WEIGHTS: Weights = { interview: 0.5, match: 0.3, price: 0.2 };

/** Composite ranking result for one proposal within its job (docs/architecture.md#ranking). */
export interface RankedProposal {
  proposalId: string;
  /** 0–100, rounded to one decimal; null when no signal at all is available. */
  score: number | null;
  /** 1-based rank within the job. */
  rank: number;
  /** Out of how many proposals in the job. */
  of: number;
  /** True when at least one signal was missing and the remaining weights were renormalised. */
  partial: boolean;
  /** 0–100 price fit, null when the bid is missing. */
  priceFit: number | null;
}

export interface TranscriptTurn {
  id: string;
  role: 'interviewer' | 'candidate' | 'system';
  content: string;
  sentAt: string;
}

export interface Transcript {
  proposalId: string;
  score: number | null;
  summary: string | null;
  turns: TranscriptTurn[];
}

export interface ChatMessage {
  id: string;
  conversationId: string;
  createdAt: string;
  content: string;
  isFromViewer: boolean;
  system: boolean;
  senderUserId: string | null;
}

/** Masked public profile (GET /freelancers/{idOrSlug}) after normalisation; every list defaults to empty. */
export interface FreelancerProfile {
  id: string;
  profileSlug: string | null;
  /** Absolute profile URL (profilePath prefixed with the app origin), when known. */
  profileUrl: string | null;
  displayName: string;
  talentType: TalentType | null;
  title: string | null;
  bio: string | null;
  city: string | null;
  country: string | null;
  hourlyRateUsd: number | null;
  availability: string | null;
  expertiseLevel: string | null;
  englishLevel: string | null;
  memberSince: string | null;
  identityVerified: boolean | null;
  skills: { subjectMatter: string[]; tags: string[]; software: string[]; dataTypes: string[]; labelTypes: string[] };
  languages: { language: string; proficiency: string | null }[];
  stats: {
    totalEarnedUsd: number | null;
    billedHours: number | null;
    jobSuccessScore: number | null;
    reviewCount: number | null;
    averageRating: number | null;
  };
  agency: {
    name: string | null;
    website: string | null;
    headcount: number | null;
    industryExperience: string[];
  } | null;
  labelExperience: {
    title: string;
    description: string | null;
    fromYear: number | null;
    toYear: number | null;
    ongoing: boolean;
    software: string | null;
    dataType: string | null;
    labelTypes: string[];
  }[];
  workExperience: {
    title: string;
    company: string | null;
    description: string | null;
    fromYear: number | null;
    toYear: number | null;
    current: boolean;
    city: string | null;
    country: string | null;
  }[];
  education: {
    school: string;
    degree: string | null;
    areaOfStudy: string | null;
    fromYear: number | null;
    toYear: number | null;
    description: string | null;
  }[];
  reviews: { id: string; rating: number | null; comment: string | null; createdAt: string }[];
}

/** Conversation summary from GET /messages list mode. */
export interface ConversationSummary {
  id: string;
  bucket: string | null;
  jobId: string | null;
  proposalId: string | null;
  updatedAt: string | null;
  unreadCount: number;
  needsReplyCount: number;
}

/** A ledger event (GET /updates or a webhook body). `data` holds ids only. */
export interface PlatformEvent {
  id: string;
  type: string;
  createdAt: string;
  resourceId: string | null;
  jobId: string | null;
  data: Record<string, unknown>;
}

export interface ContractMilestone {
  id: string;
  name: string | null;
  description: string | null;
  status: string | null;
  amountUsd: number | null;
  invoiceId: string | null;
}

/** GET /contracts/{id}, normalised: what the post-hire notices need. */
export interface Contract {
  id: string;
  status: string | null;
  title: string | null;
  jobId: string | null;
  proposalId: string | null;
  paymentType: string | null;
  milestones: ContractMilestone[];
  /** Null when OpenTrain sent none (the list endpoint never does). */
  budget: {
    /** `OK`, `LOW`, `DEPLETED`, or an unknown raw state kept as is. */
    state: string | null;
    /** 0–100 (OpenTrain sends a fraction; a value above 1 is read as a percentage already). */
    consumedPercent: number | null;
    activeMilestoneName: string | null;
  } | null;
}

/** One invoice of GET /payments/pending that waits for the employer. */
export interface PendingPayment {
  id: string;
  status: string | null;
  amountUsd: number | null;
  jobId: string | null;
  jobTitle: string | null;
  milestoneId: string | null;
  milestoneName: string | null;
}
