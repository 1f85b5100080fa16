import type { App, ViewSubmitAction } from '@slack/bolt';
import { z } from 'zod';
import { candidateName, escapeMrkdwn, quote } from '../../blocks/format.js';
import {
  MESSAGE_ACTION,
  MESSAGE_BLOCK,
  type MessageCallbackId,
  messageModal,
  messageSendingView,
  messageSentView,
} from '../../blocks/modals.js';
import { sentToCandidate } from '../../blocks/relay.js';
import { own } from '../../records.js';
import type { BotContext } from '../context.js';
import { tellIn } from '../tell.js';

// The message composer's submissions: the first message ('message_submit', from the card's Message button) and
// replies ('reply_submit', from the Reply button under a relayed message). The guard answers inside the ack with
// an error on the text field, so the typed text stays as it was; everything OpenTrain says comes after the ack.

export const MESSAGE_TITLES: Record<MessageCallbackId, string> = {
  message_submit: 'Message candidate',
  reply_submit: 'Reply to candidate',
};

/** Where a composed message goes: the composer's private_metadata and the Reply button's value. */
const messageTargetSchema = z.object({ proposalId: z.string().min(1), conversationId: z.string().min(1) });
export type MessageTarget = z.infer<typeof messageTargetSchema>;

export function encodeMessageTarget(target: MessageTarget): string {
  return JSON.stringify({ proposalId: target.proposalId, conversationId: target.conversationId });
}

export function parseMessageTarget(raw: string | undefined): MessageTarget | null {
  if (!raw) return null;
  try {
    const parsed = messageTargetSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function registerMessageViews(app: App, ctx: BotContext): void {
  for (const callbackId of Object.keys(MESSAGE_TITLES) as MessageCallbackId[]) {
    app.view<ViewSubmitAction>(callbackId, async ({ ack, body, view, client }) => {
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
        return refuse('Only the hiring reviewers (REVIEWER_IDS) can message candidates. Your text was kept.');
      }
      const guard = ctx.relay.checkOutbound(text);
      if (!guard.ok) return refuse(guard.message);
      const stored = own(ctx.store.data.proposals, target.proposalId);
      if (!stored) return refuse("The bot doesn't track this proposal any more, so nothing was sent.");

      const title = MESSAGE_TITLES[callbackId];
      const name = candidateName(stored.proposal.candidate);
      await ack({ response_action: 'update', view: messageSendingView({ title, candidateName: name, text }) });
      await ctx.track(
        () =>
          (async () => {
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
            try {
              await client.views.update({ view_id: view.id, view: next });
            } catch (error) {
              // The modal was closed meanwhile: say it where the conversation is, with the text for a refusal.
              ctx.logger.warn(
                `${callbackId}: updating the modal failed`,
                error instanceof Error ? error.message : error,
              );
              const card = stored.card;
              if (!card) return;
              const said = result.ok
                ? sentToCandidate(result.candidateName)
                : `:warning: ${escapeMrkdwn(result.message)}\n${quote(escapeMrkdwn(text))}`;
              await ctx.slack.postEphemeral({
                channel: card.channel,
                user: userId,
                text: said,
                ...(card.ts ? { threadTs: card.ts } : {}),
              });
            }
          })(),
        {
          label: `${callbackId} submission`,
          tell: tellIn(ctx, { channel: stored.card?.channel, user: userId, threadTs: stored.card?.ts }),
        },
      );
    });
  }
}
