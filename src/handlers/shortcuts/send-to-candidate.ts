import type { App, MessageShortcut } from '@slack/bolt';
import { escapeMrkdwn, quote } from '../../blocks/format.js';
import { sentToCandidate } from '../../blocks/relay.js';
import { slackTextToPlain } from '../../blocks/slack-text.js';
import { errorView } from '../../blocks/transcript.js';
import type { BotContext } from '../context.js';
import { tellIn } from '../tell.js';

export const SEND_TO_CANDIDATE_CALLBACK = 'send_to_candidate';

const NOT_ON_A_MESSAGE =
  "*Send to candidate* works on a teammate's message in a proposal card's thread, and this one came without its " +
  'message, so nothing was sent.';

// "Send to candidate" on a message in a proposal card's thread: the one way plain thread text reaches the
// candidate. Acks at once; every answer is ephemeral, and a refused text is quoted back so nothing is lost.

export function registerSendToCandidateShortcut(app: App, ctx: BotContext): void {
  app.shortcut<MessageShortcut>(SEND_TO_CANDIDATE_CALLBACK, async ({ ack, shortcut, client }) => {
    await ack();
    // Slack always sends both, but a payload without them must get an answer, not a TypeError in the background.
    const channel: unknown = shortcut.channel?.id;
    const messageTs: unknown = shortcut.message?.ts;
    if (typeof channel !== 'string' || typeof messageTs !== 'string') {
      ctx.logger.warn(`${SEND_TO_CANDIDATE_CALLBACK} without a channel or message: nothing to send`);
      await ctx.track(
        () =>
          client.views.open({
            trigger_id: shortcut.trigger_id,
            view: errorView('Send to candidate', NOT_ON_A_MESSAGE),
          }),
        { label: `${SEND_TO_CANDIDATE_CALLBACK} without a message` },
      );
      return;
    }
    const threadTs = typeof shortcut.message.thread_ts === 'string' ? shortcut.message.thread_ts : null;
    await ctx.track(() => sendToCandidate(ctx, shortcut), {
      label: 'Send to candidate',
      tell: tellIn(ctx, { channel, user: shortcut.user.id, threadTs }),
    });
  });
}

async function sendToCandidate(ctx: BotContext, shortcut: MessageShortcut): Promise<void> {
  const userId = shortcut.user.id;
  const channel = shortcut.channel.id;
  const { message } = shortcut;
  const threadTs = typeof message.thread_ts === 'string' ? message.thread_ts : null;
  const tell = (text: string) =>
    ctx.slack.postEphemeral({ channel, user: userId, text, ...(threadTs ? { threadTs } : {}) });

  if (!ctx.reviewers.canAct(userId)) return tell(ctx.reviewers.refusal('send messages to candidates'));
  if (ctx.relay.proposalForThread(channel, message.ts)) {
    return tell(
      "That's the proposal card itself. Use its *Message* button, or use *Send to candidate* on a message in its thread.",
    );
  }
  const proposalId = threadTs ? ctx.relay.proposalForThread(channel, threadTs) : null;
  if (!proposalId) {
    return tell(
      "*Send to candidate* works on messages in a proposal card's thread, where the conversation with the candidate " +
        'is. Nothing was sent.',
    );
  }
  if (typeof message.bot_id === 'string' || message.subtype === 'bot_message') {
    return tell(
      "That message was posted by an app, not a teammate, so it wasn't sent. Write your own message in the thread.",
    );
  }

  const text = slackTextToPlain(typeof message.text === 'string' ? message.text : '');
  const result = await ctx.relay.send({ proposalId, userId, text });
  if (result.ok) return tell(sentToCandidate(result.candidateName));
  return tell(`:warning: ${escapeMrkdwn(result.message)}\n${quote(escapeMrkdwn(text || ' '))}`);
}
