import type { SlackPort } from './slack-port.js';

/**
 * Card permalinks, remembered: chat.getPermalink never changes its answer for a message, so each card is asked once.
 * One instance serves App Home and the shortlists (src/wiring.ts); past `max` links the memory starts over.
 */
export class CardLinks {
  readonly #links = new Map<string, string>();

  constructor(
    private readonly slack: Pick<SlackPort, 'permalink'>,
    private readonly max: number,
  ) {}

  /** The card's permalink; null when Slack didn't give one (not remembered: asked again next time). */
  async of(channel: string, ts: string): Promise<string | null> {
    const key = `${channel}:${ts}`;
    const known = this.#links.get(key);
    if (known) return known;
    const permalink = await this.slack.permalink(channel, ts);
    if (!permalink) return null;
    if (this.#links.size >= this.max) this.#links.clear();
    this.#links.set(key, permalink);
    return permalink;
  }
}
