import { candidateName } from '../../blocks/format.js';
import { MESSAGE_ACTION, MESSAGE_BLOCK, type MessageCallbackId } from '../../blocks/ids.js';
import { parseMessageTarget } from '../../blocks/metadata.js';
import { MESSAGE_TITLES, messageModal, messageSendingView, messageSentView } from '../../blocks/modals.js';
import { notSentText, sentToCandidate } from '../../blocks/relay.js';
import { own } from '../../records.js';
import type { BotContext } from '../context.js';
import type { SubmissionArgs } from '../listener.js';
import { showOutcome } from '../modal.js';
import { tellIn } from '../tell.js';

// The message composer's submissions: the first message ('message_submit', from the card's Message button) and
// replies ('reply_submit', from the Reply button under a relayed message). The guard answers inside the ack with
// an error on the text field, so the typed text stays as it was; everything OpenTrain says comes after the ack.

export function messageSubmitted(ctx: BotContext, callbackId: MessageCallbackId) {
  return async ({ ack, body, view, client }: SubmissionArgs): Promise<void> => {
    const userId = body.user.id;
    const text = view.state.values[MESSAGE_BLOCK]?.[MESSAGE_ACTION]?.value ?? '';
    const target = parseMessageTarget(view.private_metadata);
    const refuse = (message: string) => ack({ response_action: 'errors', errors: { [MESSAGE_BLOCK]: message } });
    if (!target) {
      ctx.logger.warn(`${callbackId}: unreadable private_metadata`);
      return refuse(
        'This form lost track of the candidate; copy your text, close it and click Message on the card again.',
      );
    }
    if (!ctx.reviewers.canAct(userId)) {
      return refuse(`${ctx.reviewers.refusal('message candidates', 'plain')} Your text was kept.`);
    }
    const guard = ctx.relay.checkOutbound(text);
    if (!guard.ok) return refuse(guard.message);
    const stored = own(ctx.store.data.proposals, target.proposalId);
    if (!stored) return refuse("The bot doesn't track this proposal any more, so nothing was sent.");

    const title = MESSAGE_TITLES[callbackId];
    const name = candidateName(stored.proposal.candidate);
    const place = { channel: stored.card?.channel, user: userId, threadTs: stored.card?.ts };
    await ack({ response_action: 'update', view: messageSendingView({ title, candidateName: name, text }) });
    await ctx.track(
      async () => {
        const result = await ctx.relay.send({ proposalId: target.proposalId, userId, text });
        const next = result.ok
          ? messageSentView({ title, candidateName: result.candidateName })
          : messageModal({
              callbackId,
              title,
              candidateName: name,
              privateMetadata: view.private_metadata,
              initialText: text,
              hint: result.message,
            });
        if (await showOutcome(ctx, client, view.id, next, callbackId)) return;
        // The modal was closed meanwhile: say it where the conversation is, with the text for a refusal.
        await tellIn(
          ctx,
          place,
        )?.(result.ok ? sentToCandidate(result.candidateName) : notSentText(result.message, text));
      },
      { label: `${callbackId} submission`, tell: tellIn(ctx, place) },
    );
  };
}
