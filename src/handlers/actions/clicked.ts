import type { BlockButtonAction } from '@slack/bolt';
import type { BotContext } from '../context.js';
import { type Place, tellIn } from '../tell.js';

/** Where a button was clicked: the message it sits on (a card, a shortlist) and the place to answer the person. */
export function clickedAt(body: BlockButtonAction): { channel: string | null; messageTs: string | null; place: Place } {
  const channel: string | null = body.container?.channel_id ?? body.channel?.id ?? null;
  const messageTs: string | null = body.container?.message_ts ?? body.message?.ts ?? null;
  return { channel, messageTs, place: { channel, user: body.user.id } };
}

/** Reviewers only: anyone else is told so where they clicked (e.g. "Only the hiring reviewers can hire candidates"). */
export async function reviewersOnly(ctx: BotContext, body: BlockButtonAction, action: string): Promise<boolean> {
  if (ctx.reviewers.canAct(body.user.id)) return true;
  const tell = tellIn(ctx, clickedAt(body).place);
  if (tell) await ctx.track(() => tell(ctx.reviewers.refusal(action)));
  return false;
}
