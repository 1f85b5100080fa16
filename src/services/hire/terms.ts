import type { HireMilestone } from '../../api/index.js';
import type { Approval } from '../../api/schemas.js';
import { normaliseProposalStatus } from '../../domain.js';
import { HIRE_APPROVAL_LIFETIME_HOURS } from '../../hiring.js';

export { type HireFeeBreakdown, hireFees } from '../../hiring.js';

import { formatMoney } from '../../blocks/format.js';
import { MILESTONE_TEXT_MAX } from '../../blocks/hire.js';
import type { HireTerms, StoredHire } from '../../store/schema.js';
import type { HireView } from '../../store/views.js';

// The hire's pure parts (docs/opentrain.md#hiring): reading the form into terms, the fees OpenTrain adds, comparing
// terms, and what a new approval or an approval's new state does to the proposal's stored `hire` record.

/** A milestone name longer than this, or spanning lines, is sent as the milestone's description instead. */
export const MILESTONE_NAME_MAX = 120;

/** What a pending approval is waited on for, and when the bot reads approvals itself (see HireService). */
export const APPROVAL_POLICY = {
  /** OpenTrain's documented lifetime of a hire approval. */
  lifetimeMs: HIRE_APPROVAL_LIFETIME_HOURS * 3_600_000,
  /** The digest flags a pending approval expiring within this. */
  expiringSoonMs: 24 * 3_600_000,
  /**
   * A pending approval past `expiresAt` is read (that read flips it to expired on OpenTrain) at most this often: below
   * the default 30 s sync interval, so one OpenTrain still calls pending (clocks a little apart) is read again the
   * next cycle, and the card says "expired" within a cycle or two of `expiresAt`.
   */
  rereadExpiredEveryMs: 25_000,
  /** Polling mode (no ledger): every pending approval is read at most this often. */
  pollPendingEveryMs: 5 * 60_000,
  /** At most this many approvals are read in one sync cycle for expiry or polling; the rest wait for the next cycle. */
  maxReadsPerCycle: 20,
  /** At most this many approvals are read in one sync cycle for waiting events; the rest wait for the next cycle. */
  maxEventReadsPerCycle: 50,
} as const;

/** The form's raw values (strings as Slack sends them; the date picker's `YYYY-MM-DD` or null). */
export interface HireFormValues {
  milestone: string | null | undefined;
  amount: string | null | undefined;
  dueDate: string | null | undefined;
}

export type HireFormResult =
  | { ok: true; terms: HireTerms }
  | { ok: false; errors: Partial<Record<keyof HireFormValues, string>> };

/** The largest first milestone the form takes (the bot's own guard against a slipped key; OpenTrain states none). */
export const HIRE_AMOUNT_MAX_USD = 1_000_000;

/**
 * "$1,250.50", "1250.5", " 500 " → a number; anything else → NaN. Commas only between thousands: "1,50" (a decimal
 * comma) is refused rather than read as 150. No exponents, no signs.
 */
export function parseAmount(raw: string): number {
  const text = raw.trim().replace(/^\$\s*/, '');
  if (!/^(\d+|\d{1,3}(,\d{3})+)(\.\d+)?$/.test(text)) return Number.NaN;
  return Number(text.replace(/,/g, ''));
}

/** Checks the form the way OpenTrain will, and a little more (a past due date), before anything is sent. */
export function readHireForm(values: HireFormValues, today: string): HireFormResult {
  const errors: Partial<Record<keyof HireFormValues, string>> = {};
  const text = (values.milestone ?? '').trim();
  if (text === '') errors.milestone = 'Give the first milestone a name or a short description.';
  else if (text.length > MILESTONE_TEXT_MAX) errors.milestone = `Keep it under ${MILESTONE_TEXT_MAX} characters.`;
  const rawAmount = values.amount ?? '';
  const amount = parseAmount(rawAmount);
  if (!Number.isFinite(amount) || amount <= 0) {
    errors.amount = 'Enter the milestone amount in US dollars, more than 0 (for example 500 or 1,250.50).';
  } else if (/\.\d{3,}$/.test(rawAmount.trim())) {
    errors.amount = 'Amounts go to the cent at most (for example 1250.50).';
  } else if (amount > HIRE_AMOUNT_MAX_USD) {
    errors.amount = `That is more than ${formatMoney(HIRE_AMOUNT_MAX_USD)}; check the amount, or hire in the OpenTrain app.`;
  }
  const dueDate = values.dueDate?.trim() || null;
  if (dueDate !== null) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(dueDate) || Number.isNaN(Date.parse(`${dueDate}T00:00:00Z`))) {
      errors.dueDate = 'Pick the due date from the calendar.';
    } else if (dueDate < today) {
      errors.dueDate = 'The due date is in the past; pick today or a later day, or leave it empty.';
    }
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const asName = text.length <= MILESTONE_NAME_MAX && !text.includes('\n');
  return {
    ok: true,
    terms: { name: asName ? text : null, description: asName ? null : text, amountUsd: amount, dueDate },
  };
}

/** The hire body's `milestone`. */
export function milestoneOf(terms: HireTerms): HireMilestone {
  return {
    ...(terms.name ? { name: terms.name } : {}),
    ...(terms.description ? { description: terms.description } : {}),
    amount: terms.amountUsd,
    ...(terms.dueDate ? { dueDate: terms.dueDate } : {}),
  };
}

/** Same terms in OpenTrain's sense (the same approval while pending): the same body would be sent. */
export function sameTerms(
  a: Readonly<HireTerms> | null | undefined,
  b: Readonly<HireTerms> | null | undefined,
): boolean {
  if (!a || !b) return false;
  return (
    (a.name ?? null) === (b.name ?? null) &&
    (a.description ?? null) === (b.description ?? null) &&
    a.amountUsd === b.amountUsd &&
    (a.dueDate ?? null) === (b.dueDate ?? null)
  );
}

/** A proposal marked Not a fit (hiring it needs the person's confirmation). */
export function isNotAFit(statusRaw: string): boolean {
  return normaliseProposalStatus(statusRaw) === 'NOT_A_FIT';
}

/** The first milestone's label for sentences: its name, else its description (shortened). */
export function termsLabel(terms: Readonly<HireTerms>): string {
  const text = terms.name ?? terms.description ?? '';
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

/** What a hire request's answer did: a new approval, the same one again, or one replacing a pending one. */
export type RequestKind = 'requested' | 'reused' | 'superseded';

/**
 * The record after POST /proposals/{id}/hire answered with `approval`. The same approval id as the stored one is a
 * reuse (the record stays as it is but for what OpenTrain now says); a new id replaces the record, keeping the id
 * of a still-pending predecessor in `superseded`.
 */
export function afterRequest(
  current: HireView | null | undefined,
  approval: Approval,
  input: { userId: string; terms: HireTerms; at: string },
): { kind: RequestKind; record: StoredHire } {
  if (current && current.approvalId === approval.id) {
    return { kind: 'reused', record: withApproval(copyHire(current), approval) };
  }
  // A pending approval whose time ran out isn't replaced: it expired (OpenTrain says so once it is read).
  const replaces = current?.status === 'pending' && !pastExpiry(current, new Date(input.at));
  const superseded = current ? [...current.superseded, ...(replaces ? [current.approvalId] : [])] : [];
  const record: StoredHire = {
    approvalId: approval.id,
    status: approval.status,
    approvalUrl: approval.approvalUrl,
    expiresAt: approval.expiresAt,
    requestedBy: input.userId,
    requestedAt: approval.createdAt ?? input.at,
    terms: { ...input.terms },
    resolvedAt: approval.resolvedAt,
    contractId: approval.contractId ?? contractIdOf(approval),
    superseded: superseded.slice(-20),
  };
  return { kind: replaces ? 'superseded' : 'requested', record };
}

/**
 * The record after reading `approval` (an event, an expiry check, a poll). An approval the record doesn't know
 * (asked outside Slack) becomes the record when it is newer; one the record replaced, or an older one, changes nothing
 * (null).
 */
export function afterRead(current: HireView | null | undefined, approval: Approval): StoredHire | null {
  if (current?.approvalId === approval.id) return withApproval(copyHire(current), approval);
  if (current?.superseded.includes(approval.id)) return null;
  if (current && (approval.createdAt ?? '') < current.requestedAt) return null;
  return {
    approvalId: approval.id,
    status: approval.status,
    approvalUrl: approval.approvalUrl,
    expiresAt: approval.expiresAt,
    requestedBy: null,
    requestedAt: approval.createdAt ?? new Date(0).toISOString(),
    terms: null,
    resolvedAt: approval.resolvedAt,
    contractId: approval.contractId ?? contractIdOf(approval),
    superseded: current ? [...current.superseded, current.approvalId].slice(-20) : [],
  };
}

/** The contract id a confirmed hire approval carries (`contractId`, or `result.contractId`). */
export function contractIdOf(approval: Approval): string | null {
  const fromResult = approval.result?.contractId;
  return approval.contractId ?? (typeof fromResult === 'string' && fromResult !== '' ? fromResult : null);
}

/** True when a pending approval's `expiresAt` has passed (an unreadable date never counts as passed). */
export function pastExpiry(hire: Pick<HireView, 'status' | 'expiresAt'>, now: Date): boolean {
  if (hire.status !== 'pending' || !hire.expiresAt) return false;
  const expires = Date.parse(hire.expiresAt);
  return Number.isFinite(expires) && expires <= now.getTime();
}

/** True when a pending approval expires within APPROVAL_POLICY.expiringSoonMs (and hasn't yet). */
export function expiringSoon(hire: Pick<HireView, 'status' | 'expiresAt'>, now: Date): boolean {
  if (hire.status !== 'pending' || !hire.expiresAt) return false;
  const expires = Date.parse(hire.expiresAt);
  return (
    Number.isFinite(expires) && expires > now.getTime() && expires - now.getTime() <= APPROVAL_POLICY.expiringSoonMs
  );
}

function withApproval(record: StoredHire, approval: Approval): StoredHire {
  record.status = approval.status;
  record.approvalUrl = approval.approvalUrl ?? record.approvalUrl;
  record.expiresAt = approval.expiresAt ?? record.expiresAt;
  record.resolvedAt = approval.resolvedAt ?? record.resolvedAt;
  record.contractId = contractIdOf(approval) ?? record.contractId;
  return record;
}

/** A writable copy of a stored (read-only) record. */
export function copyHire(hire: HireView): StoredHire {
  return structuredClone(hire) as StoredHire;
}
