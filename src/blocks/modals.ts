import type { types } from '@slack/bolt';
import { escapeMrkdwn, quote } from './format.js';
import {
  INVITE_CALLBACK_ID,
  INVITE_JOB_ACTION,
  INVITE_JOB_BLOCK,
  MESSAGE_ACTION,
  MESSAGE_BLOCK,
  type MessageCallbackId,
} from './ids.js';
import { fitView, type KnownBlock, LIMITS, type ModalView, truncate } from './limits.js';
import { sentToCandidate } from './relay.js';

// Input modals: "Invite to job…" and the message composer used for the first message and for replies.

/** A modal that says one thing (loading, sending, done, or why not): a title, one mrkdwn section, a close button. */
export function noticeView(input: {
  title: string;
  blockId: string;
  text: string;
  close?: 'Close' | 'Done';
  callbackId?: string;
}): ModalView {
  return fitView({
    type: 'modal',
    ...(input.callbackId ? { callback_id: input.callbackId } : {}),
    title: { type: 'plain_text', text: input.title },
    close: { type: 'plain_text', text: input.close ?? 'Close' },
    blocks: [{ type: 'section', block_id: input.blockId, text: { type: 'mrkdwn', text: input.text } }],
  });
}

/** Shown at once inside the 3-second trigger_id window, then replaced with views.update. */
export function loadingView(title: string, callbackId?: string): ModalView {
  return noticeView({
    title,
    blockId: 'loading',
    text: ':hourglass_flowing_sand: Loading…',
    ...(callbackId ? { callbackId } : {}),
  });
}

/** Replaces a loading view when the content can't be shown; `message` is one plain sentence plus the next step. */
export function errorView(title: string, message: string): ModalView {
  return noticeView({ title, blockId: 'error', text: `:warning: ${escapeMrkdwn(message)}` });
}

/** The composer's title, by callback id. */
export const MESSAGE_TITLES: Record<MessageCallbackId, string> = {
  message_submit: 'Message candidate',
  reply_submit: 'Reply to candidate',
};

export const CONTACT_HINT = "Don't share or ask for contact details — keep the conversation on OpenTrain.";

/** OpenTrain accepts up to 10,000 characters, but a Slack text input holds at most 3,000. */
const MESSAGE_MAX_LENGTH = LIMITS.plainTextInputMaxLength;

export interface InviteModalInput {
  proposalId: string;
  candidateName: string;
  /** The account's other published jobs (the candidate already applied to this one). */
  jobs: { id: string; title: string }[];
  privateMetadata: string;
  /** Why the last attempt failed, shown above the form so the person can pick again. */
  error?: string;
  /** The job chosen before (a failed attempt keeps the person's choice). */
  selectedJobId?: string;
}

export function inviteModal(input: InviteModalInput): ModalView {
  const name = escapeMrkdwn(input.candidateName);
  const privateMetadata = input.privateMetadata || JSON.stringify({ proposalId: input.proposalId });
  const blocks: KnownBlock[] = [];
  const form = {
    type: 'modal',
    callback_id: INVITE_CALLBACK_ID,
    private_metadata: privateMetadata,
    title: { type: 'plain_text', text: 'Invite to job' },
    blocks,
  } as const;
  if (input.error) blocks.push(warningSection('invite_error', input.error));

  if (input.jobs.length === 0) {
    blocks.push({
      type: 'section',
      block_id: 'invite_no_jobs',
      text: {
        type: 'mrkdwn',
        text: `There's no other published job to invite *${name}* to. Publish another job on OpenTrain, then try again.`,
      },
    });
    // Nothing to choose: no submit button.
    return fitView({ ...form, close: { type: 'plain_text', text: 'Close' } });
  }

  const options: types.PlainTextOption[] = input.jobs.slice(0, LIMITS.selectOptions).map((job) => ({
    text: { type: 'plain_text', text: truncate(job.title.trim() || job.id, LIMITS.optionText) },
    value: job.id,
  }));
  const select: types.StaticSelect = {
    type: 'static_select',
    action_id: INVITE_JOB_ACTION,
    placeholder: { type: 'plain_text', text: 'Choose a job' },
    options,
  };
  // One job: pick it already, the person only confirms. After a failed attempt, keep what they chose.
  const chosen = options.find((option) => option.value === input.selectedJobId);
  if (chosen) select.initial_option = chosen;
  else if (options.length === 1) select.initial_option = options[0];

  blocks.push(
    {
      type: 'section',
      block_id: 'invite_intro',
      text: {
        type: 'mrkdwn',
        text: `Invite *${name}* to another of your published jobs. They get an invitation on OpenTrain and can apply.`,
      },
    },
    { type: 'input', block_id: INVITE_JOB_BLOCK, label: { type: 'plain_text', text: 'Job' }, element: select },
  );
  if (input.jobs.length > LIMITS.selectOptions) {
    blocks.push({
      type: 'context',
      block_id: 'invite_more_jobs',
      elements: [
        {
          type: 'mrkdwn',
          text: `Showing the first ${LIMITS.selectOptions} of ${input.jobs.length} jobs. For another one use \`/hiring invite <freelancer> <job>\`.`,
        },
      ],
    });
  }

  return fitView({
    ...form,
    submit: { type: 'plain_text', text: 'Send invite' },
    close: { type: 'plain_text', text: 'Cancel' },
  });
}

/** Shown while OpenTrain handles the invite (the submission is acknowledged at once; the result replaces it). */
export function inviteSendingView(input: { candidateName: string; jobTitle: string }): ModalView {
  return noticeView({
    title: 'Invite to job',
    blockId: 'invite_sending',
    text: `:hourglass_flowing_sand: Inviting *${escapeMrkdwn(input.candidateName)}* to *${escapeMrkdwn(input.jobTitle)}*…`,
  });
}

/** The invite went through (201) or had been sent before (200 `alreadyInvited`). */
/** The invite's outcome in the modal; `text` is the same sentence the channel gets (inviteOutcomeText). */
export function inviteDoneView(input: { text: string }): ModalView {
  return noticeView({ title: 'Invite to job', close: 'Done', blockId: 'invite_done', text: input.text });
}

export interface MessageModalInput {
  callbackId: MessageCallbackId;
  title: string;
  candidateName: string;
  privateMetadata: string;
  /** What the person typed before; a refused message comes back with its text intact. */
  initialText?: string;
  /** Why the last attempt was refused (guard or OpenTrain policy), shown above the text. */
  hint?: string;
}

export function messageModal(input: MessageModalInput): ModalView {
  const blocks: KnownBlock[] = [];
  if (input.hint) blocks.push(warningSection('message_hint', input.hint));
  const textInput: types.PlainTextInput = {
    type: 'plain_text_input',
    action_id: MESSAGE_ACTION,
    multiline: true,
    min_length: 1,
    max_length: MESSAGE_MAX_LENGTH,
    placeholder: { type: 'plain_text', text: `Write to ${input.candidateName}` },
  };
  if (input.initialText) textInput.initial_value = input.initialText.slice(0, MESSAGE_MAX_LENGTH);
  blocks.push(
    {
      type: 'input',
      block_id: MESSAGE_BLOCK,
      label: { type: 'plain_text', text: `Message to ${input.candidateName}` },
      element: textInput,
    },
    { type: 'context', block_id: 'message_contact_hint', elements: [{ type: 'mrkdwn', text: CONTACT_HINT }] },
  );
  return fitView({
    type: 'modal',
    callback_id: input.callbackId,
    private_metadata: input.privateMetadata,
    title: { type: 'plain_text', text: input.title },
    submit: { type: 'plain_text', text: 'Send' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks,
  });
}

/** Shown while a submitted message is on its way (the submission is acknowledged before OpenTrain answers). */
export function messageSendingView(input: { title: string; candidateName: string; text: string }): ModalView {
  const quoted = quote(truncate(escapeMrkdwn(input.text.trim()), LIMITS.sectionText - 200));
  return noticeView({
    title: input.title,
    blockId: 'message_sending',
    text: `:hourglass_flowing_sand: Sending to *${escapeMrkdwn(input.candidateName)}*…\n${quoted}`,
  });
}

/** The message reached OpenTrain; it also shows in the card's thread. */
export function messageSentView(input: { title: string; candidateName: string }): ModalView {
  return noticeView({
    title: input.title,
    close: 'Done',
    blockId: 'message_sent',
    text: `${sentToCandidate(input.candidateName)} It's in the card's thread too; their replies will appear there.`,
  });
}

function warningSection(blockId: string, message: string): KnownBlock {
  return { type: 'section', block_id: blockId, text: { type: 'mrkdwn', text: `:warning: ${escapeMrkdwn(message)}` } };
}
