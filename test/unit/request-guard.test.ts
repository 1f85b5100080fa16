import type { App, ReceiverEvent } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import type { BotContext } from '../../src/handlers/context.js';
import { LISTENED_IDS } from '../../src/handlers/ids.js';
import { installRequestGuard } from '../../src/handlers/requests/index.js';
import { outsideReplayWindow, replayKeys } from '../../src/handlers/requests/replay.js';
import { planUnhandled, UNHANDLED_SENTENCES } from '../../src/handlers/requests/unhandled.js';
import { withoutPayload } from '../../src/library-logger.js';
import { createLogger } from '../../src/logger.js';
import { BACKGROUND_FAILURE_SENTENCE, runGuarded } from '../../src/services/background.js';
import { ReplayMemory } from '../../src/services/replay-memory.js';

describe('ReplayMemory', () => {
  it('recognises a key seen within the window, forgets it after, and never holds more than maxKeys', () => {
    let now = 0;
    const memory = new ReplayMemory({ ttlMs: 300_000, maxKeys: 3, clock: () => now });
    expect(memory.seenBefore(['signature:a', 'trigger:1'])).toBe(false);
    now = 299_999;
    expect(memory.seenBefore(['signature:b', 'trigger:1'])).toBe(true);
    now = 300_001;
    // trigger:1 was first recorded at 0: expired. signature:b (recorded at 299,999) is still remembered.
    expect(memory.seenBefore(['trigger:1'])).toBe(false);
    expect(memory.seenBefore(['signature:b'])).toBe(true);
    for (let i = 0; i < 100; i += 1) memory.seenBefore([`flood:${i}`]);
    expect(memory.size).toBe(3);
  });
});

describe('replay keys and the timestamp window', () => {
  it('names a request by its signature, trigger_id and event id', () => {
    expect(replayKeys({ type: 'block_actions', trigger_id: 't1' }, 'v0=abc')).toEqual([
      'signature:v0=abc',
      'trigger:t1',
    ]);
    expect(replayKeys({ type: 'event_callback', event_id: 'Ev1' }, undefined)).toEqual(['event:Ev1']);
    expect(replayKeys('garbage', 42)).toEqual([]);
    expect(replayKeys({ trigger_id: 7, event_id: 'Ev2' }, '')).toEqual([]);
  });

  it('refuses timestamps more than 5 minutes away in either direction', () => {
    const now = 1_800_000_000_000;
    expect(outsideReplayWindow(now / 1000 + 301, now)).toBe(true);
    expect(outsideReplayWindow(now / 1000 - 301, now)).toBe(true);
    expect(outsideReplayWindow(now / 1000 + 299, now)).toBe(false);
    expect(outsideReplayWindow(now / 1000 - 299, now)).toBe(false);
    expect(outsideReplayWindow(Number.NaN, now)).toBe(false);
  });
});

describe('planUnhandled', () => {
  const onCard = {
    user: { id: 'U1' },
    container: { type: 'message', channel_id: 'C1', message_ts: '1.1' },
    message: { ts: '1.1', metadata: { event_type: 'opentrain_proposal', event_payload: { proposal_id: 'p1' } } },
  };

  it('an unknown button on a card: the fresh-card sentence and a refresh of that card', () => {
    const plan = planUnhandled(
      { type: 'block_actions', actions: [{ action_id: 'old' }], ...onCard },
      LISTENED_IDS,
      'unhandled',
    );
    expect(plan.followUp).toEqual({
      kind: 'ephemeral',
      channel: 'C1',
      user: 'U1',
      text: UNHANDLED_SENTENCES.oldCardRefreshed,
    });
    expect(plan.refreshCard).toEqual({ channel: 'C1', messageTs: '1.1', proposalId: 'p1' });
  });

  it('a known button that was not acknowledged: something went wrong, no card refresh', () => {
    const plan = planUnhandled(
      { type: 'block_actions', actions: [{ action_id: 'vote_up' }], ...onCard },
      LISTENED_IDS,
      'failed',
    );
    expect(plan.followUp).toMatchObject({ text: UNHANDLED_SENTENCES.failed });
    expect(plan.refreshCard).toBeUndefined();
  });

  it('an unknown button in a thread, and a click without an action', () => {
    const inThread = { ...onCard, container: { ...onCard.container, thread_ts: '0.9' } };
    expect(
      planUnhandled({ type: 'block_actions', actions: [{ action_id: 'x' }], ...inThread }, LISTENED_IDS, 'unhandled'),
    ).toMatchObject({ followUp: { text: UNHANDLED_SENTENCES.oldButton, threadTs: '0.9' } });
    expect(
      planUnhandled({ type: 'block_actions', actions: 'nope', ...onCard }, LISTENED_IDS, 'unhandled').followUp,
    ).toMatchObject({
      text: UNHANDLED_SENTENCES.noButton,
    });
  });

  it('commands, forms, shortcuts, suggestions and shapeless bodies each get an ack body or nothing, never a throw', () => {
    expect(planUnhandled({ command: '/other' }, LISTENED_IDS, 'unhandled').ackBody).toMatchObject({
      response_type: 'ephemeral',
      text: `:warning: ${UNHANDLED_SENTENCES.unknownCommand}`,
    });
    expect(planUnhandled({ type: 'block_suggestion' }, LISTENED_IDS, 'unhandled').ackBody).toEqual({ options: [] });
    expect(
      planUnhandled(
        { type: 'shortcut', callback_id: 'x', trigger_id: 't', user: { id: 'U1' } },
        LISTENED_IDS,
        'unhandled',
      ).followUp,
    ).toEqual({ kind: 'modal', triggerId: 't', text: UNHANDLED_SENTENCES.oldShortcut });
    for (const body of [null, 42, 'x', [], { type: { nested: 1 } }, { view: 'x', type: 'view_submission' }]) {
      expect(() => planUnhandled(body, LISTENED_IDS, 'unhandled')).not.toThrow();
    }
  });
});

describe('runGuarded', () => {
  it('turns a synchronous throw and a rejection alike into one log line and one sentence for the asker', async () => {
    const lines: string[] = [];
    const logger = createLogger('debug', (line) => lines.push(line));
    const told: string[] = [];
    const tell = async (sentence: string) => {
      told.push(sentence);
    };
    const sync = await runGuarded(logger, { label: 'sync throw', tell }, () => {
      throw new Error('boom');
    });
    const async = await runGuarded(logger, { label: 'rejection', tell }, () => Promise.reject(new Error('bang')));
    const fine = await runGuarded(logger, { label: 'fine' }, () => 7);
    expect([sync, async, fine]).toEqual([undefined, undefined, 7]);
    expect(lines.filter((line) => line.includes('background work failed'))).toHaveLength(2);
    expect(told).toEqual([BACKGROUND_FAILURE_SENTENCE, BACKGROUND_FAILURE_SENTENCE]);
  });

  it('survives a tell that fails too', async () => {
    const logger = createLogger('error', () => {});
    const failingTell = () => Promise.reject(new Error('slack down'));
    await expect(
      runGuarded(logger, { label: 'x', tell: failingTell }, () => Promise.reject(new Error('y'))),
    ).resolves.toBeUndefined();
  });
});

describe('withoutPayload', () => {
  it('replaces the payload of a library line by its size and leaves plain lines alone', () => {
    expect(withoutPayload('http request body: {"text":"hello Maria"}')).toBe(
      'http request body: (22 characters, not logged)',
    );
    expect(withoutPayload('ack() call begins (body: [object Object])')).not.toContain('[object');
    expect(withoutPayload('Received a message on the WebSocket: {"payload":1}')).toBe(
      'Received a message on the WebSocket: (13 characters, not logged)',
    );
    expect(withoutPayload("apiCall('chat.postMessage') start")).toBe("apiCall('chat.postMessage') start");
    expect(withoutPayload('Failed to verify authenticity: signature mismatch')).toBe(
      'Failed to verify authenticity: signature mismatch',
    );
  });
});

describe('installRequestGuard (the ack door)', () => {
  function fakeApp(listener: (event: ReceiverEvent) => Promise<void>) {
    return { processEvent: listener, client: {} } as unknown as App;
  }
  function fakeCtx(lines: string[]) {
    return {
      logger: createLogger('debug', (line) => lines.push(line)),
      track: async (work: () => Promise<unknown>) => work(),
    } as unknown as BotContext;
  }

  it('answers a listener that has not acknowledged by the deadline, and drops its late ack', async () => {
    const lines: string[] = [];
    const acks: unknown[] = [];
    const app = fakeApp(async (event) => {
      await new Promise((resolve) => setTimeout(resolve, 80));
      await event.ack({ text: 'late' });
    });
    installRequestGuard(app, fakeCtx(lines), { ackDeadlineMs: 20 });
    const started = performance.now();
    let ackedAt = 0;
    await app.processEvent({
      body: { command: '/hiring', text: 'jobs', trigger_id: 't-late' },
      ack: async (response) => {
        ackedAt = performance.now() - started;
        acks.push(response);
      },
    } as ReceiverEvent);
    expect(acks).toEqual([{ response_type: 'ephemeral', text: `:warning: ${UNHANDLED_SENTENCES.failed}` }]);
    expect(ackedAt).toBeLessThan(70);
    expect(lines.some((line) => line.includes('acknowledged after the guard had already answered'))).toBe(true);
  });

  it('acknowledges a repeated trigger_id once more without running the listener again', async () => {
    let runs = 0;
    const app = fakeApp(async (event) => {
      runs += 1;
      await event.ack();
    });
    installRequestGuard(app, fakeCtx([]));
    const acks: unknown[] = [];
    const event = { body: { type: 'block_actions', trigger_id: 't-same' }, ack: async () => void acks.push('ack') };
    await app.processEvent(event as unknown as ReceiverEvent);
    await app.processEvent(event as unknown as ReceiverEvent);
    expect(runs).toBe(1);
    expect(acks).toEqual(['ack', 'ack']);
  });
});
