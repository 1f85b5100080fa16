import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OpenTrainError } from '../../src/api/index.js';
import type { Approval } from '../../src/api/schemas.js';
import { silentLogger } from '../../src/logger.js';
import { HIRE_LINE_EVENT_TYPE } from '../../src/services/hire/lines.js';
import { HireService } from '../../src/services/hire/service.js';
import { APPROVAL_POLICY } from '../../src/services/hire/terms.js';
import type { SlackHistoryMessage, SlackMessageInput } from '../../src/services/slack-port.js';
import { Store } from '../../src/store/index.js';
import { hireApproval } from '../helpers/hire-fixtures.js';
import { makeStoredProposal } from '../helpers/store-fixtures.js';

// The hire service through its ports: a fake OpenTrain (hire, approvals), a fake thread, a real store on disk and a
// fake clock. What it proves: which approvals it reads when, and that a thread line is posted once across a crash.

const T0 = new Date('2026-11-30T10:00:00.000Z');
const HOUR = 3_600_000;

function approval(overrides: Partial<Approval> = {}): Approval {
  return hireApproval(T0.toISOString(), overrides);
}

let dir: string;
let store: Store;
let now: Date;
let approvals: Map<string, Approval>;
let reads: string[];
let posts: SlackMessageInput[];
let thread: SlackHistoryMessage[];
let failPosts: boolean;
/** What Slack answers a post with instead of posting it (an error code), or null. */
let refusePosts: string | null;
let readable: boolean;

type Post = (message: SlackMessageInput) => Promise<{ ts: string }>;

function service(post?: Post): HireService {
  return new HireService({
    client: {
      hire: async () => ({ approval: approvals.get('appr_1')!, message: null }),
      getApproval: async (id) => {
        reads.push(id);
        if (id === 'appr_flaky') throw new OpenTrainError({ status: 503, code: 'INTERNAL_ERROR', message: 'busy' });
        const found = approvals.get(id);
        if (!found) throw new OpenTrainError({ status: 404, code: 'NOT_FOUND', message: 'gone', details: {} });
        return found;
      },
    },
    store,
    cards: { requestUpdate: async () => {} },
    slack: { threadReplies: async () => thread },
    post: async (_priority, _proposalId, message) => {
      if (post) return post(message);
      if (failPosts) throw new Error('socket hang up');
      if (refusePosts) throw Object.assign(new Error(refusePosts), { data: { ok: false, error: refusePosts } });
      posts.push(message);
      thread.push({ ts: `${posts.length}`, threadTs: message.threadTs ?? null, metadata: message.metadata ?? null });
      return { ts: `${posts.length}` };
    },
    access: { ensureReadable: async () => readable, noteRefusal: () => {}, problemOf: () => null },
    logger: silentLogger,
    clock: () => now,
  });
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hire-service-'));
  store = await Store.open({ file: join(dir, 'store.json'), flushDelayMs: 5 });
  store.change((data) => {
    data.proposals.prop_000000 = makeStoredProposal(0);
  });
  now = T0;
  approvals = new Map([['appr_1', approval()]]);
  reads = [];
  posts = [];
  thread = [];
  failPosts = false;
  refusePosts = null;
  readable = true;
});

afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

const TERMS = { name: 'Pilot', description: null, amountUsd: 100, dueDate: null };

describe('reading approvals', () => {
  it('ledger mode reads a pending approval only once it is past expiry, and not again within the policy', async () => {
    const hires = service();
    await hires.request({ proposalId: 'prop_000000', userId: 'U1', terms: TERMS, confirmNotAFit: false });
    await hires.afterSync('ledger');
    expect(reads).toEqual([]);
    now = new Date(T0.getTime() + 73 * HOUR);
    await hires.afterSync('ledger');
    expect(reads).toEqual(['appr_1']);
    await hires.afterSync('ledger');
    expect(reads).toEqual(['appr_1']);
  });

  it('polling mode (no events) reads pending approvals every few minutes and learns the outcome', async () => {
    const hires = service();
    await hires.request({ proposalId: 'prop_000000', userId: 'U1', terms: TERMS, confirmNotAFit: false });
    await hires.afterSync('polling');
    expect(reads).toEqual(['appr_1']);
    approvals.set('appr_1', approval({ status: 'confirmed', resolvedAt: T0.toISOString(), contractId: 'ctr_9' }));
    now = new Date(T0.getTime() + 60_000);
    await hires.afterSync('polling');
    expect(reads).toEqual(['appr_1']);
    now = new Date(T0.getTime() + 6 * 60_000);
    await hires.afterSync('polling');
    expect(reads).toEqual(['appr_1', 'appr_1']);
    expect(store.data.proposals.prop_000000?.hire).toMatchObject({ status: 'confirmed', contractId: 'ctr_9' });
    expect(posts.map((p) => p.text)).toEqual([
      expect.stringContaining('requested a hire'),
      expect.stringContaining('✅ Hire confirmed'),
      'Contract created on OpenTrain (ctr_9).',
    ]);
  });

  it('an event for an approval OpenTrain no longer shows (404) is dropped; a failing read waits for the next cycle', async () => {
    const hires = service();
    store.change((data) => {
      data.pendingHireEvents = [
        { kind: 'approval', id: 'appr_gone', proposalId: null },
        { kind: 'approval', id: 'appr_flaky', proposalId: null },
      ];
    });
    await hires.afterSync('ledger');
    expect(store.data.pendingHireEvents).toEqual([{ kind: 'approval', id: 'appr_flaky', proposalId: null }]);
  });
});

describe('contract.created', () => {
  it('notes the contract on the hire and says it in the thread, once, approval events first', async () => {
    const hires = service();
    await hires.request({ proposalId: 'prop_000000', userId: 'U1', terms: TERMS, confirmNotAFit: false });
    approvals.set('appr_1', approval({ status: 'confirmed', resolvedAt: T0.toISOString() }));
    store.change((data) => {
      data.pendingHireEvents = [
        { kind: 'contract', id: 'ctr_7', proposalId: 'prop_000000' },
        { kind: 'approval', id: 'appr_1', proposalId: null },
      ];
    });
    await hires.afterSync('ledger');
    expect(store.data.proposals.prop_000000?.hire).toMatchObject({ status: 'confirmed', contractId: 'ctr_7' });
    expect(posts.map((p) => p.text)).toEqual([
      expect.stringContaining('requested a hire'),
      expect.stringContaining('✅ Hire confirmed'),
      'Contract created on OpenTrain (ctr_7).',
    ]);
    store.change((data) => {
      data.pendingHireEvents = [{ kind: 'contract', id: 'ctr_7', proposalId: 'prop_000000' }];
    });
    await hires.afterSync('ledger');
    expect(posts).toHaveLength(3);
    expect(store.data.pendingHireEvents).toEqual([]);
  });

  it('a contract for a proposal the bot has no hire for (or does not track) is let go', async () => {
    const hires = service();
    store.change((data) => {
      data.pendingHireEvents = [
        { kind: 'contract', id: 'ctr_8', proposalId: 'prop_000000' },
        { kind: 'contract', id: 'ctr_9', proposalId: '__proto__' },
      ];
    });
    await hires.afterSync('ledger');
    expect(posts).toEqual([]);
    expect(store.data.pendingHireEvents).toEqual([]);
  });
});

describe('thread lines, once each', () => {
  it('a line whose post failed is found in the thread after all (landed) and not posted again', async () => {
    const hires = service();
    failPosts = true;
    await hires.request({ proposalId: 'prop_000000', userId: 'U1', terms: TERMS, confirmNotAFit: false });
    expect(store.data.proposals.prop_000000?.hire?.lineIntent).toBe('requested:appr_1');
    // The post did land in Slack although the answer was lost.
    thread.push({
      ts: '99',
      threadTs: '1',
      metadata: { event_type: HIRE_LINE_EVENT_TYPE, event_payload: { key: 'requested:appr_1' } },
    });
    failPosts = false;
    await hires.afterSync('ledger');
    expect(posts).toEqual([]);
    expect(store.data.proposals.prop_000000?.hire).toMatchObject({ lineIntent: null, lines: ['requested:appr_1'] });
  });

  it('a line that never landed is posted at the next cycle, once', async () => {
    const hires = service();
    failPosts = true;
    await hires.request({ proposalId: 'prop_000000', userId: 'U1', terms: TERMS, confirmNotAFit: false });
    failPosts = false;
    await hires.afterSync('ledger');
    await hires.afterSync('ledger');
    expect(posts).toHaveLength(1);
    expect(posts[0]?.metadata).toEqual({
      event_type: HIRE_LINE_EVENT_TYPE,
      event_payload: { proposal_id: 'prop_000000', key: 'requested:appr_1' },
    });
  });

  it('the intent is on disk before the post (a crash in between can be resolved at the next start)', async () => {
    let onDiskAtPost = '';
    const hires = service(async () => {
      onDiskAtPost = await readFile(join(dir, 'store.json'), 'utf8');
      return { ts: '1' };
    });
    await hires.request({ proposalId: 'prop_000000', userId: 'U1', terms: TERMS, confirmNotAFit: false });
    expect(onDiskAtPost).toContain('"lineIntent":"requested:appr_1"');
  });
});

describe('thread lines the card cannot take yet', () => {
  it('a channel the bot left: the line waits (nothing else does), then is posted once when it may post again', async () => {
    const hires = service();
    await hires.request({ proposalId: 'prop_000000', userId: 'U1', terms: TERMS, confirmNotAFit: false });
    refusePosts = 'not_in_channel';
    approvals.set('appr_1', approval({ status: 'declined', resolvedAt: T0.toISOString() }));
    store.change((data) => {
      data.pendingHireEvents = [{ kind: 'approval', id: 'appr_1', proposalId: null }];
    });
    await hires.afterSync('ledger');
    // The outcome is known and the event done with; only its line waits, with no intent left open.
    expect(store.data.proposals.prop_000000?.hire).toMatchObject({ status: 'declined', lineIntent: null });
    expect(store.data.pendingHireEvents).toEqual([]);
    readable = false;
    refusePosts = null;
    await hires.afterSync('ledger');
    expect(posts.map((p) => p.text)).toEqual([expect.stringContaining('requested a hire')]);
    readable = true;
    await hires.afterSync('ledger');
    await hires.afterSync('ledger');
    expect(posts.map((p) => p.text)).toEqual([
      expect.stringContaining('requested a hire'),
      expect.stringContaining('Hire declined'),
    ]);
  });

  it('a lost post does not swallow the next line: both reach the thread once', async () => {
    const hires = service();
    await hires.request({ proposalId: 'prop_000000', userId: 'U1', terms: TERMS, confirmNotAFit: false });
    approvals.set('appr_1', approval({ status: 'confirmed', resolvedAt: T0.toISOString(), contractId: 'ctr_5' }));
    failPosts = true;
    store.change((data) => {
      data.pendingHireEvents = [{ kind: 'approval', id: 'appr_1', proposalId: null }];
    });
    await hires.afterSync('ledger');
    expect(store.data.proposals.prop_000000?.hire?.lineIntent).toBe('confirmed:appr_1');
    failPosts = false;
    await hires.afterSync('ledger');
    await hires.afterSync('ledger');
    expect(posts.map((p) => p.text)).toEqual([
      expect.stringContaining('requested a hire'),
      expect.stringContaining('✅ Hire confirmed'),
      'Contract created on OpenTrain (ctr_5).',
    ]);
  });

  it('a card deleted from Slack (thread_not_found): its lines are given up, once, and nothing else is held', async () => {
    const hires = service();
    refusePosts = 'thread_not_found';
    await hires.request({ proposalId: 'prop_000000', userId: 'U1', terms: TERMS, confirmNotAFit: false });
    expect(store.data.proposals.prop_000000?.hire).toMatchObject({ lineIntent: null, lines: ['requested:appr_1'] });
    refusePosts = null;
    await hires.afterSync('ledger');
    expect(posts).toEqual([]);
  });

  it('a milestone_fund approval (another approval type) is never taken for a hire', async () => {
    const hires = service();
    approvals.set('appr_fund', approval({ id: 'appr_fund', type: 'milestone_fund', status: 'confirmed' }));
    store.change((data) => {
      data.pendingHireEvents = [{ kind: 'approval', id: 'appr_fund', proposalId: null }];
    });
    await hires.afterSync('ledger');
    expect(store.data.proposals.prop_000000?.hire ?? null).toBeNull();
    expect(store.data.pendingHireEvents).toEqual([]);
    expect(posts).toEqual([]);
  });

  it('an unknown status is kept and shown raw, announced as no outcome', async () => {
    const hires = service();
    await hires.request({ proposalId: 'prop_000000', userId: 'U1', terms: TERMS, confirmNotAFit: false });
    approvals.set('appr_1', approval({ status: 'on_hold' }));
    store.change((data) => {
      data.pendingHireEvents = [{ kind: 'approval', id: 'appr_1', proposalId: null }];
    });
    await hires.afterSync('ledger');
    expect(store.data.proposals.prop_000000?.hire?.status).toBe('on_hold');
    expect(posts).toHaveLength(1);
  });
});

describe('contract.created before approval.confirmed', () => {
  it('reads the approval first, so the card and the thread say hired before the contract', async () => {
    const hires = service();
    await hires.request({ proposalId: 'prop_000000', userId: 'U1', terms: TERMS, confirmNotAFit: false });
    approvals.set('appr_1', approval({ status: 'confirmed', resolvedAt: T0.toISOString(), contractId: 'ctr_3' }));
    // Only the contract's event in this read; the approval's comes on a later page.
    store.change((data) => {
      data.pendingHireEvents = [{ kind: 'contract', id: 'ctr_3', proposalId: 'prop_000000' }];
    });
    await hires.afterSync('ledger');
    expect(store.data.proposals.prop_000000?.hire).toMatchObject({ status: 'confirmed', contractId: 'ctr_3' });
    store.change((data) => {
      data.pendingHireEvents = [{ kind: 'approval', id: 'appr_1', proposalId: null }];
    });
    await hires.afterSync('ledger');
    expect(posts.map((p) => p.text)).toEqual([
      expect.stringContaining('requested a hire'),
      expect.stringContaining('✅ Hire confirmed'),
      'Contract created on OpenTrain (ctr_3).',
    ]);
  });
});

describe('a backlog of approval events', () => {
  it('is read a slice per cycle (APPROVAL_POLICY), oldest first, the rest kept waiting', async () => {
    const hires = service();
    const waiting = Array.from({ length: APPROVAL_POLICY.maxEventReadsPerCycle + 5 }, (_, i) => ({
      kind: 'approval' as const,
      id: `appr_flaky_${i}`,
      proposalId: null,
    }));
    store.change((data) => {
      data.pendingHireEvents = waiting;
    });
    await hires.afterSync('ledger');
    expect(reads).toEqual(waiting.slice(0, APPROVAL_POLICY.maxEventReadsPerCycle).map((event) => event.id));
    // The unreadable ones (404 here) are let go; the five beyond the slice wait for the next cycle.
    expect(store.data.pendingHireEvents).toEqual(waiting.slice(APPROVAL_POLICY.maxEventReadsPerCycle));
    await hires.afterSync('ledger');
    expect(store.data.pendingHireEvents).toEqual([]);
  });
});

describe('an approval nobody confirms', () => {
  it('is read from the first cycle past expiresAt, and again each cycle while OpenTrain still says pending', async () => {
    const hires = service();
    await hires.request({ proposalId: 'prop_000000', userId: 'U1', terms: TERMS, confirmNotAFit: false });
    const expiresAt = Date.parse(approval().expiresAt!);
    now = new Date(expiresAt - 1);
    await hires.afterSync('ledger');
    expect(reads).toEqual([]);
    // OpenTrain's clock is a little behind: the first read still says pending.
    now = new Date(expiresAt + 1000);
    await hires.afterSync('ledger');
    expect(reads).toEqual(['appr_1']);
    approvals.set('appr_1', approval({ status: 'expired', resolvedAt: new Date(expiresAt).toISOString() }));
    now = new Date(expiresAt + 1000 + 30_000);
    await hires.afterSync('ledger');
    expect(reads).toEqual(['appr_1', 'appr_1']);
    expect(store.data.proposals.prop_000000?.hire?.status).toBe('expired');
    expect(posts.at(-1)?.text).toContain('The hire approval expired');
  });
});
