import type { BlockButtonAction } from '@slack/bolt';
import { candidateName } from '../../blocks/format.js';
import { encodeMessageTarget, parseMessageTarget } from '../../blocks/metadata.js';
import { MESSAGE_TITLES, messageModal } from '../../blocks/modals.js';
import { own } from '../../records.js';
import type { BotContext } from '../context.js';
import type { ButtonArgs } from '../listener.js';
import { openLoadingModal, openReadyModal } from '../modal.js';
import { type Place, tellIn } from '../tell.js';

// The card's Message button and the Reply button under each relayed candidate message. Both ack at once and open
// their modal inside the 3-second trigger_id window; OpenTrain is only called after that.

/** Message on a card: the composer for the first message, once the conversation exists (get-or-create). */
export function messageClicked(ctx: BotContext) {
  return async ({ ack, body, action, client }: ButtonArgs): Promise<void> => {
    await ack();
    const userId = body.user.id;
    const proposalId = action.value ?? '';
    const stored = own(ctx.store.data.proposals, proposalId);
    const place = placeOf(body);
    if (!ctx.reviewers.canAct(userId) || !stored) {
      const text = stored
        ? ctx.reviewers.refusal('message candidates')
        : "The bot doesn't track this proposal any more; open it in the OpenTrain app.";
      await ctx.track(async () => tellIn(ctx, place)?.(text));
      return;
    }
    const title = MESSAGE_TITLES.message_submit;
    let opened: Awaited<ReturnType<BotContext['relay']['openConversation']>> | undefined;
    await ctx.track(
      async () => {
        await openLoadingModal(ctx, client, {
          triggerId: body.trigger_id,
          title,
          what: 'the message composer',
          place,
          label: 'Message',
          fillAfterOpen: true,
          fill: async () => {
            // Get-or-create: also tells us now, not after the text is typed, whether messaging is possible at all.
            const result = await ctx.relay.openConversation(proposalId, userId);
            opened = result;
            if (!result.ok) return result;
            const target = { proposalId, conversationId: result.conversationId };
            return {
              ok: true,
              view: messageModal({
                callbackId: 'message_submit',
                title,
                candidateName: result.candidateName,
                privateMetadata: encodeMessageTarget(target),
              }),
            };
          },
        });
        // A conversation that existed before (opened in the OpenTrain app) may hold replies: bring the thread up to date.
        if (opened?.ok && opened.linkedNow && !opened.created) {
          await ctx.relay.relayConversations([opened.conversationId]);
        }
      },
      { label: 'Message click', tell: tellIn(ctx, place) },
    );
  };
}

/** Reply under a relayed candidate message: the composer for a reply in that conversation. */
export function replyClicked(ctx: BotContext) {
  return async ({ ack, body, action, client }: ButtonArgs): Promise<void> => {
    await ack();
    const userId = body.user.id;
    const place = placeOf(body);
    const target = parseMessageTarget(action.value);
    const stored = target ? own(ctx.store.data.proposals, target.proposalId) : undefined;
    if (!target || !stored) {
      const text = "The bot doesn't track this conversation any more; reply in the OpenTrain app.";
      await ctx.track(async () => tellIn(ctx, place)?.(text));
      return;
    }
    if (!ctx.reviewers.canAct(userId)) {
      await ctx.track(async () => tellIn(ctx, place)?.(ctx.reviewers.refusal('reply to candidates')));
      return;
    }
    await ctx.track(
      () =>
        openReadyModal(ctx, client, {
          triggerId: body.trigger_id,
          what: 'the reply composer',
          place,
          label: 'Reply',
          view: messageModal({
            callbackId: 'reply_submit',
            title: MESSAGE_TITLES.reply_submit,
            candidateName: candidateName(stored.proposal.candidate),
            privateMetadata: encodeMessageTarget(target),
          }),
        }),
      { label: 'Reply click', tell: tellIn(ctx, place) },
    );
  };
}

/** Where to answer a click: ephemeral, in the thread for a Reply button. */
function placeOf(body: BlockButtonAction): Place {
  const channel = body.channel?.id ?? body.container?.channel_id;
  const threadTs = body.message?.thread_ts ?? body.container?.thread_ts;
  return { channel, user: body.user.id, threadTs };
}
