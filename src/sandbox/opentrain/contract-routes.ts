// GET /contracts, GET /contracts/{id} and GET /payments/pending (docs/opentrain.md#after-the-hire), rendered in the
// documented shapes (docs/opentrain-examples/contract-get.json, contracts-list.json, payments-pending.json).

import type { ApiContext } from './api.js';
import { authorize } from './auth.js';
import { budgetVolumes, type ContractBook, type ContractRecord, type InvoiceRecord } from './contracts.js';
import { badRequest, forbidden, notFound } from './errors.js';
import type { Reply, Router } from './router.js';
import type { SandboxState } from './types.js';

const CONTRACT_STATUSES = ['active', 'ended'];
const PAYMENTS_READ = { scopes: ['payments:read'] };

function presentContract(contract: ContractRecord, state: SandboxState) {
  const freelancer = state.freelancers.get(contract.freelancerId);
  return {
    id: contract.id,
    status: contract.status,
    title: contract.title,
    jobId: contract.jobId,
    proposalId: contract.proposalId,
    paymentType: contract.paymentType,
    rateUsd: contract.rateUsd,
    estimatedTotalUsd: contract.milestones.reduce((sum, milestone) => sum + milestone.amountUsd, 0),
    estimatedVolume: null,
    hasActiveMilestone: contract.milestones.some((milestone) => milestone.status === 'ACTIVE_FUNDED'),
    startDate: contract.createdAt,
    endDate: null,
    createdAt: contract.createdAt,
    updatedAt: contract.updatedAt,
    freelancer: {
      userId: contract.freelancerId,
      displayName: freelancer?.displayName ?? null,
      country: freelancer?.country ?? null,
      profilePath: freelancer ? `/profile/${freelancer.profileSlug}` : null,
    },
    milestones: contract.milestones.map((milestone) => ({
      id: milestone.id,
      name: milestone.name,
      description: milestone.description,
      status: milestone.status,
      amountUsd: milestone.amountUsd,
      volume: null,
      milestoneNumber: milestone.milestoneNumber,
      dueDate: milestone.dueDate,
      pendingApproval: false,
      needsReview: false,
      invoiceId: milestone.invoiceId,
      createdAt: milestone.createdAt,
    })),
  };
}

function presentBudget(contract: ContractRecord) {
  const { budget } = contract;
  const active = contract.milestones.find((milestone) => milestone.status === 'ACTIVE_FUNDED') ?? null;
  const { fundedVolume, consumedVolume, remainingVolume } = budgetVolumes(contract);
  const hours = contract.paymentType === 'PAY_PER_HOUR' ? consumedVolume : 0;
  return {
    contractId: contract.id,
    paymentType: contract.paymentType,
    state: budget.state,
    fundedVolume,
    fundedAmountUsd: budget.fundedAmountUsd,
    consumed: {
      seconds: Math.round(hours * 3600),
      hours,
      labels: contract.paymentType === 'PAY_PER_LABEL' ? consumedVolume : 0,
      tasks: 0,
    },
    consumedVolume,
    remainingVolume,
    consumedFraction: budget.consumedFraction,
    activeMilestone: active && {
      id: active.id,
      name: active.name,
      amountUsd: active.amountUsd,
      volume: null,
      status: active.status,
    },
    lastUsageAt: budget.lastUsageAt,
  };
}

function presentPayment(invoice: InvoiceRecord, contract: ContractRecord) {
  const milestone = contract.milestones.find((m) => m.id === invoice.milestoneId);
  return {
    id: invoice.id,
    status: invoice.status,
    invoiceKind: invoice.invoiceKind,
    viewerRole: 'EMPLOYER',
    amountUsd: invoice.amountUsd,
    createdAt: invoice.createdAt,
    invoiceNumber: invoice.invoiceNumber,
    job: { id: contract.jobId, title: contract.jobTitle },
    milestone: { id: invoice.milestoneId, name: milestone?.name ?? null },
  };
}

const newestFirst = (a: { createdAt: string; id: string }, b: { createdAt: string; id: string }) =>
  Date.parse(b.createdAt) - Date.parse(a.createdAt) || b.id.localeCompare(a.id);

export function addContractRoutes(router: Router<ApiContext>, book: ContractBook, state: SandboxState): void {
  const ok = (body: unknown): Reply => ({ status: 200, body });

  router.add('GET', '/contracts', ({ caller, query }) => {
    authorize(caller, PAYMENTS_READ);
    const status = query.get('status') || null;
    if (status !== null && !CONTRACT_STATUSES.includes(status)) {
      throw badRequest(`status must be one of ${CONTRACT_STATUSES.join(', ')}`, { field: 'status' });
    }
    const jobId = query.get('jobId') || null;
    if (jobId !== null) {
      const job = state.jobs.get(jobId);
      if (!job) throw notFound('Job not found', { resource: 'jobs', jobId });
      if (job.organizationId !== caller.account.organizationId) {
        throw forbidden('This job belongs to another account.', { jobId });
      }
    }
    const contracts = [...book.contracts.values()]
      .filter(
        (contract) =>
          contract.organizationId === caller.account.organizationId &&
          (jobId === null || contract.jobId === jobId) &&
          (status === null || contract.status === status),
      )
      .sort(newestFirst);
    return ok({ contracts: contracts.map((contract) => presentContract(contract, state)) });
  });

  router.add('GET', '/contracts/:id', ({ caller }, { id }) => {
    authorize(caller, PAYMENTS_READ);
    const contract = book.get(id!);
    if (contract.organizationId !== caller.account.organizationId) {
      throw forbidden('This contract belongs to another account.', { contractId: id });
    }
    return ok({
      contract: {
        ...presentContract(contract, state),
        jobDmConversationId: contract.jobDmConversationId,
        budget: presentBudget(contract),
      },
    });
  });

  router.add('GET', '/payments/pending', ({ caller }) => {
    authorize(caller, PAYMENTS_READ);
    const payments = [...book.invoices.values()]
      .filter((invoice) => invoice.organizationId === caller.account.organizationId)
      .filter((invoice) => invoice.status.startsWith('PENDING_'))
      .sort(newestFirst);
    return ok({ payments: payments.map((invoice) => presentPayment(invoice, book.get(invoice.contractId))) });
  });
}
