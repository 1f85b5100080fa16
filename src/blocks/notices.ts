import type { NoticeDue } from '../store/index.js';
import { escapeMrkdwn, formatMoney, link } from './format.js';

// Post-hire notices in a card's thread (docs/architecture.md#post-hire-notices): what needs a person after the hire,
// in words, with what is known and a link to where it is done.

export interface NoticeContent {
  kind: NoticeDue['kind'];
  amountUsd: number | null;
  milestoneName: string | null;
  /** 0–100. */
  consumedPercent: number | null;
  /** The contract in the OpenTrain app, where invoices are paid and budgets funded. */
  contractUrl: string | null;
}

function milestone(name: string | null): string {
  return name ? ` for “${escapeMrkdwn(name)}”` : '';
}

/** One thread line; plain mrkdwn text (no blocks), so it reads the same in notifications. */
export function postHireNotice(content: NoticeContent): string {
  const where = link(content.contractUrl, 'open the contract in OpenTrain');
  switch (content.kind) {
    case 'payment_pending': {
      const amount =
        content.amountUsd !== null && Number.isFinite(content.amountUsd)
          ? ` of *${formatMoney(content.amountUsd)}*`
          : '';
      return `🧾 An invoice${amount}${milestone(content.milestoneName)} is waiting for payment. Someone with access to billing needs to review and pay it: ${where}.`;
    }
    case 'budget_low': {
      const used =
        content.consumedPercent !== null ? `${Math.round(content.consumedPercent)} % used` : 'most of it is used';
      return `⚠️ Budget is running low: ${used}${milestone(content.milestoneName)}. Add funds or a new milestone before work has to stop: ${where}.`;
    }
    case 'budget_depleted':
      return `⛔ Budget is used up${milestone(content.milestoneName)}: work can't continue until the contract is funded again. Add funds or a new milestone: ${where}.`;
  }
}
