import { consumedPercent } from '../api/index.js';
import type { PlatformEvent } from '../domain.js';
import type { NoticeDue } from '../store/index.js';

// Which ledger events need a person after the hire, as plain data for the sync plan (docs/architecture.md#post-hire-
// notices). Each notice has a key that makes it once-only: an invoice is announced once, a budget move once (the
// event's id is in its key: the same event read again or delivered twice is the same notice, while a budget that runs
// LOW again after a top-up is a new move that needs a person again).

export const POST_HIRE_EVENT_TYPES = ['payment.pending', 'contract.budget_state_changed'] as const;

export function paymentNoticeKey(invoiceId: string): string {
  return `payment.pending:${invoiceId}`;
}

export function budgetNoticeKey(contractId: string, state: 'LOW' | 'DEPLETED', eventId: string): string {
  return `budget:${contractId}:${state}:${eventId}`;
}

function text(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return typeof value === 'string' && value.length > 0 ? value : null;
}

/**
 * The notice an event asks for, or null: `payment.pending` always (an invoice waits), a budget moving to LOW or
 * DEPLETED; a budget back to OK (or an unknown state) needs no one.
 */
export function noticeFromEvent(event: PlatformEvent): NoticeDue | null {
  const { data } = event;
  const at = event.createdAt;
  if (event.type === 'payment.pending') {
    const invoiceId = text(data.invoiceId) ?? event.resourceId;
    const contractId = text(data.contractId);
    if (!invoiceId || !contractId) return null;
    return {
      key: paymentNoticeKey(invoiceId),
      kind: 'payment_pending',
      contractId,
      invoiceId,
      milestoneId: text(data.milestoneId),
      consumedPercent: null,
      at,
      proposalId: null,
      postingAt: null,
    };
  }
  if (event.type === 'contract.budget_state_changed') {
    const contractId = text(data.contractId) ?? event.resourceId;
    const state = text(data.state)?.toUpperCase();
    if (!contractId || (state !== 'LOW' && state !== 'DEPLETED')) return null;
    return {
      key: budgetNoticeKey(contractId, state, event.id),
      kind: state === 'LOW' ? 'budget_low' : 'budget_depleted',
      contractId,
      invoiceId: null,
      milestoneId: null,
      consumedPercent: consumedPercent(typeof data.consumedFraction === 'number' ? data.consumedFraction : null),
      at,
      proposalId: null,
      postingAt: null,
    };
  }
  return null;
}
