import { webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.js';
import { SLACK_RATE_LIMITS, type SlackStandIn, startSlackStandIn } from '../../src/sandbox/slack/standin.js';

// views.publish as Slack answers it: one Home tab per user, replaced in place, a stale hash refused, Block Kit checked
// with the Home tab's 100-block limit, Tier 4 rate limits, and no scope needed (docs/slack.md#app-home).

const { WebClient } = webApi;
const BOT_TOKEN = 'xoxb-test';

let standIn: SlackStandIn;
let client: webApi.WebClient;

function section(text: string) {
  return { type: 'section' as const, text: { type: 'mrkdwn' as const, text } };
}

function home(...texts: string[]) {
  return { type: 'home' as const, blocks: texts.map(section) };
}

async function slackError(call: Promise<unknown>): Promise<{ error: string; data: Record<string, unknown> }> {
  try {
    await call;
  } catch (error) {
    const data = (error as { data?: Record<string, unknown> }).data ?? {};
    return { error: String(data.error), data };
  }
  throw new Error('expected Slack to refuse the call');
}

beforeEach(async () => {
  // The manifest's bot scopes only: views.publish needs none.
  standIn = await startSlackStandIn({ botToken: BOT_TOKEN, botScopes: ['chat:write', 'commands'] });
  client = new WebClient(BOT_TOKEN, { slackApiUrl: standIn.url, retryConfig: { retries: 0 }, logger: silentLogger });
});

afterEach(async () => {
  await standIn.close();
});

describe('Slack stand-in: views.publish (App Home)', () => {
  it('publishes a Home tab per user and replaces it in place with a new hash each time', async () => {
    const first = await client.views.publish({ user_id: 'U0ANA', view: home('one') });
    expect(first.view).toMatchObject({ type: 'home', blocks: [section('one')], team_id: standIn.identity.teamId });
    const second = await client.views.publish({ user_id: 'U0ANA', view: home('two') });
    expect(second.view?.id).toBe(first.view?.id);
    expect(second.view?.hash).not.toBe(first.view?.hash);
    expect(standIn.homeView('U0ANA')?.view.blocks).toEqual([section('two')]);

    // Another person's Home tab is theirs alone.
    const other = await client.views.publish({ user_id: 'U0BOB', view: home('bob') });
    expect(other.view?.id).not.toBe(first.view?.id);
    expect(standIn.homeView('U0ANA')?.view.blocks).toEqual([section('two')]);
    expect(standIn.homeView('U0CARA')).toBeUndefined();
  });

  it('refuses a hash that is not the current view’s (hash_conflict) and accepts the current one', async () => {
    const first = await client.views.publish({ user_id: 'U0ANA', view: home('one') });
    const second = await client.views.publish({ user_id: 'U0ANA', view: home('two'), hash: first.view?.hash });
    expect(
      (await slackError(client.views.publish({ user_id: 'U0ANA', view: home('stale'), hash: first.view?.hash }))).error,
    ).toBe('hash_conflict');
    expect(standIn.homeView('U0ANA')?.view.blocks).toEqual([section('two')]);
    await client.views.publish({ user_id: 'U0ANA', view: home('three'), hash: second.view?.hash });
    expect(standIn.homeView('U0ANA')?.view.blocks).toEqual([section('three')]);
    // A hash for a user who has no Home tab yet can't be current either.
    expect((await slackError(client.views.publish({ user_id: 'U0BOB', view: home('x'), hash: '1.abc' }))).error).toBe(
      'hash_conflict',
    );
  });

  it('checks the view: type home, Block Kit rules, at most 100 blocks', async () => {
    const modal = { type: 'modal' as const, title: { type: 'plain_text' as const, text: 'x' }, blocks: [section('x')] };
    const wrongType = await slackError(client.views.publish({ user_id: 'U0ANA', view: modal }));
    expect(wrongType.error).toBe('invalid_arguments');
    expect(JSON.stringify(wrongType.data)).toContain('/view/type');

    const hundred = home(...Array.from({ length: 100 }, (_, i) => `row ${i}`));
    await expect(client.views.publish({ user_id: 'U0ANA', view: hundred })).resolves.toMatchObject({ ok: true });
    const tooMany = await slackError(
      client.views.publish({ user_id: 'U0ANA', view: home(...Array.from({ length: 101 }, (_, i) => `row ${i}`)) }),
    );
    expect(tooMany.error).toBe('invalid_blocks');
    expect(JSON.stringify(tooMany.data)).toContain('no more than 100 items allowed');

    const longText = await slackError(client.views.publish({ user_id: 'U0ANA', view: home('x'.repeat(3001)) }));
    expect(longText.error).toBe('invalid_blocks');
    expect(JSON.stringify(longText.data)).toContain('/view/blocks/0/text/text');
    // A refused view leaves the published one as it was.
    expect(standIn.homeView('U0ANA')?.view.blocks).toHaveLength(100);

    expect((await slackError(client.views.publish({ user_id: 'C0CHANNEL', view: home('x') }))).error).toBe(
      'user_not_found',
    );
    expect((await slackError(client.apiCall('views.publish', { view: home('x') }))).error).toBe('invalid_arguments');
  });

  it('is rate limited like Tier 4 (429 with Retry-After past the burst)', async () => {
    expect(SLACK_RATE_LIMITS['views.publish']).toMatchObject({ per: 'workspace', perMinute: 100 });
    const burst = SLACK_RATE_LIMITS['views.publish']!.burst;
    for (let i = 0; i < burst; i += 1) await client.views.publish({ user_id: 'U0ANA', view: home(`n${i}`) });
    const response = await fetch(`${standIn.url}views.publish`, {
      method: 'POST',
      headers: { authorization: `Bearer ${BOT_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ user_id: 'U0ANA', view: home('one too many') }),
    });
    expect(response.status).toBe(429);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await response.json()).toMatchObject({ ok: false, error: 'ratelimited' });
    expect(standIn.rateLimited.get('views.publish')).toBe(1);
  });
});
