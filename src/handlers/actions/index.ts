import type { App, BlockAction } from '@slack/bolt';
import { ASK_INPUT_ACTION } from '../../blocks/ask.js';
import {
  ASK_BLOCKS,
  ASK_FINALISTS_ACTION,
  CARD_ACTIONS,
  HOME_ACTIONS,
  RELAY_REPLY_ACTION,
  VOTE_KIND_BY_ACTION,
} from '../../blocks/ids.js';
import type { BotContext } from '../context.js';
import { exactly } from '../id-pattern.js';
import { askClicked, askTyped } from './ask.js';
import { messageClicked, replyClicked } from './conversation.js';
import { hireClicked } from './hire.js';
import { homeRefreshClicked } from './home.js';
import { inviteClicked } from './invite.js';
import { LINK_ACTIONS, linkClicked } from './links.js';
import { profileClicked } from './profile.js';
import { transcriptClicked } from './transcript.js';
import { voteClicked } from './votes.js';

// Each callback is typed for the element it serves (a button, a text input); the id it is mapped to says which.
// biome-ignore lint/suspicious/noExplicitAny: the per-element argument types differ; the id picks the right one.
type ActionListener = (args: any) => Promise<void>;

/** The block actions the bot answers: action id → callback. */
export function actionListeners(ctx: BotContext): ReadonlyMap<string, ActionListener> {
  const ask = askTyped(ctx);
  const askBlocks: ReadonlySet<string> = new Set([ASK_BLOCKS.first, ASK_BLOCKS.second]);
  return new Map<string, ActionListener>([
    ...[...VOTE_KIND_BY_ACTION].map(([actionId, kind]): [string, ActionListener] => [actionId, voteClicked(ctx, kind)]),
    [CARD_ACTIONS.transcript, transcriptClicked(ctx)],
    [CARD_ACTIONS.profile, profileClicked(ctx)],
    [CARD_ACTIONS.invite, inviteClicked(ctx)],
    [CARD_ACTIONS.message, messageClicked(ctx)],
    [CARD_ACTIONS.hire, hireClicked(ctx)],
    [RELAY_REPLY_ACTION, replyClicked(ctx)],
    [ASK_FINALISTS_ACTION, askClicked(ctx)],
    // The Ask form's question inputs only (their blocks); the same action id elsewhere is not ours.
    [
      ASK_INPUT_ACTION,
      async (args: Parameters<typeof ask>[0]) => (askBlocks.has(args.action.block_id) ? ask(args) : undefined),
    ],
    [HOME_ACTIONS.refresh, homeRefreshClicked(ctx)],
    ...LINK_ACTIONS.map((actionId): [string, ActionListener] => [actionId, linkClicked]),
  ]);
}

/**
 * One Bolt listener for all of them, dispatching by action id: Bolt runs every registered listener's matchers on
 * every request (≈ 8 µs each), so one listener per id made each click, command and submission pay for all of them
 * before its ack (docs/slack.md#one-listener-per-kind).
 */
export function registerActions(app: App, ctx: BotContext): void {
  const listeners = actionListeners(ctx);
  app.action<BlockAction>({ action_id: exactly(listeners.keys()) }, async (args) => {
    await listeners.get(args.action.action_id)?.(args);
  });
}
