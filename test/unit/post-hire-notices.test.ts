import { afterEach, describe, expect, it } from 'vitest';
import { OpenTrainError } from '../../src/api/errors.js';
import { toContract } from '../../src/api/normalize-contracts.js';
import { apiContractSchema } from '../../src/api/schemas.js';
import { NOTICE_EVENT_TYPE } from '../../src/blocks/ids.js';
import { postHireNotice } from '../../src/blocks/notices.js';
import type { Contract, PendingPayment, PlatformEvent } from '../../src/domain.js';
import { noticeFromEvent } from '../../src/services/notice-keys.js';
import { PostHireNotices } from '../../src/services/post-hire-notices.js';
import type { NoticeDue, StoredProposal } from '../../src/store/schema.js';
import {
  FakeSlackThreads,
  fakeClock,
  immediateScheduler,
  networkError,
  proposalWithCard,
  recordingLogger,
  storeWith,
} from '../helpers/relay-fakes.js';

// The post-hire notices: which events need a person (the plan's plain data and their once-only keys), the words of
// each notice, and the service through its ports (a real store file, Slack threads and OpenTrain in memory).

function event(type: string, data: Record<string, unknown>, resourceId: string | null = null): PlatformEvent {
  return { id: '1001', type, createdAt: '2026-06-12T10:05:00.000Z', resourceId, jobId: 'job_1', data };
}

const paymentDue = (overrides: Partial<NoticeDue> = {}): NoticeDue => ({
  key: 'payment.pending:inv_1',
  kind: 'payment_pending',
  contractId: 'ctr_1',
  invoiceId: 'inv_1',
  milestoneId: 'ms_1',
  consumedPercent: null,
  at: '2026-03-02T12:00:00Z',
  proposalId: null,
  postingAt: null,
  ...overrides,
});

describe('which events need a person', () => {
  it('payment.pending: keyed by its invoice, with the contract and milestone', () => {
    const notice = noticeFromEvent(
      event('payment.pending', { invoiceId: 'inv_1', milestoneId: 'ms_1', contractId: 'ctr_1' }),
    );
    expect(notice).toEqual(paymentDue({ at: '2026-06-12T10:05:00.000Z' }));
    // The invoice id from resourceId when data leaves it out; no contract, nothing to act on.
    expect(noticeFromEvent(event('payment.pending', { contractId: 'ctr_1' }, 'inv_2'))?.key).toBe(
      'payment.pending:inv_2',
    );
    expect(noticeFromEvent(event('payment.pending', { invoiceId: 'inv_3' }))).toBeNull();
  });

  it('budget LOW and DEPLETED once per move (the event id in the key); OK and unknown states need no one', () => {
    const low = noticeFromEvent(
      event('contract.budget_state_changed', { contractId: 'ctr_1', state: 'LOW', consumedFraction: 0.82 }),
    );
    expect(low).toMatchObject({ key: 'budget:ctr_1:LOW:1001', kind: 'budget_low', consumedPercent: 82 });
    const depleted = noticeFromEvent(event('contract.budget_state_changed', { state: 'depleted' }, 'ctr_1'));
    expect(depleted).toMatchObject({
      key: 'budget:ctr_1:DEPLETED:1001',
      kind: 'budget_depleted',
      consumedPercent: null,
    });
    // A fraction sent as a percentage is read as one.
    expect(
      noticeFromEvent(event('contract.budget_state_changed', { contractId: 'c', state: 'LOW', consumedFraction: 91 }))
        ?.consumedPercent,
    ).toBe(91);
    for (const state of ['OK', 'PAUSED', undefined]) {
      expect(noticeFromEvent(event('contract.budget_state_changed', { contractId: 'ctr_1', state }))).toBeNull();
    }
    expect(noticeFromEvent(event('contract.created', { contractId: 'ctr_1' }))).toBeNull();
  });
});

describe('the words of a notice', () => {
  const url = 'https://app.opentrain.ai/contracts/ctr_1';

  it('an invoice: amount, milestone and where to pay it; what is unknown is left out', () => {
    expect(
      postHireNotice({
        kind: 'payment_pending',
        amountUsd: 300,
        milestoneName: 'First labeling batch',
        consumedPercent: null,
        contractUrl: url,
      }),
    ).toBe(
      '🧾 An invoice of *$300* for “First labeling batch” is waiting for payment. Someone with access to ' +
        `billing needs to review and pay it: <${url}|open the contract in OpenTrain>.`,
    );
    const bare = postHireNotice({
      kind: 'payment_pending',
      amountUsd: null,
      milestoneName: null,
      consumedPercent: null,
      contractUrl: null,
    });
    expect(bare).toMatch(/^🧾 An invoice is waiting for payment\. .*: open the contract in OpenTrain\.$/);
  });

  it('budget low and used up; a milestone name cannot inject mrkdwn', () => {
    const base = { amountUsd: null, contractUrl: url, consumedPercent: 82 };
    expect(postHireNotice({ ...base, kind: 'budget_low', milestoneName: 'Batch 2' })).toContain(
      'Budget is running low: 82 % used for “Batch 2”. Add funds or a new milestone',
    );
    expect(postHireNotice({ ...base, kind: 'budget_low', milestoneName: null, consumedPercent: null })).toContain(
      'Budget is running low: most of it is used.',
    );
    const depleted = postHireNotice({ ...base, kind: 'budget_depleted', milestoneName: '<!channel> <http://x|y>' });
    expect(depleted).toContain("Budget is used up for “&lt;!channel&gt; &lt;http://x|y&gt;”: work can't continue");
  });
});

describe('GET /contracts/{id} normalisation', () => {
  it('accepts the documented example and tolerates missing blocks', () => {
    const parsed = apiContractSchema.parse({
      id: 'ctr_1',
      status: 'active',
      proposalId: 'prop_1',
      milestones: [{ id: 'ms_1', name: 'First', amountUsd: 300, status: 'ACTIVE_FUNDED' }, { broken: true }],
      budget: { state: 'low', consumedFraction: 0.5, activeMilestone: { name: 'First' } },
    });
    expect(toContract(parsed)).toMatchObject({
      id: 'ctr_1',
      proposalId: 'prop_1',
      milestones: [{ id: 'ms_1', name: 'First', amountUsd: 300 }],
      budget: { state: 'LOW', consumedPercent: 50, activeMilestoneName: 'First' },
    });
    expect(toContract(apiContractSchema.parse({ id: 7 }))).toMatchObject({
      id: '7',
      proposalId: null,
      milestones: [],
      budget: null,
    });
  });
});

// ---- the service through its ports ----------------------------------------------------------------------------

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

class FakeContracts {
  contracts = new Map<string, Contract>();
  payments: PendingPayment[] = [];
  contractFailure: Error | null = null;
  calls: string[] = [];
  readonly appOrigin = 'https://app.opentrain.ai';

  async getContract(id: string): Promise<Contract> {
    this.calls.push(`contract:${id}`);
    if (this.contractFailure) throw this.contractFailure;
    const contract = this.contracts.get(id);
    if (!contract) throw new OpenTrainError({ status: 404, code: 'NOT_FOUND', message: 'Contract not found' });
    return contract;
  }

  async listPendingPayments(): Promise<PendingPayment[]> {
    this.calls.push('payments');
    return this.payments;
  }
}

function contractFor(proposalId: string): Contract {
  return {
    id: 'ctr_1',
    status: 'active',
    title: null,
    jobId: null,
    proposalId,
    paymentType: 'FIXED_PRICE',
    milestones: [
      { id: 'ms_1', name: 'First batch', description: null, status: 'ACTIVE_FUNDED', amountUsd: 300, invoiceId: null },
    ],
    budget: { state: 'OK', consumedPercent: 0, activeMilestoneName: 'First batch' },
  };
}

async function setup(proposals: StoredProposal[] = [proposalWithCard(1)]) {
  const { store, cleanup } = await storeWith(proposals);
  cleanups.push(cleanup);
  const openTrain = new FakeContracts();
  const slack = new FakeSlackThreads();
  const time = fakeClock('2026-03-02T12:00:00Z');
  const { logger, lines } = recordingLogger();
  const refusals: string[] = [];
  const access = {
    ensureReadable: async () => true,
    noteRefusal: (channel: string) => {
      refusals.push(channel);
    },
    problemOf: () => null,
  };
  const service = () =>
    new PostHireNotices({
      store,
      client: openTrain,
      slack,
      scheduler: immediateScheduler,
      access,
      logger,
      clock: time.clock,
    });
  const thread = (proposalId = 'prop_000001') => {
    const card = store.data.proposals[proposalId]!.card!;
    return slack.inThread(card.channel, card.ts!);
  };
  return { store, openTrain, slack, lines, access, service, thread, refusals };
}

describe('PostHireNotices', () => {
  it('learns the proposal from the contract, posts once with metadata, and records the key', async () => {
    const { store, openTrain, slack, service, thread } = await setup();
    openTrain.contracts.set('ctr_1', contractFor('prop_000001'));
    openTrain.payments = [
      {
        id: 'inv_1',
        status: 'PENDING_PAYOUT',
        amountUsd: 450,
        jobId: null,
        jobTitle: null,
        milestoneId: 'ms_1',
        milestoneName: 'First batch',
      },
    ];
    const notices = service();
    notices.queue([paymentDue()]);
    notices.queue([paymentDue()]); // the same event read again: still one queued
    expect(store.data.noticesDue).toHaveLength(1);
    await notices.postDue();
    await notices.postDue();

    expect(thread().map((post) => post.text)).toEqual([
      expect.stringContaining('An invoice of *$450* for “First batch” is waiting for payment'),
    ]);
    expect(slack.posts[0]!.metadata).toEqual({
      event_type: NOTICE_EVENT_TYPE,
      event_payload: { proposal_id: 'prop_000001', notice_key: 'payment.pending:inv_1' },
    });
    expect(store.data.proposals.prop_000001!.notices).toEqual(['payment.pending:inv_1']);
    expect(store.data.noticesDue).toEqual([]);
    // Already posted for this proposal: queuing it again does nothing.
    notices.queue([paymentDue({ proposalId: 'prop_000001' })]);
    expect(store.data.noticesDue).toEqual([]);
  });

  it('uses the hire record when it names the contract, and posts what is known when OpenTrain fails', async () => {
    const hired = proposalWithCard(2);
    hired.hire = {
      approvalId: 'appr_1',
      status: 'confirmed',
      approvalUrl: null,
      expiresAt: null,
      requestedBy: null,
      requestedAt: '2026-03-01T00:00:00Z',
      terms: null,
      resolvedAt: '2026-03-01T01:00:00Z',
      contractId: 'ctr_1',
      superseded: [],
    };
    const { openTrain, service, thread } = await setup([proposalWithCard(1), hired]);
    openTrain.contractFailure = networkError();
    const notices = service();
    notices.queue([paymentDue({ kind: 'budget_low', key: 'budget:ctr_1:LOW', consumedPercent: 85 })]);
    await notices.postDue();
    expect(thread('prop_000002').map((post) => post.text)).toEqual([
      expect.stringContaining('Budget is running low: 85 % used. Add funds'),
    ]);
    expect(thread('prop_000001')).toEqual([]);
  });

  it('waits while OpenTrain cannot say whose contract it is; drops a contract that is not ours', async () => {
    const { store, openTrain, service, thread, lines } = await setup();
    openTrain.contractFailure = networkError();
    const notices = service();
    notices.queue([paymentDue()]);
    await notices.postDue();
    expect(store.data.noticesDue).toHaveLength(1);
    expect(lines.some((line) => line.includes('could not read contract ctr_1'))).toBe(true);

    openTrain.contractFailure = null; // now answers 404: not one of ours
    await notices.postDue();
    expect(store.data.noticesDue).toEqual([]);
    expect(thread()).toEqual([]);
  });

  it('a post whose answer was lost is found in the thread, not posted again; one that never landed is retried', async () => {
    const { store, openTrain, slack, service, thread } = await setup();
    openTrain.contracts.set('ctr_1', contractFor('prop_000001'));
    const notices = service();

    slack.failNextPost = { landed: true };
    notices.queue([paymentDue()]);
    await notices.postDue();
    expect(store.data.noticesDue?.[0]?.postingAt).toEqual(expect.any(String));
    await notices.postDue();
    expect(thread()).toHaveLength(1);
    expect(store.data.proposals.prop_000001!.notices).toEqual(['payment.pending:inv_1']);

    slack.failNextPost = { landed: false };
    notices.queue([paymentDue({ key: 'budget:ctr_1:DEPLETED', kind: 'budget_depleted', invoiceId: null })]);
    await notices.postDue();
    expect(thread()).toHaveLength(1);
    await notices.postDue();
    expect(thread().map((post) => post.text)).toEqual([
      expect.stringContaining('An invoice'),
      expect.stringContaining('Budget is used up for “First batch”'),
    ]);
  });

  it('a channel Slack refuses keeps the notice due, with the intent cleared', async () => {
    const { store, openTrain, slack, service, refusals } = await setup();
    openTrain.contracts.set('ctr_1', contractFor('prop_000001'));
    slack.postMessage = async () => {
      throw Object.assign(new Error('An API error occurred: not_in_channel'), { data: { error: 'not_in_channel' } });
    };
    const notices = service();
    notices.queue([paymentDue()]);
    await notices.postDue();
    expect(refusals).toEqual([store.data.proposals.prop_000001!.card!.channel]);
    expect(store.data.noticesDue).toEqual([expect.objectContaining({ key: 'payment.pending:inv_1', postingAt: null })]);
  });
});
