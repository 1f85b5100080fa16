import { describe, expect, it } from 'vitest';
import {
  composeDisplayName,
  normalizeBidUnit,
  normalizeInterviewScore,
  normalizeMatchScore,
  normalizeTalentType,
  sortChronologically,
  toChatMessage,
  toConversationSummary,
  toFreelancerProfile,
  toJob,
  toPlatformEvent,
  toProposal,
  toTranscript,
} from '../../src/api/normalize.js';
import {
  apiConversationSummarySchema,
  apiEventSchema,
  apiFreelancerSchema,
  apiInterviewSchema,
  apiJobSchema,
  apiMessageSchema,
  apiProposalSchema,
} from '../../src/api/schemas.js';

describe('normalizeInterviewScore', () => {
  it('reads the 0–100 reference scale as is', () => {
    expect(normalizeInterviewScore(86)).toBe(86);
    expect(normalizeInterviewScore(73.25)).toBe(73.3);
  });

  it('scales the guide’s 0–10 values to 0–100', () => {
    expect(normalizeInterviewScore(8.6)).toBe(86);
    expect(normalizeInterviewScore(10)).toBe(100);
    expect(normalizeInterviewScore(0)).toBe(0);
    expect(normalizeInterviewScore(7.25)).toBe(72.5);
  });

  it('maps null, undefined and NaN to null and clamps out-of-range values', () => {
    expect(normalizeInterviewScore(null)).toBeNull();
    expect(normalizeInterviewScore(undefined)).toBeNull();
    expect(normalizeInterviewScore(Number.NaN)).toBeNull();
    expect(normalizeInterviewScore(140)).toBe(100);
    expect(normalizeInterviewScore(-3)).toBe(0);
  });
});

describe('normalizeMatchScore', () => {
  it('reads fractions as percentages and 0–100 values as is', () => {
    expect(normalizeMatchScore(0.91)).toBe(91);
    expect(normalizeMatchScore(0.875)).toBe(87.5);
    expect(normalizeMatchScore(87)).toBe(87);
    expect(normalizeMatchScore(1)).toBe(100);
  });

  it('maps missing values to null and clamps', () => {
    expect(normalizeMatchScore(null)).toBeNull();
    expect(normalizeMatchScore(Number.NaN)).toBeNull();
    expect(normalizeMatchScore(250)).toBe(100);
  });
});

describe('normalizeBidUnit', () => {
  it.each([
    ['PER_LABEL', 'PER_LABEL'],
    ['per_label', 'PER_LABEL'],
    ['label', 'PER_LABEL'],
    ['per_hour', 'PER_HOUR'],
    ['Per hour', 'PER_HOUR'],
    ['per-hour', 'PER_HOUR'],
    ['HOURLY', 'PER_HOUR'],
    ['hour', 'PER_HOUR'],
    ['FIXED', 'FIXED'],
    ['fixed price', 'FIXED'],
    ['Fixed-Price', 'FIXED'],
  ])('%s → %s', (raw, expected) => {
    expect(normalizeBidUnit(raw)).toBe(expected);
  });

  it('returns unknown units unchanged so they can be shown raw', () => {
    expect(normalizeBidUnit('per_task')).toBe('per_task');
    expect(normalizeBidUnit('Per Minute Of Audio')).toBe('Per Minute Of Audio');
  });
});

describe('normalizeTalentType', () => {
  it('maps the reference and guide spellings', () => {
    expect(normalizeTalentType('FREELANCER')).toBe('individual');
    expect(normalizeTalentType('Individual')).toBe('individual');
    expect(normalizeTalentType('Agency')).toBe('agency');
    expect(normalizeTalentType('AGENCY')).toBe('agency');
  });

  it('passes unknown values through and missing ones as null', () => {
    expect(normalizeTalentType('Collective')).toBe('Collective');
    expect(normalizeTalentType(null)).toBeNull();
    expect(normalizeTalentType(undefined)).toBeNull();
  });
});

describe('composeDisplayName', () => {
  it('prefers the API’s displayName', () => {
    expect(composeDisplayName({ displayName: 'Maria G.', firstName: 'Maria', lastNameInitial: 'G' })).toBe('Maria G.');
  });

  it('composes first name + initial, with or without the initial’s period', () => {
    expect(composeDisplayName({ firstName: 'Maria', lastNameInitial: 'G' })).toBe('Maria G.');
    expect(composeDisplayName({ firstName: 'Alex', lastNameInitial: 'R.' })).toBe('Alex R.');
    expect(composeDisplayName({ displayName: '  ', firstName: 'Alex', lastNameInitial: 'R.' })).toBe('Alex R.');
  });

  it('uses the bare first name for agencies (null initial) and never returns an empty name', () => {
    expect(composeDisplayName({ firstName: 'Labelworks', lastNameInitial: null })).toBe('Labelworks');
    expect(composeDisplayName({})).toBe('Unnamed candidate');
  });
});

const referenceProposal = {
  id: 'p1',
  jobId: 'j1',
  jobTitle: 'Spanish Sentiment Labeling',
  createdAt: '2026-06-11T15:40:00.000Z',
  updatedAt: '2026-06-12T09:05:00.000Z',
  status: { raw: 'SHORTLISTED', label: 'Shortlisted' },
  bid: { amountUsd: 0.06, unit: 'PER_LABEL', labelerHourlyRateUsd: null },
  candidate: {
    id: 'f1',
    profileSlug: 'maria-g',
    displayName: 'Maria G.',
    firstName: 'Maria',
    lastNameInitial: 'G',
    countryCode: 'ES',
    country: 'Spain',
    talentType: 'FREELANCER',
    highestEarningsUsd: 2400,
    reviewCount: 7,
  },
  metrics: { interviewScore: 86, matchScore: 0.91 },
  aiInterview: { score: 86, summary: 'Strong.', transcriptAvailable: true },
  verification: {
    location: { status: 'PASSED', method: 'GPS', checkedAt: '2026-06-11T15:38:00.000Z' },
    identity: { verified: true },
  },
  openLabel: null,
  contract: null,
  someFutureField: { nested: true },
};

const guideProposal = {
  id: 'p2',
  jobId: 'j2',
  jobTitle: 'Safety labeling',
  status: { raw: 'SHORTLISTED', label: 'Shortlisted' },
  bid: { amountUsd: 42, unit: 'per_hour', labelerHourlyRateUsd: 55 },
  candidate: {
    id: 'f2',
    profileSlug: 'alex-r',
    firstName: 'Alex',
    lastNameInitial: 'R.',
    country: 'USA',
    talentType: 'Individual',
  },
  metrics: { interviewScore: 8.6, matchScore: 87 },
  createdAt: '...',
  updatedAt: '...',
};

describe('toProposal', () => {
  it('normalises the reference variant', () => {
    const proposal = toProposal(apiProposalSchema.parse(referenceProposal));
    expect(proposal).toMatchObject({
      id: 'p1',
      jobId: 'j1',
      status: { raw: 'SHORTLISTED', label: 'Shortlisted' },
      bid: { amountUsd: 0.06, unit: 'PER_LABEL', labelerHourlyRateUsd: null },
      candidate: { displayName: 'Maria G.', talentType: 'individual', countryCode: 'ES' },
      interviewScore: 86,
      matchScore: 91,
      aiInterview: { score: 86, summary: 'Strong.', transcriptAvailable: true },
      verification: { identityVerified: true, location: { status: 'PASSED', method: 'GPS' } },
    });
  });

  it('normalises the guide variant, keeping its "..." timestamps raw instead of throwing', () => {
    const proposal = toProposal(apiProposalSchema.parse(guideProposal));
    expect(proposal.createdAt).toBe('...');
    expect(proposal.updatedAt).toBe('...');
    expect(proposal.interviewScore).toBe(86);
    expect(proposal.matchScore).toBe(87);
    expect(proposal.bid).toEqual({ amountUsd: 42, unit: 'PER_HOUR', labelerHourlyRateUsd: 55 });
    expect(proposal.candidate).toMatchObject({
      displayName: 'Alex R.',
      talentType: 'individual',
      countryCode: null,
      country: 'USA',
      highestEarningsUsd: null,
    });
    expect(proposal.aiInterview).toBeNull();
    expect(proposal.verification).toBeNull();
  });

  it('tolerates null metrics, a string status and a missing candidate', () => {
    const proposal = toProposal(
      apiProposalSchema.parse({ id: 'p3', status: 'NOT_A_FIT', metrics: { interviewScore: null, matchScore: null } }),
    );
    expect(proposal.status).toEqual({ raw: 'NOT_A_FIT', label: 'Not a fit' });
    expect(proposal.interviewScore).toBeNull();
    expect(proposal.matchScore).toBeNull();
    expect(proposal.candidate.displayName).toBe('Unnamed candidate');
    expect(proposal.bid.unit).toBe('');
  });
});

describe('toJob', () => {
  it('upper-cases the status and defaults missing flags', () => {
    expect(toJob(apiJobSchema.parse({ id: 'j1', title: 'T', status: 'open' }))).toEqual({
      id: 'j1',
      title: 'T',
      status: 'OPEN',
      published: false,
      acceptingApplicants: false,
      jobUrl: null,
      proposalCounts: null,
    });
  });
});

describe('toTranscript', () => {
  it('maps roles other than interviewer/candidate to system and sorts by sentAt', () => {
    const transcript = toTranscript(
      apiInterviewSchema.parse({
        proposalId: 'p1',
        score: 8.6,
        summary: 'ok',
        messages: [
          { id: 'm2', role: 'candidate', content: 'Answer', sentAt: '2026-06-11T15:21:00.000Z' },
          { id: 'm1', role: 'interviewer', content: 'Question', sentAt: '2026-06-11T15:20:00.000Z' },
          { id: 'm3', role: 'assistant_note', content: 'Interview completed.', sentAt: '2026-06-11T15:22:00.000Z' },
          { id: 'm0', role: 'Interviewer', content: 'Hello', sentAt: '2026-06-11T15:19:00.000Z' },
        ],
      }),
    );
    expect(transcript.score).toBe(86);
    expect(transcript.turns.map((turn) => [turn.id, turn.role])).toEqual([
      ['m0', 'interviewer'],
      ['m1', 'interviewer'],
      ['m2', 'candidate'],
      ['m3', 'system'],
    ]);
  });

  it('keeps the API order when a timestamp is unparsable', () => {
    const transcript = toTranscript(
      apiInterviewSchema.parse({
        messages: [
          { id: 'b', role: 'candidate', content: 'B', sentAt: '...' },
          { id: 'a', role: 'interviewer', content: 'A', sentAt: '2026-06-11T15:20:00.000Z' },
        ],
      }),
      'fallback-proposal',
    );
    expect(transcript.proposalId).toBe('fallback-proposal');
    expect(transcript.turns.map((turn) => turn.id)).toEqual(['b', 'a']);
  });
});

describe('sortChronologically', () => {
  it('is stable for equal timestamps', () => {
    const items = [
      { id: 'x', at: '2026-01-01T00:00:01Z' },
      { id: 'y', at: '2026-01-01T00:00:00Z' },
      { id: 'z', at: '2026-01-01T00:00:01Z' },
    ];
    expect(sortChronologically(items, (item) => item.at).map((item) => item.id)).toEqual(['y', 'x', 'z']);
  });
});

describe('toFreelancerProfile', () => {
  it('prefixes profilePath with the app origin and defaults lists to empty', () => {
    const profile = toFreelancerProfile(
      apiFreelancerSchema.parse({
        id: 'f9',
        profilePath: '/profile/labelworks',
        displayName: null,
        firstName: 'Labelworks',
        lastNameInitial: null,
        talentType: 'Agency',
        skills: { tags: ['NER', 42] },
        agency: { name: 'Labelworks', headcount: 12 },
      }),
      'https://app.opentrain.ai',
    );
    expect(profile.profileUrl).toBe('https://app.opentrain.ai/profile/labelworks');
    expect(profile.displayName).toBe('Labelworks');
    expect(profile.talentType).toBe('agency');
    expect(profile.skills).toEqual({ subjectMatter: [], tags: ['NER'], software: [], dataTypes: [], labelTypes: [] });
    expect(profile.agency).toEqual({ name: 'Labelworks', website: null, headcount: 12, industryExperience: [] });
    expect(profile.languages).toEqual([]);
    expect(profile.reviews).toEqual([]);
  });
});

describe('messages, conversations and events', () => {
  it('maps a message, defaulting the conversation id', () => {
    const message = toChatMessage(
      apiMessageSchema.parse({ id: 'm1', createdAt: '2026-06-12T08:30:00.000Z', content: 'Hi', isFromViewer: false }),
      'c1',
    );
    expect(message).toEqual({
      id: 'm1',
      conversationId: 'c1',
      createdAt: '2026-06-12T08:30:00.000Z',
      content: 'Hi',
      isFromViewer: false,
      system: false,
      senderUserId: null,
    });
  });

  it('maps a conversation summary with a null jobId', () => {
    const summary = toConversationSummary(
      apiConversationSummarySchema.parse({
        id: 'c1',
        bucket: 'proposal',
        jobId: null,
        proposalId: 'p1',
        unreadCount: 2,
      }),
    );
    expect(summary).toEqual({
      id: 'c1',
      bucket: 'proposal',
      jobId: null,
      proposalId: 'p1',
      updatedAt: null,
      unreadCount: 2,
      needsReplyCount: 0,
    });
  });

  it('maps an event, keeping numeric ids as strings', () => {
    const event = toPlatformEvent(
      apiEventSchema.parse({ id: 1044, type: 'message.received', createdAt: 'x', data: { messageId: 'm1' } }),
    );
    expect(event).toEqual({
      id: '1044',
      type: 'message.received',
      createdAt: 'x',
      resourceId: null,
      jobId: null,
      data: { messageId: 'm1' },
    });
  });
});
