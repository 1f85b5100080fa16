import type { ApprovalStatusName } from '../../hiring.js';
import type { ContractRecord, InvoiceRecord } from './contracts.js';

// Records the sandbox keeps in memory. They hold what the API renders, plus the few internals it needs (owning
// organisation, flags, sort keys); rendering into the documented payload shapes happens in present.ts.

export type ProposalVariant = 'reference' | 'guide';
export type PaymentType = 'PAY_PER_LABEL' | 'PAY_PER_HOUR' | 'FIXED_PRICE';

export interface AccountRecord {
  organizationId: string;
  name: string;
  ownerUserId: string;
  /** Enabled feature flags (`public_api_hiring`, …); account-level, so every token of the account sees them. */
  features: Set<string>;
  /**
   * What a hire may be funded from: absent = a payment method on file. Without one and without enough credits for
   * the milestone plus fees, POST /proposals/{id}/hire answers 409 `payment_method_required` (with `billingUrl`).
   */
  billing?: { paymentMethod: boolean; creditsUsd: number };
}

/** An employer-side user (the token owner or another organisation's owner). */
export interface UserRecord {
  id: string;
  organizationId: string;
  email: string;
  firstName: string;
  lastName: string;
  userType: 'EMPLOYER';
}

export interface FreelancerRecord {
  id: string;
  profileSlug: string;
  /** Masked as the API shows it: "Maria G.", or the agency's name. */
  displayName: string;
  firstName: string;
  /** Without a trailing dot; variants add it when they render it. */
  lastNameInitial: string;
  talentType: 'Individual' | 'Agency';
  agency: { name: string; website: string | null; headcount: number; industryExperience: string[] } | null;
  title: string;
  bio: string;
  city: string;
  country: string;
  countryCode: string | null;
  profilePhotoUrl: string;
  hourlyRateUsd: number;
  availability: string;
  expertiseLevel: string;
  englishLevel: string;
  memberSince: string;
  identityVerified: boolean;
  skills: { subjectMatter: string[]; tags: string[]; software: string[]; dataTypes: string[]; labelTypes: string[] };
  languages: { language: string; proficiency: string | null }[];
  stats: {
    totalEarnedUsd: number;
    billedHours: number;
    jobSuccessScore: number | null;
    reviewCount: number;
    averageRating: number | null;
  };
  highestEarningsUsd: number;
  labelExperience: {
    id: string;
    title: string;
    description: string;
    fromYear: number;
    toYear: number | null;
    ongoing: boolean;
    software: string | null;
    dataType: string;
    labelTypes: string[];
  }[];
  workExperience: {
    id: string;
    title: string;
    company: string;
    description: string;
    fromYear: number;
    toYear: number | null;
    current: boolean;
    city: string | null;
    country: string | null;
  }[];
  education: {
    id: string;
    school: string;
    degree: string;
    areaOfStudy: string;
    fromYear: number;
    toYear: number;
    description: string | null;
  }[];
  reviews: { id: string; rating: number; comment: string; createdAt: string }[];
  /** Closed / visibility-restricted profile: GET /freelancers answers 404. */
  hidden: boolean;
  /** Not taking work: invites answer 409 `freelancer_unavailable`. */
  unavailable: boolean;
}

export interface JobRecord {
  id: string;
  organizationId: string;
  title: string;
  /** DRAFT, OPEN, ONGOING, COMPLETED, ARCHIVED, PENDING_APPROVAL. */
  status: string;
  published: boolean;
  acceptingApplicants: boolean;
  paymentType: PaymentType;
  createdAt: string;
  updatedAt: string;
}

export interface BidRecord {
  amountUsd: number;
  unit: string;
  labelerHourlyRateUsd: number | null;
}

export interface TranscriptTurnRecord {
  id: string;
  role: 'interviewer' | 'candidate';
  content: string;
  sentAt: string;
}

export interface InterviewRecord {
  id: string;
  /** 0–100. */
  score: number | null;
  summary: string;
  transcriptAvailable: boolean;
  turns: TranscriptTurnRecord[];
}

export interface ProposalRecord {
  id: string;
  jobId: string;
  freelancerId: string;
  /**
   * Which documented payload shape GET /proposals renders (docs/opentrain.md#inconsistencies-a-client-must-tolerate).
   */
  variant: ProposalVariant;
  /** Raw status enum (UNREVIEWED, SHORTLISTED, …); unknown values are kept as given. */
  status: string;
  createdAt: string;
  updatedAt: string;
  /** Insertion counter: breaks createdAt ties so ordering (and cursors) stay stable. */
  seq: number;
  bid: BidRecord;
  /** Both on 0–100; each variant renders its own scale. */
  interviewScore: number | null;
  matchScore: number | null;
  interview: InterviewRecord | null;
  verification: {
    location: { status: string; method: string; checkedAt: string };
    identity: { verified: boolean };
  } | null;
  contract: { id: string; status: string } | null;
  /** False → POST /proposals/{id}/conversation answers 409 `proposal_not_ready_for_messaging`. */
  messagingReady: boolean;
  conversationId: string | null;
  /** Fault knob: GET /proposals/{id} answers with a body that doesn't match the documented shape. */
  detailMalformed?: boolean;
}

export interface MessageRecord {
  id: string;
  conversationId: string;
  senderUserId: string;
  content: string;
  createdAt: string;
  /** Set on messages the employer has not answered yet; the employer's next send clears it. */
  unread: boolean;
}

export interface ConversationRecord {
  id: string;
  type: 'DIRECT_MESSAGE';
  /** `proposal` = pre-hire thread, `job` = post-hire thread. */
  bucket: 'proposal' | 'job';
  /** Null for proposal threads, like the documented example. */
  jobId: string | null;
  /** The job the thread belongs to, even when `jobId` is rendered null. */
  ownerJobId: string;
  proposalId: string | null;
  employerUserId: string;
  freelancerId: string;
  organizationId: string;
  createdAt: string;
  readOnly: boolean;
  /** Chronological. */
  messages: MessageRecord[];
}

export interface InviteRecord {
  proposalId: string;
  jobId: string;
  freelancerId: string;
  invitedByUserId: string;
  createdAt: string;
}

export interface ApprovalRecord {
  id: string;
  organizationId: string;
  /** `proposal_hire` (POST /proposals/{id}/hire), or `milestone_fund` (the knob standing in for a milestone's funding). */
  type: 'proposal_hire' | 'milestone_fund';
  status: ApprovalStatusName;
  contractId: string | null;
  milestoneId: string | null;
  jobId: string;
  proposalId: string | null;
  approvalUrl: string;
  expiresAt: string;
  resolvedAt: string | null;
  result: Record<string, unknown> | null;
  createdAt: string;
  /** Canonical JSON of the hire terms: same terms while pending → same approval. */
  terms: string;
}

export interface EventRecord {
  id: string;
  type: string;
  apiVersion: 'v1';
  createdAt: string;
  resourceId: string;
  jobId: string | null;
  data: Record<string, unknown>;
  /** The account whose ledger holds it. */
  organizationId: string;
}

export interface WebhookRecord {
  id: string;
  organizationId: string;
  url: string;
  eventTypes: string[];
  status: 'ACTIVE' | 'DISABLED';
  createdAt: string;
  disabledAt: string | null;
  disabledReason: string | null;
  secret: string;
  /** Deliveries that exhausted every attempt in a row; 10 disables the subscription. */
  consecutiveFailedDeliveries: number;
}

export interface TokenRecord {
  token: string;
  id: string;
  label: string;
  userId: string;
  organizationId: string;
  scopes: string[];
  claimed: boolean;
}

/** Everything the sandbox knows, for assertions. Keyed entities are Maps (id → record); logs are arrays. */
export interface SandboxState {
  accounts: Map<string, AccountRecord>;
  users: Map<string, UserRecord>;
  freelancers: Map<string, FreelancerRecord>;
  jobs: Map<string, JobRecord>;
  proposals: Map<string, ProposalRecord>;
  conversations: Map<string, ConversationRecord>;
  /** Every message of every conversation, in the order they were written. */
  messages: MessageRecord[];
  invites: InviteRecord[];
  approvals: Map<string, ApprovalRecord>;
  /** Contracts made by confirmed hires, and the invoices waiting for the employer (contracts.ts). */
  contracts: Map<string, ContractRecord>;
  invoices: Map<string, InvoiceRecord>;
  /** The global ledger, ids increasing. */
  events: EventRecord[];
  webhooks: Map<string, WebhookRecord>;
  tokens: Map<string, TokenRecord>;
}

export interface SandboxRequest {
  method: string;
  /** Path below the API prefix, e.g. `/jobs/mine`. */
  path: string;
  query: Record<string, string>;
  /** Parsed JSON body, the raw text when it was not JSON, or undefined when empty. */
  body: unknown;
  /** Null when the connection was dropped on purpose. */
  status: number | null;
  token: string | null;
  at: Date;
}

export interface SandboxDelivery {
  deliveryId: string;
  eventId: string;
  webhookId: string;
  url: string;
  attempt: number;
  /** HTTP status of the attempt; null on a network error or the 10 s timeout. */
  status: number | null;
  at: Date;
}

export interface ProposalInit {
  variant?: ProposalVariant;
  createdAt?: Date;
  /** 0–100 (rendered as 0–100 by the reference variant, 0–10 by the guide variant); null = no score. */
  interviewScore?: number | null;
  /** 0–100 (rendered as a fraction by the reference variant, 0–100 by the guide variant); null = no score. */
  matchScore?: number | null;
  bid?: { amountUsd: number; unit: string; labelerHourlyRateUsd?: number | null };
  candidate?: Partial<{
    displayName: string;
    firstName: string;
    lastNameInitial: string;
    profileTitle: string;
    country: string;
    countryCode: string;
    talentType: string;
  }>;
  /** Default true: an AI interview with a short transcript. */
  withInterview?: boolean;
  /** Transcript length when there is an interview; default 6. */
  transcriptTurns?: number;
}

export interface FaultSpec {
  status: number;
  count: number;
  /** Tested against the request URL (path and query, including the `/api/public/v1` prefix). */
  match?: RegExp;
  method?: string;
  retryAfterSeconds?: number;
  reason?: string;
  /** Destroy the socket instead of answering. */
  dropConnection?: boolean;
  /** Handle the request (the change happens), then destroy the socket instead of answering: a lost response. */
  dropResponse?: boolean;
}
