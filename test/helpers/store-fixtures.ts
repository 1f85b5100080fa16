import { emptyStoreData, type StoreData, type StoredJob, type StoredProposal } from '../../src/store/schema.js';

/** A realistic, fully populated stored proposal (card posted, votes, open conversation) for store tests and benches. */
export function makeStoredProposal(index: number, jobId = `job_${index % 20}`): StoredProposal {
  const id = `prop_${String(index).padStart(6, '0')}`;
  const at = new Date(Date.UTC(2025, 0, 1) + index * 60_000).toISOString();
  return {
    proposal: {
      id,
      jobId,
      jobTitle: `Medical image annotation, batch ${index % 20}`,
      createdAt: at,
      updatedAt: at,
      status: { raw: 'UNREVIEWED', label: 'Unreviewed' },
      bid: { amountUsd: 20 + (index % 30), unit: 'PER_HOUR', labelerHourlyRateUsd: 25 },
      candidate: {
        id: `usr_${index}`,
        profileSlug: `trainer-${index}`,
        displayName: 'Maria G.',
        profileTitle: 'Radiology annotator, 6 years of DICOM segmentation',
        country: 'Portugal',
        countryCode: 'PT',
        talentType: index % 7 === 0 ? 'agency' : 'individual',
        highestEarningsUsd: 12_500,
        reviewCount: index % 40,
      },
      interviewScore: 50 + (index % 50),
      matchScore: 40 + (index % 60),
      aiInterview: {
        score: 50 + (index % 50),
        summary:
          'Strong, structured answers on annotation guidelines and QA; explained inter-annotator agreement well and ' +
          'gave concrete examples of handling ambiguous lesions. Slightly vague on tooling throughput.',
        transcriptAvailable: true,
      },
      verification: { identityVerified: true, location: { status: 'VERIFIED', method: 'ID_DOCUMENT' } },
    },
    card: {
      channel: 'C0HIRING01',
      state: 'posted',
      ts: `1735689600.${String(index).padStart(6, '0')}`,
      intentAt: at,
      postedAt: at,
    },
    votes: { U0REVIEW01: 'up', U0REVIEW02: 'maybe' },
    notes: [`Invited to Dental X-ray labelling by <@U0REVIEW01>`],
    conversation: {
      id: `conv_${index}`,
      openedBy: 'U0REVIEW01',
      openedAt: at,
      relayedIds: [`msg_${index}_1`, `msg_${index}_2`],
      lastSeenMessageId: `msg_${index}_2`,
      unread: 1,
      awaitingReply: true,
      lastInboundAt: at,
    },
  };
}

export function storeDataWithProposals(count: number): StoreData {
  const data = emptyStoreData();
  for (let index = 0; index < count; index += 1) {
    const proposal = makeStoredProposal(index);
    data.proposals[proposal.proposal.id] = proposal;
  }
  for (let job = 0; job < 20; job += 1) {
    data.jobs[`job_${job}`] = storedJob(`job_${job}`, `Medical image annotation, batch ${job}`);
  }
  data.cursor = '1042';
  return data;
}

/** An open, published job as the store keeps it: no watch channel, the global weights unless told. */
export function storedJob(id: string, title: string, overrides: Partial<StoredJob> = {}): StoredJob {
  return { id, title, status: 'OPEN', published: true, channelId: null, watch: null, weights: null, ...overrides };
}
