import { describe, expect, it } from 'vitest';
import { FAILING_SYNC_INTERVALS, type ReadinessInput, readiness } from '../../src/readiness.js';

const NOW = new Date('2026-03-02T09:00:00Z');
const ready: ReadinessInput = {
  started: true,
  stopping: false,
  socketMode: false,
  socketConnected: false,
  health: { lastSyncAt: '2026-03-02T08:59:30Z', lastError: null, lastErrorAt: null },
  startedAt: new Date('2026-03-02T08:00:00Z'),
  now: NOW,
  syncIntervalSeconds: 30,
};
const secondsAgo = (seconds: number) => new Date(NOW.getTime() - seconds * 1000).toISOString();

describe('readiness', () => {
  it('is ready once started in HTTP mode with a working sync', () => {
    expect(readiness(ready)).toEqual({ ready: true, reasons: [] });
  });

  it('is not ready while starting, while shutting down, or with the Socket Mode connection down', () => {
    expect(readiness({ ...ready, started: false }).reasons).toEqual([expect.stringMatching(/^starting/)]);
    expect(readiness({ ...ready, stopping: true }).reasons).toEqual([expect.stringMatching(/^shutting down/)]);
    expect(readiness({ ...ready, socketMode: true, socketConnected: false }).reasons).toEqual([
      'the Socket Mode connection to Slack is down (reconnecting)',
    ]);
    expect(readiness({ ...ready, socketMode: true, socketConnected: true }).ready).toBe(true);
  });

  it(`tolerates a failing sync for ${FAILING_SYNC_INTERVALS} intervals, then says why`, () => {
    const failing = (lastSyncSecondsAgo: number) =>
      readiness({
        ...ready,
        health: {
          lastSyncAt: secondsAgo(lastSyncSecondsAgo),
          lastError: 'OpenTrain is down',
          lastErrorAt: secondsAgo(1),
        },
      });
    expect(failing(89).ready).toBe(true);
    expect(failing(91)).toEqual({
      ready: false,
      reasons: ['OpenTrain sync has been failing for 91 s: OpenTrain is down'],
    });
  });

  it('counts a failing sync from start-up when the last success is older than this process (or never was)', () => {
    const input = {
      ...ready,
      startedAt: new Date(secondsAgo(60)),
      health: { lastSyncAt: null, lastError: 'token refused', lastErrorAt: secondsAgo(1) },
    };
    expect(readiness(input).ready).toBe(true);
    expect(readiness({ ...input, startedAt: new Date(secondsAgo(120)) }).reasons).toEqual([
      'OpenTrain sync has been failing for 120 s: token refused',
    ]);
    expect(readiness({ ...input, health: { ...input.health, lastSyncAt: secondsAgo(86_400) } }).ready).toBe(true);
  });
});
