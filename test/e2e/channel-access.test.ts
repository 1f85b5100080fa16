import { afterEach, describe, expect, it } from 'vitest';
import { HARNESS_CHANNEL, type Harness, startHarness } from '../../src/sandbox/harness.js';
import { cardFor, cardsIn, visibleText } from '../helpers/slack-text.js';

// Channels the bot can't read (Slack: history needs membership; private channels need an invite) never block
// start-up, a sync or the other channels; cards waiting for such a channel are posted once it can be read, once.

const PRIVATE = 'G0SECRET';
const PUBLIC = 'C0MEDICAL';
const REVIEWER = 'U0REVIEWER';

describe('channels the bot is not in (end to end)', () => {
  let h: Harness;
  const log: string[] = [];
  afterEach(async () => {
    await h?.close();
    log.length = 0;
  });

  async function start() {
    h = await startHarness({ logSink: (line) => log.push(line) });
    h.slack.addChannel(PUBLIC, 'medical', { botIsMember: false });
    h.slack.addChannel(PRIVATE, 'secret-hiring', { isPrivate: true, botIsMember: false });
    await h.bot.ctx.sync.runOnce();
    await h.bot.idle();
  }

  async function command(text: string): Promise<string> {
    const result = await h.sender.command(text, { userId: REVIEWER, channelId: HARNESS_CHANNEL });
    expect(result.status).toBe(200);
    const id = result.responseUrl?.split('/').pop();
    const reply = await h.slack.waitFor(() => h.slack.responses.find((r) => r.id === id));
    return visibleText(reply.body as { text?: string; blocks?: unknown[] });
  }

  async function syncOnce() {
    await h.bot.ctx.sync.runOnce();
    await h.bot.idle();
  }

  const cardsFor = (channel: string, proposalId: string) =>
    cardsIn(h.slack.messages(channel)).filter((m) => m.metadata?.event_payload.proposal_id === proposalId);

  it('joins a public channel a job is routed to, so its cards can be read back', async () => {
    await start();
    const reply = await command(`watch ${h.sandbox.ids.jobs.medical} <#${PUBLIC}|medical>`);
    expect(reply).toContain(`Watching`);
    expect(reply).not.toContain('/invite');
    expect(h.slack.channel(PUBLIC)?.botIsMember).toBe(true);
    expect(h.slack.callsTo('conversations.join')).toEqual([{ channel: PUBLIC }]);
    const { proposalId } = h.sandbox.addProposal(h.sandbox.ids.jobs.medical);
    await syncOnce();
    expect(cardsFor(PUBLIC, proposalId)).toHaveLength(1);
  });

  it('a private channel it is not in: watch and status say to /invite it, other channels keep going, the card waits and then posts once', async () => {
    await start();
    const { medical, spanish } = h.sandbox.ids.jobs;
    const watch = await command(`watch ${medical} <#${PRIVATE}|secret-hiring>`);
    expect(watch).toContain(`<#${PRIVATE}>`);
    expect(watch).toMatch(/someone there must `\/invite` me/);
    expect(log.some((line) => line.includes(`<#${PRIVATE}>`) && line.includes('/invite'))).toBe(true);

    const waiting = h.sandbox.addProposal(medical);
    const meanwhile = h.sandbox.addProposal(spanish);
    await syncOnce();
    await syncOnce();
    expect(cardFor(h.slack.messages(HARNESS_CHANNEL), meanwhile.proposalId)).toBeDefined();
    expect(h.slack.messages(PRIVATE)).toEqual([]);
    expect(h.bot.ctx.store.data.proposals[waiting.proposalId]?.card).toMatchObject({
      state: 'intent',
      channel: PRIVATE,
    });
    // Nothing was even attempted in the channel after the first refusal of the cycle: no post storm.
    const attempts = h.slack.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === PRIVATE);
    expect(attempts.length).toBeLessThanOrEqual(1);

    const status = await command('status');
    expect(status).toContain('*Channels*');
    expect(status).toMatch(new RegExp(`not a member of <#${PRIVATE}>.*\`/invite\``));

    h.slack.setBotMembership(PRIVATE, true); // someone typed /invite @OpenTrain Hiring
    await syncOnce();
    expect(cardsFor(PRIVATE, waiting.proposalId)).toHaveLength(1);
    await syncOnce();
    expect(cardsFor(PRIVATE, waiting.proposalId)).toHaveLength(1);
    expect(await command('status')).not.toContain('*Channels*');
  });

  it('starts with a half-posted card in a channel it can no longer read, keeps it open and never posts it twice', async () => {
    await start();
    const { medical } = h.sandbox.ids.jobs;
    h.slack.setBotMembership(PRIVATE, true);
    await command(`watch ${medical} <#${PRIVATE}|secret-hiring>`);
    const { proposalId } = h.sandbox.addProposal(medical);
    await syncOnce();
    const posted = cardsFor(PRIVATE, proposalId);
    expect(posted).toHaveLength(1);
    // The process died after Slack took the post but before its ts was saved; meanwhile the bot was removed.
    h.bot.ctx.store.change((data) => {
      const card = data.proposals[proposalId]!.card!;
      card.state = 'intent';
      card.ts = null;
      card.postedAt = null;
    });
    await h.bot.ctx.store.flush();
    h.slack.setBotMembership(PRIVATE, false);

    h = await h.restart();
    await syncOnce();
    expect(h.bot.ctx.store.data.proposals[proposalId]?.card).toMatchObject({ state: 'intent' });
    expect(log.some((line) => /open card intents: .*1 waiting/.test(line))).toBe(true);
    // A new proposal for the other channel still arrives.
    const other = h.sandbox.addProposal(h.sandbox.ids.jobs.spanish);
    await syncOnce();
    expect(cardFor(h.slack.messages(HARNESS_CHANNEL), other.proposalId)).toBeDefined();

    h.slack.setBotMembership(PRIVATE, true);
    await syncOnce();
    expect(h.bot.ctx.store.data.proposals[proposalId]?.card).toMatchObject({ state: 'posted', ts: posted[0]!.ts });
    expect(cardsFor(PRIVATE, proposalId)).toHaveLength(1);
  });

  it("waits out Slack's 429s on chat.update: a burst of votes all shows", async () => {
    await start();
    const cards = [];
    for (let i = 0; i < 4; i += 1) cards.push(h.sandbox.addProposal(h.sandbox.ids.jobs.spanish).proposalId);
    await syncOnce();
    // A small chat.update budget so the burst below is refused in part, as Tier 3 would refuse a larger one.
    h.slack.setRateLimits({ overrides: { 'chat.update': { per: 'workspace', perMinute: 240, burst: 2 } } });
    await Promise.all(
      cards.map((proposalId) =>
        h.sender.blockAction({
          actionId: 'vote_up',
          value: proposalId,
          userId: 'U0ANNA',
          channelId: HARNESS_CHANNEL,
          messageTs: cardFor(h.slack.messages(HARNESS_CHANNEL), proposalId)!.ts,
        }),
      ),
    );
    await h.bot.idle();
    expect(h.slack.rateLimited.get('chat.update')).toBeGreaterThan(0);
    for (const proposalId of cards) {
      expect(visibleText(cardFor(h.slack.messages(HARNESS_CHANNEL), proposalId))).toContain('<@U0ANNA>');
    }
  });
});
