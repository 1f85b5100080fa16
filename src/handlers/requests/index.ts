import type { IncomingMessage, ServerResponse } from 'node:http';
import { type App, HTTPReceiver, type ReceiverEvent } from '@slack/bolt';
import { errorView } from '../../blocks/transcript.js';
import { own } from '../../records.js';
import { ReplayMemory } from '../../services/replay-memory.js';
import type { BotContext } from '../context.js';
import { LISTENED_IDS } from '../ids.js';
import { outsideReplayWindow, REPLAY_MEMORY_MAX_KEYS, REPLAY_WINDOW_SECONDS, replayKeys } from './replay.js';
import {
  GUARD_TITLE,
  planUnhandled,
  UNHANDLED_SENTENCES,
  type UnhandledPlan,
  type UnhandledReason,
} from './unhandled.js';

// The guard every Slack request passes before Bolt routes it (docs/slack.md#unhandled-requests):
//  1. a repeat of a request already seen within 5 minutes (same signature, trigger_id or event id) is acknowledged
//     and ignored, so a replayed click or submission never repeats its side effect, over HTTP or Socket Mode;
//  2. a request no listener acknowledges — an id from an older version, a malformed payload, a listener that failed
//     first — is acknowledged with a sentence where a person waits (Bolt itself never acks those), at the latest
//     after ACK_DEADLINE_MS, inside Slack's 3 seconds.
// It wraps App.processEvent, the one door both receivers use, because only there is the ack itself visible: Bolt
// gives global middleware a copy of the listener arguments, so middleware can't tell whether a listener acked.

/** The latest moment the guard answers for a listener that hasn't acknowledged (Slack gives up at 3 s). */
export const ACK_DEADLINE_MS = 2500;

/** The custom property (HTTP receiver) that carries the request's verified signature to the guard. */
const SIGNATURE_PROPERTY = 'slackRequestSignature';

/** HTTPReceiver `customPropertiesExtractor`: runs after Bolt verified the signature, so only real ones are kept. */
export function requestSignature(request: IncomingMessage): Record<string, string> {
  const signature = request.headers['x-slack-signature'];
  return typeof signature === 'string' ? { [SIGNATURE_PROPERTY]: signature } : {};
}

export interface RequestGuardOptions {
  /** HTTP mode: the path Slack posts to; timestamps outside the replay window are refused there, either way. */
  endpoint?: string;
  ackDeadlineMs?: number;
  /** Wall clock in ms for timestamps and the replay window: Slack's clock, not the app's (tests fake that one). */
  now?: () => number;
}

export function installRequestGuard(app: App, ctx: BotContext, options: RequestGuardOptions = {}): void {
  const now = options.now ?? Date.now;
  // Bolt keeps its receiver private; only the HTTP one has requests with timestamps to check.
  const receiver: unknown = (app as unknown as { receiver?: unknown }).receiver;
  if (receiver instanceof HTTPReceiver) refuseOutsideWindow(receiver, options.endpoint ?? '/slack/events', ctx, now);
  const memory = new ReplayMemory({
    ttlMs: REPLAY_WINDOW_SECONDS * 1000,
    maxKeys: REPLAY_MEMORY_MAX_KEYS,
    clock: now,
  });
  const deadlineMs = options.ackDeadlineMs ?? ACK_DEADLINE_MS;
  const processEvent = app.processEvent.bind(app);

  app.processEvent = async (event: ReceiverEvent): Promise<void> => {
    const keys = replayKeys(event.body, event.customProperties?.[SIGNATURE_PROPERTY]);
    if (memory.seenBefore(keys)) {
      ctx.logger.warn(`repeated Slack request acknowledged and ignored (${keys.map(keyKind).join(', ')})`);
      await event.ack().catch(() => {});
      return;
    }
    let acked = false;
    const ack: ReceiverEvent['ack'] = async (response) => {
      if (acked) {
        ctx.logger.warn('a listener acknowledged after the guard had already answered; its answer was dropped');
        return;
      }
      acked = true;
      await event.ack(response);
    };
    const answer = async (reason: UnhandledReason) => {
      if (acked) return;
      acked = true;
      await answerUnhandled(app, ctx, event, planUnhandled(event.body, LISTENED_IDS, reason));
    };
    const deadline = setTimeout(() => void answer('failed'), deadlineMs);
    try {
      await processEvent({ ...event, ack });
    } catch (error) {
      // Bolt reports listener errors through app.error; what reaches here failed inside Bolt (a malformed body).
      ctx.logger.error('Slack request processing failed', error instanceof Error ? error.message : String(error));
    } finally {
      clearTimeout(deadline);
    }
    await answer('unhandled');
  };
}

async function answerUnhandled(app: App, ctx: BotContext, event: ReceiverEvent, plan: UnhandledPlan): Promise<void> {
  ctx.logger.warn(`unhandled Slack request: ${plan.log}`);
  try {
    await event.ack(plan.ackBody);
  } catch (error) {
    ctx.logger.warn('acknowledging an unhandled request failed', error instanceof Error ? error.message : error);
    return;
  }
  const { refreshCard } = plan;
  let { followUp } = plan;
  if (followUp.kind === 'none' && !refreshCard) return;
  void ctx.track(
    async () => {
      if (refreshCard) {
        const proposalId = cardProposalId(ctx, refreshCard);
        if (proposalId) await ctx.cards.requestUpdate(proposalId, { slackShowsOther: true });
        // Not one of our cards (a digest, an announcement, a card pruned from the store): no fresh card to promise.
        else if (followUp.kind === 'ephemeral') followUp = { ...followUp, text: UNHANDLED_SENTENCES.oldButton };
      }
      if (followUp.kind === 'ephemeral') {
        const { channel, user, threadTs, text } = followUp;
        await ctx.slack.postEphemeral({ channel, user, text: `:warning: ${text}`, ...(threadTs ? { threadTs } : {}) });
      } else if (followUp.kind === 'modal') {
        await app.client.views.open({ trigger_id: followUp.triggerId, view: errorView(GUARD_TITLE, followUp.text) });
      }
    },
    { label: `answering an unhandled request (${plan.log})` },
  );
}

/** The stored proposal whose card is the clicked message: from the card's metadata, else by channel and ts. */
function cardProposalId(ctx: BotContext, card: { channel: string; messageTs: string; proposalId: string | null }) {
  const stored = card.proposalId ? own(ctx.store.data.proposals, card.proposalId) : undefined;
  if (stored?.card?.channel === card.channel && stored.card.ts === card.messageTs) return stored.proposal.id;
  return ctx.relay.proposalForThread(card.channel, card.messageTs);
}

/** Wraps the receiver's request listener: a timestamp outside the window, either way, gets 401 like a bad signature. */
function refuseOutsideWindow(receiver: HTTPReceiver, endpoint: string, ctx: BotContext, now: () => number): void {
  const listener = receiver.requestListener;
  receiver.requestListener = (request: IncomingMessage, response: ServerResponse) => {
    const header = request.headers['x-slack-request-timestamp'];
    const path = (request.url ?? '').split('?')[0];
    if (request.method === 'POST' && path === endpoint && typeof header === 'string') {
      if (outsideReplayWindow(Number(header), now())) {
        ctx.logger.warn(`Slack request refused: its timestamp ${header.slice(0, 20)} is more than 5 minutes from now`);
        request.resume();
        response.writeHead(401);
        response.end();
        return;
      }
    }
    listener(request, response);
  };
}

function keyKind(key: string): string {
  return key.slice(0, key.indexOf(':'));
}
