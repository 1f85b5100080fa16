import type { types } from '@slack/bolt';
import { escapeMrkdwn, quote } from './format.js';
import { fitView, type KnownBlock, LIMITS, type ModalView, truncate } from './limits.js';
import { sentToCandidate } from './relay.js';

// Input modals: "Invite to job…" and the message composer used for the first message and for replies.

export const INVITE_CALLBACK_ID = 'invite_submit';
export const INVITE_JOB_BLOCK = 'job';
export const INVITE_JOB_ACTION = 'job_select';

/** The message composer's two callback ids: the first message (card's Message button) and a reply (Reply button). */
export const MESSAGE_CALLBACK_IDS = ['message_submit', 'reply_submit'] as const;
export type MessageCallbackId = (typeof MESSAGE_CALLBACK_IDS)[number];

export const MESSAGE_BLOCK = 'message';
export const MESSAGE_ACTION = 'text';

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
    return fitView({
      type: 'modal',
      callback_id: INVITE_CALLBACK_ID,
      private_metadata: privateMetadata,
      title: { type: 'plain_text', text: 'Invite to job' },
      close: { type: 'plain_text', text: 'Close' },
      blocks,
    });
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
    type: 'modal',
    callback_id: INVITE_CALLBACK_ID,
    private_metadata: privateMetadata,
    title: { type: 'plain_text', text: 'Invite to job' },
    submit: { type: 'plain_text', text: 'Send invite' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks,
  });
}

/** Shown while OpenTrain handles the invite (the submission is acknowledged at once; the result replaces it). */
export function inviteSendingView(input: { candidateName: string; jobTitle: string }): ModalView {
  return fitView({
    type: 'modal',
    title: { type: 'plain_text', text: 'Invite to job' },
    close: { type: 'plain_text', text: 'Close' },
    blocks: [
      {
        type: 'section',
        block_id: 'invite_sending',
        text: {
          type: 'mrkdwn',
          text: `:hourglass_flowing_sand: Inviting *${escapeMrkdwn(input.candidateName)}* to *${escapeMrkdwn(input.jobTitle)}*…`,
        },
      },
    ],
  });
}

/** The invite went through (201) or had been sent before (200 `alreadyInvited`). */
/** The invite's outcome in the modal; `text` is the same sentence the channel gets (inviteOutcomeText). */
export function inviteDoneView(input: { text: string }): ModalView {
  const { text } = input;
  return fitView({
    type: 'modal',
    title: { type: 'plain_text', text: 'Invite to job' },
    close: { type: 'plain_text', text: 'Done' },
    blocks: [{ type: 'section', block_id: 'invite_done', text: { type: 'mrkdwn', text } }],
  });
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
  return fitView({
    type: 'modal',
    title: { type: 'plain_text', text: input.title },
    close: { type: 'plain_text', text: 'Close' },
    blocks: [
      {
        type: 'section',
        block_id: 'message_sending',
        text: {
          type: 'mrkdwn',
          text: `:hourglass_flowing_sand: Sending to *${escapeMrkdwn(input.candidateName)}*…\n${quote(truncate(escapeMrkdwn(input.text.trim()), LIMITS.sectionText - 200))}`,
        },
      },
    ],
  });
}

/** The message reached OpenTrain; it also shows in the card's thread. */
export function messageSentView(input: { title: string; candidateName: string }): ModalView {
  return fitView({
    type: 'modal',
    title: { type: 'plain_text', text: input.title },
    close: { type: 'plain_text', text: 'Done' },
    blocks: [
      {
        type: 'section',
        block_id: 'message_sent',
        text: {
          type: 'mrkdwn',
          text: `${sentToCandidate(input.candidateName)} It's in the card's thread too; their replies will appear there.`,
        },
      },
    ],
  });
}

function warningSection(blockId: string, message: string): KnownBlock {
  return { type: 'section', block_id: blockId, text: { type: 'mrkdwn', text: `:warning: ${escapeMrkdwn(message)}` } };
}
