import type {
  ChatMessage,
  ConversationSummary,
  FreelancerProfile,
  Job,
  KnownBidUnit,
  PlatformEvent,
  Proposal,
  TalentType,
  Transcript,
  TranscriptTurn,
} from '../domain.js';
import { own } from '../records.js';
import type {
  ApiConversationSummary,
  ApiEvent,
  ApiFreelancer,
  ApiInterview,
  ApiJob,
  ApiMessage,
  ApiProposal,
} from './schemas.js';

// Over ~300 lines on purpose: one mapper per resource, all applying the same variant rules.
// Pure mappers from parsed API shapes (schemas.ts) to the bot's domain types. Every documented variant
// (docs/opentrain.md#inconsistencies-a-client-must-tolerate) is resolved here so nothing past this boundary sees raw
// OpenTrain values.

function roundToTenth(value: number): number {
  return Math.round(value * 10) / 10;
}

function clampPercent(value: number): number {
  return Math.min(100, Math.max(0, value));
}

/** Interview scores come as 86 (0–100) or 8.6 (0–10, the guide's scale); both become 0–100. */
export function normalizeInterviewScore(value: number | null | undefined): number | null {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  const percent = value <= 10 ? value * 10 : value;
  return roundToTenth(clampPercent(percent));
}

/** Match scores come as 0.91 (fraction) or 87 (0–100); both become 0–100. */
export function normalizeMatchScore(value: number | null | undefined): number | null {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  const percent = value <= 1 ? value * 100 : value;
  return roundToTenth(clampPercent(percent));
}

const BID_UNITS: Record<string, KnownBidUnit> = {
  PER_HOUR: 'PER_HOUR',
  HOURLY: 'PER_HOUR',
  HOUR: 'PER_HOUR',
  // Job pay types use PAY_PER_*; accepted in case a bid ever echoes them.
  PAY_PER_HOUR: 'PER_HOUR',
  PER_LABEL: 'PER_LABEL',
  LABEL: 'PER_LABEL',
  PAY_PER_LABEL: 'PER_LABEL',
  FIXED: 'FIXED',
  FIXED_PRICE: 'FIXED',
};

/** `PER_LABEL`, `per_hour`, `per-hour`, `Fixed price`… → a known unit; anything else is returned unchanged. */
export function normalizeBidUnit(raw: string | null | undefined): KnownBidUnit | string {
  if (raw === null || raw === undefined) return '';
  const key = raw
    .trim()
    .toUpperCase()
    .replace(/[\s-]+/g, '_');
  return own(BID_UNITS, key) ?? raw;
}

/** FREELANCER / Individual → individual, Agency → agency; unknown values pass through raw. */
export function normalizeTalentType(raw: string | null | undefined): TalentType | null {
  if (raw === null || raw === undefined || raw.trim() === '') return null;
  const key = raw.trim().toUpperCase();
  if (key === 'FREELANCER' || key === 'INDIVIDUAL') return 'individual';
  if (key === 'AGENCY') return 'agency';
  return raw;
}

const UNNAMED = 'Unnamed candidate';

/**
 * The masked name to show: the API's `displayName` when present, else first name plus last-name initial
 * ("Alex" + "R." → "Alex R."; "Maria" + "G" → "Maria G."). Agencies have no initial and keep the first name.
 */
export function composeDisplayName(input: {
  displayName?: string | null;
  firstName?: string | null;
  lastNameInitial?: string | null;
}): string {
  const displayName = input.displayName?.trim();
  if (displayName) return displayName;
  const first = input.firstName?.trim() ?? '';
  const initial = (input.lastNameInitial ?? '').trim().replace(/\.+$/, '');
  const composed = [first, initial ? `${initial}.` : ''].filter(Boolean).join(' ');
  return composed || UNNAMED;
}

/** "NOT_A_FIT" → "Not a fit", used when the API gives a raw status without its label. */
function labelFromRaw(raw: string): string {
  const words = raw.toLowerCase().replace(/_/g, ' ').trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : '';
}

export function toProposal(api: ApiProposal): Proposal {
  const raw = api.status?.raw ?? '';
  const candidate = api.candidate;
  return {
    id: api.id,
    jobId: api.jobId ?? '',
    jobTitle: api.jobTitle ?? '',
    // Kept as received: the guide's example literally has "...", which is shown raw rather than rejected.
    createdAt: api.createdAt ?? '',
    updatedAt: api.updatedAt ?? api.createdAt ?? '',
    status: { raw, label: api.status?.label ?? labelFromRaw(raw) },
    bid: {
      amountUsd: api.bid?.amountUsd ?? null,
      unit: normalizeBidUnit(api.bid?.unit),
      labelerHourlyRateUsd: api.bid?.labelerHourlyRateUsd ?? null,
    },
    candidate: {
      id: candidate?.id ?? '',
      profileSlug: candidate?.profileSlug ?? null,
      displayName: composeDisplayName(candidate ?? {}),
      profileTitle: candidate?.profileTitle ?? null,
      country: candidate?.country ?? null,
      countryCode: candidate?.countryCode ?? null,
      talentType: normalizeTalentType(candidate?.talentType),
      highestEarningsUsd: candidate?.highestEarningsUsd ?? null,
      reviewCount: candidate?.reviewCount ?? null,
    },
    // The detail's aiInterview.score is the same number; use it when a payload lacks metrics.
    interviewScore: normalizeInterviewScore(api.metrics?.interviewScore ?? api.aiInterview?.score),
    matchScore: normalizeMatchScore(api.metrics?.matchScore),
    aiInterview: api.aiInterview
      ? {
          score: normalizeInterviewScore(api.aiInterview.score),
          summary: api.aiInterview.summary ?? null,
          transcriptAvailable: api.aiInterview.transcriptAvailable ?? false,
        }
      : null,
    verification: api.verification
      ? {
          identityVerified: api.verification.identity?.verified ?? null,
          location: api.verification.location
            ? { status: api.verification.location.status ?? null, method: api.verification.location.method ?? null }
            : null,
        }
      : null,
  };
}

export function toJob(api: ApiJob): Job {
  const counts = api.proposalCounts;
  return {
    id: api.id,
    title: api.title ?? '',
    status: (api.status ?? '').toUpperCase(),
    published: api.published ?? false,
    acceptingApplicants: api.acceptingApplicants ?? false,
    jobUrl: api.jobUrl ?? null,
    proposalCounts: counts ? { total: counts.total ?? 0, unreviewed: counts.unreviewed ?? 0 } : null,
  };
}

function absoluteUrl(path: string | null | undefined, origin: string): string | null {
  if (!path) return null;
  try {
    return new URL(path, origin).toString();
  } catch {
    return null;
  }
}

/** `appOrigin` is the API base URL's origin (e.g. https://app.opentrain.ai); profilePath is app-relative. */
export function toFreelancerProfile(api: ApiFreelancer, appOrigin: string): FreelancerProfile {
  const skills = api.skills;
  const stats = api.stats;
  return {
    id: api.id,
    profileSlug: api.profileSlug ?? null,
    profileUrl: absoluteUrl(api.profilePath, appOrigin),
    displayName: composeDisplayName(api),
    talentType: normalizeTalentType(api.talentType),
    title: api.title ?? null,
    bio: api.bio ?? null,
    city: api.city ?? null,
    country: api.country ?? null,
    hourlyRateUsd: api.hourlyRateUsd ?? null,
    availability: api.availability ?? null,
    expertiseLevel: api.expertiseLevel ?? null,
    englishLevel: api.englishLevel ?? null,
    memberSince: api.memberSince ?? null,
    identityVerified: api.identityVerified ?? null,
    skills: {
      subjectMatter: skills?.subjectMatter ?? [],
      tags: skills?.tags ?? [],
      software: skills?.software ?? [],
      dataTypes: skills?.dataTypes ?? [],
      labelTypes: skills?.labelTypes ?? [],
    },
    languages: api.languages.items.map((entry) => ({
      language: entry.language,
      proficiency: entry.proficiency ?? null,
    })),
    stats: {
      totalEarnedUsd: stats?.totalEarnedUsd ?? null,
      billedHours: stats?.billedHours ?? null,
      jobSuccessScore: stats?.jobSuccessScore ?? null,
      reviewCount: stats?.reviewCount ?? null,
      averageRating: stats?.averageRating ?? null,
    },
    agency: api.agency
      ? {
          name: api.agency.name ?? null,
          website: api.agency.website ?? null,
          headcount: api.agency.headcount ?? null,
          industryExperience: api.agency.industryExperience,
        }
      : null,
    labelExperience: api.labelExperience.items.map((entry) => ({
      title: entry.title ?? '',
      description: entry.description ?? null,
      fromYear: entry.fromYear ?? null,
      toYear: entry.toYear ?? null,
      ongoing: entry.ongoing ?? false,
      software: entry.software ?? null,
      dataType: entry.dataType ?? null,
      labelTypes: entry.labelTypes,
    })),
    workExperience: api.workExperience.items.map((entry) => ({
      title: entry.title ?? '',
      company: entry.company ?? null,
      description: entry.description ?? null,
      fromYear: entry.fromYear ?? null,
      toYear: entry.toYear ?? null,
      current: entry.current ?? false,
      city: entry.city ?? null,
      country: entry.country ?? null,
    })),
    education: api.education.items.map((entry) => ({
      school: entry.school ?? '',
      degree: entry.degree ?? null,
      areaOfStudy: entry.areaOfStudy ?? null,
      fromYear: entry.fromYear ?? null,
      toYear: entry.toYear ?? null,
      description: entry.description ?? null,
    })),
    reviews: api.reviews.items.map((entry, index) => ({
      id: entry.id ?? `review-${index}`,
      rating: entry.rating ?? null,
      comment: entry.comment ?? null,
      createdAt: entry.createdAt ?? '',
    })),
  };
}

/**
 * Sorts by timestamp, oldest first, when every timestamp parses; otherwise keeps the given order (the API's own
 * order is chronological, and a partial sort around unparsable values would be arbitrary). Stable.
 */
export function sortChronologically<T>(items: readonly T[], timestampOf: (item: T) => string | null | undefined): T[] {
  const times = items.map((item) => Date.parse(timestampOf(item) ?? ''));
  if (times.some((time) => Number.isNaN(time))) return [...items];
  return items
    .map((item, index) => ({ item, index, time: times[index] as number }))
    .sort((a, b) => a.time - b.time || a.index - b.index)
    .map(({ item }) => item);
}

function toTranscriptRole(role: string | null | undefined): TranscriptTurn['role'] {
  const key = role?.trim().toLowerCase();
  if (key === 'interviewer' || key === 'candidate') return key;
  return 'system';
}

export function toTranscript(api: ApiInterview, fallbackProposalId = ''): Transcript {
  const turns = api.messages.items.map(
    (turn, index): TranscriptTurn => ({
      id: turn.id ?? `turn-${index}`,
      role: toTranscriptRole(turn.role),
      content: turn.content ?? '',
      sentAt: turn.sentAt ?? '',
    }),
  );
  return {
    proposalId: api.proposalId ?? fallbackProposalId,
    score: normalizeInterviewScore(api.score),
    summary: api.summary ?? null,
    turns: sortChronologically(turns, (turn) => turn.sentAt),
  };
}

export function toChatMessage(api: ApiMessage, fallbackConversationId = ''): ChatMessage {
  return {
    id: api.id,
    conversationId: api.conversationId ?? fallbackConversationId,
    createdAt: api.createdAt ?? '',
    content: api.content ?? '',
    isFromViewer: api.isFromViewer ?? false,
    system: api.system ?? false,
    senderUserId: api.senderUserId ?? null,
  };
}

export function toConversationSummary(api: ApiConversationSummary): ConversationSummary {
  return {
    id: api.id,
    bucket: api.bucket ?? null,
    jobId: api.jobId ?? null,
    proposalId: api.proposalId ?? null,
    updatedAt: api.updatedAt ?? null,
    unreadCount: api.unreadCount ?? 0,
    needsReplyCount: api.needsReplyCount ?? 0,
  };
}

export function toPlatformEvent(api: ApiEvent): PlatformEvent {
  return {
    id: api.id,
    type: api.type,
    createdAt: api.createdAt ?? '',
    resourceId: api.resourceId ?? null,
    jobId: api.jobId ?? null,
    data: api.data ?? {},
  };
}
