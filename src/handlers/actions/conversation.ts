import type { App, BlockButtonAction } from '@slack/bolt';
import { CARD_ACTIONS } from '../../blocks/card.js';
import { candidateName } from '../../blocks/format.js';
import { messageModal } from '../../blocks/modals.js';
import { RELAY_REPLY_ACTION } from '../../blocks/relay.js';
import { errorView, loadingView } from '../../blocks/transcript.js';
import { own } from '../../records.js';
import type { BotContext } from '../context.js';
import { tellIn } from '../tell.js';
import { encodeMessageTarget, MESSAGE_TITLES, parseMessageTarget } from '../views/message.js';

// The card's Message button and the Reply button under each relayed candidate message. Both ack at once and open
// their modal inside the 3-second trigger_id window; OpenTrain is only called after that.

export function registerConversationActions(app: App, ctx: BotContext): void {
  app.action<BlockButtonAction>(CARD_ACTIONS.message, async ({ ack, body, action, client }) => {
    await ack();
    const userId = body.user.id;
    const proposalId = action.value ?? '';
    const stored = own(ctx.store.data.proposals, proposalId);
    if (!ctx.reviewers.canAct(userId) || !stored) {
      const text = stored
        ? ctx.reviewers.refusal('message candidates')
        : "The bot doesn't track this proposal any more; open it in the OpenTrain app.";
      await ctx.track(() => tell(ctx, body, text));
      return;
    }
    const title = MESSAGE_TITLES.message_submit;
    await ctx.track(
      () =>
        (async () => {
          const opened = await client.views.open({ trigger_id: body.trigger_id, view: loadingView(title) });
          const viewId = opened.view?.id;
          if (!viewId) throw new Error('views.open returned no view id');
          // Get-or-create: also tells us now, not after the text is typed, whether messaging is possible at all.
          const result = await ctx.relay.openConversation(proposalId, userId);
          const view = result.ok
            ? messageModal({
                callbackId: 'message_submit',
                title,
                candidateName: result.candidateName,
                privateMetadata: encodeMessageTarget({ proposalId, conversationId: result.conversationId }),
              })
            : errorView(title, result.message);
          await client.views.update({ view_id: viewId, view });
          // A conversation that existed before (opened in the OpenTrain app) may hold replies: bring the thread up to date.
          if (result.ok && result.linkedNow && !result.created) {
            await ctx.relay.relayConversations([result.conversationId]);
          }
        })(),
      { label: 'Message click', tell: tellIn(ctx, placeOf(body)) },
    );
  });

  app.action<BlockButtonAction>(RELAY_REPLY_ACTION, async ({ ack, body, action, client }) => {
    await ack();
    const userId = body.user.id;
    const target = parseMessageTarget(action.value);
    const stored = target ? own(ctx.store.data.proposals, target.proposalId) : undefined;
    if (!target || !stored) {
      await ctx.track(() =>
        tell(ctx, body, "The bot doesn't track this conversation any more; reply in the OpenTrain app."),
      );
      return;
    }
    if (!ctx.reviewers.canAct(userId)) {
      await ctx.track(() => tell(ctx, body, ctx.reviewers.refusal('reply to candidates')));
      return;
    }
    await ctx.track(
      () =>
        client.views.open({
          trigger_id: body.trigger_id,
          view: messageModal({
            callbackId: 'reply_submit',
            title: MESSAGE_TITLES.reply_submit,
            candidateName: candidateName(stored.proposal.candidate),
            privateMetadata: encodeMessageTarget(target),
          }),
        }),
      { label: 'Reply click', tell: tellIn(ctx, placeOf(body)) },
    );
  });
}

/** Where to answer a click: ephemeral, in the thread for a Reply button. */
function placeOf(body: BlockButtonAction) {
  const channel = body.channel?.id ?? body.container?.channel_id;
  const threadTs = body.message?.thread_ts ?? body.container?.thread_ts;
  return { channel, user: body.user.id, threadTs };
}

/** An ephemeral answer where the button was clicked (nothing when the click named no channel). */
async function tell(ctx: BotContext, body: BlockButtonAction, text: string): Promise<void> {
  await tellIn(ctx, placeOf(body))?.(text);
}
