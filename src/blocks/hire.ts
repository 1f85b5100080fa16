import type { types } from '@slack/bolt';
import { HIRE_APPROVAL_LIFETIME_HOURS, HIRE_FEES, type HireFeeBreakdown, hireFees } from '../hiring.js';
import type { HireTerms } from '../store/schema.js';
import type { HireView } from '../store/views.js';
import { escapeMrkdwn, formatMoney, link, slackDate } from './format.js';
import { HIRE_BLOCKS, HIRE_CALLBACK_ID, HIRE_NOT_A_FIT_CALLBACK_ID } from './ids.js';
import { fitView, type KnownBlock, type ModalView, truncate } from './limits.js';
import { noticeView } from './modals.js';

// The Hire… modal (first milestone, fees explained), its not-a-fit confirmation step, and what the card and its
// thread say about a hire (docs/opentrain.md#hiring). Pure: the hire service decides, these only render.

export const HIRE_TITLE = 'Hire';
/** What the milestone input accepts (OpenTrain states no limit; Slack inputs hold 3,000). */
export const MILESTONE_TEXT_MAX = 2000;
/** Each hire input's action id (the block ids are HIRE_BLOCKS). */
export const HIRE_INPUT_ACTION = 'value';

export interface HireModalInput {
  candidateName: string;
  jobTitle: string;
  privateMetadata: string;
  /** The terms to start from: the pending request's, or what the person typed before a refusal. */
  initial?: Readonly<HireTerms> | null;
  /** A pending approval already waiting (same terms reuse it, different ones replace it). */
  pending?: HireView | null;
  /** Why the last attempt failed, in words, shown above the form. */
  error?: string;
}

/** Fees explained once, in the words the modal and the confirmation share (the numbers from HIRE_FEES). */
export function feesSentence(fees?: HireFeeBreakdown): string {
  const rule = `OpenTrain adds a ${HIRE_FEES.marketplacePercent} % marketplace fee and a ${formatMoney(
    HIRE_FEES.contractInitiationUsd,
  )} contract-initiation fee to the first milestone`;
  const sum = (parts: HireFeeBreakdown) =>
    `${formatMoney(parts.milestoneUsd)} + ${formatMoney(parts.marketplaceFeeUsd)} + ${formatMoney(
      parts.initiationFeeUsd,
    )} = *${formatMoney(parts.totalUsd)}*`;
  if (!fees) return `${rule}: a ${formatMoney(500)} milestone funds ${sum(hireFees(500))} once a person confirms.`;
  return `${rule}: ${sum(fees)} is funded once a person confirms the approval.`;
}

export function hireModal(input: HireModalInput): ModalView {
  const blocks: KnownBlock[] = [];
  if (input.error) blocks.push(section('hire_error', `:warning: ${escapeMrkdwn(input.error)}`));
  blocks.push(
    section(
      'hire_intro',
      `Hire *${escapeMrkdwn(input.candidateName)}* for *${escapeMrkdwn(truncate(input.jobTitle, 200))}*. OpenTrain ` +
        `never hires straight away: it creates an approval a person confirms in OpenTrain within ${HIRE_APPROVAL_LIFETIME_HOURS} hours; nothing is charged before that.`,
    ),
  );
  if (input.pending?.status === 'pending') {
    blocks.push(
      context(
        'hire_pending',
        `⏳ A hire is already waiting for approval${input.pending.expiresAt ? ` (expires ${slackDate(input.pending.expiresAt, '{date_short_pretty} {time}')})` : ''}. The same terms keep it; different terms replace it.`,
      ),
    );
  }
  const initial = input.initial ?? null;
  const milestone: types.PlainTextInput = {
    type: 'plain_text_input',
    action_id: HIRE_INPUT_ACTION,
    multiline: true,
    max_length: MILESTONE_TEXT_MAX,
    placeholder: { type: 'plain_text', text: 'e.g. First 1,000 labels' },
  };
  const milestoneText = initial?.name ?? initial?.description;
  if (milestoneText) milestone.initial_value = milestoneText;
  const amount: types.PlainTextInput = {
    type: 'plain_text_input',
    action_id: HIRE_INPUT_ACTION,
    placeholder: { type: 'plain_text', text: 'e.g. 500' },
  };
  if (initial) amount.initial_value = String(initial.amountUsd);
  const due: types.Datepicker = {
    type: 'datepicker',
    action_id: HIRE_INPUT_ACTION,
    placeholder: { type: 'plain_text', text: 'No due date' },
  };
  if (initial?.dueDate) due.initial_date = initial.dueDate;
  blocks.push(
    {
      type: 'input',
      block_id: HIRE_BLOCKS.name,
      label: { type: 'plain_text', text: 'First milestone: name or description' },
      element: milestone,
    },
    {
      type: 'input',
      block_id: HIRE_BLOCKS.amount,
      label: { type: 'plain_text', text: 'Milestone amount (USD)' },
      element: amount,
    },
    {
      type: 'input',
      block_id: HIRE_BLOCKS.dueDate,
      optional: true,
      label: { type: 'plain_text', text: 'Due date' },
      element: due,
    },
    context('hire_fees', feesSentence()),
  );
  return hireStep(HIRE_CALLBACK_ID, input.privateMetadata, 'Request hire', blocks);
}

/** The second step for a proposal marked Not a fit: nothing is sent until the person confirms. */
export function notAFitConfirmView(input: {
  candidateName: string;
  terms: Readonly<HireTerms>;
  fees: HireFeeBreakdown;
  privateMetadata: string;
}): ModalView {
  return hireStep(HIRE_NOT_A_FIT_CALLBACK_ID, input.privateMetadata, 'Hire anyway', [
    section(
      'hire_not_a_fit',
      `:warning: *${escapeMrkdwn(input.candidateName)}* is marked *Not a fit* on OpenTrain. Hire them anyway?`,
    ),
    section('hire_terms', termsText(input.terms)),
    context('hire_fees', feesSentence(input.fees)),
  ]);
}

/** One step of the hire modal: its callback, what it carries, its submit label and its blocks. */
function hireStep(callbackId: string, privateMetadata: string, submit: string, blocks: KnownBlock[]): ModalView {
  return fitView({
    type: 'modal',
    callback_id: callbackId,
    private_metadata: privateMetadata,
    title: { type: 'plain_text', text: HIRE_TITLE },
    submit: { type: 'plain_text', text: submit },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks,
  });
}

/** Shown while OpenTrain handles the request (the submission is acknowledged at once). */
export function hireSendingView(input: { candidateName: string; fees: HireFeeBreakdown }): ModalView {
  return noticeView({
    title: HIRE_TITLE,
    blockId: 'hire_sending',
    text: `:hourglass_flowing_sand: Asking OpenTrain to hire *${escapeMrkdwn(input.candidateName)}* (${formatMoney(
      input.fees.totalUsd,
    )} once confirmed)…`,
  });
}

/** The request's outcome: the approval to confirm, with the total and the link. */
export function hireDoneView(text: string): ModalView {
  return noticeView({ title: HIRE_TITLE, close: 'Done', blockId: 'hire_done', text });
}

/** "First 1,000 labels — $500, due 12 Dec 2026". */
export function termsText(terms: Readonly<HireTerms>): string {
  const label = escapeMrkdwn(truncate(terms.name ?? terms.description ?? '', 200));
  const due = terms.dueDate ? `, due ${slackDate(`${terms.dueDate}T00:00:00Z`, '{date_short}')}` : '';
  return `*${label}* — ${formatMoney(terms.amountUsd)}${due}`;
}

/** The card's hire line, or null when there is nothing to say. */
export function cardHireLine(hire: HireView | null | undefined): string | null {
  if (!hire) return null;
  const when = (iso: string | null) => (iso ? slackDate(iso, '{date_short_pretty} {time}') : null);
  const approval = link(hire.approvalUrl, 'Open the approval');
  switch (hire.status) {
    case 'pending': {
      const who = hire.requestedBy ? `by <@${hire.requestedBy}>` : 'on OpenTrain';
      const expires = when(hire.expiresAt);
      return `🤝 Hire requested ${who} — waiting for approval${expires ? ` (expires ${expires})` : ''} · ${approval}`;
    }
    case 'confirmed':
      return `✅ Hired — approval confirmed${hire.resolvedAt ? ` ${when(hire.resolvedAt)}` : ''}${
        hire.contractId ? ` · contract ${escapeMrkdwn(hire.contractId)}` : ''
      }`;
    case 'declined':
      return `Hire declined on OpenTrain${hire.resolvedAt ? ` ${when(hire.resolvedAt)}` : ''}. Use Hire… to ask again.`;
    case 'expired':
      return `The hire approval expired${hire.resolvedAt ? ` ${when(hire.resolvedAt)}` : ''} without a decision. Use Hire… to ask again.`;
    default:
      return `Hire approval: ${escapeMrkdwn(truncate(hire.status, 50))} · ${approval}`;
  }
}

/** Said instead of a form when the bot already knows the candidate is hired. */
export const ALREADY_HIRED_TEXT = 'This candidate is already hired; the contract is in the OpenTrain app.';

/** True when the card should still offer Hire… (not once the hire is confirmed). */
export function offersHire(hire: HireView | null | undefined, proposalStatus: string): boolean {
  return hire?.status !== 'confirmed' && proposalStatus.trim().toUpperCase() !== 'HIRED';
}

function section(blockId: string, text: string): KnownBlock {
  return { type: 'section', block_id: blockId, text: { type: 'mrkdwn', text } };
}

function context(blockId: string, text: string): KnownBlock {
  return { type: 'context', block_id: blockId, elements: [{ type: 'mrkdwn', text }] };
}

/** What the card's thread hears about a hire: one line per request and per outcome. */
export const HIRE_LINES = {
  requested(input: { userId: string; terms: Readonly<HireTerms>; fees: HireFeeBreakdown; hire: HireView }): string {
    return `🤝 <@${input.userId}> requested a hire: ${termsText(input.terms)} (${formatMoney(
      input.fees.totalUsd,
    )} with fees). ${waiting(input.hire)}`;
  },
  superseded(input: { userId: string; terms: Readonly<HireTerms>; fees: HireFeeBreakdown; hire: HireView }): string {
    return `🤝 <@${input.userId}> changed the hire terms: ${termsText(input.terms)} (${formatMoney(
      input.fees.totalUsd,
    )} with fees). The previous approval was replaced. ${waiting(input.hire)}`;
  },
  confirmed: (candidateName: string) =>
    `✅ Hire confirmed on OpenTrain: *${escapeMrkdwn(candidateName)}* is hired and the first milestone is funded.`,
  declined: () => 'Hire declined on OpenTrain: nobody was hired and nothing was charged. Use Hire… to ask again.',
  expired: () =>
    `The hire approval expired: nobody confirmed it in time (${HIRE_APPROVAL_LIFETIME_HOURS} hours), so nobody was hired. Use Hire… to ask again.`,
  contract: (contractId: string) => `Contract created on OpenTrain (${escapeMrkdwn(contractId)}).`,
} as const;

function waiting(hire: HireView): string {
  const expires = hire.expiresAt ? ` until ${slackDate(hire.expiresAt, '{date_short_pretty} {time}')}` : '';
  return `Waiting for a person to confirm${expires}: ${link(hire.approvalUrl, 'open the approval')}.`;
}

/** The request's outcome in words, for the modal (and the person's channel when the modal is gone). */
export function hireOutcomeText(outcome: {
  kind: 'requested' | 'reused' | 'superseded';
  hire: HireView;
  fees: HireFeeBreakdown;
  candidateName: string;
}): string {
  const { hire, fees } = outcome;
  const name = `*${escapeMrkdwn(outcome.candidateName)}*`;
  const expires = hire.expiresAt ? ` before ${slackDate(hire.expiresAt, '{date_short_pretty} {time}')}` : '';
  const confirm = `A person must confirm it at ${link(hire.approvalUrl, 'the approval')}${expires}; until then nobody is hired and nothing is charged.`;
  const terms = hire.terms ? `${termsText(hire.terms)}, ${formatMoney(fees.totalUsd)} with fees. ` : '';
  switch (outcome.kind) {
    case 'reused':
      return `⏳ The hire of ${name} is already waiting for approval with these terms (${
        hire.requestedBy ? `requested by <@${hire.requestedBy}>` : 'requested on OpenTrain'
      }); no new approval was created. ${confirm}`;
    case 'superseded':
      return `🤝 Hire of ${name} requested with new terms: ${terms}The previous approval was replaced by this one. ${confirm}`;
    default:
      return `🤝 Hire of ${name} requested: ${terms}${confirm}`;
  }
}
