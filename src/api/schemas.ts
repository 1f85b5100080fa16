import { z } from 'zod';
import type { ApprovalStatusName } from '../hiring.js';

// Over ~300 lines on purpose: one small schema per documented response, sharing the variant helpers at the top.
// Zod schemas for every OpenTrain response the bot reads. They describe the raw API shapes and accept every
// documented variant (docs/opentrain.md#inconsistencies-a-client-must-tolerate): unknown fields pass through
// (looseObject) and anything not clearly required is nullish, so a field the docs forgot never rejects a whole payload.
// Mapping to the bot's own types lives in normalize.ts.

const str = z.string().nullish();
const num = z.number().nullish();
const bool = z.boolean().nullish();

/** Ids are opaque strings; tolerate numbers (event ids are numeric strings in the docs) and keep them as strings. */
const id = z.union([z.string(), z.number()]).transform((value) => String(value));

/** A string array that drops non-string entries instead of rejecting the payload. */
const stringList = z
  .array(z.unknown())
  .nullish()
  .transform((values) => (values ?? []).filter((value): value is string => typeof value === 'string'));

const record = z.record(z.string(), z.unknown());

/** One list item that failed validation and was left out of the page. */
export interface SkippedItem {
  index: number;
  /** Zod's summary of what was wrong (field paths and messages, never the item's content). */
  problem: string;
}

export interface LenientList<T> {
  items: T[];
  skipped: SkippedItem[];
}

/** A short, content-free summary of what failed validation (paths and messages only), for logs. */
export function summariseIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(item)'}: ${issue.message}`)
    .join('; ');
}

/**
 * A list whose malformed items are skipped rather than failing the whole page. The output carries the skipped
 * indexes so the caller can log them with the request id.
 */
export function lenientList<T extends z.ZodType>(item: T) {
  return z.array(z.unknown()).transform((values): LenientList<z.output<T>> => {
    const items: z.output<T>[] = [];
    const skipped: SkippedItem[] = [];
    values.forEach((value, index) => {
      const parsed = item.safeParse(value);
      if (parsed.success) items.push(parsed.data);
      else skipped.push({ index, problem: summariseIssues(parsed.error) });
    });
    return { items, skipped };
  });
}

/** Like lenientList, but a missing or null list reads as empty. */
function optionalLenientList<T extends z.ZodType>(item: T) {
  return lenientList(item)
    .nullish()
    .transform((list): LenientList<z.output<T>> => list ?? { items: [], skipped: [] });
}

// ---------------------------------------------------------------------------------------------------------------
// GET /auth/me

export const authMeSchema = z.looseObject({
  actor: z.looseObject({
    userId: id,
    email: str,
    firstName: str,
    lastName: str,
    fullName: str,
    userType: str,
  }),
  token: z
    .looseObject({
      id: str,
      label: str,
      scopes: stringList,
      ownerOrganizationId: str,
    })
    .nullish(),
  account: z
    .looseObject({
      kind: str,
      organizationId: str,
      ownerUserId: str,
      memberRole: str,
    })
    .nullish(),
});
export type ApiAuthMe = z.output<typeof authMeSchema>;

// ---------------------------------------------------------------------------------------------------------------
// GET /job-drafts/capabilities

export const capabilitiesSchema = z.looseObject({
  featureKey: str,
  enabled: bool,
  capabilities: record.nullish(),
});
export type ApiCapabilities = z.output<typeof capabilitiesSchema>;

// ---------------------------------------------------------------------------------------------------------------
// GET /jobs/mine

export const apiJobSchema = z.looseObject({
  id,
  title: str,
  status: str,
  published: bool,
  acceptingApplicants: bool,
  createdAt: str,
  updatedAt: str,
  jobUrl: str,
  proposalCounts: z.looseObject({ total: num, unreviewed: num }).nullish(),
});
export type ApiJob = z.output<typeof apiJobSchema>;

export const jobsPageSchema = z.looseObject({
  jobs: lenientList(apiJobSchema),
  nextCursor: str,
});

// ---------------------------------------------------------------------------------------------------------------
// Proposals: GET /jobs/{id}/proposals (summary) and GET /proposals/{id} (detail = summary + optional blocks)

/** Documented as `{raw, label}`; a bare string is tolerated too. */
const proposalStatusSchema = z.union([
  z.looseObject({ raw: str, label: str }),
  z.string().transform((raw) => ({ raw, label: null })),
]);

export const apiCandidateSchema = z.looseObject({
  id: id.nullish(),
  profileSlug: str,
  displayName: str,
  firstName: str,
  lastNameInitial: str,
  profileTitle: str,
  profilePhotoUrl: str,
  countryCode: str,
  country: str,
  talentType: str,
  highestEarningsUsd: num,
  reviewCount: num,
});
export type ApiCandidate = z.output<typeof apiCandidateSchema>;

export const apiProposalSchema = z.looseObject({
  id,
  jobId: id.nullish(),
  jobTitle: str,
  createdAt: str,
  updatedAt: str,
  status: proposalStatusSchema.nullish(),
  bid: z
    .looseObject({
      amountUsd: num,
      // Any string: PER_LABEL, per_hour, … (normalised later; unknown units are shown raw).
      unit: str,
      labelerHourlyRateUsd: num,
    })
    .nullish(),
  candidate: apiCandidateSchema.nullish(),
  metrics: z
    .looseObject({
      // 86 or 8.6 (interview), 0.91 or 87 (match): scale is resolved in normalize.ts.
      interviewScore: num,
      matchScore: num,
    })
    .nullish(),
  aiInterview: z
    .looseObject({
      score: num,
      summary: str,
      transcriptAvailable: bool,
    })
    .nullish(),
  verification: z
    .looseObject({
      location: z.looseObject({ status: str, method: str, checkedAt: str }).nullish(),
      identity: z.looseObject({ verified: bool }).nullish(),
    })
    .nullish(),
  // Non-null shapes are undocumented: accept anything.
  openLabel: z.unknown().optional(),
  contract: z.unknown().optional(),
});
export type ApiProposal = z.output<typeof apiProposalSchema>;

export const proposalsPageSchema = z.looseObject({
  proposals: lenientList(apiProposalSchema),
  nextCursor: str,
});

export const proposalResponseSchema = z.looseObject({
  proposal: apiProposalSchema,
});

// ---------------------------------------------------------------------------------------------------------------
// GET /proposals/{id}/interview

export const apiInterviewTurnSchema = z.looseObject({
  id: id.nullish(),
  role: str,
  content: str,
  sentAt: str,
});
export type ApiInterviewTurn = z.output<typeof apiInterviewTurnSchema>;

export const apiInterviewSchema = z.looseObject({
  proposalId: id.nullish(),
  interviewId: id.nullish(),
  score: num,
  summary: str,
  messages: optionalLenientList(apiInterviewTurnSchema),
});
export type ApiInterview = z.output<typeof apiInterviewSchema>;

export const interviewResponseSchema = z.looseObject({
  interview: apiInterviewSchema,
});

// ---------------------------------------------------------------------------------------------------------------
// POST /proposals/{id}/conversation

export const conversationStartSchema = z.looseObject({
  ok: bool,
  conversationId: id,
  proposalId: id.nullish(),
  jobId: id.nullish(),
  created: bool,
});
export type ApiConversationStart = z.output<typeof conversationStartSchema>;

// ---------------------------------------------------------------------------------------------------------------
// GET /messages (list mode and message mode), POST /messages

export const apiConversationSummarySchema = z.looseObject({
  id,
  type: str,
  bucket: str,
  jobId: id.nullish(),
  proposalId: id.nullish(),
  channelName: str,
  updatedAt: str,
  lastMessage: z
    .looseObject({
      id: id.nullish(),
      content: str,
      senderUserId: str,
      isFromViewer: bool,
      createdAt: str,
    })
    .nullish(),
  unreadCount: num,
  needsReplyCount: num,
});
export type ApiConversationSummary = z.output<typeof apiConversationSummarySchema>;

export const conversationsPageSchema = z.looseObject({
  conversations: lenientList(apiConversationSummarySchema),
  nextCursor: str,
});

export const apiMessageSchema = z.looseObject({
  id,
  createdAt: str,
  updatedAt: str,
  conversationId: id.nullish(),
  jobId: id.nullish(),
  senderUserId: str,
  isFromViewer: bool,
  content: str,
  messageType: str,
  system: bool,
  hasUnreadFlag: bool,
  attachmentCount: num,
  hasAudio: bool,
  editedAt: str,
  reactionCount: num,
});
export type ApiMessage = z.output<typeof apiMessageSchema>;

/** Message mode: the `{messages, nextCursor}` wrapper is assumed (not documented); an extra `conversation` is fine. */
export const messagesPageSchema = z.looseObject({
  messages: lenientList(apiMessageSchema),
  nextCursor: str,
  conversation: z.unknown().optional(),
});

export const sendMessageResponseSchema = z.looseObject({
  ok: bool,
  message: apiMessageSchema,
});

// ---------------------------------------------------------------------------------------------------------------
// GET /freelancers/{idOrSlug}

const yearNum = num;

export const apiFreelancerSchema = z.looseObject({
  id,
  profileSlug: str,
  profilePath: str,
  displayName: str,
  firstName: str,
  lastNameInitial: str,
  talentType: str,
  title: str,
  bio: str,
  city: str,
  countryCode: str,
  country: str,
  profilePhotoUrl: str,
  hourlyRateUsd: num,
  availability: str,
  expertiseLevel: str,
  englishLevel: str,
  memberSince: str,
  identityVerified: bool,
  skills: z
    .looseObject({
      subjectMatter: stringList,
      tags: stringList,
      software: stringList,
      dataTypes: stringList,
      labelTypes: stringList,
    })
    .nullish(),
  languages: optionalLenientList(z.looseObject({ language: z.string(), proficiency: str })),
  stats: z
    .looseObject({
      totalEarnedUsd: num,
      billedHours: num,
      jobSuccessScore: num,
      reviewCount: num,
      averageRating: num,
    })
    .nullish(),
  agency: z
    .looseObject({
      name: str,
      website: str,
      headcount: num,
      industryExperience: stringList,
    })
    .nullish(),
  labelExperience: optionalLenientList(
    z.looseObject({
      id: id.nullish(),
      title: str,
      description: str,
      fromYear: yearNum,
      toYear: yearNum,
      ongoing: bool,
      software: str,
      dataType: str,
      labelTypes: stringList,
    }),
  ),
  workExperience: optionalLenientList(
    z.looseObject({
      id: id.nullish(),
      title: str,
      company: str,
      description: str,
      fromYear: yearNum,
      toYear: yearNum,
      current: bool,
      city: str,
      country: str,
    }),
  ),
  education: optionalLenientList(
    z.looseObject({
      id: id.nullish(),
      school: str,
      degree: str,
      areaOfStudy: str,
      fromYear: yearNum,
      toYear: yearNum,
      description: str,
    }),
  ),
  reviews: optionalLenientList(
    z.looseObject({
      id: id.nullish(),
      rating: num,
      comment: str,
      createdAt: str,
    }),
  ),
});
export type ApiFreelancer = z.output<typeof apiFreelancerSchema>;

export const freelancerResponseSchema = z.looseObject({
  freelancer: apiFreelancerSchema,
});

// ---------------------------------------------------------------------------------------------------------------
// POST /jobs/{id}/invites

export const inviteResponseSchema = z.looseObject({
  ok: bool,
  proposalId: id.nullish(),
  jobId: id.nullish(),
  freelancerId: id.nullish(),
  alreadyInvited: bool,
});
export type ApiInviteResponse = z.output<typeof inviteResponseSchema>;

// ---------------------------------------------------------------------------------------------------------------
// GET /updates and webhook bodies (a webhook body is exactly one /updates event record)

export const apiEventSchema = z.looseObject({
  id,
  type: z.string(),
  apiVersion: str,
  createdAt: str,
  resourceId: id.nullish(),
  jobId: id.nullish(),
  data: record.nullish(),
});
export type ApiEvent = z.output<typeof apiEventSchema>;

/** A webhook delivery body. */
export const webhookEventSchema = apiEventSchema;

export const updatesPageSchema = z.looseObject({
  events: lenientList(apiEventSchema),
  nextCursor: id.nullish(),
  hasMore: bool,
});

// ---------------------------------------------------------------------------------------------------------------
// Approvals: POST /proposals/{id}/hire (202) and GET /approvals/{id}

export type ApprovalType = 'proposal_hire' | 'milestone_fund' | 'milestone_approve' | 'contract_end' | (string & {});
export type ApprovalStatus = ApprovalStatusName | (string & {});

/** A co-sign approval: a human confirms it at `approvalUrl`; nothing happens until then. */
export interface Approval {
  id: string;
  type: ApprovalType;
  status: ApprovalStatus;
  contractId: string | null;
  milestoneId: string | null;
  jobId: string | null;
  /** Missing on some examples (milestone approvals): read as null. */
  proposalId: string | null;
  approvalUrl: string | null;
  expiresAt: string | null;
  resolvedAt: string | null;
  /** Type-specific outcome once confirmed (e.g. `{hired, contractId, jobId, freelancerUserId}`), else null. */
  result: Record<string, unknown> | null;
  createdAt: string | null;
}

export const approvalSchema = z
  .looseObject({
    id,
    type: z.string(),
    status: z.string(),
    contractId: id.nullish(),
    milestoneId: id.nullish(),
    jobId: id.nullish(),
    proposalId: id.nullish(),
    approvalUrl: str,
    expiresAt: str,
    resolvedAt: str,
    result: record.nullish(),
    createdAt: str,
  })
  .transform(
    (api): Approval => ({
      id: api.id,
      type: api.type,
      status: api.status,
      contractId: api.contractId ?? null,
      milestoneId: api.milestoneId ?? null,
      jobId: api.jobId ?? null,
      proposalId: api.proposalId ?? null,
      approvalUrl: api.approvalUrl ?? null,
      expiresAt: api.expiresAt ?? null,
      resolvedAt: api.resolvedAt ?? null,
      result: api.result ?? null,
      createdAt: api.createdAt ?? null,
    }),
  );

export const hireResponseSchema = z.looseObject({
  approval: approvalSchema,
  message: str,
});

export const approvalResponseSchema = z.looseObject({
  approval: approvalSchema,
});

// ---------------------------------------------------------------------------------------------------------------
// Error envelope: `{error, code, requestId, details?}` on every non-2xx /v1 response

export const errorEnvelopeSchema = z.looseObject({
  error: z.string(),
  code: z.string(),
  requestId: str,
  details: record.nullish(),
});
export type ApiErrorEnvelope = z.output<typeof errorEnvelopeSchema>;

// ---------------------------------------------------------------------------------------------------------------
// GET /contracts/{id} and GET /payments/pending (docs/opentrain.md#after-the-hire)

const apiMilestoneSchema = z.looseObject({
  id,
  name: str,
  description: str,
  status: str,
  amountUsd: num,
  invoiceId: id.nullish(),
});

export const apiContractSchema = z.looseObject({
  id,
  status: str,
  title: str,
  jobId: id.nullish(),
  proposalId: id.nullish(),
  paymentType: str,
  milestones: optionalLenientList(apiMilestoneSchema),
  budget: z
    .looseObject({
      state: str,
      consumedFraction: num,
      activeMilestone: z.looseObject({ name: str }).nullish(),
    })
    .nullish(),
});
export type ApiContract = z.output<typeof apiContractSchema>;

export const contractResponseSchema = z.looseObject({
  contract: apiContractSchema,
});

export const apiPendingPaymentSchema = z.looseObject({
  id,
  status: str,
  amountUsd: num,
  job: z.looseObject({ id: id.nullish(), title: str }).nullish(),
  milestone: z.looseObject({ id: id.nullish(), name: str }).nullish(),
});
export type ApiPendingPayment = z.output<typeof apiPendingPaymentSchema>;

export const pendingPaymentsSchema = z.looseObject({
  payments: optionalLenientList(apiPendingPaymentSchema),
});
