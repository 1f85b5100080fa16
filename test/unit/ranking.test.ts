import { describe, expect, it } from 'vitest';
import { normalizeInterviewScore, normalizeMatchScore } from '../../src/api/normalize.js';
import { DEFAULT_WEIGHTS, type Proposal } from '../../src/domain.js';
import { weightsFor } from '../../src/services/jobs.js';
import { describeWeights, parseWeightsArgs, rankProposals, validateWeights } from '../../src/services/ranking.js';

let counter = 0;

function proposal(overrides: Partial<Proposal> & { amount?: number | null; unit?: string } = {}): Proposal {
  counter += 1;
  const { amount = 42, unit = 'PER_HOUR', ...rest } = overrides;
  return {
    id: `p${counter}`,
    jobId: 'job_1',
    jobTitle: 'Spanish sentiment',
    createdAt: new Date(Date.UTC(2026, 5, 1, 0, counter)).toISOString(),
    updatedAt: '2026-06-01T00:00:00Z',
    status: { raw: 'UNREVIEWED', label: 'Unreviewed' },
    bid: { amountUsd: amount, unit, labelerHourlyRateUsd: null },
    candidate: {
      id: `u${counter}`,
      profileSlug: null,
      displayName: 'Maria G.',
      profileTitle: null,
      country: null,
      countryCode: null,
      talentType: null,
      highestEarningsUsd: null,
      reviewCount: null,
    },
    interviewScore: 80,
    matchScore: 80,
    aiInterview: null,
    verification: null,
    ...rest,
  };
}

const byId = (ranked: ReturnType<typeof rankProposals>) => new Map(ranked.map((entry) => [entry.proposalId, entry]));

describe('rankProposals', () => {
  it('combines interview and match (both 0–100 after normalisation) with price fit', () => {
    // Interview 86 (was 8.6 on 0–10) and match 91 (was 0.91): normalised before ranking.
    const a = proposal({ interviewScore: 86, matchScore: 91, amount: 40 });
    const b = proposal({ interviewScore: 70, matchScore: 60, amount: 50 });
    const ranked = rankProposals([b, a], DEFAULT_WEIGHTS);
    expect(ranked.map((entry) => entry.proposalId)).toEqual([a.id, b.id]);
    // a: 0.5·86 + 0.3·91 + 0.2·100 = 90.3; b: 0.5·70 + 0.3·60 + 0.2·0 = 53
    expect(ranked[0]).toEqual({ proposalId: a.id, score: 90.3, rank: 1, of: 2, partial: false, priceFit: 100 });
    expect(ranked[1]).toEqual({ proposalId: b.id, score: 53, rank: 2, of: 2, partial: false, priceFit: 0 });
  });

  it('ranks a candidate the same whichever score scale the API used (0–10 / fraction vs 0–100)', () => {
    // The guide variant says interview 8.6 and match 0.91; the reference variant 86 and 91. Normalised first.
    const guide = proposal({ interviewScore: normalizeInterviewScore(8.6), matchScore: normalizeMatchScore(0.91) });
    const reference = proposal({ interviewScore: normalizeInterviewScore(86), matchScore: normalizeMatchScore(91) });
    const weaker = proposal({ interviewScore: normalizeInterviewScore(9), matchScore: normalizeMatchScore(0.5) });
    const ranked = rankProposals([weaker, reference, guide], DEFAULT_WEIGHTS);
    // 0.5·86 + 0.3·91 + 0.2·100 = 90.3 for both; the earlier proposal (guide) wins the tie. weaker: 45+15+20 = 80.
    expect(ranked.map((entry) => [entry.proposalId, entry.score, entry.rank])).toEqual([
      [guide.id, 90.3, 1],
      [reference.id, 90.3, 2],
      [weaker.id, 80, 3],
    ]);
  });

  it('compares bids only with bids of the same unit (per label vs hourly in one job)', () => {
    const cheapLabel = proposal({ amount: 0.04, unit: 'PER_LABEL' });
    const dearLabel = proposal({ amount: 0.08, unit: 'PER_LABEL' });
    const midLabel = proposal({ amount: 0.05, unit: 'PER_LABEL' });
    const hourlyLow = proposal({ amount: 20, unit: 'PER_HOUR' });
    const hourlyHigh = proposal({ amount: 60, unit: 'PER_HOUR' });
    const ranks = byId(rankProposals([cheapLabel, dearLabel, midLabel, hourlyLow, hourlyHigh], DEFAULT_WEIGHTS));
    expect(ranks.get(cheapLabel.id)?.priceFit).toBe(100);
    expect(ranks.get(dearLabel.id)?.priceFit).toBe(0);
    expect(ranks.get(midLabel.id)?.priceFit).toBeCloseTo(75);
    expect(ranks.get(hourlyLow.id)?.priceFit).toBe(100);
    expect(ranks.get(hourlyHigh.id)?.priceFit).toBe(0);
  });

  it('gives 100 to the only bid of its unit and to equal bids', () => {
    const fixed = proposal({ amount: 500, unit: 'FIXED' });
    const equalA = proposal({ amount: 30 });
    const equalB = proposal({ amount: 30 });
    const ranks = byId(rankProposals([fixed, equalA, equalB], DEFAULT_WEIGHTS));
    expect(ranks.get(fixed.id)?.priceFit).toBe(100);
    expect(ranks.get(equalA.id)?.priceFit).toBe(100);
    expect(ranks.get(equalB.id)?.priceFit).toBe(100);
    expect(rankProposals([proposal({ amount: 12 })], DEFAULT_WEIGHTS)[0]).toMatchObject({
      rank: 1,
      of: 1,
      priceFit: 100,
    });
  });

  it('renormalises the remaining weights when the interview is missing, marking the score partial', () => {
    const noInterview = proposal({ interviewScore: null, matchScore: 90 });
    const [ranked] = rankProposals([noInterview], DEFAULT_WEIGHTS);
    // (0.3·90 + 0.2·100) / 0.5 = 94
    expect(ranked).toMatchObject({ score: 94, partial: true });
  });

  it('treats a missing bid as a missing price signal', () => {
    const noBid = proposal({ amount: null, interviewScore: 80, matchScore: 60 });
    const [ranked] = rankProposals([noBid], DEFAULT_WEIGHTS);
    // (0.5·80 + 0.3·60) / 0.8 = 72.5
    expect(ranked).toMatchObject({ score: 72.5, partial: true, priceFit: null });
  });

  it('ranks proposals without any signal last with a null score', () => {
    const empty = proposal({ interviewScore: null, matchScore: null, amount: null });
    const full = proposal({ interviewScore: 10, matchScore: 10, amount: 10 });
    const ranked = rankProposals([empty, full], DEFAULT_WEIGHTS);
    expect(ranked.map((entry) => [entry.proposalId, entry.score])).toEqual([
      [full.id, 28],
      [empty.id, null],
    ]);
    expect(ranked[1]).toMatchObject({ rank: 2, of: 2, partial: true });
  });

  it('applies custom weights', () => {
    const interviewStar = proposal({ interviewScore: 100, matchScore: 0, amount: 10 });
    const matchStar = proposal({ interviewScore: 0, matchScore: 100, amount: 10 });
    const interviewOnly = { interview: 1, match: 0, price: 0 };
    expect(rankProposals([matchStar, interviewStar], interviewOnly).map((entry) => entry.proposalId)).toEqual([
      interviewStar.id,
      matchStar.id,
    ]);
    expect(rankProposals([interviewStar, matchStar], { interview: 0, match: 2, price: 0 })[0]).toMatchObject({
      proposalId: matchStar.id,
      score: 100,
      partial: false,
    });
  });

  it('is not partial when only a zero-weighted signal is missing', () => {
    const [ranked] = rankProposals([proposal({ interviewScore: null })], { interview: 0, match: 1, price: 0 });
    expect(ranked).toMatchObject({ score: 80, partial: false });
  });

  it('gives a null score when every present signal has weight 0', () => {
    const [ranked] = rankProposals([proposal({ matchScore: null, amount: null })], {
      interview: 0,
      match: 1,
      price: 1,
    });
    expect(ranked?.score).toBeNull();
  });

  it('breaks ties by the earlier proposal, unparsable dates after parsable ones, then by id', () => {
    const later = proposal({ id: 'a_later', createdAt: '2026-06-02T00:00:00Z' });
    const earlier = proposal({ id: 'z_earlier', createdAt: '2026-06-01T00:00:00Z' });
    const undatedB = proposal({ id: 'undated_b', createdAt: '...' });
    const undatedA = proposal({ id: 'undated_a', createdAt: '...' });
    const ranked = rankProposals([undatedB, later, undatedA, earlier], DEFAULT_WEIGHTS);
    expect(ranked.map((entry) => entry.proposalId)).toEqual(['z_earlier', 'a_later', 'undated_a', 'undated_b']);
    expect(ranked.map((entry) => entry.rank)).toEqual([1, 2, 3, 4]);
  });
});

describe('weights in force', () => {
  const job = (id: string, weights: typeof DEFAULT_WEIGHTS | null) => ({
    id,
    title: id,
    status: 'OPEN',
    published: true,
    channelId: null,
    watch: null,
    weights,
  });
  const storeWith = (data: object) => ({ data }) as unknown as Parameters<typeof weightsFor>[0];

  it("uses the job's own weights, else the global ones, else the defaults", () => {
    const own = { interview: 1, match: 0, price: 0 };
    const global = { interview: 0.2, match: 0.2, price: 0.6 };
    const jobs = { j_own: job('j_own', own), j_plain: job('j_plain', null) };
    expect(weightsFor(storeWith({ jobs, globalWeights: global }), 'j_own')).toEqual(own);
    expect(weightsFor(storeWith({ jobs, globalWeights: global }), 'j_plain')).toEqual(global);
    expect(weightsFor(storeWith({ jobs, globalWeights: global }), 'unknown')).toEqual(global);
    expect(weightsFor(storeWith({ jobs, globalWeights: null }), 'j_plain')).toEqual(DEFAULT_WEIGHTS);
  });

  it('changes the order when the weights change', () => {
    const interviewer = proposal({ interviewScore: 95, matchScore: 80, amount: 60 });
    const cheap = proposal({ interviewScore: 60, matchScore: 60, amount: 20 });
    expect(rankProposals([interviewer, cheap], DEFAULT_WEIGHTS)[0]?.proposalId).toBe(interviewer.id);
    expect(rankProposals([interviewer, cheap], { interview: 0.2, match: 0.2, price: 0.6 })[0]?.proposalId).toBe(
      cheap.id,
    );
  });
});

describe('validateWeights', () => {
  it('accepts finite non-negative weights, filling missing ones from the base', () => {
    expect(validateWeights({ interview: 0.6, match: 0.4, price: 0 })).toEqual({
      ok: true,
      weights: { interview: 0.6, match: 0.4, price: 0 },
    });
    expect(validateWeights({ price: 0.5 })).toEqual({ ok: true, weights: { interview: 0.5, match: 0.3, price: 0.5 } });
  });

  it('refuses negative, non-finite, over-100 and all-zero weights, saying what is allowed', () => {
    expect(validateWeights({ match: -0.1 })).toMatchObject({
      ok: false,
      message: expect.stringContaining('must be a number from 0 to 100 (got -0.1)'),
    });
    for (const absurd of [1e308, 100.5, Number.MAX_VALUE]) {
      expect(validateWeights({ interview: absurd })).toMatchObject({
        ok: false,
        message: expect.stringContaining('any numbers from 0 to 100, not all 0'),
      });
    }
    expect(validateWeights({ interview: 100, match: 100, price: 100 })).toMatchObject({ ok: true });
    expect(validateWeights({ interview: Number.NaN })).toMatchObject({ ok: false });
    expect(validateWeights({ interview: Number.POSITIVE_INFINITY })).toMatchObject({ ok: false });
    expect(validateWeights({ interview: 0, match: 0, price: 0 })).toMatchObject({
      ok: false,
      message: expect.stringContaining('At least one weight'),
    });
  });
});

describe('parseWeightsArgs', () => {
  it('reads full names and aliases, in any order and case', () => {
    expect(parseWeightsArgs(['interview=0.5', 'match=0.3', 'price=0.2'])).toEqual({
      weights: { interview: 0.5, match: 0.3, price: 0.2 },
      rest: [],
    });
    expect(parseWeightsArgs(['P=0.1', 'i=0.7', 'M=0.2'])).toEqual({
      weights: { price: 0.1, interview: 0.7, match: 0.2 },
      rest: [],
    });
  });

  it('tolerates spaces around "=", colons and percentages, and returns the other words', () => {
    expect(parseWeightsArgs(['interview', '=', '50%', 'm:', '0.3', 'Spanish', 'sentiment'])).toEqual({
      weights: { interview: 0.5, match: 0.3 },
      rest: ['Spanish', 'sentiment'],
    });
    expect(parseWeightsArgs(['m:0.3', 'Labeling:', 'Spanish'])).toEqual({
      weights: { match: 0.3 },
      rest: ['Labeling:', 'Spanish'],
    });
  });

  it('keeps links as part of the job', () => {
    expect(parseWeightsArgs(['i=1', 'https://app.opentrain.ai/jobs/job_1'])).toEqual({
      weights: { interview: 1 },
      rest: ['https://app.opentrain.ai/jobs/job_1'],
    });
  });

  it('explains unknown weight names and bad numbers', () => {
    expect(parseWeightsArgs(['speed=1'])).toEqual({ error: expect.stringContaining('`speed`') });
    expect(parseWeightsArgs(['interview=abc'])).toEqual({ error: expect.stringContaining('needs a number') });
    expect(parseWeightsArgs(['price='])).toEqual({ error: expect.stringContaining('needs a number') });
  });
});

describe('describeWeights', () => {
  it('shows raw weights and their shares', () => {
    expect(describeWeights(DEFAULT_WEIGHTS)).toBe('interview 0.5 · match 0.3 · price 0.2 (50% / 30% / 20%)');
  });
});
