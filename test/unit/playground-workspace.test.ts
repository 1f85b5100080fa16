import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HIRING_CHANNEL, TEAMMATES, Workspace } from '../../src/sandbox/playground/workspace.js';
import { type SlackStandIn, startSlackStandIn } from '../../src/sandbox/slack/standin.js';

// What each teammate's page shows, read from a real Slack stand-in: the channel without thread replies, threads,
// what only that person may see, and only their own modal.

const [ana, ben] = TEAMMATES as [(typeof TEAMMATES)[number], (typeof TEAMMATES)[number]];
const CHANNEL = HIRING_CHANNEL.id;

describe('Workspace', () => {
  let slack: SlackStandIn;
  let workspace: Workspace;

  beforeEach(async () => {
    slack = await startSlackStandIn({ port: 0 });
    workspace = new Workspace(slack);
  });

  afterEach(async () => {
    await slack.close();
  });

  it('shows top-level messages with reply counts, and a thread with its replies in order', () => {
    const card = slack.addMessage(CHANNEL, { text: '*Card*' });
    slack.addMessage(CHANNEL, { text: 'first reply', thread_ts: card.ts });
    slack.addMessage(CHANNEL, { user: ana.id, text: 'second reply', thread_ts: card.ts });
    const channel = workspace.snapshot(ana.id, CHANNEL, null);
    expect(channel.messages.map((m) => [m.html, m.replyCount])).toEqual([
      ['<div class="bk-text"><b>Card</b></div>', 2],
    ]);
    const thread = workspace.snapshot(ana.id, CHANNEL, card.ts).thread!;
    expect(thread.parent.ts).toBe(card.ts);
    expect(thread.replies.map((m) => [m.author, m.isBot])).toEqual([
      ['OpenTrain Hiring', true],
      ['Ana Lima', false],
    ]);
  });

  it('shows ephemerals and notices only to the person they are for, in the channel or thread they belong to', () => {
    const card = slack.addMessage(CHANNEL, { text: 'Card' });
    slack.ephemerals.push({ channel: CHANNEL, user: ana.id, text: 'for Ana', ts: '1900000000.000001' });
    workspace.addNotice({ user: ana.id, channel: CHANNEL, thread_ts: card.ts, text: 'Ana, in the thread' });
    const forAna = workspace.snapshot(ana.id, CHANNEL, card.ts);
    expect(forAna.messages.filter((m) => m.onlyYou).map((m) => m.html)).toEqual(['<div class="bk-text">for Ana</div>']);
    expect(forAna.thread!.replies.map((m) => m.html)).toEqual(['<div class="bk-text">Ana, in the thread</div>']);
    const forBen = workspace.snapshot(ben.id, CHANNEL, card.ts);
    expect(forBen.messages.some((m) => m.onlyYou)).toBe(false);
    expect(forBen.thread!.replies).toEqual([]);
  });

  it('shows each person only their own open modal, the newest of a stack, and changes its fingerprint', () => {
    const before = workspace.fingerprint();
    const modal = { type: 'modal', title: { type: 'plain_text', text: 'Mine' }, blocks: [] };
    slack.views.set('V1', { id: 'V1', view: modal, hash: 'h1', updates: 0, userId: ana.id });
    slack.views.set('V2', {
      id: 'V2',
      view: { ...modal, title: { type: 'plain_text', text: 'Pushed' } },
      hash: 'h2',
      updates: 0,
      userId: ana.id,
      rootViewId: 'V1',
    });
    expect(workspace.fingerprint()).not.toBe(before);
    expect(workspace.snapshot(ana.id, CHANNEL, null).modal?.title).toBe('Pushed');
    expect(workspace.snapshot(ben.id, CHANNEL, null).modal).toBeNull();
    slack.views.get('V2')!.closed = true;
    expect(workspace.snapshot(ana.id, CHANNEL, null).modal?.title).toBe('Mine');
  });

  it('falls back to the first teammate and the hiring channel for ids it does not know', () => {
    const snapshot = workspace.snapshot('__proto__', 'C0NOPE', null);
    expect(snapshot.me.id).toBe(ana.id);
    expect(snapshot.channel.id).toBe(CHANNEL);
  });
});
