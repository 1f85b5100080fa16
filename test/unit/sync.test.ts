import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OpenTrainClient, UpdatesPage } from '../../src/api/client.js';
import type { Job, PlatformEvent, Proposal } from '../../src/domain.js';
import { silentLogger } from '../../src/logger.js';
import { SyncService } from '../../src/services/sync.js';
import { performSyncPlan, type SyncCoordinatorPorts } from '../../src/services/sync-coordinator.js';
import { emptySyncPlan } from '../../src/services/sync-plan.js';
import { decodeStore } from '../../src/store/index.js';
import { Store } from '../../src/store/store.js';
import { makeStoredProposal } from '../helpers/store-fixtures.js';

// The sync through its ports: a scripted OpenTrain client (ledger pages, proposal details), a real store in a temp
// directory, recording fakes for cards and relay, and a fixed clock.

const NOW = new Date('2026-03-02T10:00:00.000Z');
const clock = () => NOW;
const JOB: Job = {
  id: 'job_1',
  title: 'Radiology annotation',
  status: 'OPEN',
  published: true,
  acceptingApplicants: true,
  jobUrl: null,
  proposalCounts: null,
};

let dir: string;
let file: string;
let store: Store;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sync-test-'));
  file = join(dir, 'store.jsonl');
  store = await Store.open({ file, flushDelayMs: 10 });
  const known = makeStoredProposal(1, JOB.id);
  store.change((data) => {
    data.cursor = 'c0';
    data.backfilledAt = '2026-03-01T00:00:00.000Z';
    data.health.mode = 'ledger';
    data.jobs[JOB.id] = {
      id: JOB.id,
      title: JOB.title,
      status: 'OPEN',
      published: true,
      channelId: 'C_HIRE',
      watch: true,
      weights: null,
    };
    data.proposals[known.proposal.id] = known;
  });
  await store.flush();
});

afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

function event(type: string, data: Record<string, unknown>): PlatformEvent {
  return {
    id: `evt_${type}_${JSON.stringify(data)}`,
    type,
    createdAt: NOW.toISOString(),
    resourceId: null,
    jobId: null,
    data,
  };
}

/** A client that serves `pages` by cursor and proposal details from `details`; `gate` holds the first page back. */
function fakeClient(pages: Record<string, UpdatesPage>, details: Record<string, Proposal>, gate?: Promise<void>) {
  const calls: string[] = [];
  const client = {
    async *myJobs() {
      yield JOB;
    },
    async getUpdates({ cursor }: { cursor?: string | null }) {
      calls.push(`updates:${cursor}`);
      if (gate) await gate;
      const page = pages[cursor ?? ''];
      if (!page) throw new Error(`no page for cursor ${cursor}`);
      return page;
    },
    async getProposal(id: string) {
      calls.push(`proposal:${id}`);
      const detail = details[id];
      if (!detail) throw new Error(`no proposal ${id}`);
      return detail;
    },
  };
  return { client: client as unknown as OpenTrainClient, calls };
}

const known = makeStoredProposal(1, JOB.id).proposal;
const fresh: Proposal = { ...makeStoredProposal(2, JOB.id).proposal, id: 'prop_new' };
const pages: Record<string, UpdatesPage> = {
  c0: {
    events: [
      event('proposal.received', { proposalId: 'prop_new', jobId: JOB.id }),
      event('message.received', { conversationId: 'conv_9' }),
    ],
    nextCursor: 'c1',
    hasMore: true,
  },
  c1: {
    events: [
      event('proposal.status_changed', { proposalId: known.id }),
      event('payment.pending', { invoiceId: 'inv_1', milestoneId: 'ms_1', contractId: 'ctr_1' }),
      event('contract.budget_state_changed', { contractId: 'ctr_1', previousState: 'LOW', state: 'OK' }),
      event('contract.budget_state_changed', { contractId: 'ctr_1', state: 'LOW', consumedFraction: 0.82 }),
      // The same event again in one read (a replay): one notice.
      event('payment.pending', { invoiceId: 'inv_1', milestoneId: 'ms_1', contractId: 'ctr_1' }),
    ],
    nextCursor: 'c2',
    hasMore: false,
  },
};
const details: Record<string, Proposal> = {
  prop_new: fresh,
  [known.id]: { ...known, status: { raw: 'SHORTLISTED', label: 'Shortlisted' } },
};

function recordingPorts(log: string[]): Omit<SyncCoordinatorPorts, 'store'> {
  return {
    cards: {
      jobChanged: (jobId) => log.push(`jobChanged:${jobId}`),
      postPending: () => log.push('postPending'),
    },
    relay: {
      relayConversations: async (ids) => {
        log.push(`relay:${ids.join(',')}`);
      },
      pollConversations: async () => {
        log.push('poll');
      },
    },
    notices: {
      queue: (notices) => {
        log.push(`queue:${notices.map((notice) => notice.key).join(',')}`);
        store.notices.queue(notices);
      },
      postDue: async () => {
        log.push('postDue');
      },
    },
    hires: {
      afterSync: async (mode) => {
        log.push(`hires:${mode}`);
      },
    },
    announce: async (channel, text) => {
      log.push(`announce:${channel}:${text}`);
    },
    logger: silentLogger,
    clock,
  };
}

function syncService(client: OpenTrainClient, log: string[]): SyncService {
  return new SyncService({
    client,
    store,
    rules: { jobIds: null, hiringChannel: null },
    backfillHours: 24,
    retentionDays: 3650,
    ...recordingPorts(log),
  });
}

async function onDisk() {
  return decodeStore(await readFile(file, 'utf8'));
}

describe('sync plan', () => {
  it('reads the ledger pages into a plan and leaves the store as it was', async () => {
    const { client, calls } = fakeClient(pages, details);
    const writes = store.writeCount;
    const plan = await syncService(client, []).plan();

    expect(calls.filter((call) => call.startsWith('updates'))).toEqual(['updates:c0', 'updates:c1']);
    expect([...plan.proposals.keys()].sort()).toEqual([known.id, 'prop_new'].sort());
    expect([...plan.intents]).toEqual([['prop_new', 'C_HIRE']]);
    expect([...plan.updated]).toEqual([known.id]);
    expect(plan.conversations).toEqual(['conv_9']);
    expect(plan.ledger).toEqual({ cursor: 'c2' });
    expect([...plan.jobsChanged]).toEqual([JOB.id]);
    // What needs a person after the hire, as plain data: the invoice once, the budget LOW; OK needs no one.
    expect(plan.contractEvents.map((notice) => [notice.key, notice.kind, notice.consumedPercent])).toEqual([
      ['payment.pending:inv_1', 'payment_pending', null],
      [expect.stringMatching(/^budget:ctr_1:LOW:evt_/), 'budget_low', 82],
    ]);
    expect(plan.counts).toMatchObject({ events: 7, newProposals: 1, updatedProposals: 1, mode: 'ledger' });
    // Planning wrote nothing: no new proposal, no intent, the cursor where it was.
    expect(store.writeCount).toBe(writes);
    expect(Object.hasOwn(store.data.proposals, 'prop_new')).toBe(false);
    expect(store.data.cursor).toBe('c0');
  });

  it('keeps the cursor when OpenTrain fails mid-cycle, and records the error', async () => {
    const { client } = fakeClient({ c0: pages.c0! }, details);
    const plan = await syncService(client, []).plan();
    expect(plan.ledger).toBeNull();
    expect(plan.health).toEqual({ error: expect.any(String) });
    expect(plan.conversations).toBeNull();
  });
});

describe('sync coordinator', () => {
  it('commits the plan in one write before it announces, relays and posts', async () => {
    const log: string[] = [];
    const plan = emptySyncPlan('ledger', false);
    plan.proposals.set(fresh.id, fresh);
    plan.intents.set(fresh.id, 'C_HIRE');
    plan.jobsChanged.add(JOB.id);
    plan.conversations = ['conv_9'];
    plan.ledger = { cursor: 'c2' };
    plan.announcements.push({ channel: 'C_HIRE', text: 'set up: 1 proposal posted below' });
    plan.contractEvents = [
      {
        key: 'budget:ctr_1:DEPLETED',
        kind: 'budget_depleted',
        contractId: 'ctr_1',
        invoiceId: null,
        milestoneId: null,
        consumedPercent: 100,
        at: NOW.toISOString(),
        proposalId: null,
        postingAt: null,
      },
    ];
    const ports = recordingPorts(log);
    const writes = store.writeCount;
    await performSyncPlan(plan, {
      ...ports,
      store: {
        commitSync: (commit, at) => {
          log.push('commit');
          return store.commitSync(commit, at);
        },
        flush: async () => {
          log.push('flush');
          await store.flush();
        },
      },
    });

    expect(log).toEqual([
      'commit',
      `jobChanged:${JOB.id}`,
      'queue:budget:ctr_1:DEPLETED',
      'relay:conv_9',
      'flush',
      'announce:C_HIRE:set up: 1 proposal posted below',
      'postPending',
      'hires:ledger',
      'postDue',
    ]);
    expect(store.writeCount).toBe(writes + 1);
    const data = await onDisk();
    expect(data.cursor).toBe('c2');
    // The notice reached the disk in the cursor's write: a crash now can't lose it.
    expect(data.noticesDue?.map((notice) => notice.key)).toEqual(['budget:ctr_1:DEPLETED']);
    expect(data.proposals.prop_new?.card).toEqual({
      channel: 'C_HIRE',
      state: 'intent',
      ts: null,
      intentAt: NOW.toISOString(),
      postedAt: null,
    });
    expect(data.health.lastSyncAt).toBe(NOW.toISOString());
  });

  it('posts nothing when the commit could not be written', async () => {
    const log: string[] = [];
    const plan = emptySyncPlan('ledger', false);
    plan.proposals.set(fresh.id, fresh);
    plan.intents.set(fresh.id, 'C_HIRE');
    const failed = performSyncPlan(plan, {
      ...recordingPorts(log),
      store: {
        commitSync: (commit, at) => store.commitSync(commit, at),
        flush: () => Promise.reject(new Error('disk full')),
      },
    });
    await expect(failed).rejects.toThrow('disk full');
    expect(log).not.toContain('postPending');
    expect(log).not.toContain('hires:ledger');
  });

  it('keeps approval and contract events waiting for the hire service in the same write as the cursor', async () => {
    const plan = emptySyncPlan('ledger', false);
    plan.hireEvents.push({ kind: 'approval', id: 'appr_1', proposalId: null });
    plan.hireEvents.push({ kind: 'contract', id: 'ctr_1', proposalId: known.id });
    plan.ledger = { cursor: 'c9' };
    const writes = store.writeCount;
    await performSyncPlan(plan, { ...recordingPorts([]), store });
    expect(store.writeCount).toBe(writes + 1);
    const data = await onDisk();
    expect(data.cursor).toBe('c9');
    expect(data.pendingHireEvents).toEqual([
      { kind: 'approval', id: 'appr_1', proposalId: null },
      { kind: 'contract', id: 'ctr_1', proposalId: known.id },
    ]);
  });
});

describe('writes during a long sync', () => {
  it('a vote clicked while a cycle waits on OpenTrain reaches the disk on its own timer', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { client, calls } = fakeClient(pages, details, gate);
    const log: string[] = [];
    const cycle = syncService(client, log).runOnce();
    await waitFor(() => calls.includes('updates:c0'));

    store.votes.toggle(known.id, 'U_REVIEWER', 'down');
    // The cycle is still waiting for its first ledger page: the vote is written anyway, within its flush window.
    await waitFor(async () => (await onDisk()).proposals[known.id]?.votes.U_REVIEWER === 'down');
    expect((await onDisk()).cursor).toBe('c0');
    expect(log).toEqual([]);

    release();
    await cycle;
    const data = await onDisk();
    expect(data.cursor).toBe('c2');
    expect(data.proposals.prop_new?.card?.state).toBe('intent');
    expect(data.proposals[known.id]?.votes.U_REVIEWER).toBe('down');
    expect(log.slice(-3)).toEqual(['postPending', 'hires:ledger', 'postDue']);
  });
});

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
