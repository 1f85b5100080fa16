import type { Tell } from '../services/background.js';
import type { BotContext } from './context.js';

/** Where a person acted: the channel (absent when the request named none), them, and the thread if any. */
export interface Place {
  channel?: string | null | undefined;
  user: string;
  threadTs?: string | null | undefined;
}

/**
 * How to tell a person something after their request was acknowledged: an ephemeral message where they acted (in
 * the thread, for a click in a thread). Undefined when the request named no channel: there is nowhere to say it.
 */
export function tellIn(ctx: BotContext, place: Place): Tell | undefined {
  const { channel, user, threadTs } = place;
  if (typeof channel !== 'string' || channel === '') return undefined;
  return (text) =>
    ctx.slack.postEphemeral({ channel, user, text, ...(typeof threadTs === 'string' ? { threadTs } : {}) });
}
