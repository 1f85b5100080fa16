// Renders records into the documented payload shapes (opentrain-examples/). Key order follows the examples.

import type {
  ApprovalRecord,
  ConversationRecord,
  FreelancerRecord,
  JobRecord,
  MessageRecord,
  ProposalRecord,
  WebhookRecord,
} from './types.js';
import { APP_ORIGIN, statusLabel } from './world.js';

export function presentJob(job: JobRecord, proposals: readonly ProposalRecord[]) {
  return {
    id: job.id,
    title: job.title,
    status: job.status,
    published: job.published,
    acceptingApplicants: job.acceptingApplicants,
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
    jobUrl: `${APP_ORIGIN}/jobs/${job.id}`,
    proposalCounts: {
      total: proposals.length,
      unreviewed: proposals.filter((proposal) => proposal.status === 'UNREVIEWED').length,
    },
  };
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

/** Reference variant: FREELANCER/AGENCY, initial without a dot, countryCode present, scores 86 / 0.91. */
function referenceCandidate(freelancer: FreelancerRecord) {
  const agency = freelancer.talentType === 'Agency';
  return {
    id: freelancer.id,
    profileSlug: freelancer.profileSlug,
    displayName: freelancer.displayName,
    firstName: freelancer.firstName,
    lastNameInitial: agency ? null : freelancer.lastNameInitial,
    profileTitle: freelancer.title,
    profilePhotoUrl: freelancer.profilePhotoUrl,
    countryCode: freelancer.countryCode,
    country: freelancer.country,
    talentType: agency ? 'AGENCY' : 'FREELANCER',
    highestEarningsUsd: freelancer.highestEarningsUsd,
    reviewCount: freelancer.stats.reviewCount,
  };
}

/** Guide variant: Individual/Agency, initial with a dot, no countryCode. */
function guideCandidate(freelancer: FreelancerRecord) {
  const agency = freelancer.talentType === 'Agency';
  return {
    id: freelancer.id,
    profileSlug: freelancer.profileSlug,
    displayName: freelancer.displayName,
    firstName: freelancer.firstName,
    lastNameInitial: agency ? null : `${freelancer.lastNameInitial}.`,
    profileTitle: freelancer.title,
    profilePhotoUrl: freelancer.profilePhotoUrl,
    country: freelancer.country,
    talentType: freelancer.talentType,
    highestEarningsUsd: freelancer.highestEarningsUsd,
    reviewCount: freelancer.stats.reviewCount,
  };
}

function presentStatus(proposal: ProposalRecord) {
  return { raw: proposal.status, label: statusLabel(proposal.status) };
}

function presentReference(proposal: ProposalRecord, job: JobRecord, freelancer: FreelancerRecord) {
  return {
    id: proposal.id,
    jobId: proposal.jobId,
    jobTitle: job.title,
    createdAt: proposal.createdAt,
    updatedAt: proposal.updatedAt,
    status: presentStatus(proposal),
    bid: { ...proposal.bid },
    candidate: referenceCandidate(freelancer),
    metrics: {
      interviewScore: proposal.interviewScore === null ? null : Math.round(proposal.interviewScore),
      matchScore: proposal.matchScore === null ? null : round(proposal.matchScore / 100, 2),
    },
  };
}

function presentGuide(proposal: ProposalRecord, job: JobRecord, freelancer: FreelancerRecord) {
  return {
    id: proposal.id,
    jobId: proposal.jobId,
    jobTitle: job.title,
    status: presentStatus(proposal),
    bid: { ...proposal.bid, unit: proposal.bid.unit.toLowerCase() },
    candidate: guideCandidate(freelancer),
    metrics: {
      interviewScore: proposal.interviewScore === null ? null : round(proposal.interviewScore / 10, 1),
      matchScore: proposal.matchScore === null ? null : Math.round(proposal.matchScore),
    },
    createdAt: proposal.createdAt,
    updatedAt: proposal.updatedAt,
  };
}

export function presentProposalSummary(proposal: ProposalRecord, job: JobRecord, freelancer: FreelancerRecord) {
  return proposal.variant === 'guide'
    ? presentGuide(proposal, job, freelancer)
    : presentReference(proposal, job, freelancer);
}

/**
 * GET /proposals/{id}: the guide variant has no detail blocks at all
 * (docs/opentrain.md#inconsistencies-a-client-must-tolerate, row 25).
 */
export function presentProposalDetail(proposal: ProposalRecord, job: JobRecord, freelancer: FreelancerRecord) {
  if (proposal.variant === 'guide') return presentGuide(proposal, job, freelancer);
  const { interview } = proposal;
  return {
    ...presentReference(proposal, job, freelancer),
    aiInterview: interview
      ? { score: interview.score, summary: interview.summary, transcriptAvailable: interview.transcriptAvailable }
      : null,
    verification: proposal.verification,
    openLabel: null,
    contract: proposal.contract,
  };
}

export function presentInterview(proposal: ProposalRecord) {
  const interview = proposal.interview!;
  return {
    proposalId: proposal.id,
    interviewId: interview.id,
    score: interview.score,
    summary: interview.summary,
    messages: interview.turns.map((turn) => ({ ...turn })),
  };
}

export function presentFreelancer(freelancer: FreelancerRecord) {
  const agency = freelancer.talentType === 'Agency';
  return {
    id: freelancer.id,
    profileSlug: freelancer.profileSlug,
    profilePath: `/profile/${freelancer.profileSlug}`,
    displayName: freelancer.displayName,
    firstName: freelancer.firstName,
    lastNameInitial: agency ? null : freelancer.lastNameInitial,
    talentType: freelancer.talentType,
    title: freelancer.title,
    bio: freelancer.bio,
    city: freelancer.city,
    countryCode: freelancer.countryCode,
    country: freelancer.country,
    profilePhotoUrl: freelancer.profilePhotoUrl,
    hourlyRateUsd: freelancer.hourlyRateUsd,
    availability: freelancer.availability,
    expertiseLevel: freelancer.expertiseLevel,
    englishLevel: freelancer.englishLevel,
    memberSince: freelancer.memberSince,
    identityVerified: freelancer.identityVerified,
    skills: freelancer.skills,
    languages: freelancer.languages,
    stats: freelancer.stats,
    agency: freelancer.agency,
    labelExperience: freelancer.labelExperience,
    workExperience: freelancer.workExperience,
    education: freelancer.education,
    reviews: freelancer.reviews,
  };
}

export function presentMessage(message: MessageRecord, conversation: ConversationRecord, viewerUserId: string) {
  const isFromViewer = message.senderUserId === viewerUserId;
  return {
    id: message.id,
    createdAt: message.createdAt,
    updatedAt: message.createdAt,
    conversationId: conversation.id,
    jobId: conversation.jobId,
    senderUserId: message.senderUserId,
    isFromViewer,
    content: message.content,
    messageType: null,
    system: false,
    hasUnreadFlag: !isFromViewer && message.unread,
    attachmentCount: 0,
    hasAudio: false,
    editedAt: null,
    reactionCount: 0,
  };
}

/** Candidate messages written after the viewer's last message. */
export function needsReplyCount(conversation: ConversationRecord, viewerUserId: string): number {
  let count = 0;
  for (let index = conversation.messages.length - 1; index >= 0; index -= 1) {
    if (conversation.messages[index]!.senderUserId === viewerUserId) break;
    count += 1;
  }
  return count;
}

export function unreadCount(conversation: ConversationRecord, viewerUserId: string): number {
  return conversation.messages.filter((message) => message.unread && message.senderUserId !== viewerUserId).length;
}

export function conversationUpdatedAt(conversation: ConversationRecord): string {
  return conversation.messages.at(-1)?.createdAt ?? conversation.createdAt;
}

export function presentConversationSummary(conversation: ConversationRecord, viewerUserId: string) {
  const last = conversation.messages.at(-1);
  return {
    id: conversation.id,
    type: conversation.type,
    bucket: conversation.bucket,
    jobId: conversation.jobId,
    proposalId: conversation.proposalId,
    channelName: null,
    updatedAt: conversationUpdatedAt(conversation),
    lastMessage: last
      ? {
          id: last.id,
          content: last.content,
          senderUserId: last.senderUserId,
          isFromViewer: last.senderUserId === viewerUserId,
          createdAt: last.createdAt,
        }
      : null,
    unreadCount: unreadCount(conversation, viewerUserId),
    needsReplyCount: needsReplyCount(conversation, viewerUserId),
  };
}

export function presentWebhook(webhook: WebhookRecord) {
  return {
    id: webhook.id,
    url: webhook.url,
    eventTypes: [...webhook.eventTypes],
    status: webhook.status,
    createdAt: webhook.createdAt,
    disabledAt: webhook.disabledAt,
    disabledReason: webhook.disabledReason,
  };
}

export function presentApproval(approval: ApprovalRecord) {
  return {
    id: approval.id,
    type: approval.type,
    status: approval.status,
    contractId: approval.contractId,
    milestoneId: approval.milestoneId,
    jobId: approval.jobId,
    proposalId: approval.proposalId,
    approvalUrl: approval.approvalUrl,
    expiresAt: approval.expiresAt,
    resolvedAt: approval.resolvedAt,
    result: approval.result,
    createdAt: approval.createdAt,
  };
}
