import { describe, expect, it } from 'vitest';
import { cardKey, HOME_LIST_SHOWN, homeView } from '../../src/blocks/home.js';
import { findBlockProblems, findViewProblems } from '../../src/sandbox/slack/block-rules.js';
import { fingerprintOf } from '../../src/services/home.js';
import { buildHomeOverview } from '../../src/services/home-overview.js';
import { emptyStoreData, type StoreData, type StoredProposal } from '../../src/store/schema.js';
import { makeStoredProposal, storedJob } from '../helpers/store-fixtures.js';

// The App Home overview (docs/slack.md#app-home), built from store fixtures: what each list holds and in which order,
// what a reviewer and a non-reviewer get, the empty state, Slack's limits with many items, and the fingerprint.

const ANNA = 'U0ANNA';
const RULES = { jobIds: null, hiringChannel: 'C0HIRING01' };

function storeWith(proposals: StoredProposal[]): StoreData {
  const data = emptyStoreData();
  for (const stored of proposals) {
    data.proposals[stored.proposal.id] = stored;
    data.jobs[stored.proposal.jobId] ??= storedJob(stored.proposal.jobId, stored.proposal.jobTitle);
  }
  return data;
}

/** A proposal with a posted card, no votes and no conversation unless told. */
function proposal(index: number, changes: Partial<StoredProposal> = {}, jobId = 'job_a'): StoredProposal {
  const base = makeStoredProposal(index, jobId);
  return {
    ...base,
    votes: {},
    conversation: null,
    ...changes,
    proposal: { ...base.proposal, jobTitle: `Job ${jobId}` },
  };
}

function render(data: StoreData, userId = ANNA, canAct = true) {
  const overview = buildHomeOverview({ data, userId, canAct, rules: RULES });
  const links = new Map<string, string>();
  for (const stored of Object.values(data.proposals)) {
    if (stored.card?.ts)
      links.set(cardKey(stored.card as { channel: string; ts: string }), `https://x.slack.com/p/${stored.proposal.id}`);
  }
  return { overview, view: homeView(overview, links) };
}

function texts(view: { blocks: unknown[] }): string {
  return JSON.stringify(view.blocks);
}

function buttons(view: { blocks: unknown[] }) {
  const out: { action_id: string; url?: string; value?: string }[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) for (const item of node) walk(item);
    else if (node && typeof node === 'object') {
      const element = node as { type?: string; action_id?: string; url?: string; value?: string };
      if (element.type === 'button' && element.action_id) out.push(element as never);
      for (const value of Object.values(node)) walk(value);
    }
  };
  walk(view.blocks);
  return out;
}

function slackAccepts(view: ReturnType<typeof homeView>): void {
  expect(findViewProblems(view as never, ['home'])).toEqual([]);
  expect(findBlockProblems(view.blocks, 'home')).toEqual([]);
}

describe('App Home overview', () => {
  it('open jobs: N unreviewed (no vote from anyone), M you haven’t voted on, Review next leads to the oldest of those', () => {
    const data = storeWith([
      proposal(1),
      proposal(2, { votes: { U0BOB: 'up' } }),
      proposal(3, { votes: { [ANNA]: 'down' } }),
      // Out of the running, and not yet on Slack: neither counts.
      { ...proposal(4), proposal: { ...proposal(4).proposal, status: { raw: 'DECLINED', label: 'Declined' } } },
      proposal(5, { card: null }),
    ]);
    const { overview, view } = render(data);
    expect(overview.jobs.items).toEqual([
      expect.objectContaining({
        jobId: 'job_a',
        unreviewed: 1,
        notVotedByYou: 2,
        next: expect.objectContaining({ ts: data.proposals.prop_000001!.card!.ts }),
      }),
    ]);
    expect(texts(view)).toContain("1 unreviewed, 2 you haven't voted on");
    expect(buttons(view)).toContainEqual(
      expect.objectContaining({
        action_id: 'home_open_card',
        url: 'https://x.slack.com/p/prop_000001',
        value: 'job_a',
      }),
    );
    // Cara hasn't voted at all: three cards are hers to review; the unreviewed count is everyone's.
    expect(render(data, 'U0CARA').overview.jobs.items[0]).toMatchObject({ unreviewed: 1, notVotedByYou: 3 });
    slackAccepts(view);
  });

  it('conversations awaiting our reply: waiting longest first, with the count to answer and a button to the thread', () => {
    const conversation = (index: number, at: string, unread: number) => ({
      ...makeStoredProposal(index).conversation!,
      awaitingReply: true,
      lastInboundAt: at,
      unread,
    });
    const data = storeWith([
      proposal(1, { conversation: conversation(1, '2025-03-02T10:00:00Z', 2) }),
      proposal(2, { conversation: conversation(2, '2025-03-01T10:00:00Z', 0) }),
      proposal(3, { conversation: { ...conversation(3, '2025-03-01T09:00:00Z', 0), awaitingReply: false } }),
    ]);
    const { overview, view } = render(data);
    expect(overview.awaitingReply.items.map((item) => [item.proposalId, item.toAnswer])).toEqual([
      ['prop_000002', 1],
      ['prop_000001', 2],
    ]);
    expect(texts(view)).toContain('Conversations awaiting our reply (2)');
    expect(texts(view)).toContain('2 messages to answer');
    expect(buttons(view).filter((b) => b.url === 'https://x.slack.com/p/prop_000002')).toHaveLength(1);
    slackAccepts(view);
  });

  it('finalists without answers: a sent ask with no candidate message since; answered, failed or sending asks are left out', () => {
    const ask = (at: string, state: 'sending' | 'sent' | 'failed' = 'sent') => ({
      askId: `ask_${at}`,
      by: 'U0BOB',
      at,
      questions: ['When can you start?', 'Which tools do you use?'],
      state,
      messageId: state === 'sent' ? 'msg_1' : null,
      error: null,
    });
    const inbound = (at: string | null) => ({
      ...makeStoredProposal(1).conversation!,
      awaitingReply: false,
      lastInboundAt: at,
    });
    const data = storeWith([
      // Asked, never wrote back.
      proposal(1, { asked: [ask('2025-03-02T10:00:00Z')], conversation: inbound(null) }),
      // Wrote before the ask, not since.
      proposal(2, { asked: [ask('2025-03-01T10:00:00Z')], conversation: inbound('2025-02-28T10:00:00Z') }),
      // Answered after the ask.
      proposal(3, { asked: [ask('2025-03-01T10:00:00Z')], conversation: inbound('2025-03-01T11:00:00Z') }),
      // Only a failed and an unfinished ask.
      proposal(4, { asked: [ask('2025-03-01T10:00:00Z', 'failed'), ask('2025-03-01T12:00:00Z', 'sending')] }),
      // Answered the first round, not the second.
      proposal(5, {
        asked: [ask('2025-03-01T10:00:00Z'), ask('2025-03-03T10:00:00Z')],
        conversation: inbound('2025-03-02T10:00:00Z'),
      }),
    ]);
    const { overview, view } = render(data);
    expect(overview.unansweredFinalists.items.map((item) => item.proposalId)).toEqual([
      'prop_000002',
      'prop_000001',
      'prop_000005',
    ]);
    expect(texts(view)).toContain('Finalists without answers (3)');
    expect(texts(view)).toContain('2 questions asked by <@U0BOB>');
    expect(texts(view)).toContain('no answer yet');
    slackAccepts(view);
  });

  it('pending hire approvals: expiring soonest first; reviewers get the approval link, others only the card', () => {
    const hire = (expiresAt: string | null, status = 'pending') => ({
      approvalId: `appr_${expiresAt}`,
      status,
      approvalUrl: `https://app.opentrain.ai/approvals/${expiresAt}`,
      expiresAt,
      requestedBy: 'U0BOB',
      requestedAt: '2025-03-01T10:00:00Z',
      terms: { name: 'First batch', description: null, amountUsd: 500, dueDate: null },
      resolvedAt: null,
      contractId: null,
      superseded: [],
    });
    const data = storeWith([
      proposal(1, { hire: hire('2025-03-05T10:00:00Z') }),
      proposal(2, { hire: hire('2025-03-04T10:00:00Z') }),
      proposal(3, { hire: hire(null) }),
      proposal(4, { hire: hire('2025-03-01T10:00:00Z', 'confirmed') }),
    ]);
    const reviewer = render(data, ANNA, true);
    expect(reviewer.overview.pendingApprovals.items.map((item) => item.proposalId)).toEqual([
      'prop_000002',
      'prop_000001',
      'prop_000003',
    ]);
    expect(texts(reviewer.view)).toContain('$500 first milestone · requested by <@U0BOB> · expires <!date^');
    const approvalLinks = (view: { blocks: unknown[] }) =>
      buttons(view).filter((b) => b.action_id === 'home_open_approval');
    expect(approvalLinks(reviewer.view).map((b) => b.url)).toEqual([
      'https://app.opentrain.ai/approvals/2025-03-04T10:00:00Z',
      'https://app.opentrain.ai/approvals/2025-03-05T10:00:00Z',
      'https://app.opentrain.ai/approvals/null',
    ]);
    const other = render(data, 'U0INTERN', false);
    expect(approvalLinks(other.view)).toEqual([]);
    expect(buttons(other.view).filter((b) => b.action_id === 'home_open_card').length).toBeGreaterThanOrEqual(3);
    slackAccepts(reviewer.view);
    slackAccepts(other.view);
  });

  it('empty state: one sentence, and a Refresh button', () => {
    const { view } = render(emptyStoreData());
    expect(texts(view)).toContain('Nothing needs you right now');
    expect(buttons(view).map((b) => b.action_id)).toEqual(['home_refresh']);
    slackAccepts(view);
  });

  it('many items: each list shows its first ones and counts the rest; Slack accepts the view (≤ 100 blocks)', () => {
    const many: StoredProposal[] = [];
    for (let index = 0; index < 60; index += 1) {
      many.push(
        proposal(
          index,
          {
            conversation: { ...makeStoredProposal(index).conversation!, awaitingReply: true },
            asked: [
              {
                askId: `a${index}`,
                by: 'U0BOB',
                at: '2030-01-01T00:00:00Z',
                questions: ['Q?'],
                state: 'sent',
                messageId: 'm',
                error: null,
              },
            ],
            hire: {
              approvalId: `appr_${index}`,
              status: 'pending',
              approvalUrl: `https://app.opentrain.ai/approvals/${index}`,
              expiresAt: '2030-01-05T00:00:00Z',
              requestedBy: 'U0BOB',
              requestedAt: '2030-01-01T00:00:00Z',
              terms: null,
              resolvedAt: null,
              contractId: null,
              superseded: [],
            },
          },
          `job_${index % 30}`,
        ),
      );
    }
    const { view } = render(storeWith(many));
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(texts(view)).toContain(`…and ${60 - HOME_LIST_SHOWN} more.`);
    expect(texts(view)).toContain(`…and ${30 - HOME_LIST_SHOWN} more.`);
    slackAccepts(view);
  });

  it('the fingerprint is the same for the same overview and changes with what the tab shows', () => {
    const data = storeWith([proposal(1), proposal(2)]);
    const first = fingerprintOf(render(data).view);
    expect(fingerprintOf(render(data).view)).toBe(first);
    // Something the tab doesn't show (weights, health) changes nothing.
    data.globalWeights = { interview: 1, match: 0, price: 0 };
    data.health.lastSyncAt = '2025-03-01T10:00:00Z';
    expect(fingerprintOf(render(data).view)).toBe(first);
    data.proposals.prop_000001!.votes = { U0BOB: 'up' };
    expect(fingerprintOf(render(data).view)).not.toBe(first);
  });
});
