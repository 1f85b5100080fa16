import { describe, expect, it } from 'vitest';
import { CONTACT_HINT, inviteModal, messageModal } from '../../src/blocks/modals.js';
import { blockKitViolations } from '../../src/blocks/validate.js';

type AnyBlock = { type: string; block_id?: string; element?: Record<string, unknown>; text?: { text: string } };

const asView = (view: unknown) => view as Record<string, unknown>;

function inputBlock(blocks: unknown[], blockId: string): AnyBlock {
  const found = (blocks as AnyBlock[]).find((block) => block.type === 'input' && block.block_id === blockId);
  if (!found) throw new Error(`no input ${blockId}`);
  return found;
}

describe('inviteModal', () => {
  const jobs = [
    { id: 'job_2', title: 'French NER' },
    { id: 'job_3', title: 'German audio transcription' },
  ];

  it('offers a select of the other published jobs and submits as invite_submit', () => {
    const view = inviteModal({
      proposalId: 'prop_1',
      candidateName: 'Maria G.',
      jobs,
      privateMetadata: '{"proposalId":"prop_1"}',
    });
    expect(view.callback_id).toBe('invite_submit');
    expect(view.private_metadata).toBe('{"proposalId":"prop_1"}');
    expect(view.submit?.text).toBe('Send invite');
    const select = inputBlock(view.blocks, 'job').element as {
      type: string;
      action_id: string;
      options: { text: { text: string }; value: string }[];
    };
    expect(select.type).toBe('static_select');
    expect(select.action_id).toBe('job_select');
    expect(select.options.map((option) => [option.text.text, option.value])).toEqual([
      ['French NER', 'job_2'],
      ['German audio transcription', 'job_3'],
    ]);
    expect(JSON.stringify(view.blocks)).toContain('Invite *Maria G.*');
    expect(blockKitViolations('modal', asView(view))).toEqual([]);
  });

  it('preselects the only job', () => {
    const view = inviteModal({ proposalId: 'p', candidateName: 'Maria G.', jobs: [jobs[0]!], privateMetadata: 'x' });
    expect(inputBlock(view.blocks, 'job').element).toHaveProperty('initial_option.value', 'job_2');
  });

  it('explains when there is no other published job, with no submit button', () => {
    const view = inviteModal({ proposalId: 'p', candidateName: 'Maria G.', jobs: [], privateMetadata: 'x' });
    expect(view.submit).toBeUndefined();
    expect((view.blocks as AnyBlock[]).some((block) => block.type === 'input')).toBe(false);
    expect(JSON.stringify(view.blocks)).toContain("There's no other published job to invite *Maria G.* to.");
    expect(blockKitViolations('modal', asView(view))).toEqual([]);
  });

  it('shows the last error above the form', () => {
    const view = inviteModal({
      proposalId: 'p',
      candidateName: 'M',
      jobs,
      privateMetadata: 'x',
      error: 'That job is closed.',
    });
    expect((view.blocks[0] as AnyBlock).text?.text).toBe(':warning: That job is closed.');
  });

  it('keeps 200 jobs within the 100-option limit and says so', () => {
    const many = Array.from({ length: 200 }, (_, index) => ({
      id: `job_${index}`,
      title: `${'Long title '.repeat(20)}${index}`,
    }));
    const view = inviteModal({ proposalId: 'p', candidateName: 'Maria G.', jobs: many, privateMetadata: 'x' });
    const select = inputBlock(view.blocks, 'job').element as { options: { text: { text: string } }[] };
    expect(select.options).toHaveLength(100);
    for (const option of select.options) expect(option.text.text.length).toBeLessThanOrEqual(75);
    expect(JSON.stringify(view.blocks)).toContain('Showing the first 100 of 200 jobs');
    expect(blockKitViolations('modal', asView(view))).toEqual([]);
  });
});

describe('messageModal', () => {
  it('has a multiline text input and the contact-details hint', () => {
    const view = messageModal({
      callbackId: 'message_submit',
      title: 'Message Maria G.',
      candidateName: 'Maria G.',
      privateMetadata: '{"proposalId":"prop_1"}',
    });
    expect(view.callback_id).toBe('message_submit');
    expect(view.submit?.text).toBe('Send');
    const input = inputBlock(view.blocks, 'message').element as Record<string, unknown>;
    expect(input).toMatchObject({ type: 'plain_text_input', action_id: 'text', multiline: true });
    expect(input.initial_value).toBeUndefined();
    expect(JSON.stringify(view.blocks)).toContain(CONTACT_HINT);
    expect(CONTACT_HINT).toBe("Don't share or ask for contact details — keep the conversation on OpenTrain.");
    expect(blockKitViolations('modal', asView(view))).toEqual([]);
  });

  it('keeps a refused text and shows why', () => {
    const view = messageModal({
      callbackId: 'reply_submit',
      title: 'Reply to a candidate with a very long name',
      candidateName: 'Maria G.',
      privateMetadata: 'x',
      initialText: 'Call me on +44 20 7946 0958',
      hint: 'Not sent: the message contains a phone number.',
    });
    expect(view.callback_id).toBe('reply_submit');
    expect(view.title.text.length).toBeLessThanOrEqual(24);
    expect(inputBlock(view.blocks, 'message').element).toHaveProperty('initial_value', 'Call me on +44 20 7946 0958');
    expect((view.blocks[0] as AnyBlock).text?.text).toBe(':warning: Not sent: the message contains a phone number.');
  });

  it('cuts an initial text longer than a Slack input holds', () => {
    const view = messageModal({
      callbackId: 'message_submit',
      title: 'Message',
      candidateName: 'Maria G.',
      privateMetadata: 'x',
      initialText: 'z'.repeat(9000),
    });
    expect(blockKitViolations('modal', asView(view))).toEqual([]);
  });
});
