import { describe, expect, it } from 'vitest';
import { OpenTrainError } from '../../src/api/errors.js';
import { dueRetries, isOutage, PROPOSAL_RETRY_POLICY, recordFailure } from '../../src/services/proposal-retries.js';

const parseError = new OpenTrainError({
  status: 200,
  code: 'INVALID_RESPONSE',
  message: 'GET /proposals/{id} answered with an unexpected shape: proposal.bid: expected object',
  requestId: 'req_42',
});
const at = (iso: string) => new Date(iso);

describe('proposal retry policy', () => {
  it('waits 30 s, 2 min and 10 min between attempts, then sets the proposal aside', () => {
    const t0 = at('2026-01-01T00:00:00.000Z');
    const first = recordFailure(undefined, parseError, { now: t0, post: true });
    expect(first).toEqual({
      attempts: 1,
      nextAttemptAt: '2026-01-01T00:00:30.000Z',
      setAsideAt: null,
      reason: parseError.message,
      requestId: 'req_42',
      post: true,
    });
    const second = recordFailure(first, parseError, { now: at('2026-01-01T00:00:30.000Z'), post: false });
    expect(second).toMatchObject({ attempts: 2, nextAttemptAt: '2026-01-01T00:02:30.000Z', post: true });
    const third = recordFailure(second, parseError, { now: at('2026-01-01T00:02:30.000Z'), post: false });
    expect(third).toMatchObject({ attempts: 3, nextAttemptAt: '2026-01-01T00:12:30.000Z' });
    const fourth = recordFailure(third, parseError, { now: at('2026-01-01T00:12:30.000Z'), post: false });
    expect(fourth).toMatchObject({ attempts: 4, nextAttemptAt: null, setAsideAt: '2026-01-01T00:12:30.000Z' });
    expect(fourth.attempts).toBe(PROPOSAL_RETRY_POLICY.delaysMs.length + 1);
    // Picked up again by a new event and failing again: a fresh series of attempts.
    expect(recordFailure(fourth, parseError, { now: t0, post: false })).toMatchObject({
      attempts: 1,
      setAsideAt: null,
    });
  });

  it('lists only the retries that are due (never the set-aside ones)', () => {
    const now = at('2026-01-01T00:01:00.000Z');
    const failing = {
      due: recordFailure(undefined, parseError, { now: at('2026-01-01T00:00:00.000Z'), post: true }),
      later: recordFailure(undefined, parseError, { now, post: true }),
      aside: {
        ...recordFailure(undefined, parseError, { now, post: true }),
        nextAttemptAt: null,
        setAsideAt: now.toISOString(),
      },
    };
    expect(dueRetries(failing, now)).toEqual(['due']);
    expect(dueRetries(undefined, now)).toEqual([]);
  });

  it('tells an outage (no answer, 5xx, 429) from a problem with one proposal', () => {
    expect(isOutage(new OpenTrainError({ status: 0, code: 'TIMEOUT', message: 'timeout' }))).toBe(true);
    expect(isOutage(new OpenTrainError({ status: 503, code: 'INTERNAL_ERROR', message: 'down' }))).toBe(true);
    expect(isOutage(new OpenTrainError({ status: 429, code: 'RATE_LIMITED', message: 'slow down' }))).toBe(true);
    expect(isOutage(parseError)).toBe(false);
    expect(isOutage(new TypeError('normalising failed'))).toBe(false);
  });
});
