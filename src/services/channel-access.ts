import type { Logger } from '../logger.js';
import { type SlackPort, slackErrorCode } from './slack-port.js';

// Whether the bot can read a channel's history, which it needs to find its own cards again (exactly-once posting).
// Slack lets a bot with chat:write.public post to a public channel it never joined but read only where it is a
// member: the bot joins public channels it is routed to; a private one needs someone to `/invite` it. A channel it
// cannot read never blocks the others. See docs/slack.md#channels-and-membership.

/** Slack answers that mean "this bot may not use this channel", not "try again later". */
export const CHANNEL_REFUSALS = [
  'not_in_channel',
  'channel_not_found',
  'method_not_supported_for_channel_type',
  'is_archived',
];

export type ChannelProblem = 'needs_invite' | 'not_found' | 'archived';

/** What a person must do, said once here for the log, /hiring watch and /hiring status. */
const PROBLEM_TEXT: Record<ChannelProblem, (channel: string) => string> = {
  needs_invite: (channel) =>
    `I'm not a member of ${channel} (a private channel): someone there must \`/invite\` me before its cards can be posted.`,
  not_found: (channel) =>
    `Slack says ${channel} doesn't exist for me (channel_not_found): if it is private, someone there must \`/invite\` me; otherwise send the job's cards elsewhere with \`/hiring watch\`.`,
  archived: (channel) =>
    `${channel} is archived, so I can't post or read cards there: send the job's cards elsewhere with \`/hiring watch\`.`,
};

export function channelProblemText(channelId: string, problem: ChannelProblem): string {
  return PROBLEM_TEXT[problem](`<#${channelId}>`);
}

export function isChannelRefusal(error: unknown): boolean {
  return CHANNEL_REFUSALS.includes(slackErrorCode(error) ?? '');
}

function problemFor(error: unknown): ChannelProblem {
  const code = slackErrorCode(error);
  return code === 'is_archived' ? 'archived' : code === 'channel_not_found' ? 'not_found' : 'needs_invite';
}

export class ChannelAccess {
  private readonly readable = new Set<string>();
  private readonly problems = new Map<string, { problem: ChannelProblem; stale: boolean }>();

  constructor(private readonly opts: { slack: SlackPort; logger: Logger }) {}

  /** Channels the bot can't use right now, with what someone must do. */
  get blocked(): { channelId: string; problem: ChannelProblem }[] {
    return [...this.problems].map(([channelId, { problem }]) => ({ channelId, problem }));
  }

  problemOf(channelId: string): ChannelProblem | null {
    return this.problems.get(channelId)?.problem ?? null;
  }

  /**
   * True when the bot can read the channel's history, joining it first when it is public. False when it can't
   * (private and not invited, archived, gone): the reason is logged once and shown in /hiring status. Throws only
   * for failures that say nothing about access (Slack unreachable), which the caller retries later.
   */
  async ensureReadable(channelId: string): Promise<boolean> {
    if (this.readable.has(channelId)) return true;
    // A refusal holds until recheck(): one probe per channel per sync cycle, however many cards wait there.
    if (this.problems.get(channelId)?.stale === false) return false;
    try {
      await this.opts.slack.history(channelId, { maxMessages: 1 });
      this.markReadable(channelId);
      return true;
    } catch (error) {
      if (!isChannelRefusal(error)) throw error;
      if (slackErrorCode(error) !== 'not_in_channel') return this.refuse(channelId, problemFor(error));
    }
    // The channel exists and the bot isn't in it: join it if it is public. A private one can't be joined (Slack
    // hides it from non-members: channel_not_found, or method_not_supported_for_channel_type).
    try {
      await this.opts.slack.joinChannel(channelId);
      this.opts.logger.info(`joined <#${channelId}> to read back the cards posted there`);
      this.markReadable(channelId);
      return true;
    } catch (error) {
      if (!isChannelRefusal(error)) throw error;
      return this.refuse(channelId, slackErrorCode(error) === 'is_archived' ? 'archived' : 'needs_invite');
    }
  }

  /** Channels refused so far are probed again on their next use (called once per sync cycle). */
  recheck(): void {
    for (const entry of this.problems.values()) entry.stale = true;
  }

  /** A call was refused for a channel believed usable (the bot was removed, or it was archived). */
  noteRefusal(channelId: string, error: unknown): void {
    if (!isChannelRefusal(error)) return;
    this.readable.delete(channelId);
    this.refuse(channelId, problemFor(error));
  }

  private markReadable(channelId: string): void {
    this.readable.add(channelId);
    if (this.problems.delete(channelId)) this.opts.logger.info(`<#${channelId}> is readable again; its cards resume`);
  }

  private refuse(channelId: string, problem: ChannelProblem): false {
    const previous = this.problems.get(channelId);
    this.problems.set(channelId, { problem, stale: false });
    if (previous?.problem !== problem) this.opts.logger.warn(channelProblemText(channelId, problem));
    return false;
  }
}
