// Contracts, their budget and the invoices that wait for the employer (docs/opentrain.md#after-the-hire). A contract
// is born when a human confirms a proposal_hire approval (world.ts resolveApproval), with the hire's first milestone
// funded; the knobs then move its budget and raise invoices, each change announced through the ledger like the rest.

import { badRequest, conflict, notFound } from './errors.js';
import type { Ledger } from './ledger.js';
import type { ApprovalRecord, JobRecord, ProposalRecord } from './types.js';

export const BUDGET_STATES = ['OK', 'LOW', 'DEPLETED'] as const;
export type BudgetState = (typeof BUDGET_STATES)[number];

/** consumedFraction a budget knob uses when none is given: where each state typically sits. */
const DEFAULT_FRACTION: Record<BudgetState, number> = { OK: 0.3, LOW: 0.82, DEPLETED: 1 };

export interface MilestoneRecord {
  id: string;
  name: string;
  description: string;
  /** NOT_FUNDED, ACTIVE_FUNDED, … */
  status: string;
  amountUsd: number;
  milestoneNumber: number;
  dueDate: string | null;
  invoiceId: string | null;
  createdAt: string;
}

export interface InvoiceRecord {
  id: string;
  organizationId: string;
  contractId: string;
  milestoneId: string;
  /** PENDING_FUNDING or PENDING_PAYOUT while it waits for the employer. */
  status: string;
  invoiceKind: string;
  amountUsd: number;
  invoiceNumber: number;
  createdAt: string;
}

export interface ContractRecord {
  id: string;
  organizationId: string;
  status: 'active' | 'ended';
  title: string;
  jobId: string;
  jobTitle: string;
  proposalId: string;
  freelancerId: string;
  paymentType: string;
  rateUsd: number;
  createdAt: string;
  updatedAt: string;
  milestones: MilestoneRecord[];
  jobDmConversationId: string | null;
  budget: {
    state: BudgetState;
    /** Hours or labels bought (0 for fixed price, whose budget is money only). */
    fundedVolume: number;
    fundedAmountUsd: number;
    consumedFraction: number;
    lastUsageAt: string | null;
  };
}

/** The hire body's milestone, as requestHire keeps it (canonical JSON in `approval.terms`). */
interface HireTerms {
  name?: unknown;
  description?: unknown;
  amount?: unknown;
  dueDate?: unknown;
}

function termsOf(approval: ApprovalRecord): HireTerms {
  try {
    const parsed = JSON.parse(approval.terms) as unknown;
    return parsed !== null && typeof parsed === 'object' ? (parsed as HireTerms) : {};
  } catch {
    return {};
  }
}

const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value : null);

export interface ContractBookDeps {
  ledger: Ledger;
  newId: (prefix: string) => string;
  now: () => Date;
}

export class ContractBook {
  private invoiceNumber = 1041;

  constructor(
    readonly contracts: Map<string, ContractRecord>,
    readonly invoices: Map<string, InvoiceRecord>,
    private readonly deps: ContractBookDeps,
  ) {}

  /** The contract a confirmed hire creates: the first milestone from the hire terms, funded, budget OK. */
  createFromHire(input: {
    contractId: string;
    approval: ApprovalRecord;
    proposal: ProposalRecord;
    job: JobRecord;
    at: string;
  }): ContractRecord {
    const { contractId, approval, proposal, job, at } = input;
    const terms = termsOf(approval);
    const amountUsd = typeof terms.amount === 'number' ? terms.amount : proposal.bid.amountUsd;
    const name = text(terms.name) ?? text(terms.description) ?? 'First milestone';
    const milestone: MilestoneRecord = {
      id: this.deps.newId('ms'),
      name,
      description: text(terms.description) ?? name,
      status: 'ACTIVE_FUNDED',
      amountUsd,
      milestoneNumber: 1,
      dueDate: text(terms.dueDate) ? `${terms.dueDate}T00:00:00.000Z` : null,
      invoiceId: null,
      createdAt: at,
    };
    const rateUsd = proposal.bid.amountUsd;
    const contract: ContractRecord = {
      id: contractId,
      organizationId: job.organizationId,
      status: 'active',
      title: `${job.title} Contract`,
      jobId: job.id,
      jobTitle: job.title,
      proposalId: proposal.id,
      freelancerId: proposal.freelancerId,
      paymentType: job.paymentType,
      rateUsd,
      createdAt: at,
      updatedAt: at,
      milestones: [milestone],
      // The sandbox keeps no post-hire threads.
      jobDmConversationId: null,
      budget: {
        state: 'OK',
        fundedVolume: job.paymentType === 'FIXED_PRICE' || rateUsd <= 0 ? 0 : Math.round(amountUsd / rateUsd),
        fundedAmountUsd: amountUsd,
        consumedFraction: 0,
        lastUsageAt: null,
      },
    };
    approval.milestoneId = milestone.id;
    this.contracts.set(contract.id, contract);
    return contract;
  }

  get(contractId: string): ContractRecord {
    const contract = this.contracts.get(contractId);
    if (!contract) throw notFound('Contract not found', { resource: 'contracts', contractId });
    return contract;
  }

  /** An invoice now waits for the employer (the active milestone's, by default): emits `payment.pending`. */
  paymentPending(
    contractId: string,
    options: { amountUsd?: number; status?: string } = {},
  ): { invoice: InvoiceRecord; eventId: string | null } {
    const contract = this.get(contractId);
    const milestone = contract.milestones.find((m) => m.status === 'ACTIVE_FUNDED') ?? contract.milestones.at(-1);
    if (!milestone) throw conflict('This contract has no milestone to invoice.', 'milestone_not_found');
    const at = this.deps.now().toISOString();
    const status = options.status ?? 'PENDING_PAYOUT';
    if (status !== 'PENDING_PAYOUT' && status !== 'PENDING_FUNDING') {
      throw badRequest('status must be PENDING_PAYOUT or PENDING_FUNDING', { field: 'status' });
    }
    this.invoiceNumber += 1;
    const invoice: InvoiceRecord = {
      id: this.deps.newId('inv'),
      organizationId: contract.organizationId,
      contractId,
      milestoneId: milestone.id,
      status,
      invoiceKind: status === 'PENDING_FUNDING' ? 'FUNDING' : 'PAYOUT',
      amountUsd: options.amountUsd ?? milestone.amountUsd,
      invoiceNumber: this.invoiceNumber,
      createdAt: at,
    };
    milestone.invoiceId = invoice.id;
    this.invoices.set(invoice.id, invoice);
    const event = this.deps.ledger.append({
      organizationId: contract.organizationId,
      type: 'payment.pending',
      createdAt: at,
      resourceId: invoice.id,
      jobId: contract.jobId,
      data: { invoiceId: invoice.id, milestoneId: milestone.id, contractId },
    });
    return { invoice, eventId: event?.id ?? null };
  }

  /**
   * Usage moved the budget to `state` (at `consumedFraction`, default typical for the state): emits
   * `contract.budget_state_changed` when the state differs from the current one, as OpenTrain does on a move only.
   */
  setBudget(contractId: string, state: string, consumedFraction?: number): { changed: boolean } {
    if (!(BUDGET_STATES as readonly string[]).includes(state)) {
      throw badRequest(`state must be one of ${BUDGET_STATES.join(', ')}`, { field: 'state' });
    }
    const next = state as BudgetState;
    const fraction = consumedFraction ?? DEFAULT_FRACTION[next];
    if (!Number.isFinite(fraction) || fraction < 0 || fraction > 1) {
      throw badRequest('consumedFraction must be between 0 and 1', { field: 'consumedFraction' });
    }
    const contract = this.get(contractId);
    const { budget } = contract;
    const previousState = budget.state;
    const at = this.deps.now().toISOString();
    budget.state = next;
    budget.consumedFraction = fraction;
    budget.lastUsageAt = at;
    contract.updatedAt = at;
    if (previousState === next) return { changed: false };
    const volumes = budgetVolumes(contract);
    this.deps.ledger.append({
      organizationId: contract.organizationId,
      type: 'contract.budget_state_changed',
      createdAt: at,
      resourceId: contractId,
      jobId: contract.jobId,
      data: {
        contractId,
        previousState,
        state: next,
        paymentType: contract.paymentType,
        fundedVolume: volumes.fundedVolume,
        consumedVolume: volumes.consumedVolume,
        remainingVolume: volumes.remainingVolume,
        consumedFraction: fraction,
      },
    });
    return { changed: true };
  }
}

export function budgetVolumes(contract: ContractRecord): {
  fundedVolume: number;
  consumedVolume: number;
  remainingVolume: number;
} {
  const { fundedVolume, consumedFraction } = contract.budget;
  const consumedVolume = Math.round(fundedVolume * consumedFraction * 100) / 100;
  return { fundedVolume, consumedVolume, remainingVolume: Math.round((fundedVolume - consumedVolume) * 100) / 100 };
}
