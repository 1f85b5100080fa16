import type { WebClient } from '@slack/web-api';
import { INVITE_JOB_ACTION, INVITE_JOB_BLOCK } from '../../blocks/ids.js';
import type { ModalView } from '../../blocks/limits.js';
import { type InviteMetadata, parseInviteMetadata } from '../../blocks/metadata.js';
import { inviteDoneView, inviteSendingView } from '../../blocks/modals.js';
import { own } from '../../records.js';
import {
  type InviteOutcome,
  inviteCandidate,
  inviteDeps,
  inviteFormView,
  inviteOutcomeText,
} from '../../services/invites.js';
import type { BotContext } from '../context.js';
import type { SubmissionArgs } from '../listener.js';
import { showOutcome } from '../modal.js';
import { tellIn } from '../tell.js';

/**
 * The invite form's submission. OpenTrain may be slow, so the ack swaps in a "sending" view at once and the outcome
 * replaces it: done, or the form again with the reason and the chosen job still selected. Should the person have
 * closed the modal meanwhile, the outcome goes to them as an ephemeral in the card's channel instead.
 */
export function inviteSubmitted(ctx: BotContext) {
  return async ({ ack, body, view, client }: SubmissionArgs): Promise<void> => {
    const userId = body.user.id;
    const metadata = parseInviteMetadata(view.private_metadata);
    if (!metadata) {
      return ack({
        response_action: 'errors',
        errors: {
          [INVITE_JOB_BLOCK]: 'This form is out of date. Close it and click “Invite to job…” on the card again.',
        },
      });
    }
    if (!ctx.reviewers.canAct(userId)) {
      const channel = metadata.channel;
      if (!channel) {
        const refusal = ctx.reviewers.refusal('invite trainers', 'plain');
        return ack({ response_action: 'errors', errors: { [INVITE_JOB_BLOCK]: refusal } });
      }
      await ack();
      await ctx.track(() =>
        ctx.slack.postEphemeral({
          channel,
          user: userId,
          text: ctx.reviewers.refusal('invite trainers'),
        }),
      );
      return;
    }
    const selected = view.state.values[INVITE_JOB_BLOCK]?.[INVITE_JOB_ACTION]?.selected_option;
    if (!selected?.value) {
      return ack({ response_action: 'errors', errors: { [INVITE_JOB_BLOCK]: 'Choose a job to invite them to.' } });
    }
    const job = {
      id: selected.value,
      title: own(ctx.store.data.jobs, selected.value)?.title ?? selected.text?.text ?? selected.value,
    };
    await ack({
      response_action: 'update',
      view: inviteSendingView({ candidateName: metadata.candidateName, jobTitle: job.title }),
    });
    await ctx.track(() => sendInvite(ctx, client, { viewId: view.id, userId, metadata, job }), {
      label: 'invite submission',
      tell: tellIn(ctx, { channel: metadata.channel, user: userId }),
    });
  };
}

async function sendInvite(
  ctx: BotContext,
  client: WebClient,
  input: { viewId: string; userId: string; metadata: InviteMetadata; job: { id: string; title: string } },
): Promise<void> {
  const { metadata, job, userId } = input;
  const outcome = await inviteCandidate(inviteDeps(ctx), {
    freelancerId: metadata.freelancerId,
    candidateName: metadata.candidateName,
    job,
    invitedBy: userId,
    proposalId: metadata.proposalId,
  });
  const view = outcomeView(ctx, metadata, job.id, outcome);
  const shown = await showOutcome(ctx, client, input.viewId, view, 'invite');
  // A new invite is confirmed in the channel too; other outcomes only when the modal is gone.
  if (metadata.channel && (outcome.kind === 'invited' || !shown)) {
    await ctx.slack.postEphemeral({ channel: metadata.channel, user: userId, text: inviteOutcomeText(outcome) });
  }
}

function outcomeView(ctx: BotContext, metadata: InviteMetadata, jobId: string, outcome: InviteOutcome): ModalView {
  if (outcome.kind === 'failed') {
    return inviteFormView(metadata, Object.values(ctx.store.data.jobs), {
      error: outcome.message,
      selectedJobId: jobId,
    });
  }
  return inviteDoneView({ text: inviteOutcomeText(outcome) });
}
