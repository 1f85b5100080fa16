import { describe, expect, it } from 'vitest';
import { ChannelPacer } from '../../src/services/pacer.js';

describe('ChannelPacer', () => {
  it('runs one channel’s tasks one at a time, at least the interval apart, in order', async () => {
    const pacer = new ChannelPacer(40, () => {});
    const started: { key: string; at: number }[] = [];
    for (const key of ['a', 'b', 'c']) {
      pacer.enqueue('C1', key, async () => {
        started.push({ key, at: performance.now() });
      });
    }
    await pacer.idle();
    expect(started.map((s) => s.key)).toEqual(['a', 'b', 'c']);
    expect(started[1]!.at - started[0]!.at).toBeGreaterThanOrEqual(38);
    expect(started[2]!.at - started[1]!.at).toBeGreaterThanOrEqual(38);
  });

  it('lets different channels proceed independently', async () => {
    const pacer = new ChannelPacer(200, () => {});
    const started: Record<string, number> = {};
    const t0 = performance.now();
    for (const channel of ['C1', 'C2', 'C3']) {
      pacer.enqueue(channel, 'post', async () => {
        started[channel] = performance.now() - t0;
      });
    }
    await pacer.idle();
    // All three first posts start at once; none waits for another channel's interval.
    expect(Math.max(...Object.values(started))).toBeLessThan(150);
  });

  it('coalesces a task whose key is already waiting, and keeps going after a failing task', async () => {
    const errors: string[] = [];
    const pacer = new ChannelPacer(0, (error, key) => errors.push(`${key}: ${(error as Error).message}`));
    let updates = 0;
    pacer.enqueue('C1', 'post', async () => {
      throw new Error('boom');
    });
    pacer.enqueue('C1', 'update:p1', async () => {
      updates += 1;
    });
    pacer.enqueue('C1', 'update:p1', async () => {
      updates += 1;
    });
    await pacer.idle();
    expect(updates).toBe(1);
    expect(errors).toEqual(['post: boom']);
    expect(pacer.pending).toBe(0);
  });
});
