import { afterEach, describe, expect, it } from 'vitest';
import { HARNESS_CHANNEL, type Harness, startHarness } from '../../src/sandbox/harness.js';
import { clickOnCard } from '../helpers/card-clicks.js';
import { cardFor, visibleText } from '../helpers/slack-text.js';

function voteButtons(card: { blocks?: unknown[] } | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) for (const item of node) walk(item);
    else if (node && typeof node === 'object') {
      const element = node as { type?: string; action_id?: string; text?: { text?: string } };
      if (element.type === 'button' && element.action_id?.startsWith('vote_')) {
        out[element.action_id] = element.text?.text ?? '';
      }
      for (const value of Object.values(node)) walk(value);
    }
  };
  walk(card?.blocks ?? []);
  return out;
}

describe('team votes on a card (end to end)', () => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  it('one vote per person, clicking again removes it, tallies and names on the card, kept over a restart', async () => {
    h = await startHarness();
    await h.bot.ctx.sync.runOnce();
    const { proposalId } = h.sandbox.addProposal(h.sandbox.ids.jobs.spanish);
    await h.bot.ctx.sync.runOnce();
    await h.bot.idle();
    const card = cardFor(h.slack.messages(HARNESS_CHANNEL), proposalId)!;
    const click = async (userId: string, actionId: string) => {
      await clickOnCard(h, proposalId, userId, actionId);
      return h.slack.findMessage(HARNESS_CHANNEL, card.ts);
    };

    await click('U0ANNA', 'vote_up');
    let shown = await click('U0BOB', 'vote_up');
    expect(voteButtons(shown)).toMatchObject({ vote_up: expect.stringContaining('2') });
    expect(visibleText(shown)).toContain('<@U0ANNA>');
    expect(visibleText(shown)).toContain('<@U0BOB>');

    // Bob changes his mind: one vote per person, so 👍 drops to 1 and 👎 shows 1.
    shown = await click('U0BOB', 'vote_down');
    expect(voteButtons(shown).vote_up).toContain('1');
    expect(voteButtons(shown).vote_down).toContain('1');

    // Anna clicks her current vote again: it is removed.
    shown = await click('U0ANNA', 'vote_up');
    expect(voteButtons(shown).vote_up).not.toMatch(/[1-9]/);
    expect(visibleText(shown)).not.toContain('<@U0ANNA>');
    expect(h.bot.ctx.store.data.proposals[proposalId]?.votes).toEqual({ U0BOB: 'down' });

    h = await h.restart();
    expect(h.bot.ctx.store.data.proposals[proposalId]?.votes).toEqual({ U0BOB: 'down' });
    shown = await click('U0CARA', 'vote_maybe');
    expect(voteButtons(shown).vote_down).toContain('1');
    expect(voteButtons(shown).vote_maybe).toContain('1');
    expect(visibleText(shown)).toContain('<@U0BOB>');
    expect(visibleText(shown)).toContain('<@U0CARA>');
  });

  it('a vote on a card whose proposal is no longer stored gets an explanation, not silence', async () => {
    h = await startHarness();
    const result = await h.sender.blockAction({
      actionId: 'vote_up',
      value: 'prop_pruned_long_ago',
      userId: 'U0ANNA',
      channelId: HARNESS_CHANNEL,
      messageTs: '1700000000.000100',
    });
    expect(result.status).toBe(200);
    const reply = await h.slack.waitFor(() =>
      h.slack.responses.find((r) => r.id === result.responseUrl?.split('/').pop()),
    );
    expect(reply.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(String(reply.body.text)).toMatch(/no longer tracked/);
  });
});
