import type { App, ViewSubmitAction } from '@slack/bolt';
import type { ModalView } from '../../blocks/limits.js';
import {
  INVITE_CALLBACK_ID,
  INVITE_JOB_ACTION,
  INVITE_JOB_BLOCK,
  inviteDoneView,
  inviteSendingView,
} from '../../blocks/modals.js';
import { own } from '../../records.js';
import {
  type InviteMetadata,
  type InviteOutcome,
  inviteCandidate,
  inviteDeps,
  inviteFormView,
  inviteOutcomeText,
  parseInviteMetadata,
} from '../../services/invites.js';
import { type ModalPort, webClientModalPort } from '../../services/modal-port.js';
import type { BotContext } from '../context.js';
import { tellIn } from '../tell.js';

/**
 * The invite form's submission. OpenTrain may be slow, so the ack swaps in a "sending" view at once and the outcome
 * replaces it: done, or the form again with the reason and the chosen job still selected. Should the person have
 * closed the modal meanwhile, the outcome goes to them as an ephemeral in the card's channel instead.
 */
export function registerInviteView(app: App, ctx: BotContext): void {
  const modals = webClientModalPort(app.client);
  app.view<ViewSubmitAction>(INVITE_CALLBACK_ID, async ({ ack, body, view }) => {
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
        return ack({ response_action: 'errors', errors: { [INVITE_JOB_BLOCK]: 'Only hiring reviewers can invite.' } });
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
    await ctx.track(() => sendInvite(modals, ctx, { viewId: view.id, userId, metadata, job }), {
      label: 'invite submission',
      tell: tellIn(ctx, { channel: metadata.channel, user: userId }),
    });
  });
}

async function sendInvite(
  modals: ModalPort,
  ctx: BotContext,
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
  const shown = await showInModal(modals, ctx, input.viewId, outcomeView(ctx, metadata, job.id, outcome));
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

/** False when the modal can't be updated any more (closed, or Slack refused). */
async function showInModal(modals: ModalPort, ctx: BotContext, viewId: string, view: ModalView): Promise<boolean> {
  try {
    // No hash: the ack's "sending" view replaced the one whose hash the submission carried.
    await modals.update(viewId, view);
    return true;
  } catch (error) {
    ctx.logger.warn('updating the invite modal failed', error instanceof Error ? error.message : String(error));
    return false;
  }
}
