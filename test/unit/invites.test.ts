import { describe, expect, it } from 'vitest';
import { INVITE_JOB_BLOCK } from '../../src/blocks/ids.js';
import { type InviteMetadata, parseInviteMetadata } from '../../src/blocks/metadata.js';
import { inviteDoneView, inviteModal } from '../../src/blocks/modals.js';
import { type InviteOutcome, invitableJobs, inviteNote, inviteOutcomeText } from '../../src/services/invites.js';
import type { StoredJob } from '../../src/store/schema.js';

const job = (id: string, title: string, status: string, published: boolean): StoredJob => ({
  id,
  title,
  status,
  published,
  channelId: null,
  watch: null,
  weights: null,
});

const metadata: InviteMetadata = {
  proposalId: 'prop_1',
  freelancerId: 'usr_1',
  channel: 'C1',
  messageTs: '1700000000.000100',
  candidateName: 'Maria G.',
  jobId: 'job_applied',
};

describe('parseInviteMetadata', () => {
  it('reads what the form carries', () => {
    expect(parseInviteMetadata(JSON.stringify(metadata))).toEqual(metadata);
    expect(parseInviteMetadata(JSON.stringify({ ...metadata, channel: null, messageTs: null }))).toMatchObject({
      channel: null,
    });
  });

  it('refuses anything else instead of guessing', () => {
    expect(parseInviteMetadata(undefined)).toBeNull();
    expect(parseInviteMetadata('')).toBeNull();
    expect(parseInviteMetadata('not json')).toBeNull();
    expect(parseInviteMetadata(JSON.stringify({ proposalId: 'prop_1' }))).toBeNull();
    expect(parseInviteMetadata(JSON.stringify({ ...metadata, freelancerId: '' }))).toBeNull();
    expect(parseInviteMetadata(JSON.stringify([metadata]))).toBeNull();
  });
});

describe('invitableJobs', () => {
  it('keeps published OPEN jobs other than the one applied to, by title', () => {
    const jobs = [
      job('job_applied', 'Applied', 'OPEN', true),
      job('job_b', 'Beta', 'open', true),
      job('job_a', 'Alpha', 'OPEN', true),
      job('job_draft', 'Draft', 'DRAFT', false),
      job('job_archived', 'Archived', 'ARCHIVED', false),
      job('job_placeholder', 'Placeholder', 'OPEN', false),
    ];
    expect(invitableJobs(jobs, 'job_applied').map((entry) => entry.id)).toEqual(['job_a', 'job_b']);
  });
});

describe('invite texts', () => {
  it('the card note names the job and the person, escaped', () => {
    expect(inviteNote('Q&A <beta>', 'U1')).toBe(':envelope_with_arrow: Invited to *Q&amp;A &lt;beta&gt;* by <@U1>');
  });

  it('each outcome in words', () => {
    expect(inviteOutcomeText({ kind: 'invited', candidateName: 'Maria G.', jobTitle: 'X-ray' })).toContain(
      'Invited *Maria G.* to *X-ray*',
    );
    expect(inviteOutcomeText({ kind: 'alreadyInvited', candidateName: 'Maria G.', jobTitle: 'X-ray' })).toContain(
      'was already invited to *X-ray*',
    );
    expect(inviteOutcomeText({ kind: 'failed', message: 'Nope <here>.' })).toBe(':warning: Nope &lt;here&gt;.');
  });
});

describe('invite modal', () => {
  const jobs = [
    { id: 'job_a', title: 'Alpha' },
    { id: 'job_b', title: 'Beta' },
  ];
  const selectOf = (view: ReturnType<typeof inviteModal>): Record<string, unknown> => {
    const input = view.blocks.find((block) => block.block_id === INVITE_JOB_BLOCK) as unknown as
      | { type: string; element: Record<string, unknown> }
      | undefined;
    if (input?.type !== 'input') throw new Error('the form has no job input');
    return input.element;
  };

  it('keeps the chosen job selected after a failed attempt, with the reason on top', () => {
    const view = inviteModal({
      proposalId: 'prop_1',
      candidateName: 'Maria G.',
      jobs,
      privateMetadata: '{}',
      error: 'OpenTrain said no.',
      selectedJobId: 'job_b',
    });
    expect(selectOf(view).initial_option).toMatchObject({ value: 'job_b' });
    expect(view.blocks[0]).toMatchObject({ block_id: 'invite_error' });
  });

  it('preselects nothing among several jobs, and ignores a choice that is no longer offered', () => {
    const base = { proposalId: 'prop_1', candidateName: 'Maria G.', jobs, privateMetadata: '{}' };
    expect(selectOf(inviteModal(base)).initial_option).toBeUndefined();
    expect(selectOf(inviteModal({ ...base, selectedJobId: 'job_gone' })).initial_option).toBeUndefined();
  });

  it('says whether the invite was new, and when it was confirmed after a lost answer', () => {
    const text = (outcome: InviteOutcome) =>
      JSON.stringify(inviteDoneView({ text: inviteOutcomeText(outcome) }).blocks);
    const names = { candidateName: 'Maria G.', jobTitle: 'X-ray' };
    expect(text({ kind: 'invited', ...names })).toContain('Invited *Maria G.* to *X-ray*. They get');
    expect(text({ kind: 'alreadyInvited', ...names })).toContain('was already invited');
    expect(text({ kind: 'invited', ...names, confirmedAfterLostAnswer: true })).toContain(
      "OpenTrain's first answer was lost; asking again confirmed the invite is in place",
    );
  });
});
