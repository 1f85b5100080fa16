import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type OpenTrainSandbox, SANDBOX_TOKENS, startOpenTrainSandbox } from '../../src/sandbox/opentrain/index.js';
import { type ActivityTimings, CANDIDATE_REPLIES, ScriptedActivity } from '../../src/sandbox/playground/activity.js';

// The playground's scripted OpenTrain activity, on a fake clock, observed through the sandbox's own state (what the
// bot would read from the API): proposals appear at the configured pace, the team's messages get one answer each.

const TIMINGS: ActivityTimings = {
  proposalEvery: [20_000, 30_000],
  candidateReplyAfter: [2_000, 5_000],
  statusChangeEvery: [60_000, 60_000],
  watchEveryMs: 500,
};

describe('ScriptedActivity', () => {
  let sandbox: OpenTrainSandbox;
  let activity: ScriptedActivity;

  beforeEach(async () => {
    sandbox = await startOpenTrainSandbox({ port: 0 });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  });

  afterEach(async () => {
    activity?.stop();
    vi.useRealTimers();
    await sandbox.close();
  });

  const proposalCount = () => sandbox.state.proposals.size;

  it('adds a proposal to an open job every 20–30 s, not before', () => {
    activity = new ScriptedActivity(sandbox, TIMINGS, {}, () => 0.5);
    const before = proposalCount();
    activity.start();
    vi.advanceTimersByTime(24_999);
    expect(proposalCount()).toBe(before);
    vi.advanceTimersByTime(1);
    expect(proposalCount()).toBe(before + 1);
    vi.advanceTimersByTime(25_000);
    expect(proposalCount()).toBe(before + 2);
    const newest = [...sandbox.state.proposals.values()].at(-1)!;
    expect(activity.openJobs().map((job) => job.id)).toContain(newest.jobId);
  });

  it("answers each of the team's messages once, a few seconds later, and only after the team wrote", async () => {
    activity = new ScriptedActivity(sandbox, TIMINGS, {}, () => 0);
    activity.start();
    const conversationId = sandbox.ids.conversations.existing;
    const conversation = sandbox.state.conversations.get(conversationId)!;
    const candidateMessages = () =>
      conversation.messages.filter((message) => message.senderUserId === conversation.freelancerId).length;
    const before = candidateMessages();
    vi.advanceTimersByTime(10_000);
    // Nothing new from the team yet: the seeded history is not answered again.
    expect(candidateMessages()).toBe(before);

    // The team writes through the API, as the bot does.
    const sent = await fetch(`${sandbox.url}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SANDBOX_TOKENS.owner}`, 'content-type': 'application/json' },
      body: JSON.stringify({ conversationId, content: 'Could you do a sample batch?' }),
    });
    expect(sent.status).toBe(201);
    vi.advanceTimersByTime(500 + 1_999);
    expect(candidateMessages()).toBe(before);
    vi.advanceTimersByTime(1);
    expect(candidateMessages()).toBe(before + 1);
    expect(conversation.messages.at(-1)!.content).toBe(CANDIDATE_REPLIES[0]);
    vi.advanceTimersByTime(30_000);
    expect(candidateMessages()).toBe(before + 1);
  });

  it('moves a proposal one status along now and then', () => {
    const changes: [string, string][] = [];
    activity = new ScriptedActivity(
      sandbox,
      { ...TIMINGS, proposalEvery: [3_600_000, 3_600_000] },
      { onStatusChange: (id, status) => changes.push([id, status]) },
      () => 0,
    );
    activity.start();
    vi.advanceTimersByTime(60_000);
    expect(changes).toHaveLength(1);
    const [proposalId, status] = changes[0]!;
    expect(sandbox.state.proposals.get(proposalId)!.status).toBe(status);
    expect(['SHORTLISTED', 'MAYBE', 'NOT_A_FIT']).toContain(status);
  });

  it('reports a failing step instead of throwing out of a timer, and keeps going', () => {
    const errors: string[] = [];
    activity = new ScriptedActivity(sandbox, TIMINGS, { onError: (what) => errors.push(what) }, () => 0);
    for (const job of sandbox.state.jobs.values()) job.status = 'ARCHIVED';
    activity.start();
    vi.advanceTimersByTime(20_000);
    expect(errors).toEqual(['scripted activity']);
    vi.advanceTimersByTime(20_000);
    expect(errors).toHaveLength(2);
  });

  it('lists the conversations a candidate can answer in for the page', () => {
    activity = new ScriptedActivity(sandbox, TIMINGS);
    const listed = activity.conversations();
    expect(listed.map((c) => c.id)).toContain(sandbox.ids.conversations.existing);
    // Another account's conversation is never offered.
    expect(listed.map((c) => c.id)).not.toContain(sandbox.ids.otherAccount.conversationId);
  });
});
