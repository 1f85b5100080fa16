import { describe, expect, it } from 'vitest';
import type { Approval } from '../../src/api/schemas.js';
import { proposalCard } from '../../src/blocks/card.js';
import { cardHireLine, hireModal, notAFitConfirmView } from '../../src/blocks/hire.js';
import { blockKitViolations } from '../../src/blocks/validate.js';
import type { Proposal } from '../../src/domain.js';
import {
  afterRead,
  afterRequest,
  expiringSoon,
  hireFees,
  milestoneOf,
  parseAmount,
  pastExpiry,
  readHireForm,
  sameTerms,
} from '../../src/services/hire/terms.js';
import type { HireTerms, StoredHire } from '../../src/store/schema.js';
import { hireApproval } from '../helpers/hire-fixtures.js';
import { makeStoredProposal } from '../helpers/store-fixtures.js';

const TERMS: HireTerms = { name: 'First 1,000 labels', description: null, amountUsd: 500, dueDate: '2026-12-12' };
const AT = '2026-11-30T10:00:00.000Z';

function approval(overrides: Partial<Approval> = {}): Approval {
  return hireApproval(AT, { jobId: 'job_1', proposalId: 'prop_1', ...overrides });
}

describe('hire fees', () => {
  it('adds the 10 % marketplace fee and the $9.95 initiation fee, to the cent', () => {
    expect(hireFees(500)).toEqual({
      milestoneUsd: 500,
      marketplaceFeeUsd: 50,
      initiationFeeUsd: 9.95,
      totalUsd: 559.95,
    });
    expect(hireFees(123.45)).toEqual({
      milestoneUsd: 123.45,
      marketplaceFeeUsd: 12.35,
      initiationFeeUsd: 9.95,
      totalUsd: 145.75,
    });
  });

  it('works in whole cents: the parts add up to the total for every amount, the fee rounded half up', () => {
    expect(hireFees(0.05)).toMatchObject({ marketplaceFeeUsd: 0.01, totalUsd: 10.01 });
    expect(hireFees(1.15)).toMatchObject({ marketplaceFeeUsd: 0.12, totalUsd: 11.22 });
    expect(hireFees(300.05)).toMatchObject({ marketplaceFeeUsd: 30.01, totalUsd: 340.01 });
    expect(hireFees(1_000_000)).toMatchObject({ marketplaceFeeUsd: 100_000, totalUsd: 1_100_009.95 });
    const wrong: number[] = [];
    const inCents = (usd: number) => Math.round(usd * 100);
    for (let cents = 1; cents <= 200_000; cents += 1) {
      const fees = hireFees(cents / 100);
      const fee = Math.floor((cents + 5) / 10);
      const exact = [fees.milestoneUsd, fees.marketplaceFeeUsd, fees.totalUsd].every(
        (usd) => Math.abs(usd * 100 - inCents(usd)) < 1e-6,
      );
      if (
        !exact ||
        inCents(fees.milestoneUsd) !== cents ||
        inCents(fees.marketplaceFeeUsd) !== fee ||
        inCents(fees.totalUsd) !== cents + fee + 995
      )
        wrong.push(cents);
    }
    expect(wrong).toEqual([]);
  });
});

describe('the hire form', () => {
  const today = '2026-11-30';

  it('reads a short text as the milestone name, a long one as its description', () => {
    expect(readHireForm({ milestone: ' First 1,000 labels ', amount: '$1,250.50', dueDate: null }, today)).toEqual({
      ok: true,
      terms: { name: 'First 1,000 labels', description: null, amountUsd: 1250.5, dueDate: null },
    });
    const long = 'Label the first batch.\nCheck sarcasm carefully.';
    const read = readHireForm({ milestone: long, amount: '500', dueDate: '2026-11-30' }, today);
    expect(read).toEqual({ ok: true, terms: { name: null, description: long, amountUsd: 500, dueDate: '2026-11-30' } });
  });

  it('refuses a missing name, a zero, negative, non-numeric or sub-cent amount, and a past due date, each in words', () => {
    for (const amount of ['0', '-5', 'abc', '', 'Infinity', '1e3', '10.001']) {
      const result = readHireForm({ milestone: 'x', amount, dueDate: null }, today);
      expect(result.ok, amount).toBe(false);
      if (!result.ok) expect(result.errors.amount).toMatch(/amount|cent/i);
    }
    const result = readHireForm({ milestone: '  ', amount: '100', dueDate: '2026-11-29' }, today);
    expect(result).toEqual({
      ok: false,
      errors: {
        milestone: 'Give the first milestone a name or a short description.',
        dueDate: 'The due date is in the past; pick today or a later day, or leave it empty.',
      },
    });
  });

  it('parses amounts as people type them', () => {
    expect(parseAmount('$ 42')).toBe(42);
    expect(parseAmount('1,000.5')).toBe(1000.5);
    expect(parseAmount('1,000')).toBe(1000);
    expect(parseAmount('$300')).toBe(300);
    expect(parseAmount('1,234,567.89')).toBe(1234567.89);
    // Refused rather than guessed: a decimal comma (1,50 is not $150), exponents, signs, stray text.
    for (const raw of ['12abc', '1,50', '1,0000', ',100', '1e3', '-300', '+300', '300.', '.5', '$-1', 'USD 300']) {
      expect(parseAmount(raw), raw).toBeNaN();
    }
  });

  it('takes amounts to the cent that JavaScript cannot hold exactly, refuses sub-cents and a slipped key', () => {
    const amountOf = (amount: string) => readHireForm({ milestone: 'x', amount, dueDate: null }, today);
    for (const [raw, usd] of [
      ['1.15', 1.15],
      ['0.29', 0.29],
      ['4.35', 4.35],
      ['1,000,000', 1_000_000],
    ] as const) {
      expect(amountOf(raw), raw).toMatchObject({ ok: true, terms: { amountUsd: usd } });
    }
    expect(amountOf('300.005')).toEqual({
      ok: false,
      errors: { amount: 'Amounts go to the cent at most (for example 1250.50).' },
    });
    expect(amountOf('300.000')).toMatchObject({ ok: false });
    expect(amountOf('99999999999999999999')).toEqual({
      ok: false,
      errors: { amount: 'That is more than $1,000,000; check the amount, or hire in the OpenTrain app.' },
    });
    expect(amountOf('1,50')).toEqual({
      ok: false,
      errors: { amount: 'Enter the milestone amount in US dollars, more than 0 (for example 500 or 1,250.50).' },
    });
  });

  it('sends only the fields it has', () => {
    expect(milestoneOf(TERMS)).toEqual({ name: 'First 1,000 labels', amount: 500, dueDate: '2026-12-12' });
    expect(milestoneOf({ name: null, description: 'd', amountUsd: 1, dueDate: null })).toEqual({
      description: 'd',
      amount: 1,
    });
  });

  it('renders within Block Kit limits, with the fees and a pending approval explained', () => {
    const view = hireModal({
      candidateName: 'Maria G.',
      jobTitle: 'Spanish sentiment',
      privateMetadata: '{}',
      initial: TERMS,
      pending: { ...afterRequest(null, approval(), { userId: 'U1', terms: TERMS, at: AT }).record },
      error: 'OpenTrain needs a payment method.',
    });
    expect(blockKitViolations('modal', view as unknown as Record<string, unknown>)).toEqual([]);
    const text = JSON.stringify(view.blocks);
    expect(text).toContain('10 % marketplace fee and a $9.95 contract-initiation fee');
    expect(text).toContain('$559.95');
    expect(text).toContain('already waiting for approval');
    expect(text).toContain('OpenTrain needs a payment method.');
    const confirm = notAFitConfirmView({
      candidateName: 'Maria G.',
      terms: TERMS,
      fees: hireFees(500),
      privateMetadata: '{}',
    });
    expect(blockKitViolations('modal', confirm as unknown as Record<string, unknown>)).toEqual([]);
    expect(JSON.stringify(confirm.blocks)).toContain('Not a fit');
  });
});

describe('terms comparison', () => {
  it('is the same only when every field sent is the same', () => {
    expect(sameTerms(TERMS, { ...TERMS })).toBe(true);
    expect(sameTerms(TERMS, { ...TERMS, amountUsd: 501 })).toBe(false);
    expect(sameTerms(TERMS, { ...TERMS, dueDate: null })).toBe(false);
    expect(sameTerms(TERMS, { ...TERMS, name: null, description: TERMS.name })).toBe(false);
    expect(sameTerms(TERMS, null)).toBe(false);
  });
});

describe('hire record transitions', () => {
  const first = afterRequest(null, approval(), { userId: 'U1', terms: TERMS, at: AT });

  it('a first request records the approval, who asked and the terms', () => {
    expect(first.kind).toBe('requested');
    expect(first.record).toMatchObject({
      approvalId: 'appr_1',
      status: 'pending',
      requestedBy: 'U1',
      terms: TERMS,
      superseded: [],
      contractId: null,
    });
  });

  it('the same approval again is a reuse; a new one while pending supersedes and keeps the old id', () => {
    expect(afterRequest(first.record, approval(), { userId: 'U2', terms: TERMS, at: AT })).toMatchObject({
      kind: 'reused',
      record: { approvalId: 'appr_1', requestedBy: 'U1' },
    });
    const changed = { ...TERMS, amountUsd: 600 };
    const second = afterRequest(first.record, approval({ id: 'appr_2' }), { userId: 'U2', terms: changed, at: AT });
    expect(second.kind).toBe('superseded');
    expect(second.record).toMatchObject({ approvalId: 'appr_2', requestedBy: 'U2', terms: changed });
    expect(second.record.superseded).toEqual(['appr_1']);
  });

  it('a new request after a resolved or timed-out approval is a plain request', () => {
    const declined: StoredHire = { ...first.record, status: 'declined' };
    expect(afterRequest(declined, approval({ id: 'appr_2' }), { userId: 'U1', terms: TERMS, at: AT }).kind).toBe(
      'requested',
    );
    const late = '2026-12-04T00:00:00.000Z';
    expect(afterRequest(first.record, approval({ id: 'appr_3' }), { userId: 'U1', terms: TERMS, at: late }).kind).toBe(
      'requested',
    );
  });

  it('reading an outcome updates the record; a superseded approval changes nothing', () => {
    const confirmed = afterRead(
      first.record,
      approval({ status: 'confirmed', resolvedAt: AT, result: { hired: true, contractId: 'ctr_1' } }),
    );
    expect(confirmed).toMatchObject({ status: 'confirmed', contractId: 'ctr_1', resolvedAt: AT, requestedBy: 'U1' });
    const second = afterRequest(first.record, approval({ id: 'appr_2' }), { userId: 'U1', terms: TERMS, at: AT });
    expect(afterRead(second.record, approval({ status: 'expired' }))).toBeNull();
  });

  it('an approval asked outside Slack becomes the record, with nobody named', () => {
    expect(afterRead(null, approval({ status: 'declined', resolvedAt: AT }))).toMatchObject({
      approvalId: 'appr_1',
      status: 'declined',
      requestedBy: null,
      terms: null,
    });
  });

  it('knows when a pending approval is past its expiry, or expiring within a day', () => {
    const now = new Date('2026-12-02T12:00:00.000Z');
    expect(expiringSoon(first.record, now)).toBe(true);
    expect(pastExpiry(first.record, now)).toBe(false);
    expect(expiringSoon(first.record, new Date('2026-12-01T09:00:00.000Z'))).toBe(false);
    expect(pastExpiry(first.record, new Date('2026-12-03T10:00:00.000Z'))).toBe(true);
    expect(pastExpiry({ ...first.record, status: 'confirmed' }, new Date('2027-01-01T00:00:00.000Z'))).toBe(false);
  });
});

describe('the card says where a hire stands', () => {
  const record = afterRequest(null, approval(), { userId: 'U1', terms: TERMS, at: AT }).record;

  it('waiting, with who asked, the expiry and the link', () => {
    const line = cardHireLine(record)!;
    expect(line).toContain('Hire requested by <@U1> — waiting for approval (expires <!date^');
    expect(line).toContain('<https://app.opentrain.ai/approvals/appr_1|Open the approval>');
  });

  it('each outcome, and no Hire… button once hired', () => {
    expect(cardHireLine({ ...record, status: 'declined' })).toContain('Hire declined');
    expect(cardHireLine({ ...record, status: 'expired' })).toContain('expired');
    expect(cardHireLine({ ...record, status: 'confirmed', contractId: 'ctr_1' })).toContain('✅ Hired');
    expect(cardHireLine({ ...record, status: 'on_hold' })).toContain('Hire approval: on_hold');
    const proposal: Proposal = {
      ...makeStoredProposal(1).proposal,
      status: { raw: 'SHORTLISTED', label: 'Shortlisted' },
    };
    const cardJson = (hire: StoredHire | null) =>
      JSON.stringify(proposalCard({ proposal, rank: null, votes: {}, notes: [], conversation: null, hire }).blocks);
    expect(cardJson(record)).toContain('card_hire');
    expect(cardJson({ ...record, status: 'confirmed' })).not.toContain('"card_hire"');
  });
});
